# SPDX-License-Identifier: Apache-2.0
"""Format codecs vs ml_dtypes for EVERY code of every format; encode round trips; lanes; scales."""

import ml_dtypes as mld
import numpy as np
import pytest

from models import formats as F

_DT = {
    F.FP16: (np.float16, np.uint16),
    F.BF16: (mld.bfloat16, np.uint16),
    F.E4M3: (mld.float8_e4m3fn, np.uint8),
    F.E5M2: (mld.float8_e5m2, np.uint8),
    F.E3M2: (mld.float6_e3m2fn, np.uint8),
    F.E2M3: (mld.float6_e2m3fn, np.uint8),
    F.E2M1: (mld.float4_e2m1fn, np.uint8),
}


def _same(v, ref):
    """Equal values, equal sign bits (incl. zeros), NaN where NaN."""
    nan_v, nan_r = np.isnan(v), np.isnan(ref)
    assert np.array_equal(nan_v, nan_r)
    ok = ~nan_v
    assert np.array_equal(v[ok], ref[ok])
    assert np.array_equal(np.signbit(v[ok]), np.signbit(ref[ok]))


@pytest.mark.parametrize("fmt", sorted(_DT))
def test_decode_every_code_vs_ml_dtypes(fmt):
    dt, ut = _DT[fmt]
    codes = np.arange(1 << F.FORMATS[fmt].bits)
    with np.errstate(invalid="ignore"):
        ref = codes.astype(ut).view(dt).astype(np.float64)
    _same(F.decode(fmt, codes), ref)


def test_decode_fp32_every_exponent_and_many_codes():
    rng = np.random.default_rng(5)
    # every exponent x sign x a set of significands, plus 2^20 random codes
    ex = np.arange(256, dtype=np.uint64)
    man = np.array([0, 1, 2, 0x3FFFFF, 0x400000, 0x400001, 0x7FFFFE, 0x7FFFFF], dtype=np.uint64)
    sg = np.array([0, 1], dtype=np.uint64)
    codes = ((sg[:, None, None] << np.uint64(31)) | (ex[None, :, None] << np.uint64(23)) | man[None, None, :]).ravel()
    codes = np.concatenate([codes, rng.integers(0, 1 << 32, 1 << 20, dtype=np.uint64)]).astype(np.uint32)
    with np.errstate(invalid="ignore"):
        _same(F.decode(F.FP32, codes), codes.view(np.float32).astype(np.float64))
    rt = F.encode(F.FP32, F.decode(F.FP32, codes))
    ok = ~np.isnan(codes.view(np.float32))
    assert np.array_equal(rt[ok], codes[ok])


@pytest.mark.parametrize("fmt", range(1, 8))
@pytest.mark.parametrize("saturate", [False, True])
def test_encode_roundtrip_every_code(fmt, saturate):
    codes = np.arange(1 << F.FORMATS[fmt].bits)
    v = F.decode(fmt, codes)
    ok = ~np.isnan(v)
    if saturate:
        ok &= ~np.isinf(v)
    enc = F.encode(fmt, v, saturate=saturate)
    assert np.array_equal(enc[ok].astype(np.int64), codes[ok])


@pytest.mark.parametrize("fmt", range(1, 8))
def test_encode_rne_vs_ml_dtypes(fmt):
    """Quantization vs ml_dtypes' RNE casts. ml_dtypes converts float64 via float32 (double
    rounding), so these inputs are float32 values: ties, their float32 neighbours, random."""
    rng = np.random.default_rng(fmt)
    f = F.FORMATS[fmt]
    v = F.decode(fmt, np.arange(1 << f.bits))
    fin = np.unique(v[np.isfinite(v)]).astype(np.float32)
    mids = ((fin[1:].astype(np.float64) + fin[:-1]) / 2).astype(np.float32)  # exact in float32
    mx = F.max_finite(fmt)
    with np.errstate(over="ignore"):
        x = np.concatenate([mids, np.nextafter(mids, np.float32(np.inf)), np.nextafter(mids, np.float32(-np.inf)),
                            (rng.standard_normal(20000) * mx / 3).astype(np.float32), fin,
                            np.array([0.0, -0.0, mx * 1.5, -mx * 1.5, F.min_subnormal(fmt) / 4], np.float32)])
    x = x.astype(np.float64)
    dt, ut = _DT[fmt]
    mask = (1 << f.bits) - 1
    # saturating mode = RNE cast of the value clamped to +-max
    ref = np.clip(x, -mx, mx).astype(dt).view(ut).astype(np.int64) & mask
    assert np.array_equal(F.encode(fmt, x, saturate=True).astype(np.int64), ref)
    if fmt in (F.FP16, F.BF16, F.E4M3, F.E5M2):
        # non-saturating mode = the plain RNE cast (overflow -> Inf, or NaN for E4M3)
        with np.errstate(over="ignore"):
            ref = x.astype(dt).view(ut).astype(np.int64) & mask
        got = F.encode(fmt, x).astype(np.int64)
        assert np.array_equal(got, ref)


@pytest.mark.parametrize("fmt", range(8))
def test_encode_nearest_float64(fmt):
    """float64 inputs just off every tie round to the nearer neighbour; exact ties to the even code."""
    f = F.FORMATS[fmt]
    if fmt == F.FP32:
        rng = np.random.default_rng(11)
        fin = np.unique(rng.integers(0, 0x7F800000, 5000, dtype=np.uint64).astype(np.uint32).view(np.float32))
        fin = np.concatenate([fin, np.nextafter(fin, np.float32(np.inf))]).astype(np.float64)
        fin = np.unique(np.concatenate([fin, -fin]))
        lo, hi = fin[:-1], fin[1:]
        keep = np.nextafter(lo.astype(np.float32), np.float32(np.inf)).astype(np.float64) == hi
        lo, hi = lo[keep], hi[keep]
    else:
        v = F.decode(fmt, np.arange(1 << f.bits))
        fin = np.unique(v[np.isfinite(v)])
        lo, hi = fin[:-1], fin[1:]
    mid = (lo + hi) / 2
    up = F.decode(fmt, F.encode(fmt, np.nextafter(mid, np.inf)))
    dn = F.decode(fmt, F.encode(fmt, np.nextafter(mid, -np.inf)))
    # sign of zero aside, values above the mid go to hi, below to lo
    assert np.array_equal(up, hi) and np.array_equal(dn, lo)
    tie = F.encode(fmt, mid).astype(np.int64)
    assert np.all(tie & 1 == 0)  # RNE: the even code (also for the sign-magnitude negatives)


def test_encode_overflow_modes():
    assert int(F.encode(F.E4M3, 500.0)) == 0x7F  # non-saturating: NaN
    assert int(F.encode(F.E4M3, 464.0)) == 0x7E  # tie -> even (448)
    assert int(F.encode(F.E4M3, -500.0, saturate=True)) == 0xFE
    assert int(F.encode(F.E5M2, 1e6)) == 0x7C
    assert int(F.encode(F.E5M2, 1e6, saturate=True)) == 0x7B
    assert int(F.encode(F.E5M2, -np.inf, saturate=True)) == 0xFB
    assert int(F.encode(F.E2M1, 100.0)) == 0x7
    assert int(F.encode(F.E2M1, -np.inf)) == 0xF
    assert int(F.encode(F.FP16, 65520.0)) == 0x7C00  # halfway above max -> Inf (RNE)
    assert int(F.encode(F.FP16, 65519.0)) == 0x7BFF
    assert int(F.encode(F.FP32, 2.0 ** -150)) == 0  # tie to even -> 0
    assert int(F.encode(F.FP32, 2.0 ** -150 * 1.5)) == 1
    assert int(F.encode(F.BF16, np.nan)) & 0x7FC0 == 0x7FC0


@pytest.mark.parametrize("fmt", range(8))
def test_lane_pack_unpack(fmt):
    rng = np.random.default_rng(fmt + 100)
    f = F.FORMATS[fmt]
    el = rng.integers(0, 1 << f.bits, (1000, f.n), dtype=np.uint64)
    w = F.pack_lanes(fmt, el)
    assert w.dtype == np.uint32
    assert np.array_equal(F.unpack_lanes(fmt, w).astype(np.uint64), el)
    # element i sits in bits [i*w, i*w+bits)
    for i in range(f.n):
        assert np.array_equal((w.astype(np.uint64) >> np.uint64(i * f.w)) & np.uint64((1 << f.bits) - 1), el[:, i])
    # container bits above the format are ignored on unpack
    junk = rng.integers(0, 1 << 32, 1000, dtype=np.uint64).astype(np.uint32)
    u = F.unpack_lanes(fmt, junk).astype(np.uint64)
    assert np.array_equal(F.pack_lanes(fmt, u), F.pack_lanes(fmt, F.unpack_lanes(fmt, F.pack_lanes(fmt, u))))


def test_scale_decode_vs_ml_dtypes():
    s = np.arange(256)
    assert np.all(F.decode_scale(0, s) == 1.0)
    _same(F.decode_scale(1, s), s.astype(np.uint8).view(mld.float8_e8m0fnu).astype(np.float64))
    _same(F.decode_scale(2, s), (s & 0x7F).astype(np.uint8).view(mld.float8_e4m3fn).astype(np.float64))
    assert np.isnan(F.decode_scale(2, 0xFF)) and F.decode_scale(2, 0x80) == 0.0


def test_legal_pair_and_classes():
    fa, fb = np.meshgrid(np.arange(16), np.arange(16), indexing="ij")
    lp = F.legal_pair(fa, fb)
    want = np.zeros((16, 16), bool)
    for x in range(8):
        want[x, x] = True
    for x in (3, 4, 5, 6):
        for y in (3, 4, 5, 6):
            want[x, y] = True
    assert np.array_equal(lp, want)
    assert list(F.is_snan(F.FP32, [0x7F800001, 0x7FC00000, 0x7F800000, 0xFFBFFFFF])) == [True, False, False, True]
    assert list(F.is_snan(F.FP16, [0x7C01, 0x7E00])) == [True, False]
    assert list(F.is_snan(F.E5M2, [0x7D, 0x7E])) == [False, False]  # FP8 NaNs count as quiet
    assert list(F.is_nan(F.E4M3, [0x7F, 0xFF, 0x7E])) == [True, True, False]
    assert not F.is_nan(F.E2M1, np.arange(16)).any()
