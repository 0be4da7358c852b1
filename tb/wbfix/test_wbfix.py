# SPDX-License-Identifier: Apache-2.0
"""cocotb bench for the workbench fixture tests/fixtures/m890_wbfix.v (test-only design).

Stimulus and expected results are generated in bulk with NumPy from the run's seed (cocotb's
RANDOM_SEED through BenchContext); the bench drives with random idle cycles, collects every
output and compares the whole batch bit for bit. Knobs: n (transactions, default 200);
bug=1 (or bug_seeds=2,3: only under those seeds) corrupts one expected value on purpose so the
workbench tests can prove that a mismatch fails and is reported with a rerun line.
It writes a stimulus digest (result `wbfix`, so a test can prove that seeds change the
stimulus) and a functional-coverage summary (fcov-*.txt) the way `make coverage` collects them.
"""

import hashlib

import cocotb
import numpy as np
from cocotb.triggers import ReadOnly, RisingEdge

from tb.common.context import BenchContext


@cocotb.test()
async def test_random_stream(dut):
    ctx = BenchContext(dut)
    seed = ctx.run_seed  # the SEED= of the run (the generators use cocotb's per-test seed)
    n_txn = ctx.knob("n", 200)
    w = len(dut.in_a)
    mask = (1 << w) - 1
    dut._log.info("SEED=%d (per-test seed %d) W=%d", seed, ctx.seed, w)
    rng = ctx.rng("wbfix")
    a = rng.integers(0, 1 << w, n_txn, dtype=np.uint64)
    b = rng.integers(0, 1 << w, n_txn, dtype=np.uint64)
    c = rng.integers(0, 1 << w, n_txn, dtype=np.uint64)
    idle = rng.integers(0, 3, n_txn)  # 0..2 idle cycles before each transaction
    exp = (a * b + c) & mask
    if ctx.knob("bug", False) or str(seed) in ctx.knob("bug_seeds", "").split(","):
        exp[n_txn // 2] ^= 1
    digest = hashlib.sha256(b"".join(x.tobytes() for x in (a, b, c, idle))).hexdigest()
    ctx.write_result("wbfix", {"seed": seed, "n": n_txn, "stimulus_sha256": digest})

    def idle_inputs():
        for s in (dut.in_valid, dut.in_a, dut.in_b, dut.in_c):
            s.value = 0

    await ctx.reset(cycles=3, idle=idle_inputs)

    got = []

    async def monitor():
        while True:
            await RisingEdge(dut.clk)
            await ReadOnly()
            if int(dut.out_valid.value):
                got.append(int(dut.out_z.value))

    cocotb.start_soon(monitor())
    for i in range(n_txn):
        for _ in range(int(idle[i])):
            await RisingEdge(dut.clk)
            dut.in_valid.value = 0
        await RisingEdge(dut.clk)
        dut.in_valid.value = 1
        dut.in_a.value = int(a[i])
        dut.in_b.value = int(b[i])
        dut.in_c.value = int(c[i])
    await RisingEdge(dut.clk)
    dut.in_valid.value = 0
    for _ in range(5):
        await RisingEdge(dut.clk)

    got_arr = np.array(got, dtype=np.uint64)
    assert len(got_arr) == n_txn, f"SEED={seed}: {len(got_arr)} results for {n_txn} transactions"
    bad = np.flatnonzero(got_arr != exp)
    for i in bad[:3]:
        dut._log.error(
            "MISMATCH txn %d: a=%d (0x%x) b=%d (0x%x) c=%d (0x%x): got z=%d (0x%x), expected %d (0x%x); "
            "SEED=%d",
            i, a[i], a[i], b[i], b[i], c[i], c[i], got_arr[i], got_arr[i], exp[i], exp[i], seed,
        )
    # Functional coverage: result range bins and back-to-back issue.
    bins = {
        "z==0": int(np.sum(exp == 0)),
        "z==max": int(np.sum(exp == mask)),
        "z low half": int(np.sum(exp < (1 << (w - 1)))),
        "z high half": int(np.sum(exp >= (1 << (w - 1)))),
        "back-to-back issue": int(np.sum(idle == 0)),
    }
    out = ctx.build_dir / f"fcov-wbfix-{ctx.sim}.txt"
    out.write_text("".join(f"{k}: {v} hits\n" for k, v in bins.items()))
    assert len(bad) == 0, f"{len(bad)} of {n_txn} results differ from the model (SEED={seed})"
