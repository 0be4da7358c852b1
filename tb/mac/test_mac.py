"""m890_mac directed bench: drives m890_mac's own ports from cocotb (verilog-axis style TB class owning clock
and reset), one named test per special-value rule of ARCHITECTURE.md section 2 plus protocol tests (latency,
back-to-back results, random in_valid gaps, reset in the middle of a stream). Expected values always come from
models/fdpa.py; vectors are built in NumPy and checked as one batch per test."""

from __future__ import annotations

import os

import cocotb
import numpy as np
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, FallingEdge, ReadOnly, RisingEdge

from models import formats as F

from .batch import concat, documented_latency, make_batch, scoreboard

FP32, FP16, BF16, E4M3, E5M2, E3M2, E2M3, E2M1 = range(8)
RNE, RTZ, RDN, RUP, RMM = range(5)
PINF, NINF, QNAN, SNAN = 0x7F800000, 0xFF800000, 0x7FC00000, 0x7FA00000


def f32(x):
    return int(np.float32(x).view(np.uint32))


class MacTB:
    """Owns clock and reset of m890_mac; drives operations (with optional idle gaps) and collects results."""

    def __init__(self, dut):
        self.dut = dut
        self.log = dut._log
        self.seed = int(os.environ.get("M890_SEED", "1"))
        self.latency = documented_latency()
        self.results = []  # (cycle, z, flags)
        self.cycle = 0
        cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())
        cocotb.start_soon(self._monitor())

    def idle(self):
        d = self.dut
        d.in_valid.value = 0
        for s in ("in_fmt_a", "in_fmt_b", "in_rm", "in_scale_fmt", "in_scale_a", "in_scale_b", "in_a", "in_b", "in_c"):
            getattr(d, s).value = 0

    async def reset(self, cycles=3):
        self.idle()
        self.dut.rst_n.value = 0
        await ClockCycles(self.dut.clk, cycles)
        self.dut.rst_n.value = 1
        await RisingEdge(self.dut.clk)

    async def _monitor(self):
        while True:
            await RisingEdge(self.dut.clk)
            self.cycle += 1
            await ReadOnly()
            if self.dut.rst_n.value == 1 and self.dut.out_valid.value == 1:
                # a consumer samples this result at the NEXT rising edge: that edge's number is the result's
                # cycle, so an operation sampled at edge k comes out at edge k + LATENCY
                self.results.append((self.cycle + 1, int(self.dut.out_z.value), int(self.dut.out_flags.value)))

    async def drive(self, batch, gaps=None):
        """Drive every operation of the batch, operation i preceded by gaps[i] idle cycles. Returns the
        cycle numbers (monitor count) of the edges that sampled each operation."""
        d = self.dut
        n = len(batch["a"])
        issued = []
        await FallingEdge(d.clk)
        for i in range(n):
            g = 0 if gaps is None else int(gaps[i])
            for _ in range(g):
                d.in_valid.value = 0
                await FallingEdge(d.clk)
            d.in_valid.value = 1
            d.in_fmt_a.value = int(batch["fmt_a"][i])
            d.in_fmt_b.value = int(batch["fmt_b"][i])
            d.in_rm.value = int(batch["rm"][i])
            d.in_scale_fmt.value = int(batch["scale_fmt"][i])
            d.in_scale_a.value = int(batch["sa"][i])
            d.in_scale_b.value = int(batch["sb"][i])
            d.in_a.value = int(batch["a"][i])
            d.in_b.value = int(batch["b"][i])
            d.in_c.value = int(batch["c"][i])
            await FallingEdge(d.clk)
            issued.append(self.cycle)  # the rising edge just passed sampled operation i
        d.in_valid.value = 0
        return issued

    async def run(self, batch, what, gaps=None, check_latency=True):
        self.results = []
        issued = await self.drive(batch, gaps)
        await ClockCycles(self.dut.clk, self.latency + 3)
        got = self.results
        assert len(got) == len(batch["a"]), f"{what}: {len(batch['a'])} operations issued, {len(got)} results"
        cyc = np.array([g[0] for g in got])
        if check_latency:
            lat = cyc - np.array(issued)
            assert np.all(lat == self.latency), f"{what}: measured latency {np.unique(lat)} != LATENCY {self.latency}"
        z = np.array([g[1] for g in got], dtype=np.uint32)
        fl = np.array([g[2] for g in got], dtype=np.uint8)
        scoreboard(batch, z, fl, what=what, seed=self.seed, log=self.log.error,
                   sim_time=f"sim time {cocotb.utils.get_sim_time('ns')} ns")
        self.log.info(f"{what}: {len(z)} operations match models/fdpa.py")


async def _go(dut, batch, what, gaps=None):
    tb = MacTB(dut)
    await tb.reset()
    await tb.run(batch, what, gaps)


def _all_rm(**kw):
    """The same operation(s) under every rounding mode."""
    b = make_batch(**kw)
    return concat(*[make_batch(**{**b, "rm": np.full(len(b["a"]), r)}) for r in range(5)])


@cocotb.test()
async def test_smoke_one_times_one(dut):
    """1*1 + 0 in every format (each format's 1.0 in every element)."""
    one = {FP32: 0x3F800000, FP16: 0x3C003C00, BF16: 0x3F803F80, E4M3: 0x38383838, E5M2: 0x3C3C3C3C,
           E3M2: 0x0C0C0C0C, E2M3: 0x08080808, E2M1: 0x22222222}
    b = concat(*[make_batch(fmt_a=f, fmt_b=f, a=one[f], b=one[f], c=0) for f in range(8)])
    await _go(dut, b, "smoke 1*1")
