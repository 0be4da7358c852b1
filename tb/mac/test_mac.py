# SPDX-License-Identifier: Apache-2.0
"""m890_mac directed bench: drives m890_mac's own ports from cocotb (verilog-axis style TB class owning clock
and reset), one named test per special-value rule of ARCHITECTURE.md section 2 plus protocol tests (latency,
back-to-back results, random in_valid gaps, reset in the middle of a stream). Expected values always come from
models/fdpa.py; vectors are built in NumPy and checked as one batch per test."""

from __future__ import annotations

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, FallingEdge, ReadOnly, RisingEdge

from models import formats as F
from tb.common.context import BenchContext

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
        self.ctx = BenchContext(dut)
        self.seed = self.ctx.run_seed  # the SEED= to rerun with (messages)
        self.latency = documented_latency(self.ctx.params.get("NUM_PIPE_REGS"))
        self.results = []  # (cycle, z, flags)
        self.cycle = 0
        self.ctx.start_clock()
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


def _spec_check(batch, want, what):
    """Contract-derived expected values (independent of the model) for a few pinned vectors:
    want = list of (index, z, flags)."""
    from .batch import expected
    z, fl = expected(batch)
    for i, wz, wf in want:
        assert int(z[i]) == wz and int(fl[i]) == wf, (
            f"{what}: models/fdpa.py disagrees with the contract on vector {i}: "
            f"model z=0x{int(z[i]):08x} flags=0x{int(fl[i]):02x}, contract z=0x{wz:08x} flags=0x{wf:02x}")


@cocotb.test()
async def test_illegal_fmt_pair_rm_scale_fmt(dut):
    """Rule 1: illegal fmt_a/fmt_b/pair, illegal rm, reserved scale_fmt -> canonical NaN, NV only (even
    with NaN/Inf/sNaN operands around)."""
    one32 = 0x3F800000
    rows = []
    for fa in range(8, 16):
        rows.append(dict(fmt_a=fa, fmt_b=fa, a=one32, b=one32, c=0))
        rows.append(dict(fmt_a=fa, fmt_b=E4M3, a=one32, b=one32, c=0))
        rows.append(dict(fmt_a=E4M3, fmt_b=fa, a=one32, b=one32, c=SNAN))
    for fa, fb in [(FP32, FP16), (FP16, BF16), (BF16, FP16), (FP32, E4M3), (E4M3, FP32), (E2M1, E4M3),
                   (E4M3, E2M1), (E2M1, E2M3), (FP16, E5M2), (BF16, FP32)]:
        rows.append(dict(fmt_a=fa, fmt_b=fb, a=one32, b=one32, c=PINF))
    for rm in (5, 6, 7):
        for f in range(8):
            rows.append(dict(fmt_a=f, fmt_b=f, rm=rm, a=0x3C003C00, b=0x3C003C00, c=QNAN))
    for f in range(8):
        rows.append(dict(fmt_a=f, fmt_b=f, scale_fmt=3, a=0x3C003C00, b=0x3C003C00, c=0))
    b = concat(*[make_batch(**r) for r in rows])
    _spec_check(b, [(i, QNAN, 0x10) for i in range(len(b["a"]))], "illegal")
    await _go(dut, b, "illegal fmt/pair/rm/scale_fmt")


@cocotb.test()
async def test_nv_signaling_nan(dut):
    """Rule 2a: a signaling NaN among the FP32/FP16/BF16 elements of a or b, or in c, raises NV (NaN result),
    also when a quiet NaN is present too; FP8 NaNs are quiet (no NV)."""
    rows = [
        dict(fmt_a=FP32, fmt_b=FP32, a=SNAN, b=0x3F800000, c=0),
        dict(fmt_a=FP32, fmt_b=FP32, a=0x3F800000, b=0xFF800001, c=0),
        dict(fmt_a=FP32, fmt_b=FP32, a=0x3F800000, b=0x3F800000, c=SNAN),
        dict(fmt_a=FP32, fmt_b=FP32, a=QNAN, b=0x3F800000, c=0xFFBFFFFF),
        dict(fmt_a=FP32, fmt_b=FP32, a=SNAN, b=0, c=PINF),
        dict(fmt_a=FP16, fmt_b=FP16, a=0x3C007C01, b=0x3C003C00, c=0),   # sNaN in lane 1
        dict(fmt_a=FP16, fmt_b=FP16, a=0x3C003C00, b=0xFD003C00, c=0),   # sNaN in lane 1 of b
        dict(fmt_a=FP16, fmt_b=FP16, a=0x7E003C00, b=0x3C003C00, c=0),   # qNaN only: no NV
        dict(fmt_a=BF16, fmt_b=BF16, a=0x3F807F81, b=0x3F803F80, c=0),   # sNaN lane 0
        dict(fmt_a=BF16, fmt_b=BF16, a=0x7FC03F80, b=0x3F803F80, c=0),   # qNaN lane 1
        dict(fmt_a=BF16, fmt_b=BF16, a=0x3F803F80, b=0x3F803F80, c=0x7F800001),
        dict(fmt_a=E5M2, fmt_b=E5M2, a=0x7D3C3C3C, b=0x3C3C3C3C, c=0),   # E5M2 NaN (quiet)
        dict(fmt_a=E4M3, fmt_b=E4M3, a=0x38383838, b=0x387F3838, c=0),   # E4M3 NaN (quiet)
        dict(fmt_a=E4M3, fmt_b=E4M3, a=0x38383838, b=0x38383838, c=SNAN),
    ]
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    _spec_check(b, [(0, QNAN, 0x10), (7, QNAN, 0x00), (11, QNAN, 0x00), (13, QNAN, 0x10)], "sNaN")
    await _go(dut, b, "NV: signaling NaN")


@cocotb.test()
async def test_nv_inf_times_zero(dut):
    """Rule 2b: a lane whose product is Inf x 0 raises NV, in every lane position and format with Inf."""
    rows = [
        dict(fmt_a=FP32, fmt_b=FP32, a=PINF, b=0, c=0x3F800000),
        dict(fmt_a=FP32, fmt_b=FP32, a=0x80000000, b=NINF, c=0),
        dict(fmt_a=FP16, fmt_b=FP16, a=0x7C003C00, b=0x00003C00, c=0),
        dict(fmt_a=FP16, fmt_b=FP16, a=0x3C007C00, b=0x3C008000, c=0),
        dict(fmt_a=BF16, fmt_b=BF16, a=0x00007F80, b=0x3F800000, c=0),
        dict(fmt_a=BF16, fmt_b=BF16, a=0xFF803F80, b=0x00003F80, c=NINF),
    ]
    for lane in range(4):
        rows.append(dict(fmt_a=E5M2, fmt_b=E5M2, a=0x3C3C3C3C & ~(0xFF << 8 * lane) | (0x7C << 8 * lane),
                         b=0x3C3C3C3C & ~(0xFF << 8 * lane), c=0))
        rows.append(dict(fmt_a=E5M2, fmt_b=E4M3, a=0x3C3C3C3C & ~(0xFF << 8 * lane) | (0xFC << 8 * lane),
                         b=0x38383838 & ~(0xFF << 8 * lane) | (0x80 << 8 * lane), c=0))
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    _spec_check(b, [(0, QNAN, 0x10), (2, QNAN, 0x10)], "Inf x 0")
    await _go(dut, b, "NV: Inf x 0")


@cocotb.test()
async def test_nv_zero_scale_times_inf(dut):
    """Rule 2c: a zero UE4M3 scale (0x00 or 0x80, bit 7 ignored) times an infinite product raises NV; a NaN
    scale instead makes the result a quiet NaN."""
    rows = []
    for sa, sb in [(0x00, 0x38), (0x38, 0x80), (0x00, 0x00), (0x80, 0xB8)]:
        rows.append(dict(fmt_a=FP32, fmt_b=FP32, scale_fmt=2, sa=sa, sb=sb, a=PINF, b=0x3F800000, c=0))
        rows.append(dict(fmt_a=E5M2, fmt_b=E5M2, scale_fmt=2, sa=sa, sb=sb, a=0x3C3C3CFC, b=0x3C3C3C7C, c=0))
        rows.append(dict(fmt_a=BF16, fmt_b=BF16, scale_fmt=2, sa=sa, sb=sb, a=0x3F800000, b=0x3F800000, c=0))
    rows.append(dict(fmt_a=FP32, fmt_b=FP32, scale_fmt=2, sa=0x00, sb=0x7F, a=PINF, b=0x3F800000, c=0))
    rows.append(dict(fmt_a=FP32, fmt_b=FP32, scale_fmt=1, sa=0xFF, sb=0x00, a=PINF, b=0x3F800000, c=0))
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    _spec_check(b, [(0, QNAN, 0x10), (12, QNAN, 0x00)], "zero scale x Inf")
    await _go(dut, b, "NV: zero scale x Inf")


@cocotb.test()
async def test_nv_opposite_infinities(dut):
    """Rule 2d: +Inf and -Inf among the addends (c and the infinite scaled products) raise NV."""
    rows = [
        dict(fmt_a=FP32, fmt_b=FP32, a=PINF, b=0x3F800000, c=NINF),
        dict(fmt_a=FP32, fmt_b=FP32, a=NINF, b=0xBF800000, c=NINF),
        dict(fmt_a=FP16, fmt_b=FP16, a=0x7C007C00, b=0xBC003C00, c=0),
        dict(fmt_a=BF16, fmt_b=BF16, a=0x7F80FF80, b=0x3F803F80, c=0),
        dict(fmt_a=E5M2, fmt_b=E5M2, a=0x7C0000FC, b=0x3C0000BC, c=0),
        dict(fmt_a=E5M2, fmt_b=E5M2, a=0x7C0000FC, b=0x3C00003C, c=PINF),
        dict(fmt_a=FP16, fmt_b=FP16, scale_fmt=1, sa=1, sb=1, a=0x7C000001, b=0x3C000001, c=NINF),
    ]
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    _spec_check(b, [(0, QNAN, 0x10), (1, QNAN, 0x10)], "opposite infinities")
    await _go(dut, b, "NV: +Inf and -Inf")


@cocotb.test()
async def test_nan_canonical(dut):
    """Rule 3: any NaN element, c or scale -> the canonical quiet NaN 0x7FC00000, no payload, no NV."""
    rows = [
        dict(fmt_a=FP32, fmt_b=FP32, a=0xFFC12345, b=0x3F800000, c=0),
        dict(fmt_a=FP32, fmt_b=FP32, a=0x3F800000, b=0x3F800000, c=0xFFFFFFFF),
        dict(fmt_a=FP32, fmt_b=FP32, a=PINF, b=0x3F800000, c=0x7FC00001),
        dict(fmt_a=FP16, fmt_b=FP16, a=0xFE013C00, b=0x3C003C00, c=0),
        dict(fmt_a=E4M3, fmt_b=E4M3, a=0xFF383838, b=0x38383838, c=0),
        dict(fmt_a=E4M3, fmt_b=E5M2, a=0x38383838, b=0x3C3C3C7F, c=0),
        dict(fmt_a=E2M1, fmt_b=E2M1, scale_fmt=1, sa=0xFF, sb=127, a=0x22222222, b=0x22222222, c=0),
        dict(fmt_a=E2M1, fmt_b=E2M1, scale_fmt=2, sa=0x38, sb=0xFF, a=0x22222222, b=0x22222222, c=0),
        dict(fmt_a=E2M1, fmt_b=E2M1, scale_fmt=2, sa=0x7F, sb=0x00, a=0x22222222, b=0x22222222, c=0),
        dict(fmt_a=E4M3, fmt_b=E4M3, scale_fmt=0, sa=0xFF, sb=0xFF, a=0x38383838, b=0x38383838, c=0),  # ignored
    ]
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    _spec_check(b, [(0, QNAN, 0), (1, QNAN, 0), (6, QNAN, 0), (8, QNAN, 0), (9, 0x40800000, 0)], "NaN")
    await _go(dut, b, "NaN: canonical quiet NaN")


@cocotb.test()
async def test_infinity_result(dut):
    """Rule 4: an infinite addend (c or a scaled product Inf x nonzero finite) gives that infinity, flags 0."""
    rows = [
        dict(fmt_a=FP32, fmt_b=FP32, a=PINF, b=0x00000001, c=0xFF7FFFFF),
        dict(fmt_a=FP32, fmt_b=FP32, a=0x7F7FFFFF, b=0x7F7FFFFF, c=NINF),
        dict(fmt_a=FP32, fmt_b=FP32, a=NINF, b=NINF, c=PINF),
        dict(fmt_a=FP16, fmt_b=FP16, a=0x7C000001, b=0x80010400, c=0),
        dict(fmt_a=BF16, fmt_b=BF16, a=0xFF807F7F, b=0x00017F7F, c=0),
        dict(fmt_a=E5M2, fmt_b=E3M2, a=0x0000007C, b=0x00000001, c=0),
        dict(fmt_a=E5M2, fmt_b=E5M2, scale_fmt=1, sa=0, sb=0, a=0x7C, b=0x01, c=0x7F7FFFFF),
        dict(fmt_a=E5M2, fmt_b=E5M2, scale_fmt=2, sa=0x01, sb=0x81, a=0xFC, b=0x01, c=0),
    ]
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    _spec_check(b, [(0, PINF, 0), (1, NINF, 0), (2, PINF, 0), (5, PINF, 0)], "Inf")
    await _go(dut, b, "Inf result")


@cocotb.test()
async def test_exact_zero_sign(dut):
    """Rule 5: exact zero results: common sign when every addend is a zero of that sign (incl. 0 x subnormal,
    zero UE4M3 scale: product sign = sign(A) xor sign(B)), else +0, -0 under RDN."""
    NZ = 0x80000000
    rows = [
        dict(fmt_a=FP32, fmt_b=FP32, a=0, b=0, c=0),
        dict(fmt_a=FP32, fmt_b=FP32, a=NZ, b=0, c=NZ),
        dict(fmt_a=FP32, fmt_b=FP32, a=NZ, b=0, c=0),
        dict(fmt_a=FP32, fmt_b=FP32, a=0, b=0x80000001, c=NZ),          # 0 x -subnormal + -0 -> -0
        dict(fmt_a=FP32, fmt_b=FP32, a=0, b=0x00000001, c=NZ),          # +0 + -0
        dict(fmt_a=FP32, fmt_b=FP32, a=0x3F800000, b=0x3F800000, c=0xBF800000),  # x - x
        dict(fmt_a=FP16, fmt_b=FP16, a=0x3C003C00, b=0x3C00BC00, c=0),  # products cancel, c = +0
        dict(fmt_a=FP16, fmt_b=FP16, a=0x3C003C00, b=0x3C00BC00, c=NZ),  # products cancel, c = -0
        dict(fmt_a=BF16, fmt_b=BF16, a=0x80008000, b=0x00010001, c=NZ),  # all -0 products
        dict(fmt_a=E2M1, fmt_b=E2M1, a=0x88888888, b=0x11111111, c=NZ),
        dict(fmt_a=E2M1, fmt_b=E2M1, a=0x88888880, b=0x11111111, c=NZ),  # one +0 product
        dict(fmt_a=E4M3, fmt_b=E4M3, scale_fmt=2, sa=0x00, sb=0x38, a=0xB8B8B8B8, b=0x38383838, c=NZ),
        dict(fmt_a=E4M3, fmt_b=E4M3, scale_fmt=2, sa=0x80, sb=0x38, a=0xB8B8B8B8, b=0x38383838, c=0),
        dict(fmt_a=E4M3, fmt_b=E4M3, scale_fmt=2, sa=0x00, sb=0x38, a=0x38383838, b=0x38383838, c=0),
        dict(fmt_a=E3M2, fmt_b=E2M3, a=0xE0E0E0E0, b=0x01010101, c=NZ),  # -0 x subnormal, junk bits
    ]
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    n = len(rows)
    _spec_check(b, [(0, 0, 0), (1, NZ, 0), (3, NZ, 0), (4, 0, 0), (5, 0, 0), (2 * n + 5, NZ, 0),
                    (2 * n + 4, NZ, 0)], "zero sign")
    await _go(dut, b, "exact zero sign")


@cocotb.test()
async def test_overflow_per_rounding_mode(dut):
    """Rule 6 overflow: OF|NX, +-Inf for RNE/RMM and the matching directed mode, else +-max finite; also
    sums far beyond 2^128 (BF16, E8M0 scales) and c pushing a finite product over."""
    rows = [
        dict(fmt_a=FP32, fmt_b=FP32, a=0x7F7FFFFF, b=0x40000000, c=0),
        dict(fmt_a=FP32, fmt_b=FP32, a=0xFF7FFFFF, b=0x40000000, c=0),
        dict(fmt_a=FP32, fmt_b=FP32, a=0x7F7FFFFF, b=0x3F800000, c=0x73800000),   # max + half ulp
        dict(fmt_a=FP32, fmt_b=FP32, a=0x7F7FFFFF, b=0x3F800000, c=0x72FFFFFF),   # max + <half ulp
        dict(fmt_a=BF16, fmt_b=BF16, a=0x7F7F7F7F, b=0x7F7F7F7F, c=0xFF7FFFFF),
        dict(fmt_a=BF16, fmt_b=BF16, a=0x7F7FFF7F, b=0x7F7F7F7F, c=0x3F800000),   # +huge - huge + 1
        dict(fmt_a=E4M3, fmt_b=E4M3, scale_fmt=1, sa=254, sb=254, a=0x7E7E7E7E, b=0x7E7E7E7E, c=0),
        dict(fmt_a=E4M3, fmt_b=E4M3, scale_fmt=1, sa=254, sb=130, a=0xFE, b=0x7E, c=0),
        dict(fmt_a=E2M1, fmt_b=E2M1, scale_fmt=1, sa=254, sb=128, a=0x7, b=0x7, c=0xFF7FFFFF),
    ]
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    n = len(rows)
    _spec_check(b, [(0, PINF, 0x05), (n + 0, 0x7F7FFFFF, 0x05), (2 * n + 0, 0x7F7FFFFF, 0x05),
                    (3 * n + 0, PINF, 0x05), (2 * n + 1, NINF, 0x05), (3 * n + 1, 0xFF7FFFFF, 0x05),
                    (2, PINF, 0x05), (3, 0x7F7FFFFF, 0x01)], "overflow")
    await _go(dut, b, "overflow per rm")


@cocotb.test()
async def test_underflow_tininess_after_rounding(dut):
    """Rule 6 underflow: tininess after rounding. 2^-126 - 2^-150 (RNE) delivers 0x00800000 with UF|NX;
    2^-126 - 2^-151 delivers 0x00800000 with NX only; exact subnormals raise nothing; mirrored signs."""
    t75, t76 = 0x1A000000, 0x19800000  # 2^-75, 2^-76
    rows = [
        dict(fmt_a=FP32, fmt_b=FP32, a=t75, b=t75 | 0x80000000, c=0x00800000),   # 2^-126 - 2^-150
        dict(fmt_a=FP32, fmt_b=FP32, a=t75, b=t76 | 0x80000000, c=0x00800000),   # 2^-126 - 2^-151
        dict(fmt_a=FP32, fmt_b=FP32, a=t75, b=t75, c=0x80800000),                # mirrored
        dict(fmt_a=FP32, fmt_b=FP32, a=t75, b=t76, c=0x007FFFFF),                # max sub + 2^-151
        dict(fmt_a=FP32, fmt_b=FP32, a=t75, b=t75, c=0x007FFFFF),                # max sub + 2^-150
        dict(fmt_a=FP32, fmt_b=FP32, a=0x00000001, b=0x3F800000, c=0),           # exact subnormal
        dict(fmt_a=FP32, fmt_b=FP32, a=0x00000003, b=0x3F000000, c=0),           # 1.5 min sub
        dict(fmt_a=FP32, fmt_b=FP32, a=0x00800000, b=0x3F7FFFFF, c=0),           # just below 2^-126
        dict(fmt_a=BF16, fmt_b=BF16, a=0x00010001, b=0x00010001, c=0),           # 2 x 2^-266
        dict(fmt_a=E4M3, fmt_b=E4M3, scale_fmt=1, sa=1, sb=1, a=0x01010101, b=0x01010101, c=0),
    ]
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    _spec_check(b, [(0, 0x00800000, 0x03), (1, 0x00800000, 0x01), (2, 0x80800000, 0x03), (5, 1, 0)],
                "tininess")
    await _go(dut, b, "underflow / tininess after rounding")


@cocotb.test()
async def test_bf16_c_cancels_larger_product(dut):
    """Exactness: c = -(larger product) exactly, the other product up to 2^500 smaller is all that remains
    (BF16, also FP16/E5M2 analogues), with and without E8M0 scales."""
    rng = BenchContext(dut).rng("bf16_c_cancels")
    n = 400
    ex_big = rng.integers(100, 150, n)
    ex_sm = rng.integers(0, 60, n)
    man = rng.integers(0, 128, (n, 4))
    sg = rng.integers(0, 2, (n, 4))
    big_a = (sg[:, 0] << 15) | (ex_big << 7) | man[:, 0]
    big_b = (sg[:, 1] << 15) | (127 << 7) | man[:, 1]
    sm_a = (sg[:, 2] << 15) | (ex_sm << 7) | man[:, 2]
    sm_b = (sg[:, 3] << 15) | (rng.integers(0, 30, n) << 7) | man[:, 3]
    swap = rng.integers(0, 2, n).astype(bool)
    a = np.where(swap, sm_a | (big_a << 16), big_a | (sm_a << 16))
    b = np.where(swap, sm_b | (big_b << 16), big_b | (sm_b << 16))
    pbig = F.decode(BF16, big_a) * F.decode(BF16, big_b)
    c = (-pbig).astype(np.float32)
    assert np.all(c.astype(np.float64) == -pbig)
    batch = make_batch(fmt_a=BF16, fmt_b=BF16, rm=rng.integers(0, 5, n), a=a, b=b, c=c.view(np.uint32))
    # FP16: c = -(lane product), the other lane tiny
    fa = rng.integers(0x5000, 0x7800, n) | (rng.integers(0, 2, n) << 15)
    fs = rng.integers(0x0001, 0x0800, n)
    pf = F.decode(FP16, fa) * F.decode(FP16, 0x3C00)
    cf = (-pf).astype(np.float32)
    batch16 = make_batch(fmt_a=FP16, fmt_b=FP16, rm=rng.integers(0, 5, n), a=fa | (fs << 16),
                         b=0x3C00 | (0x0001 << 16), c=cf.view(np.uint32))
    await _go(dut, concat(batch, batch16), "c cancels the larger product")


@cocotb.test()
async def test_rounding_directions_and_ties(dut):
    """Rule 6 rounding: exact ties (half an ulp) on even and odd significands, just above/below a tie, both
    signs, normal and subnormal results, in every rounding mode."""
    one, one_odd, half_ulp = 0x3F800000, 0x3F800001, 0x33800000  # 1.0, 1+2^-23, 2^-24
    rows = []
    for sgn in (0, 0x80000000):
        for c in (one, one_odd, 0x00000002, 0x00000003):
            normal = bool(c & 0x7F800000)
            # normal c: a = 2^-24 = half an ulp of 1.0; subnormal c: a = 2^-75, a*b ~ 2^-150 = half of 2^-149
            a = half_ulp if normal else 0x1A000000
            bs = (0x3F800000, 0x3F800001, 0x3F7FFFFF) if normal else (0x1A000000, 0x1A000001, 0x19FFFFFF)
            for bb in bs:  # exact tie, just above, just below
                rows.append(dict(fmt_a=FP32, fmt_b=FP32, a=a | sgn, b=bb, c=c | sgn))
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    n = len(rows)
    # 1.0 + 2^-24: RNE keeps 1.0 (even), RMM and RUP go up
    _spec_check(b, [(0, one, 0x01), (4 * n + 0, 0x3F800001, 0x01), (3 * n + 0, 0x3F800001, 0x01),
                    (3, 0x3F800002, 0x01)], "ties")
    await _go(dut, b, "rounding directions and ties")


@cocotb.test()
async def test_rm_travels_with_operation(dut):
    """The rounding mode (and c) used for z and flags is the operation's own, not the one at the pipeline's
    input when it finishes: back-to-back operations whose rounding differs per rm, rm changing every cycle."""
    rng = BenchContext(dut).rng("rm_travels")
    n = 200
    rm = rng.integers(0, 5, n)
    a = 0x3F800001 | (rng.integers(0, 2, n) << 31)
    b = 0x3F800001 + rng.integers(0, 1 << 20, n)
    c = rng.choice(np.array([0x33800000, 0xB3800000, 0x00800000, 0x80000000, 0x7F7FFFFF]), n)
    await _go(dut, make_batch(fmt_a=FP32, fmt_b=FP32, rm=rm, a=a, b=b, c=c), "rm per operation")


@cocotb.test()
async def test_back_to_back_and_latency(dut):
    """A single operation comes out exactly LATENCY cycles later (measured == documented); then a gapless
    stream of operations of every format returns one result per cycle, in order."""
    tb = MacTB(dut)
    await tb.reset()
    one = make_batch(fmt_a=FP32, fmt_b=FP32, a=0x40000000, b=0x40400000, c=0x3F800000)
    await tb.run(one, "single op latency")
    assert tb.results[0][1] == 0x40E00000
    from models import corners as C
    rng = tb.ctx.rng("gapless_stream")
    await tb.run(make_batch(**C.fdpa_batch(300, rng, illegal_frac=0.05)), "gapless stream")
    # every result in consecutive cycles
    cyc = np.array([r[0] for r in tb.results])
    assert np.all(np.diff(cyc) == 1), "gapless stream: results not on consecutive cycles"


@cocotb.test()
async def test_random_valid_gaps(dut):
    """in_valid low for random stretches (0..9 cycles) between operations: every result still exact and at
    issue + LATENCY."""
    from models import corners as C
    rng = BenchContext(dut).rng("random_valid_gaps")
    batch = make_batch(**C.fdpa_batch(400, rng, illegal_frac=0.05))
    gaps = np.where(rng.random(400) < 0.4, rng.integers(1, 10, 400), 0)
    await _go(dut, batch, "random in_valid gaps", gaps=gaps)


@cocotb.test()
async def test_reset_mid_stream(dut):
    """Synchronous reset while operations are in flight: no result of a flushed operation appears, out_valid
    is low during and after reset, and the pipeline works normally afterwards."""
    from models import corners as C
    tb = MacTB(dut)
    await tb.reset()
    rng = tb.ctx.rng("reset_mid_stream")
    first = make_batch(**C.fdpa_batch(40, rng))
    d = tb.dut
    tb.results = []
    # drive 40 ops, assert reset during the last LATENCY-1 of them
    await FallingEdge(d.clk)
    for i in range(40):
        d.in_valid.value = 1
        for k, s in (("fmt_a", "in_fmt_a"), ("fmt_b", "in_fmt_b"), ("rm", "in_rm"), ("scale_fmt", "in_scale_fmt"),
                     ("sa", "in_scale_a"), ("sb", "in_scale_b"), ("a", "in_a"), ("b", "in_b"), ("c", "in_c")):
            getattr(d, s).value = int(first[k][i])
        if i == 40 - 2:
            d.rst_n.value = 0
        await FallingEdge(d.clk)
    d.in_valid.value = 0
    await FallingEdge(d.clk)
    d.rst_n.value = 1
    # operations 0..(38 - LATENCY) completed before the reset edge; nothing else may appear
    await ClockCycles(d.clk, tb.latency + 4)
    n_done = 38 - tb.latency + 1
    assert len(tb.results) == n_done, f"reset mid-stream: {len(tb.results)} results, expected {n_done}"
    z = np.array([r[1] for r in tb.results], dtype=np.uint32)
    fl = np.array([r[2] for r in tb.results], dtype=np.uint8)
    scoreboard({k: v[:n_done] for k, v in first.items()}, z, fl, what="before reset", seed=tb.seed,
               log=tb.log.error)
    # and afterwards a fresh stream is fine
    second = make_batch(**C.fdpa_batch(60, rng))
    await tb.run(second, "after reset")


# ---- issue 10: one directed test per boundary of the exactness argument (docs/mac.md "Exactness") ------------
# A BF16 lane step is c + P + Q with two products 8 significant bits (x 8 with UE4M3) each; a compact
# datapath keeps P and Q apart when they are far and must then handle (I) c close to Q, (II) c far above Q,
# (III) c far below Q, and c + P == 0 (then the result is round(Q)). The vectors sit on and next to every
# window edge of that argument; every vector runs in all five rounding modes. Expected values: models/fdpa.py.
_BF16_EDGES = (0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 26, 31, 32, 33, 47, 48, 49, 50, 51, 63, 64, 65, 100, 125,
               126, 127, 128, 150, 200, 249, 250, 251, 300, 350, 390)


def _bf16_pow2_pair(t):
    """BF16 codes (a, b) with a = 2^ea, b = 2^eb normal or subnormal and ea + eb = t (-259 <= t <= 254)."""
    ea = int(min(127, max(-126, t // 2)))
    eb = t - ea
    if eb >= -126:
        return (ea + 127) << 7, (eb + 127) << 7
    assert -133 <= eb, t
    return (ea + 127) << 7, 1 << (eb + 133)


def _bf16_three_terms(rng, e_p, e_q, c_of_p, reps=2):
    """Rows with lane products P = +-(1+m/128) 2^e_p and Q = +-(1+m'/128) 2^e_q (Q's element may be
    subnormal-scaled), c = c_of_p(P) (a float64 exactly representable in FP32), lanes swapped at random."""
    rows = []
    for _ in range(reps):
        mp, mq = int(rng.integers(0, 128)), int(rng.integers(0, 128))
        sp, sq = int(rng.integers(0, 2)), int(rng.integers(0, 2))
        ap, bp = _bf16_pow2_pair(e_p)
        aq, bq = _bf16_pow2_pair(e_q)
        # put the mantissa on the b element when it is normal (a is always normal here)
        ap |= mp | (sp << 15)
        aq |= mq | (sq << 15)
        pval = float(F.decode(BF16, np.uint32(ap))) * float(F.decode(BF16, np.uint32(bp)))
        c = c_of_p(pval)
        assert float(np.float32(c)) == c, (e_p, e_q, c)
        if rng.integers(0, 2):
            a, b = ap | (aq << 16), bp | (bq << 16)
        else:
            a, b = aq | (ap << 16), bq | (bp << 16)
        rows.append(dict(fmt_a=BF16, fmt_b=BF16, a=a, b=b, c=f32(c)))
    return rows


@cocotb.test()
async def test_bf16_far_products_c_cancels_at_every_edge(dut):
    """c = -P exactly, Q = P * 2^-d for d on and next to every window edge (0 .. 390: the widest distance at
    which an FP32 c can still cancel P), P from 2^127 down to 2^-126, all rounding modes; also Q below the
    FP32 grid (2^-150, 2^-151, ... 2^-259) so round(Q) hits the tininess and zero boundaries."""
    rng = BenchContext(dut).rng("edge_tests_10")
    rows = []
    for d in _BF16_EDGES:
        for e_p in sorted({127, 40, 0, -100, -126}):
            if e_p - d >= -259:
                rows += _bf16_three_terms(rng, e_p, e_p - d, lambda p: -p)
    for e_q in (-140, -148, -149, -150, -151, -152, -153, -160, -200, -259):
        rows += _bf16_three_terms(rng, 10, e_q, lambda p: -p, reps=3)
    await _go(dut, _all_rm(**concat(*[make_batch(**r) for r in rows])), "BF16 c cancels P, Q at every edge")


@cocotb.test()
async def test_bf16_tail_sign_traps(dut):
    """c = -(P -+ 2^(e_p - 23)): c + P leaves one bit 24 places below P (V), and Q sits j bits below V for j on
    and next to the edges (1 .. 200): Q is either part of the result, its round/sticky bit, or only a signed
    sticky; both signs of V and of Q, all rounding modes (case I of the argument: c close to Q)."""
    rng = BenchContext(dut).rng("edge_tests_11")
    rows = []
    for j in (1, 2, 10, 16, 22, 23, 24, 25, 26, 30, 40, 47, 48, 49, 50, 60, 100, 200):
        for e_p in (60, 0, -80):
            for sv in (-1.0, 1.0):
                e_q = e_p - 23 - j
                if e_q >= -259:
                    rows += _bf16_three_terms(rng, e_p, e_q, lambda p, sv=sv, e_p=e_p: -(p - sv * 2.0 ** (e_p - 23)))
    await _go(dut, _all_rm(**concat(*[make_batch(**r) for r in rows])), "BF16 tail-sign traps")


@cocotb.test()
async def test_bf16_c_position_sweep(dut):
    """P and Q far apart (2^-60), c a 24-bit value whose MSB sits delta bits above Q's MSB, delta on and next
    to the case edges (-60 .. 60): case III (c far below Q: c only a signed sticky), case I (c close to Q: exact
    c + Q), case II (c far above Q: Q only a signed sticky), both signs, all rounding modes."""
    rng = BenchContext(dut).rng("edge_tests_12")
    rows = []
    for delta in (-60, -50, -49, -48, -26, -25, -24, -1, 0, 1, 24, 25, 26, 48, 49, 50, 60):
        for e_p in (40, -20):
            e_q = e_p - 60
            e_c = e_q + delta
            if e_c - 23 < -149:
                continue
            for _ in range(2):
                mc = int(rng.integers(1 << 23, 1 << 24)) | 1   # odd: the full 24 bits matter
                sc = -1.0 if rng.integers(0, 2) else 1.0
                cval = sc * mc * 2.0 ** (e_c - 23)
                rows += _bf16_three_terms(rng, e_p, e_q, lambda p, cval=cval: cval, reps=1)
    await _go(dut, _all_rm(**concat(*[make_batch(**r) for r in rows])), "BF16 c position sweep")


@cocotb.test()
async def test_narrow_class_width_edges(dut):
    """The other classes at the edges of their exact-sum widths: FP16 products at the extreme offsets
    (2^-48 .. 2^32, the 81-bit sum, +8 bits with UE4M3 scales), E5M2 (2^-32 .. 2^31.6, 66 bits), FP32 with
    UE4M3 scales (48 + 8 bits), E8M0 scales at both ends (the exponent only); c cancels the larger term."""
    rows = []
    # FP16: largest x smallest lane products, c = -(large) exactly
    big16 = (0x7BFF, 0x7BFF)       # 65504 * 65504 ~ 2^32
    for sa, sb, sf in ((127, 127, 0), (0x7E, 0x7E, 2), (0x01, 0x09, 2), (0x80 | 0x3F, 0x3F, 2), (254, 1, 1)):
        for lo in (0x0001, 0x0003, 0x03FF, 0x0400, 0x8001):
            a = big16[0] | (lo << 16)
            b = big16[1] | (0x0001 << 16)
            rows.append(dict(fmt_a=FP16, fmt_b=FP16, scale_fmt=sf, sa=sa, sb=sb, a=a, b=b, c=0))
    # E5M2: 57344^2 with 2^-16 x 2^-16 in the other lanes
    for lo in (0x01, 0x02, 0x03, 0x81):
        rows.append(dict(fmt_a=E5M2, fmt_b=E5M2, a=0x7B | (lo << 8) | (lo << 16) | (0x80 << 24),
                         b=0x7B | (0x01 << 8) | (0x01 << 16) | (0x01 << 24), c=0))
    # FP32 x UE4M3 scales (the 8-bit scale product widens the single product)
    for sa, sb in ((0x7E, 0x7E), (0x07, 0x07), (0x01, 0x7E), (0x77, 0x0F)):
        rows.append(dict(fmt_a=FP32, fmt_b=FP32, scale_fmt=2, sa=sa, sb=sb, a=0x3FFFFFFF, b=0x3FFFFFFD, c=0))
        rows.append(dict(fmt_a=FP32, fmt_b=FP32, scale_fmt=2, sa=sa, sb=sb, a=0x00000001, b=0x3FFFFFFF, c=0))
    b = concat(*[make_batch(**r) for r in rows])
    # c = -(the value rounded to FP32 with RTZ) so the tail of the exact sum is what remains
    from .batch import expected
    z, _ = expected(make_batch(**{**b, "rm": np.full(len(b["a"]), RTZ)}))
    finite = (z & 0x7F800000) != 0x7F800000
    b["c"] = np.where(finite, z ^ np.uint32(0x80000000), np.uint32(0)).astype(np.uint32)
    await _go(dut, _all_rm(**b), "narrow classes at their width edges")


@cocotb.test()
async def test_bf16_c_cancels_smaller_product(dut):
    """Case I with far products: c = -Q exactly while P is 50 .. 250 bits above Q, so the exact result is P
    with no flags; a datapath that treats Q as a sticky whenever c + P != 0 reports NX (and rounds away
    from P under RUP/RDN). Also c = -Q +- one ulp of Q. All rounding modes."""
    rng = BenchContext(dut).rng("edge_tests_13")
    rows = []
    for d in (49, 50, 51, 60, 100, 150, 200, 250):
        for e_p in (120, 40, -30):
            e_q = e_p - d
            if e_q < -149 + 23:   # c = -Q must be an FP32 value
                continue
            for k in range(3):
                mq = int(rng.integers(0, 128))
                sq = int(rng.integers(0, 2))
                ap, bp = _bf16_pow2_pair(e_p)
                aq, bq = _bf16_pow2_pair(e_q)
                ap |= int(rng.integers(0, 128)) | (int(rng.integers(0, 2)) << 15)
                aq |= mq | (sq << 15)
                q = float(F.decode(BF16, np.uint32(aq))) * float(F.decode(BF16, np.uint32(bq)))
                c = -q + (0.0, 2.0 ** (e_q - 7), -(2.0 ** (e_q - 7)))[k]
                rows.append(dict(fmt_a=BF16, fmt_b=BF16, a=ap | (aq << 16), b=bp | (bq << 16), c=f32(c)))
    b = _all_rm(**concat(*[make_batch(**r) for r in rows]))
    await _go(dut, b, "BF16 c cancels the smaller product")
