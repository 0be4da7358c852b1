"""cocotb bench for the workbench fixture tests/fixtures/m890_wbfix.v (test-only design).

Stimulus and expected results are generated in bulk with NumPy from the seed; the
bench drives with random idle cycles, collects every output and compares the whole
batch bit for bit. WBFIX_BUG=1 (or WBFIX_BUG_SEEDS=2,3: only those SEEDs) corrupts one
expected value on purpose so the
workbench tests can prove that a mismatch fails and is reported with a rerun line.
It also writes a functional-coverage summary (fcov-*.txt) the way `make coverage`
collects them from every bench.
"""

import os
from pathlib import Path

import cocotb
import numpy as np
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge

N_TXN = int(os.environ.get("WBFIX_N", "200"))


@cocotb.test()
async def test_random_stream(dut):
    # SEED (make/pytest) -> cocotb's regression seed -> a per-test seed cocotb derives from it.
    seed = os.environ.get("M890_SEED", "?")
    # Benches exchange files with the simulator through $M890_BUILD_DIR: it must be the
    # simulator's working directory, also when each seed runs in its own sub-directory (soak).
    assert Path(os.environ["M890_BUILD_DIR"]).resolve() == Path.cwd().resolve(), (
        f"M890_BUILD_DIR={os.environ['M890_BUILD_DIR']} but the simulation runs in {Path.cwd()}")
    w = len(dut.in_a)
    mask = (1 << w) - 1
    dut._log.info("SEED=%s (per-test seed %d) W=%d", seed, cocotb.RANDOM_SEED, w)
    rng = np.random.default_rng(cocotb.RANDOM_SEED)
    a = rng.integers(0, 1 << w, N_TXN, dtype=np.uint64)
    b = rng.integers(0, 1 << w, N_TXN, dtype=np.uint64)
    c = rng.integers(0, 1 << w, N_TXN, dtype=np.uint64)
    idle = rng.integers(0, 3, N_TXN)  # 0..2 idle cycles before each transaction
    exp = (a * b + c) & mask
    bug_seeds = os.environ.get("WBFIX_BUG_SEEDS", "").split(",")
    if os.environ.get("WBFIX_BUG", "0") == "1" or seed in bug_seeds:
        exp[N_TXN // 2] ^= 1

    cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())
    dut.rst_n.value = 0
    dut.in_valid.value = 0
    dut.in_a.value = 0
    dut.in_b.value = 0
    dut.in_c.value = 0
    for _ in range(3):
        await RisingEdge(dut.clk)
    dut.rst_n.value = 1

    got = []

    async def monitor():
        while True:
            await RisingEdge(dut.clk)
            await ReadOnly()
            if int(dut.out_valid.value):
                got.append(int(dut.out_z.value))

    cocotb.start_soon(monitor())
    for i in range(N_TXN):
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
    assert len(got_arr) == N_TXN, f"SEED={seed}: {len(got_arr)} results for {N_TXN} transactions"
    bad = np.flatnonzero(got_arr != exp)
    for i in bad[:3]:
        dut._log.error(
            "MISMATCH txn %d: a=%d (0x%x) b=%d (0x%x) c=%d (0x%x): got z=%d (0x%x), expected %d (0x%x); "
            "SEED=%s",
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
    out = Path(os.environ.get("M890_BUILD_DIR", ".")) / f"fcov-wbfix-{os.environ.get('M890_SIM', 'sim')}.txt"
    out.write_text("".join(f"{k}: {v} hits\n" for k, v in bins.items()))
    assert len(bad) == 0, f"{len(bad)} of {N_TXN} results differ from the model (SEED={seed})"
