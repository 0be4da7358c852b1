# SPDX-License-Identifier: Apache-2.0
"""Throughput of the golden models (lane steps per second, one core).

    .venv/bin/python -m scripts.bench_models [--n 200000] [--repeat 3]

Reports fdpa() throughput per format pair (uniform batches) and for a mixed batch (every legal pair,
scale format and rounding mode in one call), and gemm() on a 4x4 tile. Stimulus generation is
excluded from the timing. No pass/fail: the numbers go into docs/models.md.
"""

import argparse
import os
import time

import numpy as np

from models import corners
from models import formats as F
from models.fdpa import fdpa
from models.gemm import gemm


def _best(fn, repeat):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000, help="lane steps per batch")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    rng = np.random.default_rng(1)
    n = args.n
    print(f"fdpa(): batch of {n} lane steps, best of {args.repeat} (numpy {np.__version__})")
    print(f"{'case':<28}{'lane steps/s':>14}")
    rows = []
    for fa, fb in [(f, f) for f in range(8)] + [(F.E4M3, F.E5M2)]:
        for sf in (0, 1, 2):
            if sf and fa != fb and sf != 1:
                continue
            a, b, c, sa, sb = corners.corner_operands(fa, fb, n, rng, sf)
            rm = rng.integers(0, 5, n)
            t = _best(lambda: fdpa(fa, fb, rm, a, b, c, sf, sa, sb), args.repeat)
            name = f"{F.fmt_name(fa)}x{F.fmt_name(fb)} {F.SCALE_NAMES[sf]}"
            rows.append((name, n / t))
            print(f"{name:<28}{n / t:>14,.0f}")
    bt = corners.fdpa_batch(n, rng)
    t = _best(lambda: fdpa(bt["fmt_a"], bt["fmt_b"], bt["rm"], bt["a"], bt["b"], bt["c"], bt["scale_fmt"],
                           bt["sa"], bt["sb"]), args.repeat)
    print(f"{'mixed batch (all pairs)':<28}{n / t:>14,.0f}")
    K, R, C = 64, 4, 4
    a, b, _, sa, sb = corners.corner_operands(F.E2M1, F.E2M1, K * max(R, C), rng, 2)
    A, B = a[: K * R].reshape(K, R), b[: K * C].reshape(K, C)
    SA, SB = sa[: K * R].reshape(K, R), sb[: K * C].reshape(K, C)
    t = _best(lambda: gemm(F.E2M1, F.E2M1, 0, 2, A, B, SA, SB), args.repeat)
    print(f"gemm 4x4 tile, K={K} (E2M1, UE4M3): {K * R * C / t:,.0f} lane steps/s "
          f"(per-step vectorization over only 16 elements)")
    G = 64
    probs = [corners.gemm_operands(F.E2M1, F.E2M1, 2, K, R, C, rng) for _ in range(G)]
    A, B, SA, SB, Cm = (np.stack([p[i] for p in probs]) for i in range(5))
    t = _best(lambda: gemm(F.E2M1, F.E2M1, 0, 2, A, B, SA, SB, Cm), args.repeat)
    print(f"gemm batched: {G} problems 4x4, K={K} (E2M1, UE4M3) in one call: {G * K * R * C / t:,.0f} lane steps/s")
    K, R, C = 256, 32, 32
    a, b, _, sa, sb = corners.corner_operands(F.E4M3, F.E4M3, K * max(R, C), rng, 1)
    A, B = a[: K * R].reshape(K, R), b[: K * C].reshape(K, C)
    SA, SB = sa[: K * R].reshape(K, R), sb[: K * C].reshape(K, C)
    t = _best(lambda: gemm(F.E4M3, F.E4M3, 0, 1, A, B, SA, SB), 1)
    print(f"gemm 32x32, K={K} (E4M3, E8M0): {K * R * C / t:,.0f} lane steps/s")


if __name__ == "__main__":
    main()
