# SPDX-License-Identifier: Apache-2.0
"""Unit test of rtl/m890_crc32c against the CRC-32C check value, the Python reference
(models/crc32c.py) over random data, and its detection of 1/2/3-bit and burst errors."""

from __future__ import annotations

import random

import cocotb
from cocotb.triggers import Timer

from models import crc32c as ref
from tb.common.context import BenchContext

WIDTHS = (72, 96, 288)


async def rtl_crc(dut, w: int, value: int) -> int:
    getattr(dut, f"d{w}").value = value
    await Timer(1, unit="ns")
    return int(getattr(dut, f"c{w}").value)


def rng(dut) -> random.Random:
    """The test's generator, seeded by the bench context (the CRC wrapper has no clock)."""
    return random.Random(BenchContext(dut, clk=None, rst_n=None).stream_seed("crc"))


@cocotb.test()
async def crc_check_value(dut):
    """CRC-32C("123456789") == 0xE3069283 (byte 0 in data[7:0], LSB first)."""
    msg = int.from_bytes(b"123456789", "little")
    got = await rtl_crc(dut, 72, msg)
    assert ref.crc32c(b"123456789") == ref.CHECK, "the Python reference itself is wrong"
    assert got == ref.CHECK, f"RTL CRC-32C('123456789') = 0x{got:08x}, expected 0x{ref.CHECK:08x}"


@cocotb.test()
async def crc_random_vs_reference(dut):
    """Random messages at every wrapper width, plus all-zero/all-one, bit-exact vs the model."""
    r = rng(dut)
    bad = 0
    for w in WIDTHS:
        vals = [0, (1 << w) - 1] + [r.getrandbits(w) for _ in range(400)]
        for v in vals:
            got = await rtl_crc(dut, w, v)
            exp = ref.crc32c_bits(v, w)
            if got != exp:
                bad += 1
                dut._log.error(f"W={w} data=0x{v:0{w // 4}x}: RTL 0x{got:08x} != reference 0x{exp:08x}")
                if bad >= 5:
                    break
    assert bad == 0, f"{bad} CRC mismatches against the reference"


@cocotb.test()
async def crc_error_detection(dut):
    """Every single-bit error (exhaustive), and random 2-bit, 3-bit and 2..32-bit burst errors
    change the RTL CRC of a 288-bit flit body; the model proves 1/2/3-bit detection exhaustively."""
    w = 288
    r = rng(dut)
    # model, exhaustive: all columns nonzero and distinct (1, 2 bits), no col_i^col_j == col_k (3 bits)
    cols = ref.syndrome_columns(w)
    colset = set(cols)
    assert 0 not in colset and len(colset) == w, "model: a 1- or 2-bit error would go undetected"
    for i in range(w):
        for j in range(i + 1, w):
            x = cols[i] ^ cols[j]
            assert x not in colset or x in (cols[i], cols[j]), f"model: 3-bit error ({i},{j},..) undetected"
    base = r.getrandbits(w)
    c0 = await rtl_crc(dut, w, base)
    assert c0 == ref.crc32c_bits(base, w)
    missed = []
    patterns = [("1-bit", 1 << i) for i in range(w)]
    for _ in range(300):
        i, j = r.sample(range(w), 2)
        patterns.append(("2-bit", (1 << i) | (1 << j)))
        i, j, k = r.sample(range(w), 3)
        patterns.append(("3-bit", (1 << i) | (1 << j) | (1 << k)))
        n = r.randint(2, 32)
        b = r.getrandbits(n) | 1 | (1 << (n - 1))
        patterns.append((f"{n}-bit burst", b << r.randint(0, w - n)))
    for kind, e in patterns:
        c = await rtl_crc(dut, w, base ^ e)
        if c == c0:
            missed.append(f"{kind} error 0x{e:x}")
    assert not missed, f"{len(missed)} undetected errors, first: {missed[:3]}"
