# SPDX-License-Identifier: Apache-2.0
"""Stimulus generators of the m890_mac benches (NumPy, bulk). Corner-heavy operands come from
models/corners.py; this file adds the exhaustive code-pair sweeps, the scale-byte sweeps and c values
steered to cancel the exact product sum."""

from __future__ import annotations

import numpy as np

from models import corners as C
from models import formats as F

from .batch import make_batch

EIGHT_BIT_PAIRS = [(x, y) for x in F.EIGHT_BIT_MIXABLE for y in F.EIGHT_BIT_MIXABLE]  # 16 incl. equal
EXHAUSTIVE_PAIRS = EIGHT_BIT_PAIRS + [(F.E2M1, F.E2M1)]


def _c_values(fmt_a, fmt_b, A, B, S, rng):
    """Corner-heavy c per row plus c near -(exact scaled product sum) (massive cancellation)."""
    n = A.shape[0]
    c = C.fp32_corner_values(n, rng, finite_only=True)
    c = np.where(rng.random(n) < 0.03, C.fp32_corner_values(n, rng), c)
    with np.errstate(all="ignore"):
        PS = np.sum(F.decode(fmt_a, A) * F.decode(fmt_b, B), axis=1) * S
        cc = (-PS).astype(np.float32).view(np.uint32).astype(np.int64)
    delta = rng.choice(np.array([0, 0, 0, 1, -1, 2, -2, 1 << 8]), n)
    cc = (cc + delta) & 0xFFFFFFFF
    ok = np.isfinite(PS) & (np.abs(PS) < 3.4e38)
    r = rng.random(n)
    c = np.where((r < 0.35) & ok, cc, c)
    edge = np.array([0, 0x80000000, 0x00800000, 0x80800000, 0x007FFFFF, 0x807FFFFF, 1, 0x80000001,
                     0x7F7FFFFF, 0xFF7FFFFF, 0x3F800000, 0xBF800000])
    c = np.where((r >= 0.35) & (r < 0.5), rng.choice(edge, n), c)
    return c.astype(np.uint32)


def _scales(n, rng, scale_fmts=(0, 1, 2)):
    sf = rng.choice(np.array(scale_fmts), n)
    sa = np.zeros(n, np.int64)
    sb = np.zeros(n, np.int64)
    for f in scale_fmts:
        m = sf == f
        sa[m] = C.scale_bytes(f, int(m.sum()), rng)
        sb[m] = C.scale_bytes(f, int(m.sum()), rng)
    return sf, sa, sb


def exhaustive_pair(fmt_a, fmt_b, rng, reps=1):
    """Every (a, b) code pair of the format pair in every lane position: lane i of operation j holds pair
    perm_i[j] (an independent random permutation per lane), so P = 2^bits_a * 2^bits_b operations cover all
    pairs in all lanes. Container junk in unused bits, corner/cancelling c, random rm and scales."""
    fa, fb = F.FORMATS[fmt_a], F.FORMATS[fmt_b]
    na, nb = 1 << fa.bits, 1 << fb.bits
    P = na * nb
    L = fa.n
    out = []
    for _ in range(reps):
        perm = np.stack([rng.permutation(P) for _ in range(L)], axis=1)  # (P, L)
        A = (perm // nb).astype(np.uint64)
        B = (perm % nb).astype(np.uint64)
        sf, sa, sb = _scales(P, rng)
        S = F.decode_scale(sf, sa) * F.decode_scale(sf, sb)
        a = F.pack_lanes(fmt_a, A)
        b = F.pack_lanes(fmt_b, B)
        if fa.w > fa.bits:
            a = a | (rng.integers(0, 1 << 32, P, dtype=np.uint64).astype(np.uint32) & np.uint32(0xC0C0C0C0))
        if fb.w > fb.bits:
            b = b | (rng.integers(0, 1 << 32, P, dtype=np.uint64).astype(np.uint32) & np.uint32(0xC0C0C0C0))
        c = _c_values(fmt_a, fmt_b, A, B, S, rng)
        out.append(make_batch(fmt_a=fmt_a, fmt_b=fmt_b, rm=rng.integers(0, 5, P), scale_fmt=sf, a=a, b=b, c=c,
                              sa=sa, sb=sb))
    return {k: np.concatenate([o[k] for o in out]) for k in out[0]}


def wide_format(fmt, n, rng):
    """FP32 / FP16 / BF16: TestFloat-style corners (models/corners.py: field corners, cancellation, BF16
    c = -(larger product), FP32 under/overflow edges) mixed with uniform random operands; all rms; a third
    of the rows without scale, the rest with E8M0/UE4M3 scales."""
    parts = []
    n_corner = n * 3 // 4
    for sf, share in ((0, 0.5), (1, 0.25), (2, 0.25)):
        m = int(n_corner * share)
        a, b, c, sa, sb = C.corner_operands(fmt, fmt, m, rng, sf)
        parts.append(make_batch(fmt_a=fmt, fmt_b=fmt, rm=rng.integers(0, 5, m), scale_fmt=sf, a=a, b=b, c=c,
                                sa=sa, sb=sb))
    m = n - sum(len(p["a"]) for p in parts)
    u32 = lambda: rng.integers(0, 1 << 32, m, dtype=np.uint64).astype(np.uint32)  # noqa: E731
    parts.append(make_batch(fmt_a=fmt, fmt_b=fmt, rm=rng.integers(0, 5, m), scale_fmt=0, a=u32(), b=u32(),
                            c=u32(), sa=127, sb=127))
    out = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    perm = rng.permutation(n)
    return {k: v[perm] for k, v in out.items()}


def scale_sweep(scale_fmt, rng, partners=None):
    """Every scale byte value in both positions for one scale format, each with random legal formats and corner
    operands. partners=None: the full 256 x 256 (scale_a, scale_b) grid; partners=k: each of the 256 values
    of scale_a with k random scale_b bytes and each value of scale_b with k random scale_a bytes."""
    if partners is None:
        sa, sb = np.meshgrid(np.arange(256), np.arange(256), indexing="ij")
        sa, sb = sa.ravel(), sb.ravel()
    else:
        v = np.repeat(np.arange(256), partners)
        r = rng.integers(0, 256, v.size)
        sa, sb = np.concatenate([v, r]), np.concatenate([r, v])
    n = sa.size
    pairs = [(f, f) for f in range(8)] + [(3, 4), (4, 3), (5, 6), (3, 6)]
    grp = rng.integers(0, len(pairs), n)
    out = make_batch(a=np.zeros(n, np.uint32), b=0, c=0, sa=sa, sb=sb, scale_fmt=scale_fmt,
                     rm=rng.integers(0, 5, n))
    for g, (fa, fb) in enumerate(pairs):
        m = grp == g
        a, b, c, _, _ = C.corner_operands(fa, fb, int(m.sum()), rng, 0)
        out["fmt_a"][m], out["fmt_b"][m] = fa, fb
        out["a"][m], out["b"][m], out["c"][m] = a, b, c
    return out


def mixed(n, rng, illegal_frac=0.05):
    """Every format pair, scale format and rm interleaved back to back, with some illegal operations."""
    return make_batch(**C.fdpa_batch(n, rng, illegal_frac=illegal_frac))
