# SPDX-License-Identifier: Apache-2.0
"""pyuvm environment for m890_tile (TinyALU / OpenTitan structure, tb/common/uvm.py bases).

    TileEnv
      tile_agent x4 (cmd, a, b, c): sequencer + TileDriver + TileMonitor; the driver hands an
              item's beats to the BFM and finishes the item only when the DUT has taken its
              last beat (AxisSource.send); the monitor publishes every handshaked beat
              (cycle, data, user) through its analysis port
      tile_z_agent: sequencer + TileZDriver (back-pressure setting items) + TileZMonitor, which
              assembles ROWS beats into a TileResult and publishes it
      TileScoreboard (tile_scoreboard.py): fed by analysis FIFOs, rebuilds every GEMM from what
              the monitors saw, predicts it with models/gemm.py, compares Z and flags bit for
              bit, and publishes each checked GEMM (TileGemmTxn) on its analysis port
      TileCov (tile_cov.py): uvm_subscriber on the scoreboard's port, cocotb-coverage covergroup
    TileGemmSeq: virtual sequence; one TileStreamSeq per stream runs concurrently (A and B share
              the DUT's handshake, so the streams must not wait for each other), each sending one
              TileStreamItem (the GEMM's beats on that stream) per GEMM.
The per-cycle work is bfm.TileBfm (tb/common/axis.py), pyuvm works per transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import cocotb
import numpy as np
from cocotb.queue import Queue
from pyuvm import (
    ConfigDB,
    uvm_agent,
    uvm_analysis_port,
    uvm_driver,
    uvm_env,
    uvm_monitor,
    uvm_sequence,
    uvm_sequence_item,
    uvm_sequencer,
)

from models.gemm import to_beats
from tb.common.uvm import ItemListSeq
from tb.tile import stim

SOURCES = ("cmd", "a", "b", "c")


# ------------------------------------------------------------------ items
class TileStreamItem(uvm_sequence_item):
    """The beats of one GEMM on one source stream: list of (data, user, last)."""

    def __init__(self, name="beats", beats=None):
        super().__init__(name)
        self.beats = beats or []

    def __str__(self):
        return f"{self.get_name()}: {len(self.beats)} beats"


class TileReadyItem(uvm_sequence_item):
    """Back-pressure setting for the Z sink: probability of tready low per cycle."""

    def __init__(self, name="ready", stall=0.0):
        super().__init__(name)
        self.stall = stall


@dataclass
class TileResult:
    """One Z packet as the Z monitor saw it: ROWS * NACC beats."""
    index: int
    first_cycle: int
    last_cycle: int
    Z: np.ndarray  # [ROWS, NACC*COLS] uint32
    F: np.ndarray  # [ROWS, NACC*COLS] uint8 flags
    tlast_errors: list
    bp_cycles: int = 0  # cycles its beats waited for tready (back-pressure seen on the port)


# ------------------------------------------------------------------ sequences
def gemm_beats(g: stim.Gemm, cols: int | None = None):
    """Per-stream beat lists (data, user) of one GEMM, packed with NumPy (one int per beat). `cols`:
    the tile's COLS when g has NACC*COLS columns (ARCHITECTURE.md 4.1: B and C in NACC beats each)."""
    cols = cols or g.B.shape[1]
    cmd = [(g.word, 0)]
    a = [(stim.words_to_int(g.A[k]), stim.bytes_to_int(g.SA[k])) for k in range(g.k)]
    B, SB = to_beats(g.B, cols), to_beats(g.SB, cols)
    b = [(stim.words_to_int(B[i]), stim.bytes_to_int(SB[i])) for i in range(B.shape[0])]
    c = [(stim.words_to_int(w), 0) for w in to_beats(g.C, cols)] if g.acc_c else []
    return cmd, a, b, c


class TileStreamSeq(ItemListSeq):
    """Sends a list of TileStreamItems on one stream, in order."""


class TileReadySeq(TileStreamSeq):
    def __init__(self, name, stall: float):
        super().__init__(name, [TileReadyItem("ready", stall)])


class TileGemmSeq(uvm_sequence):
    """Virtual sequence: every GEMM becomes one item per stream (command, A run, B run, C run);
    the four stream sequences run concurrently and the body ends when the DUT has taken all."""

    def __init__(self, name, gemms, seqr: dict, cols: int | None = None):
        super().__init__(name)
        self.gemms = gemms
        self.seqr = seqr
        self.cols = cols  # the tile's COLS (B and C beat width) when the GEMMs are NACC*COLS wide

    async def body(self):
        per = {s: [] for s in SOURCES}
        for n, g in enumerate(self.gemms):
            for s, beats in zip(SOURCES, gemm_beats(g, self.cols)):
                if beats:
                    per[s].append(TileStreamItem(f"{s}{n}", [(d, u, 0) for d, u in beats]))
        tasks = [cocotb.start_soon(TileStreamSeq(f"{s}_seq", items).start(self.seqr[s]))
                 for s, items in per.items() if items]
        for t in tasks:
            await t


# ------------------------------------------------------------------ agent pieces
class TileDriver(uvm_driver):
    """Source driver: an item is done when the DUT has accepted its last beat."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")
        self.stream = ConfigDB().get(self, "", "STREAM")
        self.src = self.bfm.src[self.stream]

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            await self.src.send(item.beats)
            self.seq_item_port.item_done()


class TileZDriver(uvm_driver):
    """Sink driver: applies back-pressure settings to the Z port."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            self.bfm.set_backpressure(item.stall)
            self.seq_item_port.item_done()


class TileMonitor(uvm_monitor):
    """Publishes every handshaked beat (cycle, data, user) of one source stream."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")
        self.stream = ConfigDB().get(self, "", "STREAM")
        self.ap = uvm_analysis_port("ap", self)

    def start_of_simulation_phase(self):
        self.q = Queue()
        q = self.q
        self.bfm.src[self.stream].add_observer(lambda cyc, data, user, last: q.put_nowait((cyc, data, user)))

    def flush(self):
        while not self.q.empty():
            self.q.get_nowait()

    async def run_phase(self):
        while True:
            self.ap.write(await self.q.get())


class TileZMonitor(uvm_monitor):
    """Assembles ROWS * NACC Z beats into one TileResult (tlast must be on the last beat only)."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")
        self.ap = uvm_analysis_port("ap", self)
        self.packets = 0

    def start_of_simulation_phase(self):
        self.q = Queue()
        q, snk = self.q, self.bfm.snk
        snk.add_observer(lambda cyc, data, user, last: q.put_nowait((cyc, data, user, last, snk.beat_wait)))

    def flush(self):
        while not self.q.empty():
            self.q.get_nowait()

    async def run_phase(self):
        q = self.q
        rows, cols, nb = self.bfm.rows, self.bfm.cols, self.bfm.z_beats
        while True:
            beats = []
            first = cyc = None
            errs = []
            bp = 0
            for i in range(nb):
                cyc, data, user, last, wait = await q.get()
                bp += wait
                first = cyc if first is None else first
                beats.append((data, user))
                if last != (i == nb - 1):
                    errs.append(f"cycle {cyc}: Z packet {self.packets} beat {i}: tlast={last}, "
                                f"expected {int(i == nb - 1)}")
            Z, F = stim.z_packet(beats, rows, cols)
            self.ap.write(TileResult(self.packets, first, cyc, Z, F, errs, bp))
            self.packets += 1


class TileAgent(uvm_agent):
    """Source agent for one of cmd, a, b, c (STREAM in the ConfigDB)."""

    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = TileDriver("driver", self)
        self.monitor = TileMonitor("monitor", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)


class TileZAgent(uvm_agent):
    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = TileZDriver("driver", self)
        self.monitor = TileZMonitor("monitor", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)


class TileEnv(uvm_env):
    def build_phase(self):
        from tb.tile.tile_cov import TileCov
        from tb.tile.tile_scoreboard import TileScoreboard

        self.agents = {s: TileAgent(f"{s}_agent", self) for s in SOURCES}
        for s in SOURCES:
            ConfigDB().set(self, f"{s}_agent.*", "STREAM", s)
        self.z_agent = TileZAgent("z_agent", self)
        self.scoreboard = TileScoreboard("scoreboard", self)
        self.cov = TileCov("cov", self)

    def connect_phase(self):
        for s, ag in self.agents.items():
            ag.monitor.ap.connect(self.scoreboard.fifo[s].analysis_export)
        self.z_agent.monitor.ap.connect(self.scoreboard.fifo["z"].analysis_export)
        self.scoreboard.ap.connect(self.cov.analysis_export)

    @property
    def seqr(self) -> dict:
        d = {s: ag.seqr for s, ag in self.agents.items()}
        d["z"] = self.z_agent.seqr
        return d
