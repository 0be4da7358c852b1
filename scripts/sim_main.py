# SPDX-License-Identifier: Apache-2.0
"""`make sim`: the project's main simulation, the m890_tile GEMM demo (manifest block tile_demo).

Builds the default 4x4 tile under SIM (icarus by default, or verilator), runs one GEMM per element
format (FP32 .. FP4, MXFP4, NVFP4) through it, checks every result bit for bit against
models/gemm.py and prints a table; then the same with NACC = 2 and 4 interleaved accumulators
(ARCHITECTURE.md 4.1), a second table with each configuration's cycles, utilization and longest path. SEED= picks the stimulus; WAVES=1 also writes an FST waveform
(path printed; open it with `make waves`). Exit code 0 only if every GEMM passed.
"""

import os
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor

from tb.common.runner import ROOT, SimSetupError, run_bench


NACCS = (1, 2, 4)   # interleaved accumulators (ARCHITECTURE.md 4.1): one demo build each


def loop_paths() -> dict:
    """The longest register-to-register path of the PE per NACC, as measured by `make synth`
    (docs/synth_reference.toml, [[measured]] rows: the PE flattened, its accumulate loop included)."""
    rows = tomllib.loads((ROOT / "docs" / "synth_reference.toml").read_text()).get("measured", [])
    return {r["nacc"]: r for r in rows if "nacc" in r}


def main() -> int:
    sim = os.environ.get("SIM") or "icarus"
    print(f"m890_tile demo: 4x4 tile, NACC = {', '.join(map(str, NACCS))}, simulator {sim} "
          "(building and running, please wait) ...", flush=True)
    def demo(nacc):
        res = run_bench("tile_demo", sim=sim, check=False, parameters={"NACC": nacc},
                        extra_env={"COCOTB_LOG_LEVEL": os.environ.get("COCOTB_LOG_LEVEL", "WARNING")})
        return res, res.result("demo_results")

    try:
        # the builds and runs are simulator subprocesses: JOBS of them at a time, the longest (NACC=4) first
        with ThreadPoolExecutor(max_workers=max(1, int(os.environ.get("JOBS") or 2))) as pool:
            futures = {n: pool.submit(demo, n) for n in sorted(NACCS, reverse=True)}
            runs = {n: futures[n].result() for n in NACCS}
    except SimSetupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError, RuntimeError) as e:
        print(f"\nmake sim ({sim}): FAIL (the demo did not complete: {e})")
        return 1
    res, data = runs[1]
    print(f"\nZ = A x B + C on the {data['rows']}x{data['cols']} tile, K = {data['k']} lane steps per GEMM "
          f"(elements per lane: FP32 1, FP16/BF16 2, FP8/FP6 4, FP4 8), checked bit-exact against models/gemm.py\n"
          "cycles: first A beat to last Z beat; utilization: lane steps / cycles (1.0 = one lane step per cycle)\n")
    hdr = f"{'format':32s} {'shape (A x B, elements)':>24s} {'MACs':>8s} {'cycles':>7s} {'MACs/cyc':>9s} {'util':>7s}  result"
    print(hdr + "\n" + "-" * len(hdr))
    for r in data["results"]:
        print(f"{r['format']:32s} {r['shape']:>24s} {r['macs']:8d} {r['cycles']:7d} {r['macs_per_cycle']:9.1f} "
              f"{100 * r['utilization']:6.1f}%  {'PASS' if r['ok'] else 'FAIL'}")
    # the same formats and K with NACC interleaved accumulators: a ROWS x (NACC*COLS) block per command
    paths = loop_paths()
    print(f"\nInterleaved accumulators (NACC): the same formats and K; one command computes "
          f"{data['rows']}x(NACC*{data['cols']}); utilization = PE lane steps / cycles\n")
    hdr = f"{'format':32s}" + "".join(f" {'NACC=' + str(n) + ' cycles':>14s} {'util':>7s} {'':4s}" for n in NACCS)
    print(hdr + "\n" + "-" * len(hdr))
    for i, r in enumerate(data["results"]):
        line = f"{r['format']:32s}"
        for n in NACCS:
            x = runs[n][1]["results"][i]
            line += f" {x['cycles']:14d} {100 * x['utilization']:6.1f}% {'PASS' if x['ok'] else 'FAIL':4s}"
        print(line)
    line = f"{'longest reg-to-reg path (gates)':32s}"
    for n in NACCS:
        p = paths.get(n)
        line += f" {(str(p['ltp']) if p else '-'):>14s} {'':7s} {'':4s}"
    print(line)
    if paths:
        print("  (a 1x1 tile flattened but for the multiplier, its accumulate loop included: `make synth`, block tile_loop_nacc<N>; "
              f"recorded in docs/synth_reference.toml at commit {next(iter(paths.values())).get('commit', '?')})")
    ok = all(r.passed and all(x["ok"] for x in d["results"]) for r, d in runs.values())
    for n, (r, _) in runs.items():
        if r.waves:
            print(f"\nwaves (NACC={n}): {r.waves}  (gtkwave {r.waves} tb/tile/m890_tile.gtkw)")
    print(f"\nmake sim ({sim}) SEED={res.seed}: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
