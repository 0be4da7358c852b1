# SPDX-License-Identifier: Apache-2.0
"""Measurements for scripts/bench_tile.py (not part of the regression).

Knob `experiments`: a JSON file holding a list of experiments {"name", "fa", "fb", "sf", "k", "n"}:
n back-to-back commands of K lane steps, always-valid sources and an always-ready sink. For each:
cycles from the first A beat to the last Z beat, utilization = lane steps / cycles, wall-clock
seconds, and (knob check, default on) a bit-exact check against models/gemm.py.
Results: the result `bench_results` (BenchContext.write_result).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import cocotb
import numpy as np

from models import formats
from models.gemm import gemm
from tb.common.context import BenchContext
from tb.tile import stim
from tb.tile.bfm import TileBfm
from tb.tile.test_demo import run_and_time


@cocotb.test()
async def bench(dut):
    ctx = BenchContext(dut)
    rows, cols, nacc = ctx.param("ROWS"), ctx.param("COLS"), ctx.param("NACC", 1)
    exps = json.loads(Path(ctx.knob("experiments", "")).read_text())
    check = ctx.knob("check", True)
    rng = ctx.rng("bench")
    ctx.start_clock()
    bfm = TileBfm(dut, rows, cols, ctx.stream_seed("bfm"), nacc=nacc)
    await bfm.reset()
    bfm.start()
    out = []
    for e in exps:
        gemms = [stim.make_gemm(rng, rows, nacc * cols, e["fa"], e["fb"], i % 5, e.get("sf", 0), i % 2, e["k"], 0.02)
                 for i in range(e["n"])]
        t0 = time.perf_counter()
        c0 = bfm.cycle
        res, cycles = await run_and_time(bfm, gemms)
        wall = time.perf_counter() - t0
        simcyc = bfm.cycle - c0
        ok = True
        if check:
            for (z, f), g in zip(res, gemms):
                ze, fe = gemm(g.fa, g.fb, g.rm, g.sf, g.A, g.B, g.SA, g.SB, g.C)
                ok &= bool(np.array_equal(z, ze) and np.array_equal(f, fe))
        steps = nacc * e["k"] * e["n"]   # PE lane steps (ARCHITECTURE.md 4.1)
        n = int(formats.lanes(e["fa"]))
        out.append(dict(e, rows=rows, cols=cols, nacc=nacc, steps=steps, cycles=int(cycles), util=steps / cycles,
                        peak_macs_per_cycle=rows * cols * n, macs_per_cycle=rows * cols * n * steps / cycles,
                        wall_s=wall, sim_cycles=int(simcyc), cycles_per_s=simcyc / wall, ok=ok))
        dut._log.warning(f"{e['name']}: {steps} steps / {cycles} cycles = {100 * steps / cycles:.2f} % "
                         f"({simcyc} cycles in {wall:.2f} s) {'PASS' if ok else 'FAIL'}")
    ctx.write_result("bench_results", out)
    assert all(r["ok"] for r in out)
