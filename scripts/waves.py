# SPDX-License-Identifier: Apache-2.0
"""`make waves TEST=<name>`: open the newest FST dump of a test in GTKWave with its block's layout.

TEST is what `make sim TEST=` took (a node id like tests/test_mac.py::test_x[icarus], or a word
such as `mac` or `tile`): the dump is the newest *.fst under sim_build/<block>*/ for the block
named by the test file (test_<block>*.py; every block when none matches), of the simulator in the
id when there is one. The layout is the block's `gtkw` in tb/common/blocks.py. Without gtkwave or
a display, prints the command instead.
"""

import os
import re
import shutil
import subprocess
import sys

from tb.common.blocks import BLOCKS
from tb.common.runner import SIM_BUILD


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    test = argv[0] if argv else ""
    m = re.search(r"test_([a-z0-9]+)", test) or re.match(r"([a-z0-9]+)$", test)
    sim = re.search(r"icarus|verilator", test)
    dumps = [p for p in SIM_BUILD.rglob("*.fst") if not sim or f"/{sim.group(0)}/" in str(p)]
    mine = [p for p in dumps if m and p.relative_to(SIM_BUILD).parts[0].startswith(m.group(1))]
    if not (mine or dumps):
        print(f"waves: no FST dump for {test or 'any test'} under {SIM_BUILD}: run\n"
              f"  make sim TEST='{test or '<test>'}' WAVES=1", file=sys.stderr)
        return 1
    dump = max(mine or dumps, key=lambda p: p.stat().st_mtime)
    block = BLOCKS.get(dump.relative_to(SIM_BUILD).parts[0])
    layout = block.gtkw if block and block.gtkw and block.gtkw.exists() else None
    print(f"waves: {dump}\nlayout: {layout or '(none in tb/common/blocks.py)'}")
    cmd = ["gtkwave", str(dump)] + ([str(layout)] if layout else [])
    if shutil.which("gtkwave") is None or not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("no gtkwave or no display here (sudo apt-get install -y gtkwave); run:\n  " + " ".join(cmd))
        return 0
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
