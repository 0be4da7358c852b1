# SPDX-License-Identifier: Apache-2.0
"""FP32 mode (n = 1, no scale) = IEEE fusedMultiplyAdd, in all five rounding modes, flags included.

Two independent checks on a TestFloat-style corner set (boundary exponents, one-hot and all-ones
significands, subnormals, near-total cancellation, overflow and underflow edges):
  1. where a*b + c is provably exact in float64 (TwoSum error = 0), against NumPy's float64 -> float32
     conversion plus nextafter for the directed modes (no shared code with the model);
  2. everything (incl. NaN/Inf and inexact sums) against the Fraction reference.
"""


import numpy as np
import pytest

from tb.common.runner import seed
from models import corners
from models import fdpa as M

from tests.test_models_fdpa import ref_fdpa  # the same independent reference

SEED = seed()  # $SEED, or the default when unset or empty
NX, UF, OF = 0x01, 0x02, 0x04


def fma_triples(n, rng):
    """TestFloat-like (a, b, c) FP32 bit patterns."""
    a = corners.fp32_corner_values(n, rng)
    b = corners.fp32_corner_values(n, rng)
    c = corners.fp32_corner_values(n, rng)
    # c close to the product's exponent (so that the sum is interesting), with corner significands
    with np.errstate(all="ignore"):
        p = a.view(np.float32).astype(np.float64) * b.view(np.float32).astype(np.float64)
        _, pe = np.frexp(p)
    cexp = np.clip(pe.astype(np.int64) - 1 + rng.integers(-30, 31, n) + 127, 0, 254)
    cm = rng.choice(np.array([0, 1, (1 << 23) - 1, 1 << 22, (1 << 22) - 1]), n)
    cm = np.where(rng.random(n) < 0.4, rng.integers(0, 1 << 23, n), cm)
    near = (rng.integers(0, 2, n) << 31) | (cexp << 23) | cm
    # near-total cancellation: c = -fl32(a*b) +- k ulps
    with np.errstate(all="ignore"):
        canc = (-p).astype(np.float32).view(np.uint32).astype(np.int64)
    canc = (canc + rng.choice(np.array([0, 0, 1, -1, 2, -2, 5]), n)) & 0xFFFFFFFF
    r = rng.random(n)
    c = np.where(r < 0.35, near, np.where(r < 0.7, canc, c)).astype(np.uint32)
    # the model's corner generator (underflow/overflow edges) for a quarter
    a2, b2, c2, _, _ = corners.corner_operands(0, 0, n, rng, 0)
    m = rng.random(n) < 0.25
    return np.where(m, a2, a), np.where(m, b2, b), np.where(m, c2, c)


def _round_f32_numpy(s, rm):
    """float64 -> FP32 in mode rm using NumPy's RNE cast + nextafter (s finite)."""
    with np.errstate(over="ignore"):
        r0 = s.astype(np.float32)
        r064 = r0.astype(np.float64)
        exact = r064 == s
        lo = np.where(r064 < s, r0, np.nextafter(r0, np.float32(-np.inf)))
        hi = np.nextafter(lo, np.float32(np.inf))
    lo = np.where(exact, r0, lo)
    hi = np.where(exact, r0, hi)
    neg = s < 0
    dlo = s - lo.astype(np.float64)  # exact enough: only compared for ties below
    dhi = hi.astype(np.float64) - s
    with np.errstate(invalid="ignore"):
        tie = (dlo == dhi) & ~exact
    if rm == 0:
        r = r0
    elif rm == 1:
        r = np.where(neg, hi, lo)
    elif rm == 2:
        r = lo
    elif rm == 3:
        r = hi
    else:
        r = np.where(tie, np.where(neg, lo, hi), r0)
    return np.where(exact, r0, r), exact


@pytest.mark.parametrize("rm", range(5))
def test_fma_vs_exact_float64(rm):
    rng = np.random.default_rng([SEED, rm, 42])
    n = 40000
    a, b, c = fma_triples(n, rng)
    with np.errstate(all="ignore"):
        fa, fb, fc = (x.view(np.float32).astype(np.float64) for x in (a, b, c))
        p = fa * fb  # exact: 48-bit significand, exponent within float64 range
        s = p + fc
        t = s - fc
        err = (p - t) + (fc - (s - t))  # TwoSum
    ok = np.isfinite(fa) & np.isfinite(fb) & np.isfinite(fc) & np.isfinite(s) & (err == 0) & (s != 0)
    assert ok.sum() > n // 3, ok.sum()
    a, b, c, s = a[ok], b[ok], c[ok], s[ok]
    r, exact = _round_f32_numpy(s, rm)
    want = r.view(np.uint32)
    # flags: NX; OF iff the unbounded-exponent rounding reaches 2^128; UF iff tiny after rounding and NX
    max32 = float(np.finfo(np.float32).max)
    aS = np.abs(s)
    of = (aS >= 2.0 ** 128) | ((aS > max32) & np.isinf(r))
    scaled, _ = _round_f32_numpy(s * 2.0 ** 100, rm)  # unbounded-exponent rounding near 2^-126
    tiny = np.abs(scaled.astype(np.float64)) < 2.0 ** -26
    wf = np.where(~exact, NX, 0) | np.where(of, OF | NX, 0) | np.where(tiny & ~exact, UF, 0)
    z, fl = M.fdpa(0, 0, rm, a, b, c)
    bad = np.nonzero((z != want) | (fl != wf))[0]
    for i in bad[:5]:
        print(M.describe(0, 0, 0, a[i], b[i], c[i], rm=rm))
        print(f"  model {M.f32_str(z[i])} {M.flags_str(fl[i])}  float64-exact ref {M.f32_str(want[i])} {M.flags_str(wf[i])}")
    assert bad.size == 0, f"{bad.size} mismatches of {ok.sum()} exact cases (rm={rm}, seed {SEED})"
    # the set must actually exercise the corners
    print(f"rm={rm}: {ok.sum()} float64-exact cases, NX {(~exact).sum()}, UF {np.sum(wf & UF > 0)}, "
          f"OF {np.sum(wf & OF > 0)}, subnormal results {np.sum((want & 0x7F800000) == 0)}")
    assert (wf & UF).any() and (wf & OF).any() and (~exact).sum() > 1000 and exact.sum() > 100


@pytest.mark.parametrize("rm", range(5))
def test_fma_vs_fraction(rm):
    rng = np.random.default_rng([SEED, rm, 43])
    n = 2500
    a, b, c = fma_triples(n, rng)
    z, fl = M.fdpa(0, 0, rm, a, b, c)
    bad = []
    for i in range(n):
        rz, rf = ref_fdpa(0, 0, rm, a[i], b[i], c[i], 0, 127, 127)
        if (rz, rf) != (int(z[i]), int(fl[i])):
            bad.append(i)
            if len(bad) <= 5:
                print(M.describe(0, 0, 0, a[i], b[i], c[i], rm=rm))
                print(f"  model {M.f32_str(z[i])} {M.flags_str(fl[i])}  ref {M.f32_str(rz)} {M.flags_str(rf)}")
    assert not bad, f"{len(bad)} mismatches (rm={rm}, seed {SEED})"
