# SPDX-License-Identifier: Apache-2.0
"""Equivalence bench of the arithmetic building blocks (rtl/m890_arith.v) through tb/arith/m890_tb_arith.v.

Built with -DM890_STRUCTURAL (tests/test_arith.py), so the simulated netlists are the structural ones
synthesis builds (Sklansky adder, Wallace tree, multiplier, leading-zero tree, log shifters), not the
behavioural twins the other benches run; every output is compared with Python integer arithmetic.
Stimulus: corners (0, all ones, single bits, carry chains through every position, every shift amount)
plus random vectors from the run's seed, in one batch.
"""

import cocotb
from cocotb.triggers import Timer

from tb.common.context import BenchContext


def _clz(x: int, w: int) -> int:
    return w - x.bit_length()


@cocotb.test()
async def test_arith_blocks_match_integers(dut):
    ctx = BenchContext(dut, clk=None, rst_n=None)   # combinational
    w = len(dut.a)
    ma, mb = ctx.param("MA", 13), ctx.param("MB", 11)
    mask = (1 << w) - 1
    rng = ctx.rng("arith")
    n_rand = ctx.knob("n", 600)
    vecs = []
    for i in range(w):   # single bits, carry chains ending at every position, every shift amount
        vecs += [(1 << i, 0, 0), (mask >> (w - i), 1, 1), ((1 << i) | 1, mask, 0), (mask, 1 << i, 1)]
    vecs += [(0, 0, 0), (mask, mask, 1), (mask, 0, 1), (0, mask, 1)]
    vecs += [(int(x), int(y), int(c)) for x, y, c in zip(
        rng.integers(0, 1 << 62, n_rand, dtype="uint64") & mask,
        rng.integers(0, 1 << 62, n_rand, dtype="uint64") & mask, rng.integers(0, 2, n_rand))]
    bad = 0
    for k, (x, y, c) in enumerate(vecs):
        s = k % 64
        terms = [int(t) & mask for t in rng.integers(0, 1 << 62, 5, dtype="uint64")]
        if k % 7 == 0:
            terms = [mask] * 5
        dut.a.value = x
        dut.b.value = y
        dut.ci.value = c
        dut.sh.value = s
        dut.terms.value = sum(t << (i * w) for i, t in enumerate(terms))
        await Timer(1, unit="ns")
        exp = {
            "add_s": (x + y + c) & mask, "add_co": (x + y + c) >> w,
            "mul_p": (x & ((1 << ma) - 1)) * (y & ((1 << mb) - 1)),
            "lzc_n": _clz(x, w), "shl_y": (x << s) & mask, "shr_y": x >> s, "csa_sum": sum(terms) & mask,
            "inc_s": (x + 1) & mask, "inc_co": (x + 1) >> w,
        }
        for name, e in exp.items():
            got = int(getattr(dut, name).value)
            if got != e:
                bad += 1
                if bad <= 5:
                    dut._log.error("%s: a=%#x b=%#x ci=%d sh=%d terms=%s: expected %#x got %#x",
                                   name, x, y, c, s, [hex(t) for t in terms], e, got)
    dut._log.info("%d vectors x 7 outputs checked, %d mismatches", len(vecs), bad)
    assert bad == 0, f"{bad} mismatches between the structural netlists and integer arithmetic"
