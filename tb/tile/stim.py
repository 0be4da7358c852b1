"""Stimulus for the tile benches: GEMM problems as lane words, built with NumPy in bulk.

Nothing here predicts a result (that is models/gemm.py); this only makes operands,
scale bytes and command words, and classifies operands for coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# code: (name, element bits, exp bits, man bits, elements per lane, container bits, ieee inf/nan)
FORMATS = {
    0: ("FP32", 32, 8, 23, 1, 32, True),
    1: ("FP16", 16, 5, 10, 2, 16, True),
    2: ("BF16", 16, 8, 7, 2, 16, True),
    3: ("E4M3", 8, 4, 3, 4, 8, False),
    4: ("E5M2", 8, 5, 2, 4, 8, True),
    5: ("E3M2", 6, 3, 2, 4, 8, False),
    6: ("E2M3", 6, 2, 3, 4, 8, False),
    7: ("E2M1", 4, 2, 1, 8, 4, False),
}
FMT_CODE = {v[0]: k for k, v in FORMATS.items()}
EIGHT_BIT = (3, 4, 5, 6)
RM_NAMES = ("RNE", "RTZ", "RDN", "RUP", "RMM")
SF_NAMES = ("none", "E8M0", "UE4M3")
# special-value classes an element can be in (coverage)
CLASSES = ("zero", "subnormal", "normal", "max", "inf", "qnan", "snan")


def legal_pairs() -> list[tuple[int, int]]:
    pairs = [(f, f) for f in range(8)]
    pairs += [(a, b) for a in EIGHT_BIT for b in EIGHT_BIT if a != b]
    return pairs


def is_legal(fa: int, fb: int, rm: int, sf: int) -> bool:
    return (fa, fb) in legal_pairs() and rm <= 4 and sf <= 2


def pair_name(fa: int, fb: int) -> str:
    na = FORMATS[fa][0] if fa in FORMATS else f"rsv{fa}"
    nb = FORMATS[fb][0] if fb in FORMATS else f"rsv{fb}"
    return na if fa == fb else f"{na}x{nb}"


def classes_of(fmt: int) -> tuple[str, ...]:
    """Classes that format `fmt` can represent."""
    _, bits, e, m, _, _, ieee = FORMATS[fmt]
    cl = ["zero", "subnormal", "normal", "max"]
    if ieee:
        cl += ["inf", "qnan"]
        if fmt in (0, 1, 2):
            cl.append("snan")
    elif fmt == 3:
        cl.append("qnan")
    return tuple(cl)


def _special_codes(fmt: int) -> dict[str, int]:
    """Magnitude encodings (sign bit clear) of the special values of a format."""
    _, bits, e, m, _, _, ieee = FORMATS[fmt]
    emax = (1 << e) - 1
    mall = (1 << m) - 1
    d = {"zero": 0, "minsub": 1, "maxsub": mall, "minnorm": 1 << m}
    if ieee:
        d["max"] = ((emax - 1) << m) | mall
        d["inf"] = emax << m
        d["qnan"] = (emax << m) | (1 << (m - 1))
        if fmt in (0, 1, 2):
            d["snan"] = (emax << m) | 1
    elif fmt == 3:
        d["max"] = 0x7E
        d["qnan"] = 0x7F
    else:
        d["max"] = (1 << (bits - 1)) - 1
    return d


def random_elements(rng: np.random.Generator, fmt: int, shape, p_special: float) -> np.ndarray:
    """Element bit patterns (uint64, in the low `bits` bits) with a share of special values."""
    _, bits, e, m, _, _, _ = FORMATS[fmt]
    bias = (1 << (e - 1)) - 1
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
    """[..., n] element patterns -> [...] uint32 lane words (element i at bit i*w).
    The unused top bits of 6-bit elements in 8-bit containers are randomized (ignored by the design)."""
    _, bits, _, _, n, w, _ = FORMATS[fmt]
    el = elems.astype(np.uint64)
    if bits < w and rng is not None:
        el = el | (rng.integers(0, 1 << (w - bits), size=el.shape, dtype=np.uint64) << np.uint64(bits))
    word = np.zeros(el.shape[:-1], dtype=np.uint64)
    for i in range(n):
        word |= el[..., i] << np.uint64(i * w)
    return word.astype(np.uint32)


def unpack_lanes(fmt: int, words: np.ndarray) -> np.ndarray:
    """[...] uint32 lane words -> [..., n] element patterns (for classification only)."""
    _, bits, _, _, n, w, _ = FORMATS[fmt]
    wd = words.astype(np.uint64)
    return np.stack([(wd >> np.uint64(i * w)) & np.uint64((1 << bits) - 1) for i in range(n)], axis=-1)


def element_classes(fmt: int, elems: np.ndarray) -> set[str]:
    """Which special-value classes occur among element patterns of a format."""
    if fmt not in FORMATS or elems.size == 0:
        return set()
    _, bits, e, m, _, _, ieee = FORMATS[fmt]
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
        if fmt in (0, 1, 2) and np.any(top & (man != 0) & (man >> np.uint64(m - 1) == 0)):
            found.add("snan")
        if np.any((ex > 0) & ~top):
            found.add("normal")
    else:
        if fmt == 3 and np.any(mag == 0x7F):
            found.add("qnan")
        nan = (mag == 0x7F) if fmt == 3 else np.zeros(mag.shape, bool)
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
    """The 64-bit command word (section 4); rsv_noise fills the reserved bits (they are ignored)."""
    w = (fa & 0xF) | ((fb & 0xF) << 4) | ((rm & 7) << 8) | ((sf & 3) << 11) | ((acc_c & 1) << 13)
    w |= (k & 0xFFFF) << 16
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
        return (f"fmt_a={self.fa}({FORMATS.get(self.fa, ('rsv',))[0]}) fmt_b={self.fb}"
                f"({FORMATS.get(self.fb, ('rsv',))[0]}) rm={self.rm}"
                f"({RM_NAMES[self.rm] if self.rm < 5 else 'illegal'}) scale_fmt={self.sf}"
                f"({SF_NAMES[self.sf] if self.sf < 3 else 'reserved'}) acc_c={self.acc_c} K={self.k}"
                f" legal={self.legal} word=0x{self.word:016x}")


def make_gemm(rng: np.random.Generator, rows: int, cols: int, fa: int, fb: int, rm: int, sf: int,
              acc_c: int, k: int, p_special: float = 0.1, tag: str = "") -> Gemm:
    """A random GEMM; reserved format codes get random lane words."""
    def operand(fmt, n_vec):
        if fmt in FORMATS:
            n = FORMATS[fmt][4]
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
