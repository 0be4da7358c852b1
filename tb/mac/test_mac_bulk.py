# SPDX-License-Identifier: Apache-2.0
"""m890_mac bulk bench: NumPy-generated batches played through tb/mac/m890_mac_player.v (one operation per
cycle with random idle gaps), results logged by the player and checked bit-for-bit against models/fdpa.py
in one vectorized pass. Python never runs per cycle here.

Knobs (run_bench(knobs=...), read through BenchContext): scale (float, default 1.0) scales every batch
size; wide_n (lane steps per wide format, default 200000); pairs (a comma list like "3x3,3x4") replaces the
pair list of an exhaustive half; scale_grid=full plays the full scale grid on Icarus too. Throughput numbers
are written as the result `mac_stats_<test>` (scripts/bench_mac.py reads them). Every bulk test has its own name so parallel runs sharing a build directory never share a
results file."""

from __future__ import annotations

import os
import time

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, RisingEdge

from models import formats as F
from tb.common.context import BenchContext

from . import gen
from .batch import (documented_latency, expected, fmt_pair_name, read_resp, scoreboard,
                    softfloat_fma_mismatches, with_gaps, write_stim)

DEPTH = 131072  # the player's stimulus memory (words)


class PlayerTB:
    """Owns the clock and reset of m890_mac_player and plays whole batches through it."""

    def __init__(self, dut):
        self.dut = dut
        self.log = dut._log
        self.ctx = BenchContext(dut)
        self.seed = self.ctx.run_seed  # the SEED= to rerun with (messages)
        self.scale = self.ctx.knob("scale", 1.0)
        self.latency = documented_latency(self.ctx.params.get("NUM_PIPE_REGS"))
        self.ops_checked = 0
        self.sim_seconds = 0.0
        self.sim_cpu_seconds = 0.0
        self.model_cpu_seconds = 0.0
        self.softfloat_checked = 0
        self._file_id = os.getpid() & 0xFFFFFF  # parallel parts share the run directory
        self.ctx.start_clock()

    async def reset(self):
        self.dut.rst_n.value = 0
        self.dut.start.value = 0
        self.dut.n_vec.value = 0
        self.dut.file_id.value = self._file_id
        await ClockCycles(self.dut.clk, 3)
        self.dut.rst_n.value = 1
        await ClockCycles(self.dut.clk, 2)

    async def play(self, batch, rng, what, gap_prob=0.1, max_gap=4, softfloat=False):
        """Play a batch (chunked to the player depth) and check it against models/fdpa.py (and, softfloat=True,
        its FP32 no-scale rows also against Berkeley SoftFloat f32_mulAdd). Returns ops checked."""
        n = len(batch["a"])
        m0 = time.process_time()
        z_exp, fl_exp = expected(batch)
        self.model_cpu_seconds += time.process_time() - m0
        done = 0
        while done < n:
            # chunk so that operations plus gaps fit in the player memory
            m = min(n - done, DEPTH * 3 // 4)
            sub = {k: v[done:done + m] for k, v in batch.items()}
            slots = with_gaps(m, rng, gap_prob, max_gap)
            stim = self.ctx.build_dir / f"mac_stim_{self._file_id}.hex"
            ncyc = write_stim(stim, sub, slots)
            assert ncyc <= DEPTH
            t0 = time.perf_counter()
            c0 = time.process_time()
            self.dut.n_vec.value = ncyc
            self.dut.start.value = 1
            await RisingEdge(self.dut.clk)
            self.dut.start.value = 0
            await RisingEdge(self.dut.done)
            self.sim_seconds += time.perf_counter() - t0
            self.sim_cpu_seconds += time.process_time() - c0
            z, fl, cy = read_resp(self.ctx.build_dir / f"mac_resp_{self._file_id}.txt")
            assert len(z) == m, f"{what}: {m} operations issued, {len(z)} results (seed {self.seed})"
            lat = cy - slots
            assert np.all(lat == self.latency), (
                f"{what}: result cycles do not match issue cycle + LATENCY={self.latency}: "
                f"measured latencies {np.unique(lat)[:8]} (seed {self.seed})")
            scoreboard(sub, z, fl, what=what, seed=self.seed, sim_time=f"sim time {cocotb.utils.get_sim_time('ns')} ns",
                       log=self.log.error, z_exp=z_exp[done:done + m], fl_exp=fl_exp[done:done + m])
            if softfloat:
                bad, bz, bf = softfloat_fma_mismatches(sub, z, fl)
                if bad.size:
                    sel = {k: v[bad] for k, v in sub.items()}
                    scoreboard(sel, z[bad], fl[bad], what=what + " vs Berkeley SoftFloat f32_mulAdd", seed=self.seed,
                               log=self.log.error, z_exp=bz, fl_exp=bf)
                self.softfloat_checked += int(np.sum((sub["fmt_a"] == F.FP32) & (sub["scale_fmt"] == 0)))
            done += m
            await RisingEdge(self.dut.clk)
        self.ops_checked += n
        return n


def _stats(tb, test):
    """Throughput numbers of this test as the result mac_stats_<test> (scripts/bench_mac.py)."""
    tb.ctx.write_result(f"mac_stats_{test}", dict(test=test, sim=tb.ctx.sim, ops=tb.ops_checked,
                                                  wall_s=tb.sim_seconds, cpu_s=tb.sim_cpu_seconds,
                                                  model_cpu_s=tb.model_cpu_seconds))


def _rng(tb, salt):
    return tb.ctx.rng(f"bulk{salt}")


def _scaled(tb, n):
    return max(1, int(n * tb.scale))


# the exhaustive sweep in two halves of similar cost (the 65536-operation pairs are the heavy ones)
HALF_A = [(3, 3), (3, 4), (3, 5), (3, 6), (5, 3), (5, 5), (5, 6), (6, 3), (6, 6), (7, 7)]
HALF_B = [(4, 4), (4, 3), (4, 5), (4, 6), (5, 4), (6, 4), (6, 5)]
assert sorted(HALF_A + HALF_B) == sorted(gen.EXHAUSTIVE_PAIRS)


async def _exhaustive(dut, pairs, name):
    tb = PlayerTB(dut)
    await tb.reset()
    sel = tb.ctx.knob("pairs", "")
    if sel:
        pairs = [tuple(int(x) for x in p.split("x")) for p in sel.split(",")]
    for fa, fb in pairs:
        rng = _rng(tb, 100 + 16 * fa + fb)
        reps = 8 if fa == F.E2M1 else 1
        batch = gen.exhaustive_pair(fa, fb, rng, reps=reps)
        if tb.scale < 1.0:
            batch = {k2: v[:_scaled(tb, len(v))] for k2, v in batch.items()}
        n = await tb.play(batch, rng, f"exhaustive {fmt_pair_name(fa, fb)}")
        tb.log.info(f"exhaustive {fmt_pair_name(fa, fb)}: {n} operations match")
    tb.log.info(f"{tb.ops_checked} operations, {tb.ops_checked / tb.sim_seconds:.0f} op/s in the player (wall), "
                 f"{tb.ops_checked / max(tb.sim_cpu_seconds, 1e-9):.0f} op/s per CPU second")
    _stats(tb, name)


@cocotb.test()
async def test_exhaustive_half_a(dut):
    """Every (a, b) code pair, in every lane position, of E4M3 x {all 8-bit}, E3M2 x {all}, E2M3 x E4M3/E2M3, E2M1."""
    await _exhaustive(dut, HALF_A, "exhaustive_a")


@cocotb.test()
async def test_exhaustive_half_b(dut):
    """Every (a, b) code pair, in every lane position, of E5M2 x {all 8-bit}, E2M3 x E5M2/E3M2 etc. (the rest)."""
    await _exhaustive(dut, HALF_B, "exhaustive_b")


async def _wide(dut, fmts, name):
    tb = PlayerTB(dut)
    await tb.reset()
    n = _scaled(tb, tb.ctx.knob("wide_n", 200000))
    for fmt in fmts:
        rng = _rng(tb, 200 + fmt)
        batch = gen.wide_format(fmt, n, rng)
        await tb.play(batch, rng, f"wide {F.fmt_name(fmt)}", softfloat=(fmt == F.FP32))
        tb.log.info(f"wide {F.fmt_name(fmt)}: {n} lane steps match"
                    + (f" ({tb.softfloat_checked} of them also match Berkeley SoftFloat f32_mulAdd)"
                       if fmt == F.FP32 else ""))
    tb.log.info(f"{tb.ops_checked} operations, {tb.ops_checked / tb.sim_seconds:.0f} op/s in the player (wall), "
                 f"{tb.ops_checked / max(tb.sim_cpu_seconds, 1e-9):.0f} op/s per CPU second")
    _stats(tb, name)


@cocotb.test()
async def test_wide_fp32(dut):
    """FP32: corner generator + random, knob wide_n (200,000) lane steps, all rounding modes."""
    await _wide(dut, [F.FP32], "wide_fp32")


@cocotb.test()
async def test_wide_fp16(dut):
    """FP16: corner generator + random, knob wide_n (200,000) lane steps, all rounding modes."""
    await _wide(dut, [F.FP16], "wide_fp16")


@cocotb.test()
async def test_wide_bf16(dut):
    """BF16: corner generator + random (incl. c = -(larger product)), knob wide_n lane steps, all rms."""
    await _wide(dut, [F.BF16], "wide_bf16")


@cocotb.test()
async def test_scale_byte_sweep(dut):
    """All 256 values of each scale byte, in both positions, for E8M0 and for UE4M3 (random formats and
    operands). Verilator: the full 256 x 256 grid; Icarus (slower): every value with 24 random partners."""
    tb = PlayerTB(dut)
    await tb.reset()
    full = tb.ctx.sim != "icarus" or tb.ctx.knob("scale_grid", "") == "full"
    for sf in (F.SCALE_E8M0, F.SCALE_UE4M3):
        rng = _rng(tb, 300 + sf)
        batch = gen.scale_sweep(sf, rng, partners=None if full else 24)
        if tb.scale < 1.0:
            batch = {k: v[:_scaled(tb, len(v))] for k, v in batch.items()}
        await tb.play(batch, rng, f"scale sweep {F.SCALE_NAMES[sf]} ({'full grid' if full else 'partial'})")


@cocotb.test()
async def test_mixed_stream(dut):
    """All format pairs, scale formats, rounding modes and illegal operations interleaved back to back."""
    tb = PlayerTB(dut)
    await tb.reset()
    rng = _rng(tb, 400)
    n = 40000 if tb.ctx.sim != "icarus" else 16000
    await tb.play(gen.mixed(_scaled(tb, n), rng), rng, "mixed stream", gap_prob=0.3, max_gap=9)
