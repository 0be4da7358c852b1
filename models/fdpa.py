# SPDX-License-Identifier: Apache-2.0
"""Bit-exact golden model of one FDPA lane step (ARCHITECTURE.md section 2).

    z = round_rm( c + (S(sa) * S(sb)) * sum_{i<n} A_i * B_i )   computed exactly, rounded once to FP32

Method (see docs/models.md): every scaled product is an exact integer M * 2^E with M < 2^56
(24x24-bit significands times two 4-bit UE4M3 scale significands), c is M_c * 2^E_c. All
addends are accumulated EXACTLY into a fixed-point superaccumulator of signed 48-bit "bins"
(int64 each, absolute LSB 2^-648, range far beyond 2^512; only the bins a batch can touch are
allocated) vectorized over the batch.
One carry propagation gives the exact sign and magnitude; the top 60 bits plus a sticky bit
(OR of every lower bit) are then rounded once to FP32 with integer logic. No float arithmetic
touches a value on the way, so there is no double rounding.
"""

from fractions import Fraction

import numpy as np

from . import formats as F

FLAG_NV = 0x10
FLAG_DZ = 0x08
FLAG_OF = 0x04
FLAG_UF = 0x02
FLAG_NX = 0x01

QNAN = F.FP32_QNAN

_BIN = 48  # bits per accumulator bin
_BASE = -648  # LSB of bin 0: below the smallest product LSB 2^-552, leaves bins 0,1 always zero
_MASK48 = np.int64((1 << _BIN) - 1)
_U48 = np.uint64(_BIN)
_U1 = np.uint64(1)


def _u(x):
    return np.asarray(x).astype(np.uint64)


def _accumulate(M, E, NEG):
    """Exact sum of (-1)^NEG * M * 2^E over axis 1 (M uint64 < 2^56, 0 for absent terms).

    Returns (acc int64 (nb, N) normalized magnitude bins, neg bool (N,), base_k) where
    bin j has weight 2^(_BASE + 48*(j + base_k)); bins 0 and 1 are always zero.
    Only the bins the batch can touch are allocated (fewer for narrow formats).
    """
    N, T = M.shape
    live = M != 0
    o = E - _BASE
    k = o // _BIN
    if live.any():
        kmin, kmax = int(k[live].min()), int(k[live].max()) + 2
    else:
        kmin, kmax = 2, 4
    o = np.where(live, o, kmin * _BIN)  # absent terms: zero pieces in an allocated bin
    k = np.where(live, k, kmin)
    base_k = kmin - 2
    nb = kmax - base_k + 2
    s = (o - k * _BIN).astype(np.uint64)  # 0..47
    lo_mask = (_U1 << (_U48 - s)) - _U1
    p0 = ((M & lo_mask) << s).astype(np.float64)
    p1 = ((M >> (_U48 - s)) & np.uint64(_MASK48)).astype(np.float64)
    p2 = (M >> np.minimum(np.uint64(96) - s, np.uint64(63))).astype(np.float64)
    sg = np.where(NEG, -1.0, 1.0)
    # bincount over (bin, row): per (row, bin) at most T pieces < 2^48 -> float64 sums stay exact (< 2^53)
    j = (k - base_k) * N + np.arange(N)[:, None]
    idx = np.concatenate([j, j + N, j + 2 * N], axis=1).ravel()
    w = np.concatenate([sg * p0, sg * p1, sg * p2], axis=1).ravel()
    acc = np.bincount(idx, weights=w, minlength=nb * N).reshape(nb, N).astype(np.int64)
    _propagate(acc)
    neg = acc[-1] < 0
    if neg.any():
        sub = -acc[:, neg]
        _propagate(sub)
        acc[:, neg] = sub
    return acc, neg, base_k


def _propagate(acc):
    for k in range(acc.shape[0] - 1):
        c = acc[k] >> _BIN
        acc[k] &= _MASK48
        acc[k + 1] += c


def _round_exact(neg, acc, rm, base_k):
    """Round the exact nonzero value held in acc (shape (nb, N)) to FP32.

    neg: sign of the value; acc: magnitude, normalized (all bins in [0, 2^48)), bins 0, 1 zero.
    Returns (bits uint32, flags uint8).
    """
    nbins, N = acc.shape
    rows = np.arange(N)
    nz = acc != 0
    t = (nbins - 1) - np.argmax(nz[::-1], axis=0)  # top nonzero bin (>= 2)
    hi = acc[t, rows]
    mid = acc[t - 1, rows]
    lo = acc[t - 2, rows]
    below = np.logical_or.accumulate(nz, axis=0)
    lower = np.where(t >= 3, below[np.maximum(t - 3, 0), rows], False)
    _, bh = np.frexp(hi.astype(np.float64))  # bit length of hi, 1..48 (exact: hi < 2^48)
    bh = bh.astype(np.int64)
    u = (60 - bh).astype(np.uint64)  # 12..59 bits needed below hi
    hi_u, mid_u, lo_u = _u(hi), _u(mid), _u(lo)
    # branch u <= 48
    s1 = np.minimum(_U48 - np.minimum(u, _U48), np.uint64(63))
    W1 = (hi_u << u) | (mid_u >> s1)
    st1 = ((mid_u & ((_U1 << s1) - _U1)) != 0) | (lo != 0)
    # branch u > 48
    uu = np.maximum(u, _U48)
    s2 = np.uint64(96) - uu  # 37..48
    W2 = (hi_u << u) | (mid_u << (uu - _U48)) | (lo_u >> s2)
    st2 = (lo_u & ((_U1 << s2) - _U1)) != 0
    big = u > _U48
    W = np.where(big, W2, W1)  # 60-bit window, MSB at bit 59
    sticky = np.where(big, st2, st1) | lower
    e = _BASE + _BIN * (t + base_k) + bh - 1  # exponent of the MSB: |value| in [2^e, 2^(e+1))

    def rnd(d):
        d = d.astype(np.uint64)
        keep = W >> d
        rbit = ((W >> (d - _U1)) & _U1).astype(bool)
        st = ((W & ((_U1 << (d - _U1)) - _U1)) != 0) | sticky
        inexact = rbit | st
        odd = (keep & _U1).astype(bool)
        inc = np.select(
            [rm == F.RNE, rm == F.RTZ, rm == F.RDN, rm == F.RUP],
            [rbit & (st | odd), np.zeros_like(rbit), neg & inexact, ~neg & inexact],
            default=rbit,
        )
        return keep.astype(np.int64) + inc, inexact

    # delivered rounding: 24 bits for normal exponents, fewer down to the 2^-149 grid
    kbits = np.where(e >= -126, 24, e + 150)
    d = np.minimum(60 - kbits, 62)
    kept, inexact = rnd(d)
    expf = np.where(e >= -126, np.minimum(e, 200) + 126, 0)
    mag = (expf << 23) + kept  # exponent carry on significand overflow comes for free
    over = (e >= 128) | (mag >= 0x7F800000)
    # tininess after rounding: 24-bit rounding with unbounded exponent still below 2^-126
    kept_u, _ = rnd(np.full_like(e, 36))
    tiny = (e < -127) | ((e == -127) & (kept_u < (1 << 24)))
    flags = np.where(inexact, FLAG_NX, 0)
    flags |= np.where(tiny & inexact, FLAG_UF, 0)
    to_inf = (rm == F.RNE) | (rm == F.RMM) | ((rm == F.RUP) & ~neg) | ((rm == F.RDN) & neg)
    mag = np.where(over, np.where(to_inf, 0x7F800000, 0x7F7FFFFF), mag)
    flags = np.where(over, FLAG_OF | FLAG_NX, flags)
    bits = mag | np.where(neg, 0x80000000, 0)
    return bits.astype(np.uint32), flags.astype(np.uint8)


def fdpa(fmt_a, fmt_b, rm, a, b, c, scale_fmt=0, scale_a=127, scale_b=127):
    """One FDPA lane step per row. All arguments broadcast (scalars or arrays).

    a, b: uint32 lane words; c: uint32 FP32 bit pattern; scale_a/scale_b: scale bytes.
    Returns (z uint32, flags uint8) with the broadcast shape.
    """
    args = np.broadcast_arrays(
        *[np.asarray(x).astype(np.int64) for x in (fmt_a, fmt_b, rm, a, b, c, scale_fmt, scale_a, scale_b)]
    )
    shape = args[0].shape
    fa, fb, rm, a, b, c, sf, sa, sb = [x.ravel() for x in args]
    N = fa.size
    z = np.full(N, QNAN, dtype=np.uint32)
    flags = np.full(N, FLAG_NV, dtype=np.uint8)
    legal = F.legal_pair(fa, fb) & (rm >= 0) & (rm < F.NUM_RM) & (sf >= 0) & (sf < F.NUM_SCALE_FORMATS)
    idx = np.nonzero(legal)[0]
    nl = F.lanes(fa[idx])
    CH = 1 << 15
    for lanes in np.unique(nl):  # one group per lane count: no padding of 1-lane rows to 8 lanes
        grp = idx[nl == lanes]
        for s0 in range(0, grp.size, CH):
            sel = grp[s0 : s0 + CH]
            zz, ff = _fdpa_legal(fa[sel], fb[sel], rm[sel], a[sel], b[sel], c[sel], sf[sel], sa[sel], sb[sel])
            z[sel] = zz
            flags[sel] = ff
    return z.reshape(shape), flags.reshape(shape)


def _fdpa_legal(fa, fb, rm, a, b, c, sf, sa, sb):
    N = fa.size
    n = F.lanes(fa)
    L = int(n.max())
    lane = np.arange(L)[None, :]
    valid = lane < n[:, None]  # (N, L)
    # element codes (N, L); lanes beyond n are decoded from lane 0 and masked out by `valid`
    sh_a = (np.where(valid, lane, 0) * F.container(fa)[:, None]).astype(np.uint64)
    sh_b = (np.where(valid, lane, 0) * F.container(fb)[:, None]).astype(np.uint64)
    da = F.decode_fields(fa[:, None], _u(a)[:, None] >> sh_a)
    db = F.decode_fields(fb[:, None], _u(b)[:, None] >> sh_b)
    dc = F.decode_fields(F.FP32, _u(c))
    # scales (a NaN scale makes every product NaN; a zero scale product makes every product zero)
    dsa = F.decode_scale_fields(sf, sa)
    dsb = F.decode_scale_fields(sf, sb)
    scale_nan = dsa["nan"] | dsb["nan"]
    scale_zero = (dsa["zero"] | dsb["zero"]) & ~scale_nan
    # special cases, section 2 priority order
    nv = dc["snan"] | np.any(valid & (da["snan"] | db["snan"]), axis=1)
    nv |= np.any(valid & ((da["inf"] & db["zero"]) | (da["zero"] & db["inf"])), axis=1)
    anynan = dc["nan"] | scale_nan | np.any(valid & (da["nan"] | db["nan"]), axis=1)
    psign = da["sign"] ^ db["sign"]
    lane_inf = valid & (da["inf"] | db["inf"]) & ~(da["nan"] | db["nan"] | da["zero"] | db["zero"])
    nv |= np.any(lane_inf, axis=1) & scale_zero
    inf_add = lane_inf & ~(scale_zero | scale_nan)[:, None]
    pos_inf = (dc["inf"] & ~dc["sign"]) | np.any(inf_add & ~psign, axis=1)
    neg_inf = (dc["inf"] & dc["sign"]) | np.any(inf_add & psign, axis=1)
    nv |= pos_inf & neg_inf
    isnan = anynan | nv
    isinf = ~isnan & (pos_inf | neg_inf)
    fin = ~isnan & ~isinf
    # zero-sign rule: every addend (c and each scaled product, sign(A) xor sign(B)) a zero of one sign
    pzero = da["zero"] | db["zero"] | scale_zero[:, None]
    all_zero = dc["zero"] & np.all(~valid | pzero, axis=1)
    zsame = np.all(~valid | (psign == dc["sign"][:, None]), axis=1)
    # exact scaled products M * 2^E (M < 2^56) and c, summed exactly
    Mp = da["m"] * db["m"] * (dsa["m"] * dsb["m"])[:, None]
    Ep = da["e"] + db["e"] + (dsa["e"] + dsb["e"])[:, None]
    Mp = np.where(valid & fin[:, None], Mp, np.uint64(0))
    mc = np.where(fin, dc["m"], np.uint64(0))
    acc, neg, base_k = _accumulate(
        np.concatenate([Mp, mc[:, None]], axis=1),
        np.concatenate([Ep, dc["e"][:, None]], axis=1),
        np.concatenate([psign, dc["sign"][:, None]], axis=1),
    )
    z = np.zeros(N, dtype=np.uint32)
    fl = np.zeros(N, dtype=np.uint8)
    nonzero = acc.any(axis=0)
    rnd = fin & nonzero
    if rnd.any():
        bits, f2 = _round_exact(neg[rnd], acc[:, rnd], rm[rnd], base_k)
        z[rnd] = bits
        fl[rnd] = f2
    zero = fin & ~nonzero
    zs = np.where(all_zero & zsame, dc["sign"], rm == F.RDN)
    z[zero] = np.where(zs[zero], 0x80000000, 0).astype(np.uint32)
    z[isinf] = np.where(pos_inf[isinf], 0x7F800000, 0xFF800000).astype(np.uint32)
    z[isnan] = QNAN
    fl[isnan] = np.where(nv[isnan], FLAG_NV, 0)
    return z, fl


# ---- human-readable rendering ---------------------------------------------------------------
def _fmt_val(v):
    if np.isnan(v):
        return "NaN"
    if np.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if v == 0:
        return "-0" if np.signbit(v) else "+0"
    return f"{v:.17g}"


def flags_str(fl):
    fl = int(fl)
    s = "".join(n for bit, n in ((FLAG_NV, "NV"), (FLAG_DZ, "DZ"), (FLAG_OF, "OF"), (FLAG_UF, "UF"), (FLAG_NX, "NX")) if fl & bit)
    return s or "-"


def f32_str(bits):
    bits = int(bits) & 0xFFFFFFFF
    v = float(F.bits_f32(np.uint32(bits)))
    tag = ""
    if (bits & 0x7F800000) == 0x7F800000 and bits & 0x7FFFFF:
        tag = " (sNaN)" if not bits & 0x400000 else " (qNaN)"
    return f"0x{bits:08x} = {_fmt_val(v)}{tag}"


def describe(fmt_a, fmt_b, scale_fmt, a, b, c, sa=127, sb=127, rm=None):
    """Render one FDPA operation for a human (formats, elements as numbers and hex, scales, c)."""
    fa, fb, sf = int(fmt_a), int(fmt_b), int(scale_fmt)
    lines = [f"fmt_a={F.fmt_name(fa)}({fa}) fmt_b={F.fmt_name(fb)}({fb}) "
             f"scale_fmt={F.SCALE_NAMES[sf] if 0 <= sf < 4 else sf}({sf})"
             + (f" rm={F.RM_NAMES[int(rm)] if 0 <= int(rm) < 5 else 'illegal'}({int(rm)})" if rm is not None else "")]
    lines.append(f"  a=0x{int(a) & 0xFFFFFFFF:08x} b=0x{int(b) & 0xFFFFFFFF:08x}")
    if F.legal_pair(fa, fb):
        ea = F.unpack_lanes(fa, np.uint32(int(a) & 0xFFFFFFFF))
        eb = F.unpack_lanes(fb, np.uint32(int(b) & 0xFFFFFFFF))
        va = F.decode(fa, ea)
        vb = F.decode(fb, eb)
        hw_a = (F.FORMATS[fa].bits + 3) // 4
        hw_b = (F.FORMATS[fb].bits + 3) // 4
        for i in range(F.FORMATS[fa].n):
            lines.append(f"  lane {i}: A=0x{int(ea[i]):0{hw_a}x} ({_fmt_val(va[i])})"
                         f"  B=0x{int(eb[i]):0{hw_b}x} ({_fmt_val(vb[i])})")
    else:
        lines.append("  (illegal format pair)")
    if 0 <= sf < 3:
        vsa = float(F.decode_scale(sf, int(sa) & 0xFF))
        vsb = float(F.decode_scale(sf, int(sb) & 0xFF))
        lines.append(f"  sa=0x{int(sa) & 0xFF:02x} ({_fmt_val(vsa)})  sb=0x{int(sb) & 0xFF:02x} ({_fmt_val(vsb)})"
                     + ("  (ignored: no scale)" if sf == 0 else ""))
    lines.append(f"  c={f32_str(c)}")
    if F.legal_pair(fa, fb) and 0 <= sf < 3:
        with np.errstate(invalid="ignore"):
            vals = list(va * vb) + [float(F.bits_f32(np.uint32(int(c) & 0xFFFFFFFF)))]
        sc = vsa * vsb
        if all(np.isfinite(vals)) and np.isfinite(sc):
            exact = Fraction(vals[-1]) + Fraction(sc) * sum(Fraction(v) for v in vals[:-1])
            lines.append(f"  exact c + S*sum(A*B) = {float(exact):.17g}"
                         + ("" if Fraction(float(exact)) == exact else " (approx. of the exact value)"))
    return "\n".join(lines)
