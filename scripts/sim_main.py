"""`make sim`: the project's main simulation, the m890_tile GEMM demo.

Builds the default 4x4 tile under SIM (icarus by default, or verilator), runs one GEMM per element
format (FP32 .. FP4, MXFP4, NVFP4) through it, checks every result bit for bit against
models/gemm.py and prints a table. WAVES=1 also writes an FST waveform (path printed at the end;
open it with `gtkwave <path> tb/tile/m890_tile.gtkw`). Exit code 0 only if every GEMM passed.
"""

import json
import os
import sys

import time
from pathlib import Path

from tb.common import runner
from tb.common.runner import SimSetupError, run_bench, setup_sim_env, waves_enabled

ROWS, COLS = 4, 4


def main() -> int:
    sim = os.environ.get("SIM", "icarus") or "icarus"
    try:
        setup_sim_env(sim)
    except SimSetupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    params = {"ROWS": ROWS, "COLS": COLS}
    waves = waves_enabled()
    t0 = time.time()
    print(f"m890_tile demo: {ROWS}x{COLS} tile, simulator {sim} (building and running, please wait) ...", flush=True)
    err = None
    try:
        run_bench(block="tile_demo", toplevel="m890_tile", test_module="tb.tile.test_demo", sim=sim,
                  parameters=params, extra_env={"COCOTB_LOG_LEVEL": os.environ.get("COCOTB_LOG_LEVEL", "WARNING")})
    except (AssertionError, SystemExit, RuntimeError) as e:
        err = e
    run = runner.RUN_LOG[-1] if runner.RUN_LOG else {}
    res_file = Path(run.get("build_dir", ".")) / "demo_results.json"
    if not res_file.exists() or res_file.stat().st_mtime < t0:
        print(f"\nmake sim ({sim}): FAIL (the demo did not complete: {err})")
        return 1
    data = json.loads(res_file.read_text())
    rows = data["results"]
    print()
    print(f"Z = A x B + C on the {data['rows']}x{data['cols']} tile, K = {data['k']} lane steps per GEMM "
          f"(elements per lane: FP32 1, FP16/BF16 2, FP8/FP6 4, FP4 8), checked bit-exact against models/gemm.py")
    print("cycles: first A beat to last Z beat; utilization: lane steps / cycles (1.0 = one lane step per cycle)")
    print()
    hdr = f"{'format':32s} {'shape (A x B, elements)':>24s} {'MACs':>8s} {'cycles':>7s} {'MACs/cyc':>9s} {'util':>7s}  result"
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        print(f"{r['format']:32s} {r['shape']:>24s} {r['macs']:8d} {r['cycles']:7d} {r['macs_per_cycle']:9.1f} "
              f"{100 * r['utilization']:6.1f}%  {'PASS' if r['ok'] else 'FAIL'}")
    ok = all(r["ok"] for r in rows) and err is None
    print()
    if waves:
        wave = run.get("waves", "")
        print(f"waves: {wave}  (gtkwave {wave} tb/tile/m890_tile.gtkw)")
    print(f"make sim ({sim}): {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
