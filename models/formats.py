# SPDX-License-Identifier: Apache-2.0
"""M890 number formats (ARCHITECTURE.md section 1): codes, decode/encode, lane packing, scales.

Pure NumPy, vectorized. Values are float64 (every element and scale value is exactly
representable in float64). `fmt` arguments may be Python ints or integer arrays that
broadcast against the codes (benches mix formats in one batch).
"""

from collections import namedtuple

import numpy as np

# ---- format codes (pinned by the contract) ----------------------------------------------
FP32, FP16, BF16, E4M3, E5M2, E3M2, E2M3, E2M1 = range(8)
NUM_FORMATS = 8

# scale formats
SCALE_NONE, SCALE_E8M0, SCALE_UE4M3 = 0, 1, 2
NUM_SCALE_FORMATS = 3

# rounding modes (RISC-V encoding)
RNE, RTZ, RDN, RUP, RMM = range(5)
NUM_RM = 5
RM_NAMES = ("RNE", "RTZ", "RDN", "RUP", "RMM")
SCALE_NAMES = ("none", "E8M0", "UE4M3", "reserved")

FP32_QNAN = 0x7FC00000  # the one canonical quiet NaN

#: nan rule: "ieee" (exp all ones, man != 0; quiet iff man MSB set), "e4m3" (S.1111.111 only,
#: quiet), "none" (no NaN encoding)
Format = namedtuple("Format", "code name bits exp man bias has_inf nan n w")

FORMATS = {
    FP32: Format(FP32, "FP32", 32, 8, 23, 127, True, "ieee", 1, 32),
    FP16: Format(FP16, "FP16", 16, 5, 10, 15, True, "ieee", 2, 16),
    BF16: Format(BF16, "BF16", 16, 8, 7, 127, True, "ieee", 2, 16),
    E4M3: Format(E4M3, "E4M3", 8, 4, 3, 7, False, "e4m3", 4, 8),
    E5M2: Format(E5M2, "E5M2", 8, 5, 2, 15, True, "ieee", 4, 8),
    E3M2: Format(E3M2, "E3M2", 6, 3, 2, 3, False, "none", 4, 8),
    E2M3: Format(E2M3, "E2M3", 6, 2, 3, 1, False, "none", 4, 8),
    E2M1: Format(E2M1, "E2M1", 4, 2, 1, 1, False, "none", 8, 4),
}
FORMAT_NAMES = tuple(FORMATS[f].name for f in range(NUM_FORMATS))
EIGHT_BIT_MIXABLE = (E4M3, E5M2, E3M2, E2M3)

# Per-format parameter arrays, indexed by format code (used for per-row vectorized lookups).
_P_BITS = np.array([FORMATS[f].bits for f in range(8)], dtype=np.int64)
_P_EXP = np.array([FORMATS[f].exp for f in range(8)], dtype=np.int64)
_P_MAN = np.array([FORMATS[f].man for f in range(8)], dtype=np.int64)
_P_BIAS = np.array([FORMATS[f].bias for f in range(8)], dtype=np.int64)
_P_INF = np.array([FORMATS[f].has_inf for f in range(8)], dtype=bool)
_P_NAN_IEEE = np.array([FORMATS[f].nan == "ieee" for f in range(8)], dtype=bool)
_P_NAN_E4M3 = np.array([FORMATS[f].nan == "e4m3" for f in range(8)], dtype=bool)
_P_N = np.array([FORMATS[f].n for f in range(8)], dtype=np.int64)
_P_W = np.array([FORMATS[f].w for f in range(8)], dtype=np.int64)


def fmt_name(fmt):
    fmt = int(fmt)
    return FORMAT_NAMES[fmt] if 0 <= fmt < NUM_FORMATS else f"reserved({fmt})"


def legal_fmt(fmt):
    """True where `fmt` is a defined element format (0..7)."""
    f = np.asarray(fmt)
    return (f >= 0) & (f < NUM_FORMATS)


def legal_pair(fmt_a, fmt_b):
    """True where (fmt_a, fmt_b) is a legal operand pair: equal, or both 8-bit mixable."""
    fa = np.asarray(fmt_a).astype(np.int64)
    fb = np.asarray(fmt_b).astype(np.int64)
    ok = legal_fmt(fa) & legal_fmt(fb)
    mix_a = (fa >= E4M3) & (fa <= E2M3)
    mix_b = (fb >= E4M3) & (fb <= E2M3)
    return ok & ((fa == fb) | (mix_a & mix_b))


def lanes(fmt):
    """Elements per 32-bit lane word (n)."""
    return _P_N[np.asarray(fmt, dtype=np.int64)]


def container(fmt):
    """Container width w in bits."""
    return _P_W[np.asarray(fmt, dtype=np.int64)]


# ---- field-level decode (shared with the FDPA model) ------------------------------------
def decode_fields(fmt, codes):
    """Split codes into exact integer fields: value = (-1)^sign * m * 2^e.

    Returns a dict of arrays: sign (bool), m (uint64 significand incl. hidden bit),
    e (int64 exponent of the significand LSB), zero, inf, nan, snan (bool).
    For Inf/NaN codes m is 0. Container bits above the format's width are ignored.
    `fmt` must hold legal format codes (broadcasts against codes).
    """
    codes = np.asarray(codes).astype(np.uint64)
    fmt = np.asarray(fmt, dtype=np.int64)
    fmt, codes = np.broadcast_arrays(fmt, codes)
    bits = _P_BITS[fmt].astype(np.uint64)
    eb = _P_EXP[fmt].astype(np.uint64)
    mb = _P_MAN[fmt].astype(np.uint64)
    bias = _P_BIAS[fmt]
    one = np.uint64(1)
    codes = codes & ((one << bits) - one)
    sign = ((codes >> (bits - one)) & one).astype(bool)
    man = codes & ((one << mb) - one)
    ex = (codes >> mb) & ((one << eb) - one)
    emax = (one << eb) - one
    ex_all_ones = ex == emax
    ieee = _P_NAN_IEEE[fmt]
    e4m3 = _P_NAN_E4M3[fmt]
    inf = ex_all_ones & (man == 0) & _P_INF[fmt]
    nan = (ieee & ex_all_ones & (man != 0)) | (e4m3 & ex_all_ones & (man == ((one << mb) - one)))
    # signaling NaNs exist only in FP32/FP16/BF16; every FP8 NaN counts as quiet
    snan = ieee & (fmt <= BF16) & ex_all_ones & (man != 0) & (((man >> (mb - one)) & one) == 0)
    sub = ex == 0
    m = np.where(sub, man, man | (one << mb))
    e = np.where(sub, 1, ex.astype(np.int64)) - bias - mb.astype(np.int64)
    special = inf | nan
    m = np.where(special, np.uint64(0), m)
    zero = (m == 0) & ~special
    return dict(sign=sign, m=m, e=e.astype(np.int64), zero=zero, inf=inf, nan=nan, snan=snan)


def decode(fmt, codes):
    """Exact float64 value of each code (NaN for NaN codes, +-inf for Inf codes)."""
    d = decode_fields(fmt, codes)
    v = np.ldexp(d["m"].astype(np.float64), d["e"])  # m < 2^24: exact
    v = np.where(d["inf"], np.inf, v)
    v = np.where(d["sign"], -v, v)
    return np.where(d["nan"], np.nan, v)


def is_nan(fmt, codes):
    return decode_fields(fmt, codes)["nan"]


def is_snan(fmt, codes):
    """Signaling NaN (only FP32/FP16/BF16 have them: exp all ones, man != 0, man MSB = 0)."""
    return decode_fields(fmt, codes)["snan"]


def is_inf(fmt, codes):
    return decode_fields(fmt, codes)["inf"]


def max_finite(fmt):
    """Largest finite magnitude of a (scalar) format."""
    f = FORMATS[int(fmt)]
    if f.nan == "ieee" and f.has_inf:
        emax = (1 << f.exp) - 2
        return (2.0 - 2.0 ** -f.man) * 2.0 ** (emax - f.bias)
    emax = (1 << f.exp) - 1
    if f.nan == "e4m3":
        return (2.0 - 2.0 ** (1 - f.man)) * 2.0 ** (emax - f.bias)
    return (2.0 - 2.0 ** -f.man) * 2.0 ** (emax - f.bias)


def min_subnormal(fmt):
    f = FORMATS[int(fmt)]
    return 2.0 ** (1 - f.bias - f.man)


# ---- encode (quantize) --------------------------------------------------------------------
def _max_code(f):
    """Code (positive) of the largest finite value."""
    if f.nan == "ieee" and f.has_inf:
        return (((1 << f.exp) - 2) << f.man) | ((1 << f.man) - 1)
    if f.nan == "e4m3":
        return (((1 << f.exp) - 1) << f.man) | ((1 << f.man) - 2)
    return ((1 << f.exp) - 1) << f.man | ((1 << f.man) - 1)


def encode(fmt, values, saturate=False):
    """Quantize float64 (or FP32) values to codes of scalar format `fmt`, round to nearest even.

    OCP MX conversion rules:
      - saturate=True: values beyond the largest finite value (after rounding) and +-Inf
        give +-max finite; NaN gives the format's NaN.
      - saturate=False: overflow gives +-Inf where the format has Inf (FP32/FP16/BF16/E5M2),
        NaN for E4M3 (S.1111.111).
      - E3M2/E2M3/E2M1 have neither Inf nor NaN: overflow and Inf always saturate to +-max;
        NaN maps to +0 (documented choice; OCP leaves it implementation-defined).
    Returns codes as uint32 (FP32) / uint16 (FP16, BF16) / uint8 (8-, 6-, 4-bit formats).
    """
    f = FORMATS[int(fmt)]
    x = np.asarray(values, dtype=np.float64)
    neg = np.signbit(x)
    ax = np.abs(x)
    isnan = np.isnan(x)
    isinf = np.isinf(x)
    finite = ~(isnan | isinf)
    axf = np.where(finite, ax, 0.0)
    # exponent of LSB of the target grid at this magnitude: quantum = 2^(max(E, emin) - man)
    emin = 1 - f.bias
    _, fe = np.frexp(axf)  # axf = mant * 2^fe, mant in [0.5, 1)
    E = np.maximum(fe.astype(np.int64) - 1, emin)
    qexp = E - f.man
    # scaled is exact (power-of-two scaling within float64 range); rint = RNE to the grid
    k = np.rint(np.ldexp(axf, -qexp))  # integer number of quanta, may reach 2^(man+1)
    # normalise k, qexp to (biased exponent field, mantissa field)
    k = k.astype(np.int64)
    carry = k >= (1 << (f.man + 1))
    k = np.where(carry, k >> 1, k)
    qexp = qexp + carry
    normal = k >= (1 << f.man)
    exf = np.where(normal, qexp + f.man + f.bias, 0)
    manf = np.where(normal, k - (1 << f.man), k)
    mag = (exf << f.man) | manf
    maxc = _max_code(f)
    over = (mag > maxc) | isinf
    if f.nan == "ieee" and f.has_inf:
        inf_code = ((1 << f.exp) - 1) << f.man
        nan_code = inf_code | (1 << (f.man - 1))
        over_code = maxc if saturate else inf_code
        inf_in = maxc if saturate else inf_code
    elif f.nan == "e4m3":
        nan_code = ((1 << f.exp) - 1) << f.man | ((1 << f.man) - 1)
        over_code = maxc if saturate else nan_code
        inf_in = maxc if saturate else nan_code
    else:
        nan_code = 0
        over_code = maxc
        inf_in = maxc
    mag = np.where(over, over_code, mag)
    mag = np.where(isinf, inf_in, mag)
    code = mag | (neg.astype(np.int64) << (f.bits - 1))
    code = np.where(isnan, nan_code, code)
    dt = np.uint32 if f.bits > 16 else (np.uint16 if f.bits > 8 else np.uint8)
    return code.astype(dt)


def f32_bits(values):
    """float64/float32 values -> FP32 bit patterns (RNE), as uint32."""
    return np.asarray(values, dtype=np.float32).view(np.uint32)


def bits_f32(bits):
    """FP32 bit patterns -> float64 values (exact)."""
    return np.asarray(bits, dtype=np.uint32).view(np.float32).astype(np.float64)


# ---- lane packing -------------------------------------------------------------------------
def pack_lanes(fmt, elems):
    """(..., n) element codes of scalar format fmt -> (...) uint32 lane words (element 0 in LSBs)."""
    f = FORMATS[int(fmt)]
    e = np.asarray(elems).astype(np.uint64)
    if e.shape[-1] != f.n:
        raise ValueError(f"{f.name}: expected last axis of {f.n} elements, got {e.shape[-1]}")
    mask = np.uint64((1 << f.bits) - 1)
    shifts = (np.arange(f.n, dtype=np.uint64) * np.uint64(f.w))
    words = np.bitwise_or.reduce((e & mask) << shifts, axis=-1)
    return words.astype(np.uint32)


def unpack_lanes(fmt, words):
    """(...) uint32 lane words -> (..., n) element codes (container bits above the format ignored)."""
    f = FORMATS[int(fmt)]
    w = np.asarray(words).astype(np.uint64)[..., None]
    shifts = (np.arange(f.n, dtype=np.uint64) * np.uint64(f.w))
    mask = np.uint64((1 << f.bits) - 1)
    dt = np.uint32 if f.bits > 16 else (np.uint16 if f.bits > 8 else np.uint8)
    return ((w >> shifts) & mask).astype(dt)


def lane_element(fmt, words, i):
    """Element i (array fmt allowed) of lane words, as uint64 codes (masked to format width)."""
    fmt = np.asarray(fmt, dtype=np.int64)
    w = np.asarray(words).astype(np.uint64)
    sh = (np.minimum(i, _P_N[fmt] - 1) * _P_W[fmt]).astype(np.uint64)
    mask = (np.uint64(1) << _P_BITS[fmt].astype(np.uint64)) - np.uint64(1)
    return (w >> sh) & mask


# ---- block scales -------------------------------------------------------------------------
def decode_scale_fields(scale_fmt, s):
    """Scale bytes -> exact fields: value = m * 2^e; nan, zero flags. scale_fmt 0 gives 1.0.

    scale_fmt must be 0..2 (broadcasts against s).
    """
    s = np.asarray(s).astype(np.int64) & 0xFF
    sf = np.asarray(scale_fmt, dtype=np.int64)
    sf, s = np.broadcast_arrays(sf, s)
    # E8M0
    e8_nan = s == 0xFF
    # UE4M3 (bit 7 ignored)
    u = s & 0x7F
    ex = u >> 3
    man = u & 7
    u_nan = u == 0x7F
    u_m = np.where(ex == 0, man, man | 8)
    u_e = np.where(ex == 0, 1, ex) - 7 - 3
    m = np.where(sf == SCALE_E8M0, 1, np.where(sf == SCALE_UE4M3, u_m, 1))
    e = np.where(sf == SCALE_E8M0, s - 127, np.where(sf == SCALE_UE4M3, u_e, 0))
    nan = np.where(sf == SCALE_E8M0, e8_nan, np.where(sf == SCALE_UE4M3, u_nan, False))
    m = np.where(nan, 0, m)
    zero = (m == 0) & ~nan
    return dict(m=m.astype(np.uint64), e=e.astype(np.int64), nan=nan, zero=zero)


def decode_scale(scale_fmt, s):
    """Scale value as float64: none -> 1.0; E8M0 -> 2^(s-127) (0xFF NaN); UE4M3 -> E4M3(s & 0x7F)."""
    d = decode_scale_fields(scale_fmt, s)
    v = np.ldexp(d["m"].astype(np.float64), d["e"])
    return np.where(d["nan"], np.nan, v)
