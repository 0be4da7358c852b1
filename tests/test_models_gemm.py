# SPDX-License-Identifier: Apache-2.0
"""GEMM model (section 4) vs an explicit per-element loop over fdpa(); command word codec."""


import numpy as np
import pytest

from tb.common.runner import seed
from models import corners
from models import fdpa as M
from models import formats as F
from models.gemm import decode_cmd, encode_cmd, gemm

SEED = seed()  # $SEED, or the default when unset or empty

PAIRS = [(f, f) for f in range(8)] + [(3, 4), (4, 3), (5, 6), (6, 3)]


def _problem(fa, fb, sf, K, R, C, rng):
    return corners.gemm_operands(fa, fb, sf, K, R, C, rng)


@pytest.mark.parametrize("fa,fb", PAIRS)
def test_gemm_vs_fdpa_loop(fa, fb):
    rng = np.random.default_rng([SEED, fa, fb, 99])
    for trial in range(6):
        sf = trial % 3
        rm = int(rng.integers(0, 5))
        K, R, C = int(rng.integers(1, 9)), int(rng.integers(1, 5)), int(rng.integers(1, 5))
        A, B, SA, SB, Cm = _problem(fa, fb, sf, K, R, C, rng)
        use_c = trial % 2 == 0
        Z, Fl = gemm(fa, fb, rm, sf, A, B, SA, SB, Cm if use_c else None)
        for r in range(R):
            for c in range(C):
                acc = int(Cm[r, c]) if use_c else 0
                fl = 0
                for k in range(K):
                    z, f = M.fdpa(fa, fb, rm, int(A[k, r]), int(B[k, c]), acc, sf, int(SA[k, r]), int(SB[k, c]))
                    acc, fl = int(z), fl | int(f)
                assert (int(Z[r, c]), int(Fl[r, c])) == (acc, fl), (
                    f"{F.fmt_name(fa)}x{F.fmt_name(fb)} sf={sf} rm={rm} K={K} at ({r},{c}): "
                    f"gemm {M.f32_str(Z[r, c])} {M.flags_str(Fl[r, c])} loop {M.f32_str(acc)} {M.flags_str(fl)}")


@pytest.mark.parametrize("K", [0, 1, 5])
def test_gemm_batched_equals_single(K):
    rng = np.random.default_rng([SEED, K, 5])
    G, R, C = 7, 3, 2
    pairs = [PAIRS[i] for i in rng.integers(0, len(PAIRS), G)]
    fa = np.array([p[0] for p in pairs])
    fb = np.array([p[1] for p in pairs])
    fb[0] = 1 if fa[0] != 1 else 2  # one illegal problem in the batch
    sf, rm = rng.integers(0, 3, G), rng.integers(0, 5, G)
    probs = [corners.gemm_operands(int(fa[g]), int(fb[g]), int(sf[g]), K, R, C, rng) for g in range(G)]
    A, B, SA, SB, Cm = (np.stack([p[i] for p in probs]) for i in range(5))
    Z, Fl = gemm(fa, fb, rm, sf, A, B, SA, SB, Cm)
    assert Z.shape == (G, R, C) and Fl.shape == (G, R, C)
    for g in range(G):
        z1, f1 = gemm(int(fa[g]), int(fb[g]), int(rm[g]), int(sf[g]), A[g], B[g], SA[g], SB[g], Cm[g])
        assert np.array_equal(Z[g], z1) and np.array_equal(Fl[g], f1), g
    assert np.all(Z[0] == M.QNAN) and np.all(Fl[0] == M.FLAG_NV)


def test_gemm_order_matters():
    # acc_0 = 1, steps add +2^24 then -2^24 (FP32): the ordered chain loses the 1 at step 0 (RNE)
    f = lambda x: int(np.array([x], np.float32).view(np.uint32)[0])  # noqa: E731
    A = np.array([[f(2.0 ** 24)], [f(-(2.0 ** 24))]], np.uint32)
    B = np.array([[f(1.0)], [f(1.0)]], np.uint32)
    Z, Fl = gemm(0, 0, 0, 0, A, B, C=np.array([[f(1.0)]], np.uint32))
    assert int(Z[0, 0]) == 0 and int(Fl[0, 0]) == M.FLAG_NX  # 2^24 + 1 -> 2^24 (tie, even), then 0


def test_gemm_k0_returns_c():
    rng = np.random.default_rng(SEED)
    Cm = rng.integers(0, 1 << 32, (3, 5), dtype=np.uint64).astype(np.uint32)
    Z, Fl = gemm(3, 3, 0, 1, np.zeros((0, 3), np.uint32), np.zeros((0, 5), np.uint32), C=Cm)
    assert np.array_equal(Z, Cm) and not Fl.any()
    Z, Fl = gemm(7, 7, 4, 2, np.zeros((0, 2), np.uint32), np.zeros((0, 2), np.uint32))
    assert not Z.any() and not Fl.any()


def test_gemm_illegal_command():
    A = np.zeros((2, 2), np.uint32)
    for args in ((1, 2, 0, 0), (3, 3, 5, 0), (3, 3, 0, 3), (9, 9, 0, 0)):
        Z, Fl = gemm(*args, A, A, C=np.ones((2, 2), np.uint32))
        assert np.all(Z == M.QNAN) and np.all(Fl == M.FLAG_NV)
        Z, Fl = gemm(*args, A[:0], A[:0])
        assert np.all(Z == M.QNAN) and np.all(Fl == M.FLAG_NV)


def test_cmd_codec():
    rng = np.random.default_rng(SEED)
    for _ in range(500):
        f = dict(fmt_a=int(rng.integers(0, 16)), fmt_b=int(rng.integers(0, 16)), rm=int(rng.integers(0, 8)),
                 scale_fmt=int(rng.integers(0, 4)), acc_c=bool(rng.integers(0, 2)), k_steps=int(rng.integers(0, 65536)))
        w = encode_cmd(**f)
        assert 0 <= w < (1 << 32)
        assert decode_cmd(w) == f
        junk = w | (int(rng.integers(0, 1 << 32)) << 32) | (int(rng.integers(0, 4)) << 14)
        assert decode_cmd(junk) == f
    assert encode_cmd(3, 4, 2, 1, 1, 0x1234) == 0x1234_0000 | (1 << 13) | (1 << 11) | (2 << 8) | (4 << 4) | 3
