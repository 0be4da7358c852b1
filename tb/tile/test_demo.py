# SPDX-License-Identifier: Apache-2.0
"""`make sim` demo: one GEMM per element format on the tile, checked against models/gemm.py.

Each GEMM first runs alone (cycles = first A beat to last Z beat, so latency and drain are
included), then all of them run again back to back as one stream (the steady-state rate).
Results: the result `demo_results` (BenchContext.write_result; scripts/sim_main.py prints the
table). Knob k: lane steps per GEMM (default 32). The stimulus comes from the run's seed.
"""

from __future__ import annotations

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles

from models import formats
from models.gemm import gemm
from tb.common.context import BenchContext
from tb.tile import stim
from tb.tile.bfm import TileBfm
from tb.tile.tile_env import gemm_beats

# label, fmt_a, fmt_b, scale_fmt
DEMO = [
    ("FP32", 0, 0, 0),
    ("FP16", 1, 1, 0),
    ("BF16", 2, 2, 0),
    ("FP8 E4M3", 3, 3, 0),
    ("FP8 E5M2", 4, 4, 0),
    ("FP6 E3M2", 5, 5, 0),
    ("FP6 E2M3", 6, 6, 0),
    ("FP4 E2M1", 7, 7, 0),
    ("MXFP4 (E2M1, E8M0 scales)", 7, 7, 1),
    ("NVFP4 (E2M1, UE4M3 scales)", 7, 7, 2),
]


def demo_gemm(rng, rows, cols, label, fa, fb, sf, k) -> stim.Gemm:
    """Normally distributed values quantized to the format (RNE, saturating), block scales as a
    quantizer would choose them (E8M0: powers of two; UE4M3: small positive values)."""
    n = formats.lanes(fa)
    a = formats.encode(fa, rng.standard_normal((k, rows, n)) * 2.0, saturate=True)
    b = formats.encode(fb, rng.standard_normal((k, cols, n)) * 2.0, saturate=True)
    A = formats.pack_lanes(fa, a)
    B = formats.pack_lanes(fb, b)
    if sf == 1:
        SA = rng.integers(124, 131, size=(k, rows)).astype(np.uint8)
        SB = rng.integers(124, 131, size=(k, cols)).astype(np.uint8)
    elif sf == 2:
        SA = formats.encode(3, rng.uniform(0.25, 4.0, size=(k, rows))).astype(np.uint8)
        SB = formats.encode(3, rng.uniform(0.25, 4.0, size=(k, cols))).astype(np.uint8)
    else:
        SA = np.full((k, rows), 127, np.uint8)
        SB = np.full((k, cols), 127, np.uint8)
    C = formats.f32_bits(rng.standard_normal((rows, cols)))
    word = stim.encode_cmd_word(fa, fb, 0, sf, 1, k)
    return stim.Gemm(fa, fb, 0, sf, 1, k, A, B, SA, SB, C, word, label)


async def run_and_time(bfm: TileBfm, gemms):
    """Queue the GEMMs (each NACC*COLS wide), wait for their results; returns (results, cycles first
    A -> last Z)."""
    z_before = bfm.beats["z"]
    bfm.first_ab_cycle = None
    for g in gemms:
        for s, beats in zip(("cmd", "a", "b", "c"), gemm_beats(g, bfm.cols)):
            for d, u in beats:
                bfm.send(s, d, u)
    want = z_before + len(gemms) * bfm.z_beats
    for _ in range(10000):
        if bfm.beats["z"] >= want:
            break
        await ClockCycles(bfm.clk, 10)
    assert bfm.beats["z"] >= want, "the tile did not return every result"
    results = []
    q = bfm.mon["z"]
    for _ in gemms:
        beats = [q.get_nowait()[1:3] for _ in range(bfm.z_beats)]
        results.append(stim.z_packet(beats, bfm.rows, bfm.cols))
    for s in ("cmd", "a", "b", "c"):
        while not bfm.mon[s].empty():
            bfm.mon[s].get_nowait()
    return results, bfm.last_z_cycle - bfm.first_ab_cycle + 1


@cocotb.test()
async def demo(dut):
    ctx = BenchContext(dut)
    rows, cols, demo_k = ctx.param("ROWS"), ctx.param("COLS"), ctx.knob("k", 32)
    nacc = ctx.param("NACC", 1)
    gcols = nacc * cols   # one command computes ROWS x (NACC*COLS) (ARCHITECTURE.md 4.1)
    rng = ctx.rng("demo")
    ctx.start_clock()
    bfm = TileBfm(dut, rows, cols, ctx.stream_seed("bfm"), nacc=nacc)
    await bfm.reset()
    bfm.start()
    gemms = [demo_gemm(rng, rows, gcols, label, fa, fb, sf, demo_k) for label, fa, fb, sf in DEMO]
    table = []
    ok_all = True
    for g in gemms:
        (res,), cycles = await run_and_time(bfm, [g])
        zexp, fexp = gemm(g.fa, g.fb, g.rm, g.sf, g.A, g.B, g.SA, g.SB, g.C)
        ok = bool(np.array_equal(res[0], zexp) and np.array_equal(res[1], fexp))
        ok_all &= ok
        n = int(formats.lanes(g.fa))
        macs = int(rows * gcols * g.k * n)
        table.append(dict(format=g.tag, shape=f"{rows}x{g.k * n} x {g.k * n}x{gcols}", macs=macs, cycles=cycles,
                          utilization=nacc * g.k / cycles, macs_per_cycle=macs / cycles, ok=ok,
                          z00=f"0x{int(res[0][0, 0]):08x}", z00_value=float(np.array(res[0][0, 0], np.uint32).view(np.float32))))
        if not ok:
            bad = np.argwhere((res[0] != zexp) | (res[1] != fexp))
            r, c = bad[0]
            dut._log.error(f"{g.tag}: {len(bad)} elements differ; first (r={r}, c={c}): got 0x{int(res[0][r, c]):08x} "
                           f"flags {int(res[1][r, c]):05b}, expected 0x{int(zexp[r, c]):08x} flags {int(fexp[r, c]):05b}")
    # the whole set again as one back-to-back stream
    res, cycles = await run_and_time(bfm, gemms)
    ok = all(np.array_equal(z, gemm(g.fa, g.fb, g.rm, g.sf, g.A, g.B, g.SA, g.SB, g.C)[0])
             and np.array_equal(f, gemm(g.fa, g.fb, g.rm, g.sf, g.A, g.B, g.SA, g.SB, g.C)[1])
             for (z, f), g in zip(res, gemms))
    ok_all &= ok
    steps = nacc * sum(g.k for g in gemms)   # PE lane steps
    macs = int(sum(rows * gcols * g.k * int(formats.lanes(g.fa)) for g in gemms))
    table.append(dict(format="all of the above, back to back", shape="", macs=macs, cycles=cycles,
                      utilization=steps / cycles, macs_per_cycle=macs / cycles, ok=ok))
    ctx.write_result("demo_results", dict(rows=rows, cols=cols, nacc=nacc, k=demo_k, sim=ctx.sim, seed=ctx.seed,
                                          results=table))
    for t in table:
        dut._log.info(f"{t['format']:32s} {t['shape']:>14s} {t['macs']:8d} MACs {t['cycles']:6d} cycles "
                      f"{100 * t['utilization']:6.1f} % {'PASS' if t['ok'] else 'FAIL'}")
    assert ok_all, "some demo GEMMs did not match the golden model"
