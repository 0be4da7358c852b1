# SPDX-License-Identifier: Apache-2.0
"""Corner-heavy stimulus generators for FDPA / GEMM (reusable by the model tests and RTL benches).

All generators take a numpy Generator `rng` and return plain uint arrays; none computes an
expected result (the golden model does that).

    a, b, c, sa, sb = corner_operands(fmt_a, fmt_b, n, rng, scale_fmt=0)

Categories mixed per sample: field-corner element codes (zero, min/max subnormal, min normal,
boundary exponents, one-hot and all-ones significands, Inf, qNaN, sNaN), uniform random codes,
pairwise-cancelling lanes, c near -(exact product sum) +- a few ulps (near-total cancellation),
BF16 "c cancels the larger product", results steered to the underflow and overflow edges,
zeros of both signs (including 0 x subnormal), scale bytes at their extremes (zero UE4M3,
NaN scales, E8M0 0/254/255).
"""

import numpy as np

from . import formats as F

_NAN_PROB = 0.06  # share of rows allowed to carry Inf/NaN element codes


def _field_codes(fmt, size, rng, finite_only=False):
    """Element codes built from corner fields (sign x exponent-field x significand pattern)."""
    f = F.FORMATS[int(fmt)]
    emax_f = (1 << f.exp) - 1
    sign = rng.integers(0, 2, size)
    ex_choices = np.array([0, 0, 1, 2, emax_f - 1, emax_f, emax_f, (emax_f + 1) // 2, f.bias, f.bias - 1])
    ex = ex_choices[rng.integers(0, len(ex_choices), size)]
    ex = np.where(rng.random(size) < 0.3, rng.integers(0, emax_f + 1, size), ex)
    mall = (1 << f.man) - 1
    pats = np.stack(
        [
            np.zeros(size, np.int64),
            np.ones(size, np.int64),
            np.full(size, mall),
            1 << rng.integers(0, f.man, size),
            np.full(size, 1 << (f.man - 1)),
            np.full(size, mall - 1),
            rng.integers(0, mall + 1, size),
        ]
    )
    man = pats[rng.integers(0, pats.shape[0], size), np.arange(size)]
    if finite_only:
        if f.nan == "ieee":
            ex = np.where(ex == emax_f, emax_f - 1, ex)
        elif f.nan == "e4m3":
            man = np.where((ex == emax_f) & (man == mall), mall - 1, man)
    code = (sign << (f.bits - 1)) | (ex << f.man) | man
    return code.astype(np.uint64)


def _random_codes(fmt, size, rng, finite_only=False):
    f = F.FORMATS[int(fmt)]
    code = rng.integers(0, 1 << f.bits, size, dtype=np.uint64)
    if finite_only:
        d = F.decode_fields(fmt, code)
        bad = d["nan"] | d["inf"]
        code = np.where(bad, code & ~np.uint64(1 << (f.bits - 2)), code)  # clear exponent MSB
    return code


def element_codes(fmt, size, rng, finite_only=False):
    """Mix of corner-field and uniform random codes of one format (uint64)."""
    c1 = _field_codes(fmt, size, rng, finite_only)
    c2 = _random_codes(fmt, size, rng, finite_only)
    return np.where(rng.random(size) < 0.6, c1, c2)


def fp32_corner_values(size, rng, finite_only=False):
    """TestFloat-style FP32 operand bit patterns (uint32)."""
    c = element_codes(F.FP32, size, rng, finite_only)
    # also exponents near the boundaries +-1 with random significands, and +-0 explicitly
    f = F.FORMATS[F.FP32]
    ex = rng.choice(np.array([0, 1, 2, 3, 23, 24, 25, 102, 103, 126, 127, 128, 152, 153, 252, 253, 254]), size)
    man = rng.integers(0, 1 << 23, size)
    extra = (rng.integers(0, 2, size) << 31) | (ex << f.man) | man
    c = np.where(rng.random(size) < 0.3, extra.astype(np.uint64), c)
    return c.astype(np.uint32)


def scale_bytes(scale_fmt, size, rng):
    """Scale bytes for a (scalar) scale format, corner-heavy."""
    if scale_fmt == F.SCALE_E8M0:
        near = 127 + rng.integers(-12, 13, size)
        ext = rng.choice(np.array([0, 1, 2, 126, 127, 128, 200, 253, 254, 255]), size)
        uni = rng.integers(0, 256, size)
        r = rng.random(size)
        s = np.where(r < 0.6, near, np.where(r < 0.85, ext, uni))
        s = np.where((s == 255) & (rng.random(size) < 0.7), 254, s)  # keep NaN scales rarer
    elif scale_fmt == F.SCALE_UE4M3:
        uni = rng.integers(0, 256, size)
        ext = rng.choice(np.array([0x00, 0x80, 0x01, 0x07, 0x08, 0x38, 0xB8, 0x30, 0x40, 0x7E, 0xFE, 0x7F, 0xFF]), size)
        s = np.where(rng.random(size) < 0.5, uni, ext)
        s = np.where(((s & 0x7F) == 0x7F) & (rng.random(size) < 0.7), 0x38, s)
    else:
        s = rng.integers(0, 256, size)  # ignored by the contract: any value must do
    return s.astype(np.uint8)


def _approx_sum(fmt_a, fmt_b, A, B):
    """float64 approximation of sum_i A_i*B_i (stimulus steering only). A, B: (size, n) codes."""
    with np.errstate(all="ignore"):
        va = F.decode(fmt_a, A)
        vb = F.decode(fmt_b, B)
        return np.sum(va * vb, axis=1)


def _steer_e8m0(P, target_exp, sa, sb, ok):
    """Pick E8M0 bytes so that P*S has exponent ~target_exp where possible (rows `ok`)."""
    with np.errstate(all="ignore"):
        _, pe = np.frexp(P)
    need = target_exp - (pe.astype(np.int64) - 1)  # required log2 of the scale product
    tot = need + 254
    good = ok & np.isfinite(P) & (P != 0) & (tot >= 0) & (tot <= 508)
    s1 = np.clip(tot // 2, 0, 254)
    s2 = np.clip(tot - s1, 0, 254)
    return np.where(good, s1, sa), np.where(good, s2, sb)


def corner_operands(fmt_a, fmt_b, n, rng, scale_fmt=0):
    """n corner-heavy FDPA operand sets for scalar formats. Returns (a, b, c, sa, sb):
    a, b, c uint32 (lane words, FP32 bits), sa, sb uint8 scale bytes."""
    fmt_a, fmt_b, scale_fmt = int(fmt_a), int(fmt_b), int(scale_fmt)
    legal = bool(F.legal_pair(fmt_a, fmt_b))
    if not legal:
        # still produce something well-formed: random words
        return (rng.integers(0, 1 << 32, n, dtype=np.uint64).astype(np.uint32),
                rng.integers(0, 1 << 32, n, dtype=np.uint64).astype(np.uint32),
                fp32_corner_values(n, rng), scale_bytes(scale_fmt, n, rng), scale_bytes(scale_fmt, n, rng))
    fa, fbf = F.FORMATS[fmt_a], F.FORMATS[fmt_b]
    L = fa.n
    size = n * L
    finite_rows = rng.random(n) >= _NAN_PROB
    fin_el = np.repeat(finite_rows, L)
    A = np.where(fin_el, element_codes(fmt_a, size, rng, True), element_codes(fmt_a, size, rng)).reshape(n, L)
    B = np.where(fin_el, element_codes(fmt_b, size, rng, True), element_codes(fmt_b, size, rng)).reshape(n, L)
    # pairwise cancelling lanes: lane j+1 = -lane j (when formats are equal)
    if L >= 2:
        pc = rng.random(n) < 0.12
        j = rng.integers(0, L - 1, n)
        r = np.arange(n)
        A[r, j + 1] = np.where(pc, A[r, j] ^ np.uint64(1 << (fa.bits - 1)), A[r, j + 1])
        B[r, j + 1] = np.where(pc, B[r, j], B[r, j + 1])
    # sprinkle zeros (of both signs) into lanes, e.g. 0 x subnormal
    zl = rng.random((n, L)) < 0.08
    A = np.where(zl, (rng.integers(0, 2, (n, L)).astype(np.uint64) << np.uint64(fa.bits - 1)), A)
    allzero = rng.random(n) < 0.05
    sgn_a = np.uint64(1 << (fa.bits - 1))
    # most all-zero rows get one common product sign (sign(A) xor sign(B) equal in every lane)
    common = rng.integers(0, 2, (n, 1)).astype(np.uint64)
    sb_bit = (B >> np.uint64(fbf.bits - 1)) & np.uint64(1)
    same = np.where((rng.random((n, 1)) < 0.7), (sb_bit ^ common) << np.uint64(fa.bits - 1), A & sgn_a)
    A = np.where(allzero[:, None], same, A)
    sa = scale_bytes(scale_fmt, n, rng).astype(np.int64)
    sb = scale_bytes(scale_fmt, n, rng).astype(np.int64)
    P = _approx_sum(fmt_a, fmt_b, A, B)
    # steer results to underflow / overflow edges with E8M0 scales
    if scale_fmt == F.SCALE_E8M0:
        cat = rng.random(n)
        tgt = np.where(cat < 0.1, rng.integers(-152, -120, n), np.where(cat < 0.2, rng.integers(124, 129, n), 0))
        sa, sb = _steer_e8m0(P, tgt, sa, sb, cat < 0.2)
    S = F.decode_scale(scale_fmt, sa) * F.decode_scale(scale_fmt, sb)
    with np.errstate(all="ignore"):
        PS = P * S
    c = fp32_corner_values(n, rng, finite_only=True)
    c = np.where(rng.random(n) < _NAN_PROB, fp32_corner_values(n, rng), c)
    r = rng.random(n)
    # near-total cancellation: c = -fl32(P*S) +- a few ulps
    with np.errstate(all="ignore"):
        cc = (-PS).astype(np.float32).view(np.uint32).astype(np.int64)
    delta = rng.choice(np.array([0, 0, 0, 1, -1, 2, -2, 3, 1 << 10]), n)
    cc = (cc + delta) & 0xFFFFFFFF
    okc = np.isfinite(PS) & (np.abs(PS) < 3.4e38)
    c = np.where((r < 0.4) & okc, cc, c)
    # zeros, and values at the underflow / overflow boundaries
    edge = np.array([0x00000000, 0x80000000, 0x00800000, 0x80800000, 0x007FFFFF, 0x807FFFFF, 0x00000001,
                     0x80000001, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F000000, 0xFF000000, 0x00800001, 0x80800001])
    c = np.where((r >= 0.4) & (r < 0.55), rng.choice(edge, n), c)
    a = F.pack_lanes(fmt_a, A)
    b = F.pack_lanes(fmt_b, B)
    # container bits that the format ignores (E3M2/E2M3 bits [7:6]) get random junk
    if fa.w > fa.bits:
        a = a | (rng.integers(0, 1 << 32, n, dtype=np.uint64).astype(np.uint32) & np.uint32(0xC0C0C0C0))
    if fbf.w > fbf.bits:
        b = b | (rng.integers(0, 1 << 32, n, dtype=np.uint64).astype(np.uint32) & np.uint32(0xC0C0C0C0))
    # all-zero addends: every product a signed zero and c a signed zero (zero-sign rule, RDN)
    zc = allzero & (rng.random(n) < 0.6)
    csign = np.where(rng.random(n) < 0.8, common[:, 0].astype(np.int64), rng.integers(0, 2, n))
    c = np.where(zc, csign << 31, c)
    c = c.astype(np.uint32)
    if fmt_a == F.BF16:
        a, b, c = _bf16_big_cancel(a, b, c, S, rng)
    if fmt_a == F.FP32 and scale_fmt == F.SCALE_NONE:
        a, b, c = _fp32_edges(a, b, c, rng)
    return a.astype(np.uint32), b.astype(np.uint32), c.astype(np.uint32), sa.astype(np.uint8), sb.astype(np.uint8)


def _bf16_big_cancel(a, b, c, S, rng):
    """BF16: one product large, the other tiny (up to 2^500 apart), c = -(large scaled product)."""
    n = a.size
    sel = rng.random(n) < 0.3
    big_lane = rng.integers(0, 2, n)
    # large product: exponents chosen so that P*S stays inside FP32 range where possible
    sg = rng.integers(0, 2, (n, 2))
    ex_big = rng.integers(100, 190, (n, 2))
    ex_small = rng.choice(np.array([0, 1, 2, 3, 10, 40, 60]), (n, 2))
    man = rng.integers(0, 128, (n, 4))
    man = np.where(rng.random((n, 4)) < 0.3, 127, man)
    ea_big = (sg[:, 0] << 15) | (ex_big[:, 0] << 7) | man[:, 0]
    eb_big = (sg[:, 1] << 15) | (np.clip(254 - ex_big[:, 1] + rng.integers(-30, 30, n), 1, 254) << 7) | man[:, 1]
    ea_sm = (rng.integers(0, 2, n) << 15) | (ex_small[:, 0] << 7) | man[:, 2]
    eb_sm = (rng.integers(0, 2, n) << 15) | (ex_small[:, 1] << 7) | man[:, 3]
    lo_a = np.where(big_lane == 0, ea_big, ea_sm)
    hi_a = np.where(big_lane == 0, ea_sm, ea_big)
    lo_b = np.where(big_lane == 0, eb_big, eb_sm)
    hi_b = np.where(big_lane == 0, eb_sm, eb_big)
    na = (lo_a | (hi_a << 16)).astype(np.uint64)
    nb = (lo_b | (hi_b << 16)).astype(np.uint64)
    with np.errstate(all="ignore"):
        pbig = F.decode(F.BF16, ea_big) * F.decode(F.BF16, eb_big) * S
        c32 = (-pbig).astype(np.float32)
        exact = np.isfinite(c32) & (c32.astype(np.float64) == -pbig)
    cb = c32.view(np.uint32).astype(np.uint64)
    use = sel & exact
    return (np.where(use, na, a), np.where(use, nb, b), np.where(use, cb, c))


def _fp32_edges(a, b, c, rng):
    """FP32 (no scale): products steered to the underflow and overflow edges."""
    n = a.size
    r = rng.random(n)
    man = rng.integers(0, 1 << 23, (n, 2))
    man = np.where(rng.random((n, 2)) < 0.4, rng.choice(np.array([0, 1, (1 << 23) - 1, 1 << 22]), (n, 2)), man)
    sg = rng.integers(0, 2, (n, 2))
    # underflow: exponent(a)+exponent(b) ~ -150 .. -120, c around 2^-126
    tsum = np.where(r < 0.5, rng.integers(-160, -118, n), rng.integers(124, 130, n))
    ea = rng.integers(-100, 100, n)
    ea = np.clip(ea, tsum - 127, tsum + 126)
    ea = np.clip(ea, -126, 127)
    eb = np.clip(tsum - ea, -126, 127)
    na = (sg[:, 0] << 31) | ((ea + 127) << 23) | man[:, 0]
    nb = (sg[:, 1] << 31) | ((eb + 127) << 23) | man[:, 1]
    edge_lo = np.array([0x00800000, 0x80800000, 0x00800001, 0x80800001, 0x007FFFFF, 0x807FFFFF, 0, 0x80000000, 1])
    edge_hi = np.array([0x7F7FFFFF, 0xFF7FFFFF, 0x7F7FFFFE, 0xFF7FFFFE, 0x7F000000, 0xFF000000, 0, 0x80000000])
    nc = np.where(r < 0.5, rng.choice(edge_lo, n), rng.choice(edge_hi, n))
    use = rng.random(n) < 0.25
    return (np.where(use, na, a), np.where(use, nb, b), np.where(use, nc, c))


def fdpa_batch(n, rng, fmt_pairs=None, scale_fmts=(0, 1, 2), rms=(0, 1, 2, 3, 4), illegal_frac=0.0):
    """A mixed batch for scoreboards: per-row fmt_a, fmt_b, rm, scale_fmt plus operands.

    Returns dict(fmt_a, fmt_b, rm, scale_fmt, a, b, c, sa, sb) of length n.
    """
    if fmt_pairs is None:
        fmt_pairs = [(f, f) for f in range(8)] + [(x, y) for x in F.EIGHT_BIT_MIXABLE for y in F.EIGHT_BIT_MIXABLE if x != y]
    fmt_pairs = list(fmt_pairs)
    out = {k: [] for k in ("fmt_a", "fmt_b", "rm", "scale_fmt", "a", "b", "c", "sa", "sb")}
    groups = rng.integers(0, len(fmt_pairs) * len(scale_fmts), n)
    for g in np.unique(groups):
        m = int(np.sum(groups == g))
        fa, fb = fmt_pairs[g // len(scale_fmts)]
        sf = scale_fmts[g % len(scale_fmts)]
        a, b, c, sa, sb = corner_operands(fa, fb, m, rng, sf)
        for k, v in zip(("a", "b", "c", "sa", "sb"), (a, b, c, sa, sb)):
            out[k].append(v)
        out["fmt_a"].append(np.full(m, fa))
        out["fmt_b"].append(np.full(m, fb))
        out["scale_fmt"].append(np.full(m, sf))
        out["rm"].append(rng.choice(np.array(rms), m))
    res = {k: np.concatenate(v) for k, v in out.items()}
    perm = rng.permutation(n)
    res = {k: v[perm] for k, v in res.items()}
    if illegal_frac > 0:
        bad = rng.random(n) < illegal_frac
        kind = rng.integers(0, 4, n)
        res["fmt_a"] = np.where(bad & (kind == 0), rng.integers(8, 16, n), res["fmt_a"])
        res["rm"] = np.where(bad & (kind == 1), rng.integers(5, 8, n), res["rm"])
        res["scale_fmt"] = np.where(bad & (kind == 2), 3, res["scale_fmt"])
        res["fmt_b"] = np.where(bad & (kind == 3), np.where(res["fmt_a"] == 0, 1, 0), res["fmt_b"])
    for k in ("fmt_a", "fmt_b", "rm", "scale_fmt"):
        res[k] = res[k].astype(np.int64)
    for k in ("a", "b", "c"):
        res[k] = res[k].astype(np.uint32)
    res["sa"] = res["sa"].astype(np.uint8)
    res["sb"] = res["sb"].astype(np.uint8)
    return res


def gemm_operands(fmt_a, fmt_b, scale_fmt, K, rows, cols, rng):
    """Corner-heavy operands of one tile GEMM: (A [K,rows], B [K,cols], SA [K,rows], SB [K,cols],
    C [rows,cols]) as uint32/uint32/uint8/uint8/uint32 (C = FP32 corner values incl. cancellation)."""
    a, _, _, sa, _ = corner_operands(fmt_a, fmt_b, max(K * rows, 1), rng, scale_fmt)
    _, b, _, _, sb = corner_operands(fmt_a, fmt_b, max(K * cols, 1), rng, scale_fmt)
    c = corner_operands(fmt_a, fmt_b, max(rows * cols, 1), rng, scale_fmt)[2]
    return (a[: K * rows].reshape(K, rows), b[: K * cols].reshape(K, cols), sa[: K * rows].reshape(K, rows),
            sb[: K * cols].reshape(K, cols), c[: rows * cols].reshape(rows, cols))
