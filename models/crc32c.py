# SPDX-License-Identifier: Apache-2.0
"""Pure-Python/NumPy reference model of CRC-32C (Castagnoli), as used by the ICN flits.

Standard parameters: reflected polynomial 0x82F63B78, init 0xFFFFFFFF, final XOR 0xFFFFFFFF,
check value crc32c(b"123456789") == 0xE3069283. A flit body of W bits is the integer whose
bit i is the i-th bit on the wire (little-endian bytes, each LSB first), the same convention
as rtl/m890_crc32c.v.
"""

from __future__ import annotations

import numpy as np

POLY = 0x82F63B78
CHECK = 0xE3069283


def _table() -> np.ndarray:
    t = np.zeros(256, dtype=np.uint32)
    for b in range(256):
        c = b
        for _ in range(8):
            c = (c >> 1) ^ (POLY if c & 1 else 0)
        t[b] = c
    return t


TABLE = _table()
_TAB = [int(x) for x in TABLE]


def crc32c(data: bytes) -> int:
    """Byte-wise table CRC-32C of a byte string."""
    c = 0xFFFFFFFF
    for b in data:
        c = (c >> 8) ^ _TAB[(c ^ b) & 0xFF]
    return c ^ 0xFFFFFFFF


def crc32c_bits(value: int, nbits: int) -> int:
    """CRC-32C of an nbits-long message given as an int (bit 0 first). Bit-serial for the
    trailing partial byte, so any width works."""
    c = 0xFFFFFFFF
    nbytes, rem = divmod(nbits, 8)
    for i in range(nbytes):
        c = (c >> 8) ^ _TAB[(c ^ (value >> (8 * i))) & 0xFF]
    for i in range(8 * nbytes, nbits):
        fb = (c ^ (value >> i)) & 1
        c = (c >> 1) ^ (POLY if fb else 0)
    return c ^ 0xFFFFFFFF


def syndrome_columns(nbits: int) -> list[int]:
    """The CRC change caused by flipping bit i of an nbits message (the CRC is affine, so
    an error pattern E is undetected iff the XOR of its columns is 0)."""
    cols = [0] * nbits
    c = POLY
    for i in range(nbits - 1, -1, -1):
        cols[i] = c
        c = (c >> 1) ^ (POLY if c & 1 else 0)
    return cols
