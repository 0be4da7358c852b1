"""pyuvm environment for m890_tile (TinyALU/OpenTitan style).

    TileEnv
      agents: cmd, a, b, c (source agents: sequencer + driver + monitor), z (sink agent:
              back-pressure driver + packet monitor); the per-cycle work is in bfm.TileBfm
      scoreboard: rebuilds every GEMM from what the monitors saw on the ports, predicts it
              with models/gemm.py and compares Z and flags bit for bit
      coverage: format pair x rm x scale_fmt x special class x K bucket
    GemmSeq: virtual sequence that splits each stim.Gemm into per-stream items.
"""

from __future__ import annotations

import logging
import os

import cocotb
import numpy as np
from pyuvm import (
    ConfigDB,
    uvm_agent,
    uvm_analysis_port,
    uvm_component,
    uvm_driver,
    uvm_env,
    uvm_monitor,
    uvm_sequence,
    uvm_sequence_item,
    uvm_sequencer,
    uvm_tlm_analysis_fifo,
)

from tb.tile import stim
from tb.tile.stim import FORMATS, K_BUCKETS, RM_NAMES, SF_NAMES

MAX_MISMATCH_REPORTS = 5


# ------------------------------------------------------------------ items
class BeatsItem(uvm_sequence_item):
    """A run of beats for one source stream: list of (data, user)."""

    def __init__(self, name="beats", beats=None):
        super().__init__(name)
        self.beats = beats or []


class ReadyItem(uvm_sequence_item):
    """Back-pressure setting for the Z sink: probability of tready low."""

    def __init__(self, name="ready", stall=0.0):
        super().__init__(name)
        self.stall = stall


# ------------------------------------------------------------------ sequences
class BeatsSeq(uvm_sequence):
    def __init__(self, name, items):
        super().__init__(name)
        self.items = items

    async def body(self):
        for it in self.items:
            await self.start_item(it)
            await self.finish_item(it)


def gemm_beats(g: stim.Gemm):
    """Per-stream beat lists of one GEMM, packed with NumPy (one int per beat)."""
    cmd = [(g.word, 0)]
    a = [(stim.words_to_int(g.A[k]), stim.bytes_to_int(g.SA[k])) for k in range(g.k)]
    b = [(stim.words_to_int(g.B[k]), stim.bytes_to_int(g.SB[k])) for k in range(g.k)]
    c = [(stim.words_to_int(g.C[r]), 0) for r in range(g.C.shape[0])] if g.acc_c else []
    return cmd, a, b, c


class GemmSeq(uvm_sequence):
    """Virtual sequence: each GEMM becomes a command item, A and B beat runs and a C beat run."""

    def __init__(self, name, gemms, seqr):
        super().__init__(name)
        self.gemms = gemms
        self.seqr = seqr

    async def body(self):
        for g in self.gemms:
            cmd, a, b, c = gemm_beats(g)
            for s, beats in (("cmd", cmd), ("a", a), ("b", b), ("c", c)):
                if beats:
                    await BeatsSeq(f"{s}_seq", [BeatsItem(s, beats)]).start(self.seqr[s])


# ------------------------------------------------------------------ agent pieces
class SourceDriver(uvm_driver):
    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")
        self.stream = ConfigDB().get(self, "", "STREAM")

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            for data, user in item.beats:
                self.bfm.send(self.stream, data, user)
            self.seq_item_port.item_done()


class SinkDriver(uvm_driver):
    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            self.bfm.z_stall = item.stall
            self.seq_item_port.item_done()


class StreamMonitor(uvm_monitor):
    """Writes every handshaked beat (cycle, data, user) of one source stream."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")
        self.stream = ConfigDB().get(self, "", "STREAM")
        self.ap = uvm_analysis_port("ap", self)

    async def run_phase(self):
        q = self.bfm.mon[self.stream]
        while True:
            self.ap.write(await q.get())


class ZMonitor(uvm_monitor):
    """Assembles ROWS Z beats into one result packet (first cycle, Z [ROWS,COLS], F [ROWS,COLS])
    and checks tlast is on the last row only."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")
        self.ap = uvm_analysis_port("ap", self)
        self.packets = 0

    async def run_phase(self):
        q = self.bfm.mon["z"]
        rows, cols = self.bfm.rows, self.bfm.cols
        while True:
            Z = np.zeros((rows, cols), np.uint32)
            F = np.zeros((rows, cols), np.uint8)
            first = None
            for r in range(rows):
                cyc, data, user, last = await q.get()
                first = cyc if first is None else first
                Z[r] = stim.int_to_words(data, cols)
                F[r] = stim.flags_to_array(user, cols)
                if last != (r == rows - 1):
                    self.bfm.errors.append(
                        f"cycle {cyc}: Z packet {self.packets} row {r}: tlast={last}, expected {int(r == rows - 1)}")
            self.packets += 1
            self.ap.write((first, Z, F))


class SourceAgent(uvm_agent):
    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = SourceDriver("driver", self)
        self.monitor = StreamMonitor("monitor", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)


class SinkAgent(uvm_agent):
    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = SinkDriver("driver", self)
        self.monitor = ZMonitor("monitor", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)


# ------------------------------------------------------------------ coverage
class Coverage:
    """format pair x rm x scale_fmt x special class x K bucket, sampled per checked GEMM."""

    def __init__(self):
        self.cross: dict[tuple, int] = {}
        self.pair_rm: dict[tuple, int] = {}
        self.pair_sf: dict[tuple, int] = {}
        self.pair_k: dict[tuple, int] = {}
        self.fmt_class: dict[tuple, int] = {}
        self.illegal: dict[str, int] = {}
        self.pair: dict[str, int] = {}
        self.rm: dict[str, int] = {}
        self.sf: dict[str, int] = {}
        self.kb: dict[str, int] = {}
        self.k512: dict[bool, int] = {}

    @staticmethod
    def _inc(d, key):
        d[key] = d.get(key, 0) + 1

    def sample(self, g: stim.Gemm):
        if not g.legal:
            if (g.fa, g.fb) not in stim.legal_pairs():
                self._inc(self.illegal, "pair")
            if g.rm > 4:
                self._inc(self.illegal, "rm")
            if g.sf == 3:
                self._inc(self.illegal, "scale_fmt")
            if g.k == 0:
                self._inc(self.illegal, "K0")
            return
        pair = stim.pair_name(g.fa, g.fb)
        kb = stim.k_bucket(g.k)
        self._inc(self.pair, pair)
        self._inc(self.rm, RM_NAMES[g.rm])
        self._inc(self.sf, SF_NAMES[g.sf])
        self._inc(self.kb, kb)
        if g.k == 512:
            self._inc(self.k512, True)
        self._inc(self.pair_rm, (pair, RM_NAMES[g.rm]))
        self._inc(self.pair_sf, (pair, SF_NAMES[g.sf]))
        self._inc(self.pair_k, (pair, kb))
        cls = set()
        for fmt, ops in ((g.fa, g.A), (g.fb, g.B)):
            c = stim.element_classes(fmt, stim.unpack_lanes(fmt, ops))
            for x in c:
                self._inc(self.fmt_class, (FORMATS[fmt][0], x))
            cls |= c
        for x in cls or {"none"}:
            self._inc(self.cross, (pair, RM_NAMES[g.rm], SF_NAMES[g.sf], x, kb))

    def missing(self, promised: dict) -> list[str]:
        """promised: name -> iterable of keys that must have a non-zero count."""
        out = []
        for name, keys in promised.items():
            d = getattr(self, name)
            out += [f"{name}:{k}" for k in keys if d.get(k, 0) == 0]
        return out

    def report(self) -> str:
        lines = ["functional coverage (bins hit):"]
        for name in ("pair", "rm", "sf", "kb", "pair_rm", "pair_sf", "pair_k", "fmt_class", "illegal", "cross"):
            d = getattr(self, name)
            lines.append(f"  {name:10s}: {len(d)} bins hit, {sum(d.values())} samples")
        pairs = [stim.pair_name(a, b) for a, b in stim.legal_pairs()]
        lines.append("  pair x K bucket hits:")
        lines.append("    " + " ".join(f"{p:>9s}" for p in ["pair"] + list(K_BUCKETS)))
        for p in pairs:
            lines.append("    " + " ".join(f"{x:>9}" for x in [p] + [self.pair_k.get((p, kb), 0) for kb in K_BUCKETS]))
        return "\n".join(lines)


# ------------------------------------------------------------------ scoreboard
def _f32(u) -> str:
    return f"0x{int(u):08x} ({np.array(int(u), np.uint32).view(np.float32)!r})"


class Scoreboard(uvm_component):
    def build_phase(self):
        self.fifo = {s: uvm_tlm_analysis_fifo(f"{s}_fifo", self) for s in ("cmd", "a", "b", "c", "z")}
        self.bfm = ConfigDB().get(self, "", "BFM")
        self.coverage = Coverage()
        self.checked = 0
        self.mismatches = 0
        self.reports: list[str] = []
        self.seed = int(os.environ.get("M890_SEED", "1"))

    def _drain(self, s):
        out = []
        while True:
            ok, item = self.fifo[s].try_get()
            if not ok:
                return out
            out.append(item)

    def check_all(self) -> None:
        """Rebuild each GEMM from the observed beats, predict, compare (called once at the end)."""
        import importlib

        # the golden model; M890_TILE_MODEL names another module with the same gemm() (used to
        # check the bench plumbing against stand-in RTL)
        gemm = importlib.import_module(os.environ.get("M890_TILE_MODEL", "models.gemm")).gemm

        rows, cols = self.bfm.rows, self.bfm.cols
        cmds, a, b, c, z = (self._drain(s) for s in ("cmd", "a", "b", "c", "z"))
        ia = ib = ic = 0
        for n, (cyc, word, _u) in enumerate(cmds):
            fa, fb = word & 0xF, (word >> 4) & 0xF
            rm, sf, acc_c, k = (word >> 8) & 7, (word >> 11) & 3, (word >> 13) & 1, (word >> 16) & 0xFFFF
            if ia + k > len(a) or ib + k > len(b) or (acc_c and ic + rows > len(c)) or n >= len(z):
                self.reports.append(f"command {n} ({word:#018x}) incomplete: not enough beats/results seen")
                self.mismatches += 1
                break
            A = np.array([stim.int_to_words(x[1], rows) for x in a[ia:ia + k]], np.uint32).reshape(k, rows)
            SA = np.array([stim.int_to_bytes(x[2], rows) for x in a[ia:ia + k]], np.uint8).reshape(k, rows)
            B = np.array([stim.int_to_words(x[1], cols) for x in b[ib:ib + k]], np.uint32).reshape(k, cols)
            SB = np.array([stim.int_to_bytes(x[2], cols) for x in b[ib:ib + k]], np.uint8).reshape(k, cols)
            C = None
            if acc_c:
                C = np.array([stim.int_to_words(x[1], cols) for x in c[ic:ic + rows]], np.uint32)
                ic += rows
            ia += k
            ib += k
            g = stim.Gemm(fa, fb, rm, sf, acc_c, k, A, B, SA, SB, C, word)
            self.coverage.sample(g)
            zexp, fexp = gemm(fa, fb, rm, sf, A, B, SA, SB, C)
            zcyc, Z, F = z[n]
            bad = np.argwhere((Z != np.asarray(zexp, np.uint32)) | (F != np.asarray(fexp, np.uint8)))
            self.checked += 1
            if len(bad):
                self.mismatches += 1
                if len(self.reports) < MAX_MISMATCH_REPORTS:
                    self.reports.append(self._explain(n, g, bad, Z, F, zexp, fexp, zcyc))
        if len(z) > len(cmds):
            self.mismatches += 1
            self.reports.append(f"{len(z) - len(cmds)} result packets beyond the {len(cmds)} commands")
        if ia != len(a) or ib != len(b) or ic != len(c):
            self.reports.append(f"beats left unmatched: A {len(a) - ia}, B {len(b) - ib}, C {len(c) - ic}")

    def _explain(self, n, g, bad, Z, F, zexp, fexp, zcyc) -> str:
        lines = [f"MISMATCH in GEMM #{n} (result packet from cycle {zcyc}, "
                 f"sim time {cocotb.utils.get_sim_time('ns')} ns, seed {self.seed}): {g.describe()}",
                 f"  {len(bad)} of {Z.size} elements differ"]
        for r, c in bad[:3]:
            lines.append(f"  (r={r}, c={c}): got z={_f32(Z[r, c])} flags=0b{int(F[r, c]):05b}, "
                         f"expected z={_f32(zexp[r, c])} flags=0b{int(fexp[r, c]):05b}")
            if g.C is not None:
                lines.append(f"    C[{r}][{c}] = {_f32(g.C[r, c])}")
            for k in range(min(g.k, 4)):
                ea = stim.unpack_lanes(g.fa, g.A[k, r]) if g.fa in FORMATS else [g.A[k, r]]
                eb = stim.unpack_lanes(g.fb, g.B[k, c]) if g.fb in FORMATS else [g.B[k, c]]
                lines.append(f"    k={k}: A lane 0x{int(g.A[k, r]):08x} elems {[hex(int(x)) for x in ea]} "
                             f"scale_a 0x{int(g.SA[k, r]):02x} | B lane 0x{int(g.B[k, c]):08x} elems "
                             f"{[hex(int(x)) for x in eb]} scale_b 0x{int(g.SB[k, c]):02x}")
            if g.k > 4:
                lines.append(f"    ... {g.k - 4} more steps")
        return "\n".join(lines)


class TileEnv(uvm_env):
    def build_phase(self):
        self.agents = {s: SourceAgent(f"{s}_agent", self) for s in ("cmd", "a", "b", "c")}
        for s in self.agents:
            ConfigDB().set(self, f"{s}_agent.*", "STREAM", s)
        self.z_agent = SinkAgent("z_agent", self)
        self.scoreboard = Scoreboard("scoreboard", self)

    def connect_phase(self):
        for s, ag in self.agents.items():
            ag.monitor.ap.connect(self.scoreboard.fifo[s].analysis_export)
        self.z_agent.monitor.ap.connect(self.scoreboard.fifo["z"].analysis_export)

    @property
    def seqr(self):
        d = {s: ag.seqr for s, ag in self.agents.items()}
        d["z"] = self.z_agent.seqr
        return d


def quiet_pyuvm():
    logging.getLogger("pyuvm").setLevel(logging.WARNING)
