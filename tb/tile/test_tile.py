# SPDX-License-Identifier: Apache-2.0
"""pyuvm tests for m890_tile (run through tests/test_tile.py on every ROWS x COLS and simulator).

Every test extends TileBaseTest (tb/common/uvm.BenchTest): seed, ROWS/COLS and clock/reset come
from the BenchContext, stimulus from ``self.rng(...)`` (a stream per test and seed), checking
from the TLM-fed TileScoreboard, coverage from the TileCov subscriber.

TileRandomTest      random GEMMs over every legal format pair x rm x scale_fmt x K bucket, specials
                    sweeps, MX / NVFP4 scale patterns, illegal commands, K = 0 .. 512, idle and
                    back-pressure on every port; asserts the coverage bins it promises.
TileThroughputTest  back-to-back K = 64 commands, always-valid sources, always-ready sink:
                    utilization >= 95 % (lane steps / cycles from first A beat to last Z beat).
TileResetTest       reset in the middle of a GEMM (with beats and results in flight), then the
                    tile must be idle and compute the next GEMMs correctly.
"""

from __future__ import annotations

import cocotb
import numpy as np
import pyuvm
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge
from pyuvm import ConfigDB

from tb.common.uvm import BenchTest
from tb.tile import stim
from tb.tile.bfm import TileBfm
from tb.tile.stim import FORMATS, K_BUCKETS, RM_NAMES, SF_NAMES
from tb.tile.tile_env import TileEnv, TileGemmSeq, TileReadySeq


# ------------------------------------------------------------------ GEMM plans
def level(rows: int, cols: int, nacc: int = 1) -> str:
    """How much of the random plan a configuration runs (the 8x8 array costs ~20x the 2x3 per
    simulated cycle, and NACC multiplies the cycles of a GEMM): full on 1x1 / 2x3, medium on 4x4
    and 2x3 with NACC = 2, light on bigger arrays and deeper interleaves."""
    size = rows * cols * nacc
    return "full" if size <= 6 else ("medium" if size <= 16 else "light")


K_RANGES = {
    "full": {"K0": (0, 0), "K1": (1, 1), "K2-8": (2, 8), "K9-64": (9, 64), "K65-512": (65, 160)},
    "medium": {"K0": (0, 0), "K1": (1, 1), "K2-8": (2, 8), "K9-64": (9, 24), "K65-512": (65, 72)},
    "light": {"K0": (0, 0), "K1": (1, 1), "K2-8": (2, 4), "K9-64": (9, 12), "K65-512": (65, 65)},
}


def k_of_bucket(rng, bucket: str, lvl: str) -> int:
    lo, hi = K_RANGES[lvl][bucket]
    return int(rng.integers(lo, hi + 1))


def sweep_gemm(rng, rows, cols, fmt, rm, sf) -> stim.Gemm:
    """Every special encoding of `fmt`, both signs, tiled over A and B (class coverage)."""
    sp = np.array(list(stim._special_codes(fmt).values()), np.uint64)
    bits, n = FORMATS[fmt][1], FORMATS[fmt][4]
    codes = np.concatenate([sp, sp | np.uint64(1 << (bits - 1))])
    k = max(2, -(-len(codes) // (min(rows, cols) * n)))
    g = stim.make_gemm(rng, rows, cols, fmt, fmt, rm, sf, 1, k, p_special=0.3, tag="sweep")
    ea = np.resize(codes, (k, rows, n))
    eb = np.resize(np.roll(codes, 3), (k, cols, n))
    g.A = stim.pack_lanes(fmt, ea, rng)
    g.B = stim.pack_lanes(fmt, eb, rng)
    return g


def plan_random(rng, rows, cols, lvl: str | None = None) -> list[stim.Gemm]:
    """The random plan for GEMMs of rows x cols results (cols = NACC * COLS of the tile)."""
    lvl = lvl or level(rows, cols)
    gemms = []
    pairs = stim.legal_pairs()
    for i, (fa, fb) in enumerate(pairs):
        # full/medium: every pair x every rm, rotating scale format and K bucket so that pair x sf
        # and pair x K bucket are complete too; light: one command per pair, rotating rm/sf/K
        for rm in (range(5) if lvl != "light" else [i % 5]):
            sf = (rm + i) % 3
            kb = K_BUCKETS[(rm + 2 * i) % 5] if lvl != "light" else K_BUCKETS[i % 4]
            k = k_of_bucket(rng, kb, lvl)
            p = (0.0, 0.05, 0.2, 0.5)[int(rng.integers(0, 4))]
            gemms.append(stim.make_gemm(rng, rows, cols, fa, fb, rm, sf, int(rng.integers(0, 2)), k, p))
    for f in range(8):
        gemms.append(sweep_gemm(rng, rows, cols, f, int(rng.integers(0, 5)), f % 3))
    # MXFP4 / NVFP4 / MXFP8 scale patterns
    kl = 32 if lvl == "full" else 8
    gemms.append(stim.make_gemm(rng, rows, cols, 7, 7, 0, 1, 1, kl, 0.1, tag="MXFP4"))
    gemms.append(stim.make_gemm(rng, rows, cols, 7, 7, 0, 2, 1, kl, 0.1, tag="NVFP4"))
    gemms.append(stim.make_gemm(rng, rows, cols, 3, 4, 3, 1, 0, kl, 0.1, tag="MXFP8"))
    # illegal commands: pair, rm, scale_fmt, reserved codes, and with K = 0
    for fa, fb, rm, sf, acc, k in ((1, 2, 0, 0, 1, 5), (0, 3, 1, 0, 0, 3), (9, 9, 0, 0, 1, 2),
                                   (7, 7, 5, 1, 0, 4), (3, 3, 7, 0, 1, 1), (4, 4, 0, 3, 1, 6),
                                   (2, 2, 6, 3, 1, 0), (15, 1, 0, 0, 0, 0)):
        gemms.append(stim.make_gemm(rng, rows, cols, fa, fb, rm, sf, acc, k, 0.1, tag="illegal"))
    if lvl == "full":
        fa, fb = pairs[int(rng.integers(0, len(pairs)))]
        gemms.append(stim.make_gemm(rng, rows, cols, fa, fb, int(rng.integers(0, 5)), int(rng.integers(0, 3)),
                                    1, 512, 0.05, tag="K512"))
    order = rng.permutation(len(gemms))
    return [gemms[i] for i in order]


def promised_bins(lvl: str, nacc: int = 1):
    pairs = [stim.pair_name(a, b) for a, b in stim.legal_pairs()]
    bins = {
        "pair": pairs,
        "rm": list(RM_NAMES),
        "sf": list(SF_NAMES),
        "kb": list(K_BUCKETS) if lvl != "light" else list(K_BUCKETS[:4]),
        "fmt_class": [(FORMATS[f][0], c) for f in range(8) for c in stim.classes_of(f)],
        "illegal": ["pair", "rm", "scale_fmt", "K0"],
        "acc_c": [0, 1],
        "a_stall": [True],   # the A stream paused inside a GEMM
        "z_stall": [True],   # a Z packet back-pressured
        "nacc": [nacc],
    }
    if lvl != "light":
        bins["pair_rm"] = [(p, r) for p in pairs for r in RM_NAMES]
        bins["pair_sf"] = [(p, s) for p in pairs for s in SF_NAMES]
        bins["pair_k"] = [(p, kb) for p in pairs for kb in K_BUCKETS]
    if lvl == "full":
        bins["k512"] = [True]
    return bins


# ------------------------------------------------------------------ base test
class TileBaseTest(BenchTest):
    """Builds the BFM and the env; subclasses give the GEMM plan and stall settings."""

    idle = 0.25
    z_stall = 0.3
    timeout_per_step = 12

    def build_env(self):
        self.dut = self.ctx.dut
        self.rows, self.cols = self.ctx.param("ROWS", 4), self.ctx.param("COLS", 4)
        self.nacc = self.ctx.param("NACC", 1)
        self.gcols = self.cols * self.nacc   # columns of one command's result (ARCHITECTURE.md 4.1)
        self.bfm = TileBfm(self.dut, self.rows, self.cols, self.ctx.stream_seed(type(self).__name__), record=False,
                           nacc=self.nacc)
        ConfigDB().set(None, "*", "BFM", self.bfm)
        self.env = TileEnv("env", self)

    def plan(self) -> list[stim.Gemm]:
        raise NotImplementedError

    async def start_clock_and_reset(self):
        self.ctx.start_clock()
        await self.bfm.reset()
        self.bfm.start()

    async def set_backpressure(self, stall: float):
        await TileReadySeq("ready", stall).start(self.env.seqr["z"])

    async def run_gemms(self, gemms, label=""):
        """Send the GEMMs (the sequence ends when the DUT has taken every beat), then wait until
        every result packet is in (or fail on a hang)."""
        want = self.env.z_agent.monitor.packets + len(gemms)
        steps = sum(g.k for g in gemms) * self.nacc
        budget = int((steps + len(gemms) * (self.rows * self.nacc + 8)) * self.timeout_per_step) + 2000
        seq = cocotb.start_soon(TileGemmSeq("gemms", gemms, self.env.seqr, self.cols).start())
        for _ in range(budget // 100):
            if self.env.z_agent.monitor.packets >= want and seq.done():
                break
            await ClockCycles(self.dut.clk, 100)
        got = self.env.z_agent.monitor.packets
        assert got >= want and seq.done(), (
            f"{label}: hang: {got} of {want} result packets after {budget} cycles "
            f"(beats taken: {self.bfm.beats}, still queued: {self.bfm.pending()}, seed {self.seed})")
        await ClockCycles(self.dut.clk, 20)

    async def run_phase(self):
        self.raise_objection()
        await self.start_clock_and_reset()
        self.bfm.set_stalls(self.idle)
        await self.set_backpressure(self.z_stall)
        gemms = self.plan()
        await self.run_gemms(gemms, type(self).__name__)
        self.drop_objection()

    def check_phase(self):
        sb = self.env.scoreboard
        assert not self.bfm.errors, "protocol errors:\n" + "\n".join(self.bfm.errors[:10])
        assert sb.checked > 0, "no GEMM was checked"
        self.logger.warning(f"{type(self).__name__} {self.rows}x{self.cols} NACC={self.nacc}: "
                            f"{sb.checked} GEMMs checked bit-exact, "
                            f"{self.bfm.cycle} cycles, beats {self.bfm.beats}")


@pyuvm.test()
class TileRandomTest(TileBaseTest):
    """Random GEMMs in three stall regimes; asserts the coverage bins it promises."""

    async def run_phase(self):
        self.raise_objection()
        await self.start_clock_and_reset()
        gemms = plan_random(self.rng("plan"), self.rows, self.gcols, level(self.rows, self.cols, self.nacc))
        # three stall regimes over the run: moderate everywhere, heavy sink back-pressure with
        # eager sources, starved sources with an eager sink
        thirds = np.array_split(np.arange(len(gemms)), 3)
        regimes = [(0.25, 0.3), ({"cmd": 0.1, "a": 0.05, "b": 0.1, "c": 0.0}, 0.7), (0.6, 0.05)]
        for idx, (idle, zst) in zip(thirds, regimes):
            self.bfm.set_stalls(idle)
            await self.set_backpressure(zst)
            await self.run_gemms([gemms[i] for i in idx], "TileRandomTest")
        self.drop_objection()

    def check_phase(self):
        super().check_phase()
        cov = self.env.cov
        self.logger.warning(cov.report())
        # `make coverage` collects fcov*.txt from the build directory into its report
        (self.ctx.build_dir / f"fcov_tile_{self.rows}x{self.cols}_nacc{self.nacc}.txt").write_text(cov.report() + "\n")
        missing = cov.missing(promised_bins(level(self.rows, self.cols, self.nacc), self.nacc))
        assert not missing, f"{len(missing)} promised coverage bins not hit: {missing[:20]}"


@pyuvm.test()
class TileThroughputTest(TileBaseTest):
    """Back-to-back K = 64 commands, always-valid sources, always-ready sink: utilization >= 95 %."""

    idle = 0.0
    z_stall = 0.0
    K = 64

    @property
    def N(self):
        return 12 if self.rows * self.cols * self.nacc <= 16 else 8

    def plan(self):
        rng = self.rng("plan")
        pairs = stim.legal_pairs()
        out = []
        for n in range(self.N):
            fa, fb = pairs[int(rng.integers(0, len(pairs)))]
            out.append(stim.make_gemm(rng, self.rows, self.gcols, fa, fb, n % 5, n % 3, n % 2, self.K, 0.05))
        return out

    def check_phase(self):
        super().check_phase()
        steps = self.K * self.N * self.nacc   # PE lane steps (ARCHITECTURE.md 4.1)
        cycles = self.bfm.last_z_cycle - self.bfm.first_ab_cycle + 1
        util = steps / cycles
        self.logger.warning(f"utilization {self.rows}x{self.cols} NACC={self.nacc} K={self.K} x {self.N} commands: "
                            f"{steps} lane steps / {cycles} cycles = {100 * util:.2f} %")
        assert util >= 0.95, f"utilization {100 * util:.2f} % < 95 %"


@pyuvm.test()
class TileResetTest(TileBaseTest):
    """Reset in the middle of a GEMM (beats and results in flight); then the tile must be idle
    and compute the next GEMMs correctly."""

    idle = 0.1
    z_stall = 0.2

    async def run_phase(self):
        self.raise_objection()
        await self.start_clock_and_reset()
        self.bfm.set_stalls(self.idle)
        await self.set_backpressure(self.z_stall)
        rows, cols = self.rows, self.gcols
        rng = self.rng("plan")
        # a long GEMM and a queued one with C: reset lands mid-computation
        pre = [stim.make_gemm(rng, rows, cols, 1, 1, 0, 0, 1, 40, 0.05),
               stim.make_gemm(rng, rows, cols, 3, 3, 0, 1, 1, 8, 0.05)]
        seq = cocotb.start_soon(TileGemmSeq("pre", pre, self.env.seqr, self.cols).start())
        await ClockCycles(self.dut.clk, 25)
        assert self.bfm.beats["z"] == 0, "the reset was meant to land before the first result"
        # reset mid-GEMM: drop everything queued (this releases the drivers), then restart
        self.bfm.stop()
        for _ in range(50):  # each flush releases the items in the drivers; the sequences send the rest
            self.bfm.flush()
            if seq.done():
                break
            await RisingEdge(self.dut.clk)
        assert seq.done(), "the sequences did not drain after the reset flush"
        await self.bfm.reset(3)
        await ReadOnly()
        assert int(self.dut.m_axis_z_tvalid.value) == 0, "Z valid right after reset"
        assert int(self.dut.s_axis_cmd_tready.value) == 1, "tile not ready for a command after reset"
        assert int(self.dut.s_axis_a_tready.value) == 0, "A ready with no command after reset"
        await RisingEdge(self.dut.clk)
        await ClockCycles(self.dut.clk, 2)
        # forget whatever the monitors and the scoreboard saw before the reset
        for ag in list(self.env.agents.values()) + [self.env.z_agent]:
            ag.monitor.flush()
        await ClockCycles(self.dut.clk, 1)
        self.env.scoreboard.flush()
        self.env.z_agent.monitor.packets = 0
        self.bfm.start()
        post = [stim.make_gemm(rng, rows, cols, 0, 0, r, 0, 1, 6, 0.1) for r in range(3)]
        post += [stim.make_gemm(rng, rows, cols, 7, 7, 0, 2, 0, 10, 0.1)]
        await self.run_gemms(post, "TileResetTest")
        self.drop_objection()
