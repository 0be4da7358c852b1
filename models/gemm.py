# SPDX-License-Identifier: Apache-2.0
"""Golden model of the m890_tile GEMM (ARCHITECTURE.md section 4).

For every (r, c): acc_0 = C[r][c] (or +0.0); acc_{k+1} = FDPA(A_k[r], B_k[c], acc_k) with step k's
scale bytes SA[k][r], SB[k][c]; Z[r][c] = acc_K; flags = OR of the K steps' flags.

Interleaved accumulators (section 4.1, NACC = L): one command computes R x (L*COLS); numerics are
unchanged (every element is its own chain), so `gemm` takes B [K, L*COLS] and C [R, L*COLS] as is.
Only the beat order changes: `to_beats` / `from_beats` convert between those matrices and the
stream beats (B: k-major, group 0 first; C and Z: row-major, group 0 first).
"""

import numpy as np

from .fdpa import FLAG_NV, QNAN, fdpa

# command word fields (bit positions)
CMD_FMT_A = (0, 4)
CMD_FMT_B = (4, 4)
CMD_RM = (8, 3)
CMD_SCALE_FMT = (11, 2)
CMD_ACC_C = (13, 1)
CMD_K_STEPS = (16, 16)


def encode_cmd(fmt_a, fmt_b, rm, scale_fmt, acc_c, k_steps):
    """Build the 64-bit command word (reserved bits zero). Fields are masked to their width."""
    w = 0
    for v, (pos, width) in zip(
        (fmt_a, fmt_b, rm, scale_fmt, int(bool(acc_c)), k_steps),
        (CMD_FMT_A, CMD_FMT_B, CMD_RM, CMD_SCALE_FMT, CMD_ACC_C, CMD_K_STEPS),
    ):
        w |= (int(v) & ((1 << width) - 1)) << pos
    return w


def decode_cmd(word):
    """64-bit command word -> dict(fmt_a, fmt_b, rm, scale_fmt, acc_c, k_steps); reserved bits ignored."""
    word = int(word)

    def f(field):
        pos, width = field
        return (word >> pos) & ((1 << width) - 1)

    return dict(
        fmt_a=f(CMD_FMT_A),
        fmt_b=f(CMD_FMT_B),
        rm=f(CMD_RM),
        scale_fmt=f(CMD_SCALE_FMT),
        acc_c=bool(f(CMD_ACC_C)),
        k_steps=f(CMD_K_STEPS),
    )


def to_beats(M, cols):
    """[N, L*cols] (B [K, L*COLS], SB likewise, or C / Z [R, L*COLS]) -> the [N*L, cols] stream beats of
    section 4.1: row n's groups g = 0 .. L-1 in turn, group g = columns g*cols .. g*cols+cols-1."""
    M = np.asarray(M)
    if M.shape[-1] % cols:
        raise ValueError(f"a row of {M.shape[-1]} elements is not a whole number of {cols}-wide beats")
    return M.reshape(-1, cols)


def from_beats(beats, rows):
    """[rows*L, COLS] stream beats (C or Z of section 4.1) -> the [rows, L*COLS] matrix."""
    beats = np.asarray(beats)
    if beats.shape[0] % rows:
        raise ValueError(f"{beats.shape[0]} beats are not a whole number of groups of {rows} rows")
    return beats.reshape(rows, -1)


def gemm(fmt_a, fmt_b, rm, scale_fmt, A, B, SA=None, SB=None, C=None):
    """Z = A x B + C as the ordered FDPA chain over k.

    A: uint32 [K, ROWS] lane words; B: uint32 [K, COLS]; SA: uint8 [K, ROWS] and SB: uint8 [K, COLS]
    scale bytes (None -> 127, i.e. 1.0 in E8M0, ignored for scale_fmt 0); C: uint32 FP32 bits
    [ROWS, COLS] or None (+0.0). Returns (Z uint32 [ROWS, COLS], F uint8 [ROWS, COLS]).
    An illegal command returns canonical NaN with NV everywhere (also when K = 0).

    Batched form (many independent GEMMs with the same K in one call, much faster for small tiles):
    A [G, K, ROWS], B [G, K, COLS], SA/SB likewise, C [G, ROWS, COLS]; fmt_a, fmt_b, rm, scale_fmt
    scalars or arrays of shape [G]. Returns Z, F of shape [G, ROWS, COLS].
    """
    A = np.asarray(A, dtype=np.uint32)
    B = np.asarray(B, dtype=np.uint32)
    batched = A.ndim == 3
    if batched:
        if B.ndim != 3 or A.shape[:2] != B.shape[:2]:
            raise ValueError(f"A must be [G, K, ROWS] and B [G, K, COLS] with the same G, K; got {A.shape}, {B.shape}")
    elif A.ndim != 2 or B.ndim != 2 or A.shape[0] != B.shape[0]:
        raise ValueError(f"A must be [K, ROWS] and B [K, COLS] with the same K; got {A.shape}, {B.shape}")
    else:
        A, B = A[None], B[None]
    G, K, R = A.shape
    Cn = B.shape[2]
    SA = np.full((G, K, R), 127, np.uint8) if SA is None else np.asarray(SA, dtype=np.uint8).reshape(G, K, R)
    SB = np.full((G, K, Cn), 127, np.uint8) if SB is None else np.asarray(SB, dtype=np.uint8).reshape(G, K, Cn)
    if C is None:
        acc = np.zeros((G, R, Cn), np.uint32)
    else:
        acc = np.asarray(C, dtype=np.uint32).reshape(G, R, Cn).copy()
    # per-problem command fields broadcast over (rows, cols)
    fa, fb, rmm, sf = (np.broadcast_to(np.asarray(x, dtype=np.int64).reshape(-1), (G,))[:, None, None]
                       for x in (fmt_a, fmt_b, rm, scale_fmt))
    flags = np.zeros((G, R, Cn), np.uint8)
    for k in range(K):
        acc, f = fdpa(fa, fb, rmm, A[:, k, :, None], B[:, k, None, :], acc, sf, SA[:, k, :, None], SB[:, k, None, :])
        flags |= f
    if K == 0:
        # K = 0 returns the initial accumulators, unless the command itself is illegal
        _, fc = fdpa(fa, fb, rmm, 0, 0, 0, sf)
        bad = np.broadcast_to((fc & FLAG_NV) != 0, acc.shape)
        acc = np.where(bad, np.uint32(QNAN), acc)
        flags = np.where(bad, np.uint8(FLAG_NV), flags)
    acc, flags = acc.astype(np.uint32), flags.astype(np.uint8)
    return (acc, flags) if batched else (acc[0], flags[0])
