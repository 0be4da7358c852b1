"""`make waves TEST=<name>`: open the newest FST dump of a test in GTKWave with its block's layout.

  python -m scripts.waves [TEST]

TEST is what `make sim TEST=` took (a pytest node id like tests/test_mac.py::test_x[icarus], or a
-k style word such as `mac` or `test_tile`). The dump is the newest *.fst under sim_build/<block>/
(the block taken from the test file name test_<block>*.py; the simulator from `[icarus]`/`[verilator]`
when present); without TEST the newest dump of all. The layout is the block's saved
tb/<block>/<block>.gtkw (interfaces grouped, FP values in hex) when it exists.
If gtkwave is not installed, prints the dump, the layout and the commands instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIM_BUILD = ROOT / "sim_build"


def find_dump(test: str) -> tuple[Path | None, str | None]:
    block = None
    m = re.search(r"test_([a-z0-9]+)", test or "")
    if m:
        block = m.group(1)
    elif test and (SIM_BUILD / test.split()[0]).is_dir():
        block = test.split()[0]
    if block and not (SIM_BUILD / block).is_dir():
        block = None  # e.g. a test file not named after its block: search every dump
    sim = re.search(r"(icarus|verilator)", test or "")
    base = SIM_BUILD / block if block and (SIM_BUILD / block).is_dir() else SIM_BUILD
    dumps = [p for p in base.rglob("*.fst") if not sim or f"/{sim.group(1)}/" in str(p)]
    if not dumps:
        return None, block
    return max(dumps, key=lambda p: p.stat().st_mtime), block


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    test = argv[0] if argv else ""
    dump, block = find_dump(test)
    if dump is None:
        print(f"waves: no FST dump for {test or 'any test'} under {SIM_BUILD}: run\n"
              f"  make sim TEST='{test or '<test>'}' WAVES=1", file=sys.stderr)
        return 1
    layout = None
    blk = block or dump.relative_to(SIM_BUILD).parts[0]
    for cand in (ROOT / "tb" / blk / f"{blk}.gtkw", *sorted((ROOT / "tb" / blk).glob("*.gtkw"))):
        if cand.exists():
            layout = cand
            break
    print(f"waves: {dump}")
    print(f"layout: {layout if layout else '(none: tb/' + blk + '/' + blk + '.gtkw does not exist)'}")
    cmd = ["gtkwave", str(dump)] + ([str(layout)] if layout else [])
    if shutil.which("gtkwave") is None:
        print("gtkwave is not installed: sudo apt-get install -y gtkwave   then:\n  " + " ".join(cmd))
        return 0
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("no display to open GTKWave on: copy the dump and run\n  " + " ".join(cmd))
        return 0
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
