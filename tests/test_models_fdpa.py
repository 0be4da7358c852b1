# SPDX-License-Identifier: Apache-2.0
"""FDPA golden model vs an INDEPENDENT exact reference (Python fractions), bit for bit, flags included.

The reference below shares no code with models/: element values come from ml_dtypes, NaN/sNaN
classes from the raw bit fields, and section 2 of ARCHITECTURE.md is implemented literally
(exact rational sum, then one scalar rounding to FP32).
"""

from fractions import Fraction

import ml_dtypes as mld
import numpy as np
import pytest

from tb.common.runner import seed
from models import corners
from models import fdpa as M

QNAN = 0x7FC00000
NV, OF, UF, NX = 0x10, 0x04, 0x02, 0x01

# code: (name, bits, exp bits, man bits, container w, lanes n, ml_dtypes type, has IEEE NaN/Inf)
_FMT = {
    0: ("FP32", 32, 8, 23, 32, 1, np.float32, True),
    1: ("FP16", 16, 5, 10, 16, 2, np.float16, True),
    2: ("BF16", 16, 8, 7, 16, 2, mld.bfloat16, True),
    3: ("E4M3", 8, 4, 3, 8, 4, mld.float8_e4m3fn, False),
    4: ("E5M2", 8, 5, 2, 8, 4, mld.float8_e5m2, True),
    5: ("E3M2", 6, 3, 2, 8, 4, mld.float6_e3m2fn, False),
    6: ("E2M3", 6, 2, 3, 8, 4, mld.float6_e2m3fn, False),
    7: ("E2M1", 4, 2, 1, 4, 8, mld.float4_e2m1fn, False),
}
_UTYPE = {32: np.uint32, 16: np.uint16, 8: np.uint8, 6: np.uint8, 4: np.uint8}


def _elem(fmt, code):
    """-> ('nan'|'inf'|'fin', value Fraction or sign for inf, is_snan, sign bit)."""
    name, bits, eb, mb, w, n, dt, ieee = _FMT[fmt]
    code &= (1 << bits) - 1
    sign = (code >> (bits - 1)) & 1
    v = float(np.array([code], dtype=_UTYPE[bits]).view(dt)[0]) if bits >= 8 else float(
        np.array([code], dtype=np.uint8).view(dt)[0])
    ex = (code >> mb) & ((1 << eb) - 1)
    man = code & ((1 << mb) - 1)
    snan = fmt in (0, 1, 2) and ex == (1 << eb) - 1 and man != 0 and not (man >> (mb - 1)) & 1
    if v != v:
        return "nan", None, snan, sign
    if v in (float("inf"), float("-inf")):
        return "inf", None, False, sign
    return "fin", abs(Fraction(v)), False, sign


def _scale(sf, s):
    """-> (value Fraction or None for NaN)."""
    s &= 0xFF
    if sf == 0:
        return Fraction(1)
    if sf == 1:
        v = float(np.array([s], np.uint8).view(mld.float8_e8m0fnu)[0])
    else:
        v = float(np.array([s & 0x7F], np.uint8).view(mld.float8_e4m3fn)[0])
    return None if v != v else Fraction(v)


def _round_int(y, neg, rm):
    """Round a non-negative Fraction y to an integer per mode (value sign `neg`)."""
    fl = y.numerator // y.denominator
    fr = y - fl
    if fr == 0:
        return fl
    if rm == 0:
        return fl + 1 if fr > Fraction(1, 2) or (fr == Fraction(1, 2) and fl % 2 == 1) else fl
    if rm == 1:
        return fl
    if rm == 2:
        return fl + 1 if neg else fl
    if rm == 3:
        return fl if neg else fl + 1
    return fl + 1 if fr >= Fraction(1, 2) else fl


def _f32_bits_of(neg, mag):
    """Exact FP32-representable Fraction magnitude -> bits."""
    bits = int(np.array([float(mag)], np.float32).view(np.uint32)[0])
    assert Fraction(float(np.array([bits], np.uint32).view(np.float32)[0])) == mag
    return bits | (0x80000000 if neg else 0)


def round_f32(S, rm):
    """Section 2 step 6, literally: S is a nonzero Fraction."""
    neg = S < 0
    x = -S if neg else S
    e = x.numerator.bit_length() - x.denominator.bit_length()
    while Fraction(2) ** e > x:
        e -= 1
    while Fraction(2) ** (e + 1) <= x:
        e += 1
    q_unb = Fraction(2) ** (e - 23)
    r_unb = _round_int(x / q_unb, neg, rm) * q_unb
    q = Fraction(2) ** (max(e, -126) - 23)
    r = _round_int(x / q, neg, rm) * q
    flags = 0
    if r != x:
        flags |= NX
    if r >= Fraction(2) ** 128:
        to_inf = rm in (0, 4) or (rm == 3 and not neg) or (rm == 2 and neg)
        return (0xFF800000 if neg else 0x7F800000) if to_inf else (0xFF7FFFFF if neg else 0x7F7FFFFF), OF | NX
    if r_unb < Fraction(2) ** -126 and r != x:
        flags |= UF
    return _f32_bits_of(neg, r), flags


def ref_fdpa(fa, fb, rm, a, b, c, sf, sa, sb):
    fa, fb, rm, a, b, c, sf, sa, sb = (int(x) for x in (fa, fb, rm, a, b, c, sf, sa, sb))
    mix = {3, 4, 5, 6}
    if fa not in _FMT or fb not in _FMT or not (fa == fb or (fa in mix and fb in mix)) or not 0 <= rm <= 4 \
            or not 0 <= sf <= 2:
        return QNAN, NV
    n, w = _FMT[fa][5], _FMT[fa][4]
    lanes = [(_elem(fa, (a >> (i * w)) & ((1 << w) - 1)), _elem(fb, (b >> (i * w)) & ((1 << w) - 1))) for i in range(n)]
    ce = _elem(0, c)
    s1, s2 = _scale(sf, sa), _scale(sf, sb)
    scale_nan = s1 is None or s2 is None
    S = None if scale_nan else s1 * s2
    nv = ce[2] or any(x[2] or y[2] for x, y in lanes)
    nv |= any((x[0] == "inf" and y[0] == "fin" and y[1] == 0) or (y[0] == "inf" and x[0] == "fin" and x[1] == 0)
              for x, y in lanes)

    def prod_inf(x, y):
        if x[0] == "nan" or y[0] == "nan":
            return False
        if x[0] == "inf" and (y[0] == "inf" or y[1] != 0):
            return True
        return y[0] == "inf" and (x[0] == "inf" or x[1] != 0)

    infs = [(x[3] ^ y[3]) for x, y in lanes if prod_inf(x, y)]
    if S == 0 and infs:
        nv = True
    add_infs = ([ce[3]] if ce[0] == "inf" else []) + (infs if (S is not None and S != 0) else [])
    if 0 in add_infs and 1 in add_infs:
        nv = True
    anynan = ce[0] == "nan" or scale_nan or any(x[0] == "nan" or y[0] == "nan" for x, y in lanes)
    if anynan or nv:
        return QNAN, NV if nv else 0
    if add_infs:
        return (0xFF800000 if add_infs[0] else 0x7F800000), 0
    total = ce[1] * (-1 if ce[3] else 1)
    addend_zero_signs = [ce[3]] if ce[1] == 0 else [None]
    for x, y in lanes:
        p = x[1] * y[1] * S * (-1 if x[3] else 1) * (-1 if y[3] else 1)
        total += p
        addend_zero_signs.append((x[3] ^ y[3]) if p == 0 else None)
    if total == 0:
        if None not in addend_zero_signs and len(set(addend_zero_signs)) == 1:
            return (0x80000000 if addend_zero_signs[0] else 0), 0
        return (0x80000000 if rm == 2 else 0), 0
    return round_f32(total, rm)


def _f32(x):
    return int(np.array([x], np.float32).view(np.uint32)[0])


def _check(batch, label, max_report=5):
    z, fl = M.fdpa(batch["fmt_a"], batch["fmt_b"], batch["rm"], batch["a"], batch["b"], batch["c"],
                   batch["scale_fmt"], batch["sa"], batch["sb"])
    bad = []
    for i in range(len(z)):
        args = [batch[k][i] for k in ("fmt_a", "fmt_b", "rm", "a", "b", "c", "scale_fmt", "sa", "sb")]
        rz, rf = ref_fdpa(*args)
        if rz != int(z[i]) or rf != int(fl[i]):
            bad.append((i, rz, rf))
            if len(bad) <= max_report:
                print(f"[{label}] MISMATCH row {i}:")
                print(M.describe(batch["fmt_a"][i], batch["fmt_b"][i], batch["scale_fmt"][i], batch["a"][i],
                                 batch["b"][i], batch["c"][i], batch["sa"][i], batch["sb"][i], rm=batch["rm"][i]))
                print(f"  model: {M.f32_str(z[i])} flags {M.flags_str(fl[i])}")
                print(f"  ref  : {M.f32_str(rz)} flags {M.flags_str(rf)}")
            if len(bad) >= 20:
                break
    assert not bad, f"{label}: {len(bad)} mismatches (first rows {[b[0] for b in bad[:10]]})"


def _one(fa, fb, rm, a, b, c, sf=0, sa=127, sb=127):
    return {k: np.array([v]) for k, v in zip(("fmt_a", "fmt_b", "rm", "a", "b", "c", "scale_fmt", "sa", "sb"),
                                              (fa, fb, rm, a, b, c, sf, sa, sb))}


SEED = seed()  # $SEED, or the default when unset or empty


def test_fdpa_notes_examples():
    # 2^-126 - 2^-150 -> 0x00800000 UF|NX ; 2^-126 - 2^-151 -> 0x00800000 NX (RNE)
    for b, want in ((_f32(2.0 ** -75), UF | NX), (_f32(2.0 ** -76), NX)):
        args = (0, 0, 0, _f32(-(2.0 ** -75)), b, _f32(2.0 ** -126), 0, 127, 127)
        assert ref_fdpa(*args) == (0x00800000, want)
        z, f = M.fdpa(*args)
        assert (int(z), int(f)) == (0x00800000, want)


def test_directed_cases():
    cases = [
        # 0 x subnormal + 0 under RDN: all addends +0 -> +0 ; mixed signs -> -0 under RDN
        (_one(0, 0, 2, 0, 1, 0), 0x00000000, 0),
        (_one(0, 0, 2, 0x80000000, 1, 0), 0x80000000, 0),
        (_one(0, 0, 0, 0x80000000, 1, 0), 0x00000000, 0),
        (_one(0, 0, 2, 0x80000000, 1, 0x80000000), 0x80000000, 0),
        # x - x = +0, -0 under RDN
        (_one(0, 0, 0, _f32(1.5), _f32(2.0), _f32(-3.0)), 0, 0),
        (_one(0, 0, 2, _f32(1.5), _f32(2.0), _f32(-3.0)), 0x80000000, 0),
        # zero UE4M3 scale with an Inf product -> NV
        (_one(7, 7, 0, 0x0, 0x0, 0, 0, 0, 0), 0, 0),
        (_one(4, 4, 0, 0x7C, 0x3C, 0, 2, 0x00, 0x38), QNAN, NV),
        (_one(4, 4, 0, 0x7C, 0x3C, 0, 2, 0x38, 0x38), 0x7F800000, 0),
        # zero scale: products are zeros whose sign is sign(A) xor sign(B)
        (_one(3, 3, 0, 0xB8B8B8B8, 0x38383838, 0x80000000, 2, 0x80, 0x38), 0x80000000, 0),
        # NaN scale, illegal fmt / pair / rm / scale_fmt
        (_one(3, 3, 0, 0, 0, 0, 1, 0xFF, 127), QNAN, 0),
        (_one(3, 3, 0, 0, 0, 0, 2, 0xFF, 0x38), QNAN, 0),
        (_one(8, 8, 0, 0, 0, 0), QNAN, NV),
        (_one(1, 2, 0, 0, 0, 0), QNAN, NV),
        (_one(7, 3, 0, 0, 0, 0), QNAN, NV),
        (_one(0, 0, 5, 0, 0, 0), QNAN, NV),
        (_one(0, 0, 0, 0, 0, 0, 3), QNAN, NV),
        # sNaN in c with a qNaN elsewhere: NV still raised
        (_one(0, 0, 0, 0x7FC00001, 0, 0x7F800001), QNAN, NV),
        # FP8 NaNs are quiet (no NV); FP16 sNaN in lane 1 raises NV
        (_one(4, 4, 0, 0x7D, 0x3C, 0), QNAN, 0),
        (_one(3, 3, 0, 0x7F00, 0x3838, 0), QNAN, 0),
        (_one(1, 1, 0, 0x7C010000, 0x3C003C00, 0), QNAN, NV),
        (_one(1, 1, 0, 0x7E010000, 0x3C003C00, 0), QNAN, 0),
        # +Inf + -Inf
        (_one(0, 0, 0, 0x7F800000, _f32(1.0), 0xFF800000), QNAN, NV),
        # FP32 FMA overflow per mode
        (_one(0, 0, 1, 0x7F7FFFFF, _f32(2.0), 0), 0x7F7FFFFF, OF | NX),
        (_one(0, 0, 2, 0x7F7FFFFF, _f32(-2.0), 0), 0xFF800000, OF | NX),
    ]
    for batch, wz, wf in cases:
        args = [batch[k][0] for k in ("fmt_a", "fmt_b", "rm", "a", "b", "c", "scale_fmt", "sa", "sb")]
        assert ref_fdpa(*args) == (wz, wf), (args, ref_fdpa(*args))
        z, f = M.fdpa(*args)
        assert (int(z), int(f)) == (wz, wf), (M.describe(*[args[i] for i in (0, 1, 6, 3, 4, 5, 7, 8)]), hex(int(z)), int(f))


def test_bf16_c_cancels_larger_product():
    # lane 0: 2^100 * 2^27, lane 1: 2^-133 * 2^-133 (min subnormals), c = -2^127 exactly
    a = 0x7180 | (0x0001 << 16)  # BF16 2^100 ; min subnormal
    b = 0x4D00 | (0x0001 << 16)  # BF16 2^27 ; min subnormal
    c = _f32(-(2.0 ** 127))
    for rm, want in ((0, (0, UF | NX)), (3, (1, UF | NX)), (1, (0, UF | NX)), (2, (0, UF | NX))):
        got = M.fdpa(2, 2, rm, a, b, c)
        assert ref_fdpa(2, 2, rm, a, b, c, 0, 127, 127) == want
        assert (int(got[0]), int(got[1])) == want
    # the tiny product scaled up by E8M0 so that it is the whole FP32 result
    got = M.fdpa(2, 2, 0, a, b, _f32(-(2.0 ** 117)), 1, 117, 127)
    assert ref_fdpa(2, 2, 0, a, b, _f32(-(2.0 ** 117)), 1, 117, 127) == (int(got[0]), int(got[1])) == (0, UF | NX)


@pytest.mark.parametrize("part", range(4))
def test_fdpa_vs_fraction_mixed(part):
    """Tens of thousands of corner-heavy samples across every pair, scale format and mode."""
    rng = np.random.default_rng([SEED, part])
    batch = corners.fdpa_batch(6000, rng, illegal_frac=0.02)
    _check(batch, f"mixed part {part} seed {SEED}")


@pytest.mark.parametrize("fa,fb", [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (3, 4), (4, 3),
                                   (5, 6), (3, 6), (4, 5)])
@pytest.mark.parametrize("sf", [0, 1, 2])
def test_fdpa_vs_fraction_per_pair(fa, fb, sf):
    rng = np.random.default_rng([SEED, fa, fb, sf, 7])
    n = 500
    a, b, c, sa, sb = corners.corner_operands(fa, fb, n, rng, sf)
    batch = dict(fmt_a=np.full(n, fa), fmt_b=np.full(n, fb), rm=rng.integers(0, 5, n), a=a, b=b, c=c,
                 scale_fmt=np.full(n, sf), sa=sa, sb=sb)
    _check(batch, f"{fa}x{fb} sf{sf} seed {SEED}")
