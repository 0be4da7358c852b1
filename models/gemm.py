"""Golden model of the m890_tile GEMM (ARCHITECTURE.md section 4).

For every (r, c): acc_0 = C[r][c] (or +0.0); acc_{k+1} = FDPA(A_k[r], B_k[c], acc_k) with step k's
scale bytes SA[k][r], SB[k][c]; Z[r][c] = acc_K; flags = OR of the K steps' flags.
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


def gemm(fmt_a, fmt_b, rm, scale_fmt, A, B, SA=None, SB=None, C=None):
    """Z = A x B + C as the ordered FDPA chain over k.

    A: uint32 [K, ROWS] lane words; B: uint32 [K, COLS]; SA: uint8 [K, ROWS] and SB: uint8 [K, COLS]
    scale bytes (None -> 127, i.e. 1.0 in E8M0, ignored for scale_fmt 0); C: uint32 FP32 bits
    [ROWS, COLS] or None (+0.0). Returns (Z uint32 [ROWS, COLS], F uint8 [ROWS, COLS]).
    An illegal command returns canonical NaN with NV everywhere (also when K = 0).
    """
    A = np.asarray(A, dtype=np.uint32)
    B = np.asarray(B, dtype=np.uint32)
    if A.ndim != 2 or B.ndim != 2 or A.shape[0] != B.shape[0]:
        raise ValueError(f"A must be [K, ROWS] and B [K, COLS] with the same K; got {A.shape}, {B.shape}")
    K, R = A.shape
    Cn = B.shape[1]
    SA = np.full((K, R), 127, np.uint8) if SA is None else np.asarray(SA, dtype=np.uint8).reshape(K, R)
    SB = np.full((K, Cn), 127, np.uint8) if SB is None else np.asarray(SB, dtype=np.uint8).reshape(K, Cn)
    acc = np.zeros((R, Cn), np.uint32) if C is None else np.asarray(C, dtype=np.uint32).reshape(R, Cn).copy()
    flags = np.zeros((R, Cn), np.uint8)
    for k in range(K):
        acc, f = fdpa(fmt_a, fmt_b, rm, A[k][:, None], B[k][None, :], acc, scale_fmt, SA[k][:, None], SB[k][None, :])
        flags |= f
    if K == 0:
        # K = 0 returns the initial accumulators, unless the command itself is illegal
        zc, fc = fdpa(fmt_a, fmt_b, rm, 0, 0, 0, scale_fmt)
        if int(fc) & FLAG_NV:
            acc = np.full((R, Cn), QNAN, np.uint32)
            flags = np.full((R, Cn), FLAG_NV, np.uint8)
    return acc.astype(np.uint32), flags.astype(np.uint8)
