# SPDX-License-Identifier: Apache-2.0
"""Bulk-stimulus plumbing for the m890_mac benches: NumPy batches <-> the player's hex files, and a
vectorized scoreboard against models/fdpa.py. No cocotb import here (usable from scripts)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from models import fdpa as M
from models import formats as F

ROOT = Path(__file__).resolve().parents[2]
KEYS = ("fmt_a", "fmt_b", "rm", "scale_fmt", "a", "b", "c", "sa", "sb")


def documented_latency(num_pipe_regs: int | None = None) -> int:
    """LATENCY of m890_mac as documented in the RTL: `LATENCY = NUM_PIPE_REGS + N`, read from the source, with
    NUM_PIPE_REGS = the given build setting (None: the parameter's default in m890_mac.v)."""
    mac = (ROOT / "rtl" / "m890_mac.v").read_text()
    if num_pipe_regs is None:
        num_pipe_regs = int(re.search(r"parameter\s+NUM_PIPE_REGS\s*=\s*(\d+)", mac).group(1))
    n = int(re.search(r"localparam\s+LATENCY\s*=\s*NUM_PIPE_REGS\s*\+\s*(\d+)\s*;", mac).group(1))
    return int(num_pipe_regs) + n


def make_batch(**cols) -> dict:
    """Normalize a batch: every key of KEYS as an int64/uint32 array of one common length."""
    n = max(np.size(v) for v in cols.values())
    out = {}
    for k in KEYS:
        v = np.broadcast_to(np.asarray(cols.get(k, 127 if k in ("sa", "sb") else 0)), (n,))
        out[k] = v.astype(np.uint32 if k in ("a", "b", "c") else np.int64).copy()
    return out


def concat(*batches) -> dict:
    return {k: np.concatenate([b[k] for b in batches]) for k in KEYS}


def expected(batch) -> tuple[np.ndarray, np.ndarray]:
    return M.fdpa(batch["fmt_a"], batch["fmt_b"], batch["rm"], batch["a"], batch["b"], batch["c"],
                  batch["scale_fmt"], batch["sa"], batch["sb"])


def with_gaps(n: int, rng, gap_prob: float = 0.1, max_gap: int = 5) -> np.ndarray:
    """Issue slot of each of n operations in a stream with random idle gaps (valid low) of 1..max_gap cycles."""
    gaps = np.where(rng.random(n) < gap_prob, rng.integers(1, max_gap + 1, n), 0)
    return np.cumsum(gaps + 1) - 1


def write_stim(path: Path, batch: dict, slots: np.ndarray) -> int:
    """Write the player's stimulus file; returns the number of words (cycles) to play."""
    ncyc = int(slots[-1]) + 1 if len(slots) else 1
    w = np.zeros((ncyc, 4), dtype=np.uint32)
    hdr = ((np.uint64(1) << np.uint64(31))
           | (batch["rm"].astype(np.uint64) & np.uint64(7)) << np.uint64(28)
           | (batch["fmt_a"].astype(np.uint64) & np.uint64(15)) << np.uint64(24)
           | (batch["fmt_b"].astype(np.uint64) & np.uint64(15)) << np.uint64(20)
           | (batch["scale_fmt"].astype(np.uint64) & np.uint64(3)) << np.uint64(16)
           | (batch["sa"].astype(np.uint64) & np.uint64(255)) << np.uint64(8)
           | (batch["sb"].astype(np.uint64) & np.uint64(255)))
    w[slots, 0] = hdr.astype(np.uint32)
    w[slots, 1] = batch["a"]
    w[slots, 2] = batch["b"]
    w[slots, 3] = batch["c"]
    np.savetxt(path, w, fmt="%08x", delimiter="")
    return ncyc


def read_resp(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(z uint32, flags uint8, cycle int64) per logged result."""
    txt = path.read_text().split()
    if not txt:
        return (np.zeros(0, np.uint32), np.zeros(0, np.uint8), np.zeros(0, np.int64))
    z = np.array([int(t, 16) for t in txt[0::3]], dtype=np.uint32)
    fl = np.array([int(t, 16) for t in txt[1::3]], dtype=np.uint8)
    cy = np.array([int(t) for t in txt[2::3]], dtype=np.int64)
    return z, fl, cy


class Mismatch(AssertionError):
    pass


def scoreboard(batch, z_got, fl_got, *, what: str, seed, sim_time: str = "", log=print, max_report: int = 5,
               z_exp=None, fl_exp=None) -> int:
    """Compare a whole batch bit-for-bit with the golden model. Prints the first few mismatches decoded
    for a human and raises Mismatch. Returns the number of operations checked."""
    if z_exp is None:
        z_exp, fl_exp = expected(batch)
    n = len(z_exp)
    if len(z_got) != n:
        raise Mismatch(f"{what}: expected {n} results, got {len(z_got)} (seed {seed}, {sim_time})")
    bad = np.nonzero((z_got != z_exp) | (fl_got != fl_exp))[0]
    if bad.size:
        for i in bad[:max_report]:
            log(f"MISMATCH {what} op #{i} (seed {seed}{', ' + sim_time if sim_time else ''}):\n"
                + M.describe(batch["fmt_a"][i], batch["fmt_b"][i], batch["scale_fmt"][i], batch["a"][i],
                             batch["b"][i], batch["c"][i], batch["sa"][i], batch["sb"][i], batch["rm"][i])
                + f"\n  expected z={M.f32_str(z_exp[i])} flags={M.flags_str(fl_exp[i])} (0x{int(fl_exp[i]):02x})"
                + f"\n  got      z={M.f32_str(z_got[i])} flags={M.flags_str(fl_got[i])} (0x{int(fl_got[i]):02x})")
        raise Mismatch(f"{what}: {bad.size} of {n} results differ from models/fdpa.py (seed {seed})")
    return n


def fmt_pair_name(fa, fb) -> str:
    return F.fmt_name(fa) if fa == fb else f"{F.fmt_name(fa)}x{F.fmt_name(fb)}"


def softfloat_fma_mismatches(batch, z_got, fl_got) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Independent check of the FP32, no-scale rows against Berkeley SoftFloat f32_mulAdd (softfloatpy;
    tininess after rounding): the contract says this mode is exactly IEEE fusedMultiplyAdd. NaN results
    compare as "the canonical NaN" (SoftFloat propagates payloads, the contract does not).
    Returns (row indices checked, expected z, expected flags) of the rows that differ."""
    import softfloatpy as sf

    rms = (sf.RoundingMode.NEAR_EVEN, sf.RoundingMode.MIN_MAG, sf.RoundingMode.MIN, sf.RoundingMode.MAX,
           sf.RoundingMode.NEAR_MAX_MAG)
    sel = np.nonzero((batch["fmt_a"] == F.FP32) & (batch["fmt_b"] == F.FP32) & (batch["scale_fmt"] == 0)
                     & (batch["rm"] < 5))[0]
    f32 = sf.Float32.from_bytes
    sf.set_tininess_mode(sf.TininessMode.AFTER_ROUNDING)
    bad, bz, bf = [], [], []
    for i in sel:
        sf.set_rounding_mode(rms[int(batch["rm"][i])])
        sf.set_exception_flags(0)
        r = sf.Float32.mul_add(f32(int(batch["a"][i]).to_bytes(4, "big")), f32(int(batch["b"][i]).to_bytes(4, "big")),
                               f32(int(batch["c"][i]).to_bytes(4, "big")))
        zr = int.from_bytes(r.to_bytes(), "big")
        fr = sf.get_exception_flags() & 0x1F
        if (zr & 0x7F800000) == 0x7F800000 and zr & 0x7FFFFF:
            zr = M.QNAN
        if int(z_got[i]) != zr or int(fl_got[i]) != fr:
            bad.append(i), bz.append(zr), bf.append(fr)
    return np.array(bad, dtype=np.int64), np.array(bz, dtype=np.uint32), np.array(bf, dtype=np.uint8)
