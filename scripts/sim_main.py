# SPDX-License-Identifier: Apache-2.0
"""`make sim`: the project's main simulation, the m890_tile GEMM demo (manifest block tile_demo).

Builds the default 4x4 tile under SIM (icarus by default, or verilator), runs one GEMM per element
format (FP32 .. FP4, MXFP4, NVFP4) through it, checks every result bit for bit against
models/gemm.py and prints a table. SEED= picks the stimulus; WAVES=1 also writes an FST waveform
(path printed; open it with `make waves`). Exit code 0 only if every GEMM passed.
"""

import os
import sys

from tb.common.runner import SimSetupError, run_bench


def main() -> int:
    sim = os.environ.get("SIM") or "icarus"
    print(f"m890_tile demo: 4x4 tile, simulator {sim} (building and running, please wait) ...", flush=True)
    try:
        res = run_bench("tile_demo", sim=sim, check=False,
                        extra_env={"COCOTB_LOG_LEVEL": os.environ.get("COCOTB_LOG_LEVEL", "WARNING")})
        data = res.result("demo_results")
    except SimSetupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError, RuntimeError) as e:
        print(f"\nmake sim ({sim}): FAIL (the demo did not complete: {e})")
        return 1
    print(f"\nZ = A x B + C on the {data['rows']}x{data['cols']} tile, K = {data['k']} lane steps per GEMM "
          f"(elements per lane: FP32 1, FP16/BF16 2, FP8/FP6 4, FP4 8), checked bit-exact against models/gemm.py\n"
          "cycles: first A beat to last Z beat; utilization: lane steps / cycles (1.0 = one lane step per cycle)\n")
    hdr = f"{'format':32s} {'shape (A x B, elements)':>24s} {'MACs':>8s} {'cycles':>7s} {'MACs/cyc':>9s} {'util':>7s}  result"
    print(hdr + "\n" + "-" * len(hdr))
    for r in data["results"]:
        print(f"{r['format']:32s} {r['shape']:>24s} {r['macs']:8d} {r['cycles']:7d} {r['macs_per_cycle']:9.1f} "
              f"{100 * r['utilization']:6.1f}%  {'PASS' if r['ok'] else 'FAIL'}")
    ok = res.passed and all(r["ok"] for r in data["results"])
    if res.waves:
        print(f"\nwaves: {res.waves}  (gtkwave {res.waves} tb/tile/m890_tile.gtkw)")
    print(f"\nmake sim ({sim}) SEED={res.seed}: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
