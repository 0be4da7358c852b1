# SPDX-License-Identifier: Apache-2.0
"""Stimulus for the tile benches: GEMM problems as lane words, built with NumPy in bulk.

Nothing here predicts a result (that is models/gemm.py); this only makes operands,
scale bytes and command words, and classifies operands for coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from models import formats as F
from models.gemm import encode_cmd, from_beats

# the format table, rounding-mode and scale-format names are models/formats.py's. FORMATS keeps the
# old tuple view (name, element bits, exp bits, man bits, elements per lane, container bits, ieee
# inf/nan) for the pyuvm benches that index it; new code should use models.formats.FORMATS.
FORMATS = {c: (f.name, f.bits, f.exp, f.man, f.n, f.w, f.has_inf) for c, f in F.FORMATS.items()}
RM_NAMES = F.RM_NAMES
SF_NAMES = F.SCALE_NAMES[:3]
# special-value classes an element can be in (coverage)
CLASSES = ("zero", "subnormal", "normal", "max", "inf", "qnan", "snan")
_SNAN_FMTS = (F.FP32, F.FP16, F.BF16)


def legal_pairs() -> list[tuple[int, int]]:
    mix = F.EIGHT_BIT_MIXABLE
    return [(f, f) for f in range(F.NUM_FORMATS)] + [(a, b) for a in mix for b in mix if a != b]


def is_legal(fa: int, fb: int, rm: int, sf: int) -> bool:
    return bool(F.legal_pair(fa, fb)) and rm < F.NUM_RM and sf < F.NUM_SCALE_FORMATS


def pair_name(fa: int, fb: int) -> str:
    na = FORMATS[fa][0] if fa in FORMATS else f"rsv{fa}"
    nb = FORMATS[fb][0] if fb in FORMATS else f"rsv{fb}"
    return na if fa == fb else f"{na}x{nb}"


def classes_of(fmt: int) -> tuple[str, ...]:
    """Classes that format `fmt` can represent."""
    f = F.FORMATS[fmt]
    cl = ["zero", "subnormal", "normal", "max"]
    if f.has_inf:
        cl += ["inf", "qnan"] + (["snan"] if fmt in _SNAN_FMTS else [])
    elif f.nan == "e4m3":
        cl.append("qnan")
    return tuple(cl)


def _special_codes(fmt: int) -> dict[str, int]:
    """Magnitude encodings (sign bit clear) of the special values of a format."""
    f = F.FORMATS[fmt]
    emax, mall, m = (1 << f.exp) - 1, (1 << f.man) - 1, f.man
    d = {"zero": 0, "minsub": 1, "maxsub": mall, "minnorm": 1 << m}
    if f.has_inf:
        d["max"] = ((emax - 1) << m) | mall
        d["inf"] = emax << m
        d["qnan"] = (emax << m) | (1 << (m - 1))
        if fmt in _SNAN_FMTS:
            d["snan"] = (emax << m) | 1
    elif f.nan == "e4m3":
        d["max"] = 0x7E
        d["qnan"] = 0x7F
    else:
        d["max"] = (1 << (f.bits - 1)) - 1
    return d


def random_elements(rng: np.random.Generator, fmt: int, shape, p_special: float) -> np.ndarray:
    """Element bit patterns (uint64, in the low `bits` bits) with a share of special values."""
    f = F.FORMATS[fmt]
    bits, e, m, bias = f.bits, f.exp, f.man, f.bias
    n = int(np.prod(shape))
    out = rng.integers(0, 1 << bits, size=n, dtype=np.uint64)
    if bits >= 16:
        # two thirds of the wide-format values get a moderate exponent (rounding, not overflow)
        mod = rng.random(n) < 0.67
        ex = np.clip(bias + rng.integers(-12, 13, size=n), 1, (1 << e) - 2).astype(np.uint64)
        man = rng.integers(0, 1 << m, size=n, dtype=np.uint64)
        sign = rng.integers(0, 2, size=n, dtype=np.uint64) << np.uint64(bits - 1)
        out = np.where(mod, sign | (ex << np.uint64(m)) | man, out)
    if p_special > 0:
        sp = _special_codes(fmt)
        codes = np.array(list(sp.values()), dtype=np.uint64)
        pick = rng.random(n) < p_special
        sel = codes[rng.integers(0, len(codes), size=n)]
        sel |= rng.integers(0, 2, size=n, dtype=np.uint64) << np.uint64(bits - 1)
        out = np.where(pick, sel, out)
    return out.reshape(shape)


def pack_lanes(fmt: int, elems: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
    """[..., n] element patterns -> [...] uint32 lane words (models.formats.pack_lanes); with `rng`
    the unused top bits of 6-bit elements in 8-bit containers are randomized (ignored by the design)."""
    f = F.FORMATS[fmt]
    el = np.asarray(elems).astype(np.uint64)
    if f.bits < f.w and rng is not None:
        noise = rng.integers(0, 1 << (f.w - f.bits), size=el.shape, dtype=np.uint64)
        shifts = np.arange(f.n, dtype=np.uint64) * np.uint64(f.w) + np.uint64(f.bits)
        return F.pack_lanes(fmt, el) | np.bitwise_or.reduce(noise << shifts, axis=-1).astype(np.uint32)
    return F.pack_lanes(fmt, el)


def unpack_lanes(fmt: int, words: np.ndarray) -> np.ndarray:
    """[...] uint32 lane words -> [..., n] element patterns (for classification only)."""
    return F.unpack_lanes(fmt, words).astype(np.uint64)


def element_classes(fmt: int, elems: np.ndarray) -> set[str]:
    """Which special-value classes occur among element patterns of a format."""
    if fmt not in FORMATS or elems.size == 0:
        return set()
    f = F.FORMATS[fmt]
    bits, e, m, ieee = f.bits, f.exp, f.man, f.has_inf
    mag = elems.astype(np.uint64) & np.uint64((1 << (bits - 1)) - 1)
    ex = mag >> np.uint64(m)
    man = mag & np.uint64((1 << m) - 1)
    emax = (1 << e) - 1
    sp = _special_codes(fmt)
    found = set()
    if np.any(mag == 0):
        found.add("zero")
    if np.any((ex == 0) & (man != 0)):
        found.add("subnormal")
    if np.any(mag == sp["max"]):
        found.add("max")
    if ieee:
        top = ex == emax
        if np.any(top & (man == 0)):
            found.add("inf")
        if np.any(top & (man >> np.uint64(m - 1) == 1)):
            found.add("qnan")
        if fmt in _SNAN_FMTS and np.any(top & (man != 0) & (man >> np.uint64(m - 1) == 0)):
            found.add("snan")
        if np.any((ex > 0) & ~top):
            found.add("normal")
    else:
        if f.nan == "e4m3" and np.any(mag == 0x7F):
            found.add("qnan")
        nan = (mag == 0x7F) if f.nan == "e4m3" else np.zeros(mag.shape, bool)
        if np.any((ex > 0) & ~nan):
            found.add("normal")
    return found


def random_scales(rng: np.random.Generator, sf: int, shape, p_special: float) -> np.ndarray:
    """Scale bytes for a scale format: E8M0 near 2^0 with 0/254/255 sprinkled in, UE4M3 random
    with 0 (zero scale), 0x7F/0xFF (NaN) and bit 7 set (ignored) sprinkled in; sf=0 random (ignored)."""
    n = int(np.prod(shape))
    if sf == 1:
        s = np.clip(127 + rng.integers(-10, 11, size=n), 0, 255)
        sp = np.array([0, 1, 254, 255, 127], dtype=np.int64)
    elif sf == 2:
        s = rng.integers(0, 256, size=n)
        s = np.where(rng.random(n) < 0.7, (s & 0x80) | np.clip(0x38 + rng.integers(-12, 13, size=n), 1, 0x7E), s)
        sp = np.array([0x00, 0x80, 0x7F, 0xFF, 0x01, 0x7E], dtype=np.int64)
    else:
        return rng.integers(0, 256, size=shape).astype(np.uint8)
    pick = rng.random(n) < p_special
    s = np.where(pick, sp[rng.integers(0, len(sp), size=n)], s)
    return s.astype(np.uint8).reshape(shape)


def random_fp32(rng: np.random.Generator, shape, p_special: float) -> np.ndarray:
    return random_elements(rng, 0, shape, p_special).astype(np.uint32)


def encode_cmd_word(fa, fb, rm, sf, acc_c, k, rsv_noise: int = 0) -> int:
    """The 64-bit command word (models.gemm.encode_cmd); rsv_noise fills the reserved bits (ignored)."""
    w = encode_cmd(fa, fb, rm, sf, acc_c, k)
    w |= (rsv_noise & 3) << 14
    w |= ((rsv_noise >> 2) & 0xFFFFFFFF) << 32
    return w


@dataclass
class Gemm:
    """One GEMM problem: command fields and operands as the streams carry them."""

    fa: int
    fb: int
    rm: int
    sf: int
    acc_c: int
    k: int
    A: np.ndarray  # uint32 [K, ROWS] lane words
    B: np.ndarray  # uint32 [K, COLS]
    SA: np.ndarray  # uint8 [K, ROWS]
    SB: np.ndarray  # uint8 [K, COLS]
    C: np.ndarray | None  # uint32 [ROWS, COLS] or None
    word: int = 0
    tag: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def legal(self) -> bool:
        return is_legal(self.fa, self.fb, self.rm, self.sf)

    def describe(self) -> str:
        return (f"fmt_a={self.fa}({F.fmt_name(self.fa)}) fmt_b={self.fb}"
                f"({F.fmt_name(self.fb)}) rm={self.rm}"
                f"({RM_NAMES[self.rm] if self.rm < 5 else 'illegal'}) scale_fmt={self.sf}"
                f"({SF_NAMES[self.sf] if self.sf < 3 else 'reserved'}) acc_c={self.acc_c} K={self.k}"
                f" legal={self.legal} word=0x{self.word:016x}")


def make_gemm(rng: np.random.Generator, rows: int, cols: int, fa: int, fb: int, rm: int, sf: int,
              acc_c: int, k: int, p_special: float = 0.1, tag: str = "") -> Gemm:
    """A random GEMM; reserved format codes get random lane words."""
    def operand(fmt, n_vec):
        if fmt in FORMATS:
            n = F.FORMATS[fmt].n
            return pack_lanes(fmt, random_elements(rng, fmt, (k, n_vec, n), p_special), rng)
        return rng.integers(0, 1 << 32, size=(k, n_vec), dtype=np.uint64).astype(np.uint32)

    A = operand(fa, rows)
    B = operand(fb, cols)
    SA = random_scales(rng, sf, (k, rows), p_special)
    SB = random_scales(rng, sf, (k, cols), p_special)
    C = random_fp32(rng, (rows, cols), p_special) if acc_c else None
    noise = int(rng.integers(0, 1 << 34))
    word = encode_cmd_word(fa, fb, rm, sf, acc_c, k, noise)
    return Gemm(fa, fb, rm, sf, acc_c, k, A, B, SA, SB, C, word, tag)


def k_bucket(k: int) -> str:
    if k == 0:
        return "K0"
    if k == 1:
        return "K1"
    if k <= 8:
        return "K2-8"
    if k <= 64:
        return "K9-64"
    return "K65-512"


K_BUCKETS = ("K0", "K1", "K2-8", "K9-64", "K65-512")


def words_to_int(words: np.ndarray) -> int:
    """uint32 vector (element 0 in the LSBs) -> one wide beat integer."""
    return int.from_bytes(np.ascontiguousarray(words, dtype="<u4").tobytes(), "little")


def bytes_to_int(b: np.ndarray) -> int:
    return int.from_bytes(np.ascontiguousarray(b, dtype=np.uint8).tobytes(), "little")


def int_to_words(v: int, n: int) -> np.ndarray:
    return np.frombuffer(v.to_bytes(4 * n, "little"), dtype="<u4").astype(np.uint32)


def int_to_bytes(v: int, n: int) -> np.ndarray:
    return np.frombuffer(v.to_bytes(n, "little"), dtype=np.uint8).copy()


def flags_to_array(v: int, n: int) -> np.ndarray:
    return np.array([(v >> (5 * i)) & 0x1F for i in range(n)], dtype=np.uint8)


def z_packet(beats, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """A Z packet's beats [(data, user), ...] (rows * NACC of them) -> (Z, F), each [rows, NACC*cols]."""
    Z = np.array([int_to_words(d, cols) for d, _ in beats], np.uint32)
    F = np.array([flags_to_array(u, cols) for _, u in beats], np.uint8)
    return from_beats(Z, rows), from_beats(F, rows)
