# SPDX-License-Identifier: Apache-2.0
"""pyuvm environment for the ICN endpoint bench (tb/icn/m890_tb_icn_top.v: endpoints A and B
back to back through two hostile channels).

The per-cycle work stays in test-only Verilog, because speed is a feature here (10^5..10^6
beats per run): per-VC message sources (m890_tb_icn_src), checking sinks that regenerate the
expected stream and fold a signature (m890_tb_icn_snk) and the channels with their error
injection (m890_tb_icn_channel). Python sits on top of them with the usual pyuvm parts, per
transaction:

    IcnEnv
      source_agent  IcnSourceDriver: an IcnTrafficItem programs the Verilog sources (packets per
                    VC, idle probability) and finishes when the sources report (src_*_done
                    ports) that the endpoints have accepted every packet
      sink_agent    IcnSinkDriver: IcnSinkItem = back-pressure probability and per-VC stalls of
                    the receivers
      ch_ab/ch_ba   IcnChannelDriver: IcnChannelItem (error rates, stall) and IcnKillItem
                    (directed kill/corrupt of the next N flits of some types)
      monitor       IcnMonitor: every `poll` cycles (and on demand) reads the top's status ports
                    - never hierarchy - into an IcnSnapshot and publishes it
      scoreboard    IcnScoreboard, fed by an analysis FIFO: progress watchdog while running;
                    at the end every stream (side x VC) against the golden model
                    (models/icn_model.py: packets, beats, signature) and the end-of-run state
                    (link up, everything acknowledged, credits conserved, buffers empty)
      cov           IcnCov: recovery mechanisms and channel events seen (cocotb-coverage)

The generators and channels latch their seeds at reset: program them (``IcnEnv.seed``, channel
items) before the reset.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cocotb.triggers import ClockCycles, RisingEdge
from pyuvm import (
    ConfigDB,
    uvm_agent,
    uvm_analysis_port,
    uvm_driver,
    uvm_env,
    uvm_monitor,
    uvm_sequence_item,
    uvm_sequencer,
)

from models import icn_model as im
from tb.common.uvm import BenchCoverage, BenchScoreboard, ItemListSeq, bench_ctx

STAT_NAMES = ("tx_flits", "tx_data", "rx_flits", "rx_data", "crc_err", "nak_tx", "nak_rx",
              "replay", "timeout", "reinit", "dup", "rx_ovf", "peer_rst", "tx_drop", "rx_abort")
CHAN_COUNTERS = ("in", "out", "biterr", "burst", "drop", "dup", "garb", "stall", "kill")
KILL_CODES = {"IDLE": 0, "DATA": 1, "NAK": 2, "INIT": 3}
DEFAULT_PARAMS = {"DATA_W": 256, "NUM_VC": 3, "GROUP": 1, "SEQ_W": 8, "REPLAY_DEPTH": 32, "RX_DEPTH": 32,
                  "TIMEOUT": 256, "MAX_RETRY": 8, "NAK_REARM": 32, "LAT": 4, "MAX_PKT": 8}


def flit_width(data_w: int, group: int = 1) -> int:
    """The endpoint's default FLIT_W for a link format (GROUP beats per flit)."""
    return im.default_flit_w(data_w, group)


# ------------------------------------------------------------------ configuration
@dataclass
class ChanCfg:
    ber: float = 0.0      # random bit-error rate
    burst: float = 0.0    # per-flit probability of a 2..32-bit burst
    drop: float = 0.0     # per-flit drop probability
    dup: float = 0.0      # per-slot probability of emitting a duplicate of the previous flit
    garb: float = 0.0     # per-slot probability of inserting a garbage flit
    stall: float = 0.0    # per-cycle probability of link_tx_ready low


@dataclass
class RunCfg:
    pkts: int = 3800              # packets per VC per direction (before the ICN_SCALE knob)
    idle: float = 0.05            # source idle probability per cycle
    bp: float = 0.10              # sink back-pressure probability per cycle
    ab: ChanCfg = field(default_factory=ChanCfg)
    ba: ChanCfg = field(default_factory=ChanCfg)
    watchdog: int = 40000         # cycles without any delivered beat before failing
    min_beats: int = 0            # the run must deliver at least this many beats (at ICN_SCALE >= 1)
    scaled: bool = True           # False: directed tests ignore ICN_SCALE (they are short anyway)
    poll: int = 256               # cycles between monitor samples (sets the end-time resolution)


# ------------------------------------------------------------------ items and sequences
class IcnTrafficItem(uvm_sequence_item):
    """Send `pkts` packets per VC from both sides (idle probability `idle` per cycle)."""

    def __init__(self, name="traffic", pkts=1, idle=0.0):
        super().__init__(name)
        self.pkts, self.idle = pkts, idle


class IcnSinkItem(uvm_sequence_item):
    """Receive-side behaviour: back-pressure probability and per-VC stall masks of A and B."""

    def __init__(self, name="sink", bp=0.0, stall_a=0, stall_b=0):
        super().__init__(name)
        self.bp, self.stall_a, self.stall_b = bp, stall_a, stall_b


class IcnChannelItem(uvm_sequence_item):
    """Error injection rates of one channel (ChanCfg(): a quiet channel)."""

    def __init__(self, name="chan", cfg: ChanCfg | None = None, seed: int | None = None):
        super().__init__(name)
        self.cfg, self.seed = cfg or ChanCfg(), seed


class IcnKillItem(uvm_sequence_item):
    """Kill (drop, or corrupt one bit of) the next `count` flits whose type is in `types`."""

    def __init__(self, name="kill", types=(), count=0, corrupt=False):
        super().__init__(name)
        self.types, self.count, self.corrupt = list(types), count, corrupt


# ------------------------------------------------------------------ drivers
class IcnSourceDriver(uvm_driver):
    def build_phase(self):
        self.dut = bench_ctx(self).dut

    async def run_phase(self):
        dut = self.dut
        while True:
            item = await self.seq_item_port.get_next_item()
            dut.num_pkts.value = item.pkts
            dut.idle_thr.value = im.prob_thresholds(item.idle)
            dut.traffic_en.value = 1
            full = (1 << len(dut.src_a_done)) - 1
            while True:  # the sources report done from the cycle after num_pkts was written
                await ClockCycles(dut.clk, 16)
                if int(dut.src_a_done.value) == full and int(dut.src_b_done.value) == full:
                    break
            self.seq_item_port.item_done()


class IcnSinkDriver(uvm_driver):
    def build_phase(self):
        self.dut = bench_ctx(self).dut

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            self.dut.bp_thr.value = im.prob_thresholds(item.bp)
            self.dut.stall_a.value = item.stall_a
            self.dut.stall_b.value = item.stall_b
            self.seq_item_port.item_done()


class IcnChannelDriver(uvm_driver):
    """Drives one channel's configuration ports (PREFIX "ab" or "ba" from the ConfigDB)."""

    def build_phase(self):
        ctx = bench_ctx(self)
        self.dut = ctx.dut
        self.prefix = ConfigDB().get(self, "", "PREFIX")
        self.flit_w = flit_width(ctx.param("DATA_W", DEFAULT_PARAMS["DATA_W"]), ctx.param("GROUP", 1))

    def port(self, name):
        return getattr(self.dut, f"{self.prefix}_{name}")

    def idle(self):
        for k in ("kill_mask", "kill_cnt", "kill_load", "kill_corrupt"):
            self.port(k).value = 0

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            if isinstance(item, IcnKillItem):
                self.port("kill_mask").value = sum(1 << KILL_CODES[t] for t in item.types)
                self.port("kill_cnt").value = item.count
                self.port("kill_corrupt").value = int(item.corrupt)
                self.port("kill_load").value = 1
                await RisingEdge(self.dut.clk)
                self.port("kill_load").value = 0
            else:
                cfg = item.cfg
                p1, p2, p3 = im.bit_error_thresholds(cfg.ber, self.flit_w)
                vals = {"p1": p1, "p2": p2, "p3": p3, "burst": im.prob_thresholds(cfg.burst),
                        "drop": im.prob_thresholds(cfg.drop), "dup": im.prob_thresholds(cfg.dup),
                        "garb": im.prob_thresholds(cfg.garb), "stall": im.prob_thresholds(cfg.stall)}
                if item.seed is not None:
                    vals["seed"] = item.seed & 0xFFFFFFFF
                for k, v in vals.items():
                    self.port(k).value = v
            self.seq_item_port.item_done()


# ------------------------------------------------------------------ monitor
@dataclass
class SinkStatus:
    pkts: int
    beats: int
    errs: int
    sig: int
    err_beat: int
    err_got: int
    err_exp: int
    err_glast: int
    err_elast: int
    aborts: int = 0      # packets ended with tuser (peer reset)
    skips: int = 0       # packets never received
    abandons: int = 0    # packets abandoned by a reset of the receiving side
    next: int = 0        # index of the next expected packet (= every packet accounted so far)
    skip_errs: int = 0   # skipped packets the sender's safe_from says must arrive

    @property
    def dropped(self) -> int:
        return self.aborts + self.skips + self.abandons


@dataclass
class IcnSnapshot:
    """What the top's status ports said at one cycle."""
    cyc: int
    up: dict            # "A"/"B" -> link_up
    sinks: dict         # (stream, vc) -> SinkStatus; stream 0 = A->B (checked at B), 1 = B->A
    src_done: dict      # "A"/"B" -> VC mask of finished sources
    stats: dict         # "A"/"B" -> {stat name: count}
    unacked: dict       # "A"/"B" -> flits sent and not yet acknowledged
    credit_err: dict    # "A"/"B" -> VC mask of credit counters that disagree
    rx_valid: dict      # "A"/"B" -> VC mask of m_axis_tvalid
    window_full_cycles: dict
    no_credit_cycles: dict
    chan: dict          # "ab"/"ba" -> {counter: count}
    kills_left: dict    # "ab"/"ba" -> directed kills still to do
    src_pkts: dict = field(default_factory=dict)   # (stream, vc) -> packets the sender finished
    src_safe: dict = field(default_factory=dict)   # (stream, vc) -> the sender's safe_from
    wire: dict = field(default_factory=dict)       # "A"/"B" -> {"flits", "naks", "held_nak"} (bench's count)
    chk_err: dict = field(default_factory=dict)    # "A"/"B" -> white-box check flags (bit 0 nak_tmr, bit 1 link up w/o INIT)

    def delivered(self) -> int:
        return sum(s.beats for s in self.sinks.values())

    def mismatches(self) -> int:
        return sum(s.errs for s in self.sinks.values())

    def done(self, pkts: int) -> bool:
        """Every packet up to `pkts` accounted at every sink (delivered, or dropped in a peer reset)."""
        return all(s.next >= pkts for s in self.sinks.values())

    def stats_line(self) -> str:
        return " | ".join(f"{n}: " + " ".join(f"{k}={v}" for k, v in st.items()) for n, st in self.stats.items())

    def chan_line(self) -> str:
        return " | ".join(f"{n}: " + " ".join(f"{k}={v}" for k, v in c.items()) for n, c in self.chan.items())


def _words(v: int, n: int, w: int) -> list[int]:
    m = (1 << w) - 1
    return [(v >> (w * i)) & m for i in range(n)]


class IcnMonitor(uvm_monitor):
    def build_phase(self):
        ctx = bench_ctx(self)
        self.dut = ctx.dut
        self.nvc = ctx.param("NUM_VC", DEFAULT_PARAMS["NUM_VC"])
        self.poll = ConfigDB().get(self, "", "POLL")
        self.ap = uvm_analysis_port("ap", self)

    def _sinks(self, side: str, stream: int, out: dict):
        d, n = self.dut, self.nvc
        get = {k: int(getattr(d, f"snk_{side}_{k}").value) for k in
               ("pkts", "beats", "errs", "sig", "err_beat", "err_got", "err_exp", "err_glast", "err_elast",
                "aborts", "skips", "abandons", "next", "skip_errs")}
        cols = {k: _words(v, n, 64 if k in ("sig", "err_got", "err_exp") else (1 if "last" in k else 32))
                for k, v in get.items()}
        for v in range(n):
            out[(stream, v)] = SinkStatus(**{k: cols[k][v] for k in cols})

    def snapshot(self) -> IcnSnapshot:
        """Read the status ports now and publish the snapshot."""
        d = self.dut
        sinks: dict = {}
        self._sinks("b", 0, sinks)
        self._sinks("a", 1, sinks)
        ab = {"A": "a", "B": "b"}
        snap = IcnSnapshot(
            cyc=int(d.cyc.value),
            up={"A": int(d.up_a.value), "B": int(d.up_b.value)},
            sinks=sinks,
            src_done={n: int(getattr(d, f"src_{s}_done").value) for n, s in ab.items()},
            stats={n: dict(zip(STAT_NAMES, _words(int(getattr(d, f"{s}_stats").value), len(STAT_NAMES), 32)))
                   for n, s in ab.items()},
            unacked={n: (int(getattr(d, f"{s}_tx_next").value) - int(getattr(d, f"{s}_tx_base").value))
                     for n, s in ab.items()},
            credit_err={n: int(getattr(d, f"{s}_credit_err").value) for n, s in ab.items()},
            rx_valid={n: int(getattr(d, f"{s}_m_valid").value) for n, s in ab.items()},
            window_full_cycles={n: int(getattr(d, f"{s}_wfull_cyc").value) for n, s in ab.items()},
            no_credit_cycles={n: int(getattr(d, f"{s}_nocred_cyc").value) for n, s in ab.items()},
            chan={c: dict(zip(CHAN_COUNTERS, _words(int(getattr(d, f"{c}_status").value), 9, 32)))
                  for c in ("ab", "ba")},
            kills_left={c: int(getattr(d, f"{c}_kills_left").value) for c in ("ab", "ba")},
            src_pkts={(st, v): w for st, s in ((0, "a"), (1, "b"))
                      for v, w in enumerate(_words(int(getattr(d, f"src_{s}_pkts").value), self.nvc, 32))},
            src_safe={(st, v): w for st, s in ((0, "a"), (1, "b"))
                      for v, w in enumerate(_words(int(getattr(d, f"src_{s}_safe").value), self.nvc, 32))},
            wire={n: {"flits": int(getattr(d, f"{s}_wire_flits").value), "naks": int(getattr(d, f"{s}_wire_naks").value),
                      "held_nak": int(getattr(d, f"{s}_held_nak").value)} for n, s in ab.items()},
            chk_err={n: int(getattr(d, f"{s}_chk_err").value) for n, s in ab.items()},
        )
        self.ap.write(snap)
        return snap

    async def run_phase(self):
        await RisingEdge(self.dut.rst_n)  # the status ports are defined from the reset on
        while True:
            await ClockCycles(self.dut.clk, self.poll)
            self.snapshot()


# ------------------------------------------------------------------ scoreboard
class IcnScoreboard(BenchScoreboard):
    PORTS = ("status",)

    def build_phase(self):
        super().build_phase()
        self.p = dict(DEFAULT_PARAMS, **self.ctx.params)
        self.expect = {}
        self.last: IcnSnapshot | None = None
        self.watchdog = 40000
        self.pkts = None
        self._beats, self._since = -1, 0
        self.final_checked = False
        self._reported: set = set()
        self.resets = {"A": 0, "B": 0}   # resets of one endpoint alone the test applied
        self.min_clean = 0                 # packets per stream the final clean phase must deliver

    def set_expect(self, pkts: int, seed: int):
        self.pkts = pkts
        for stream in (0, 1):
            for v in range(self.p["NUM_VC"]):
                self.expect[(stream, v)] = im.expected_stream(seed, stream, v, self.p["NUM_VC"], pkts,
                                                              self.p["DATA_W"], self.p["MAX_PKT"])

    @property
    def finished(self) -> bool:
        """Every stream complete, or a failure already known (mismatch or watchdog)."""
        s = self.last
        return bool(self.errors) or (s is not None and self.pkts is not None and s.done(self.pkts))

    async def run_phase(self):
        while True:
            snap = await self.fifo["status"].get()
            self._progress(snap)

    def _progress(self, s: IcnSnapshot):
        self.last = s
        n = s.delivered()
        if n != self._beats:
            self._beats, self._since = n, s.cyc
        elif self.pkts is not None and not s.done(self.pkts) and s.cyc - self._since > self.watchdog:
            if not any(e.startswith("watchdog") for e in self.errors):
                self.error(f"watchdog: no beat delivered for {s.cyc - self._since} cycles (deadlock?) at "
                           f"cycle {s.cyc}, {n} beats delivered so far, {s.mismatches()} mismatching beats, "
                           f"up A={s.up['A']} B={s.up['B']}; {s.stats_line()}")
        if s.mismatches() and not any("corrupted" in e for e in self.errors):
            self.error(f"{s.mismatches()} corrupted/lost/duplicated/reordered beats by cycle {s.cyc}")
        self._counter_checks(s)

    def _once(self, key: str, msg: str):
        if key not in self._reported:
            self._reported.add(key)
            self.error(msg)

    def _counter_checks(self, s: IcnSnapshot):
        """Every snapshot: the endpoints' status counters against the bench's own counts, the
        white-box checks, and no packet lost that had to arrive."""
        for n in ("A", "B"):
            st, w = s.stats[n], s.wire[n]
            if st["nak_tx"] != w["naks"] + w["held_nak"]:
                self._once(f"nak{n}", f"endpoint {n}: stat_nak_tx={st['nak_tx']} but {w['naks']} NAK flits left on the wire "
                                      f"(+{w['held_nak']} held) since its reset, at cycle {s.cyc}")
            if st["tx_flits"] - w["flits"] not in (0, 1):
                self._once(f"txf{n}", f"endpoint {n}: stat_tx_flits={st['tx_flits']} but {w['flits']} flits left on the "
                                      f"wire (+ at most 1 held) since its reset, at cycle {s.cyc}")
            if s.chk_err[n] & 1:
                self._once(f"chk0{n}", f"endpoint {n}: NAK re-arm timer nak_tmr not 0 while no NAK is scheduled "
                                       f"(seen by cycle {s.cyc})")
            if s.chk_err[n] & 2:
                self._once(f"chk1{n}", f"endpoint {n}: link_up rose without an INIT flit from the peer since it "
                                       f"fell (by cycle {s.cyc})")
        for key, sk in s.sinks.items():
            if sk.skip_errs:
                self._once(f"skip{key}", f"stream {'AB'[key[0]]}->{'BA'[key[0]]} VC{key[1]}: {sk.skip_errs} packets lost "
                                         f"that were accepted after link_up rose with no reset since (by cycle {s.cyc})")

    def final_state_errors(self, s: IcnSnapshot) -> list[str]:
        out = []
        for name in ("A", "B"):
            peer = "B" if name == "A" else "A"
            if s.up[name] != 1:
                out.append(f"endpoint {name}: link_up is low at the end of the run")
            if s.unacked[name] % (1 << self.p["SEQ_W"]):
                out.append(f"endpoint {name}: {s.unacked[name] % (1 << self.p['SEQ_W'])} flits never acknowledged")
            if s.credit_err[name]:
                out.append(f"endpoint {name}: credits not all returned/conserved on VC mask {s.credit_err[name]:#x}")
            if s.rx_valid[peer]:
                out.append(f"endpoint {peer}: receive buffer not empty (VC mask {s.rx_valid[peer]:#x})")
            if s.stats[name]["rx_ovf"]:
                out.append(f"endpoint {name}: {s.stats[name]['rx_ovf']} in-sequence flits found their VC buffer "
                           f"full (credit protocol violated)")
        return out

    def check_streams(self, s: IcnSnapshot):
        if self.resets["A"] or self.resets["B"]:
            self.check_streams_resets(s)
            return
        for (stream, v), got in sorted(s.sinks.items()):
            if got.dropped:
                self.error(f"stream {'AB'[stream]}->{'BA'[stream]} VC{v}: {got.aborts} aborted, {got.skips} lost, "
                           f"{got.abandons} abandoned packets without any reset")
        for (stream, v), exp in sorted(self.expect.items()):
            got = s.sinks[(stream, v)]
            where = f"stream {'AB'[stream]}->{'BA'[stream]} VC{v}"
            if got.errs:
                self.error(f"{where}: {got.errs} corrupted/lost/duplicated/reordered beats; first at beat "
                           f"#{got.err_beat}: got word0=0x{got.err_got:016x} tlast={got.err_glast}, "
                           f"expected word0=0x{got.err_exp:016x} tlast={got.err_elast}")
            if got.pkts != exp.pkts or got.beats != exp.beats:
                self.error(f"{where}: delivered {got.pkts} packets / {got.beats} beats, "
                           f"expected exactly {exp.pkts} / {exp.beats}")
            if got.sig != exp.sig:
                self.error(f"{where}: stream signature 0x{got.sig:016x} != golden 0x{exp.sig:016x}")

    def check_streams_resets(self, s: IcnSnapshot):
        """After resets of one side: every packet the senders finished is accounted exactly once
        (whole, in order, intact - the sinks compare every beat - or dropped: aborted with tuser,
        never received, or abandoned by the receiver's own reset), none that had to arrive is
        lost, the final clean phase delivered, and the survivor's status counters agree."""
        for (stream, v), got in sorted(s.sinks.items()):
            where = f"stream {'AB'[stream]}->{'BA'[stream]} VC{v}"
            sent = s.src_pkts[(stream, v)]
            if got.errs:
                self.error(f"{where}: {got.errs} corrupted/duplicated/reordered/partial beats; first at beat "
                           f"#{got.err_beat}: got word0=0x{got.err_got:016x} tlast={got.err_glast}, "
                           f"expected word0=0x{got.err_exp:016x} tlast={got.err_elast}")
            if got.next != sent or got.pkts + got.dropped != sent:
                self.error(f"{where}: the sender finished {sent} packets; the sink accounted {got.next} "
                           f"({got.pkts} whole + {got.aborts} aborted + {got.skips} lost + {got.abandons} abandoned)")
            clean = sent - s.src_safe[(stream, v)]
            if clean < self.min_clean:
                self.error(f"{where}: the final clean phase delivered only {clean} packets (need >= {self.min_clean})")
        for surv, peer, rx_stream, tx_stream in (("B", "A", 0, 1), ("A", "B", 1, 0)):
            if self.resets[surv] or not self.resets[peer]:
                continue
            st = s.stats[surv]
            nvc = self.p["NUM_VC"]
            aborts = sum(s.sinks[(rx_stream, v)].aborts for v in range(nvc))
            lost_tx = sum(s.sinks[(tx_stream, v)].dropped for v in range(nvc))
            if st["rx_abort"] != aborts:
                self.error(f"survivor {surv}: stat_rx_abort={st['rx_abort']} but its user saw {aborts} packets ended by tuser")
            # tx_drop counts the packets the survivor discarded unacknowledged or half-sent: all
            # that were lost except those the reset side had already taken (acknowledged), plus
            # those that arrived but whose ACK the reset swallowed (at most REPLAY_DEPTH a reset)
            if lost_tx and not st["tx_drop"]:
                self.error(f"survivor {surv}: stat_tx_drop=0 but {lost_tx} of its packets were lost")
            if st["tx_drop"] > lost_tx + self.p["REPLAY_DEPTH"] * st["peer_rst"]:
                self.error(f"survivor {surv}: stat_tx_drop={st['tx_drop']} but only {lost_tx} of its packets were lost "
                           f"in {st['peer_rst']} peer resets")
            if not 0 < st["peer_rst"] <= self.resets[peer]:
                self.error(f"survivor {surv}: stat_peer_rst={st['peer_rst']} after {self.resets[peer]} resets of {peer}")
            if s.stats[peer]["peer_rst"]:
                self.error(f"{peer} (reset, never its peer) detected {s.stats[peer]['peer_rst']} peer resets")
            self.summary = (f"survivor {surv}: peer_rst={st['peer_rst']} tx_drop={st['tx_drop']} rx_abort={st['rx_abort']}; "
                            f"{peer}->{surv} aborted {aborts}; {surv}->{peer} lost {lost_tx}")

    def consume(self) -> IcnSnapshot | None:
        """Take every snapshot waiting in the FIFO now; the latest one."""
        for snap in self.drain("status"):
            self._progress(snap)
        return self.last

    def check_final(self):
        """End of run (after a fresh snapshot): every stream against the golden model, and the end state."""
        s = self.consume()
        self.final_checked = True
        self.check_streams(s)
        for e in self.final_state_errors(s):
            self.error(e)

    def check_phase(self):
        if not self.final_checked and not self.errors:
            self.error("the run ended before the final checks ran")
        super().check_phase()


# ------------------------------------------------------------------ coverage
RECOVERY = ("crc_err", "nak_tx", "nak_rx", "replay", "timeout", "reinit", "dup", "peer_rst", "tx_drop", "rx_abort")
CHAN_EVENTS = ("biterr", "burst", "drop", "dup", "garb", "stall", "kill")


class IcnCov(BenchCoverage):
    """Which recovery mechanisms ran (either endpoint) and which channel events happened."""

    def coverpoints(self):
        return [
            {"name": "recovery", "bins": list(RECOVERY), "rel": lambda v, b: b in v, "inj": False,
             "xf": lambda s: {k for k in RECOVERY if s.stats["A"][k] or s.stats["B"][k]}},
            {"name": "channel", "bins": list(CHAN_EVENTS), "rel": lambda v, b: b in v, "inj": False,
             "xf": lambda s: {k for k in CHAN_EVENTS if s.chan["ab"][k] or s.chan["ba"][k]}},
        ]

    def write(self, snap):
        self.last = snap  # the counters only grow: the final snapshot is sampled once, at extract

    def extract_phase(self):
        if getattr(self, "last", None) is not None:
            super().write(self.last)

    def report_phase(self):
        self.logger.info(self.report())
        # `make coverage` collects fcov*.txt from the build directory into its report
        (self.ctx.build_dir / f"fcov_icn_{self.group.split('.')[0]}.txt").write_text(self.report() + "\n")


# ------------------------------------------------------------------ agents and env
class IcnAgent(uvm_agent):
    """A sequencer and a driver (DRIVER: the driver class, from the ConfigDB)."""

    def build_phase(self):
        self.seqr = uvm_sequencer("seqr", self)
        self.driver = ConfigDB().get(self, "", "DRIVER")("driver", self)

    def connect_phase(self):
        self.driver.seq_item_port.connect(self.seqr.seq_item_export)


class IcnEnv(uvm_env):
    def build_phase(self):
        for name, drv in (("source_agent", IcnSourceDriver), ("sink_agent", IcnSinkDriver),
                          ("ch_ab", IcnChannelDriver), ("ch_ba", IcnChannelDriver)):
            ConfigDB().set(self, name, "DRIVER", drv)
        ConfigDB().set(self, "ch_ab.*", "PREFIX", "ab")
        ConfigDB().set(self, "ch_ba.*", "PREFIX", "ba")
        self.source_agent = IcnAgent("source_agent", self)
        self.sink_agent = IcnAgent("sink_agent", self)
        self.ch_ab = IcnAgent("ch_ab", self)
        self.ch_ba = IcnAgent("ch_ba", self)
        self.monitor = IcnMonitor("monitor", self)
        self.scoreboard = IcnScoreboard("scoreboard", self)
        self.cov = IcnCov("cov", self)

    def connect_phase(self):
        self.monitor.ap.connect(self.scoreboard.fifo["status"].analysis_export)
        self.monitor.ap.connect(self.cov.analysis_export)

    def seed(self, seed: int):
        """Seed the Verilog sources and checking sinks (latched at reset)."""
        self.ctx = bench_ctx(self)
        self.ctx.dut.traffic_seed.value = seed & 0xFFFFFFFF

    def idle(self):
        """Inputs to their idle values (before the reset)."""
        dut = bench_ctx(self).dut
        dut.traffic_en.value = 0
        dut.num_pkts.value = 0
        dut.idle_thr.value = 0
        dut.bp_thr.value = 0
        dut.stall_a.value = 0
        dut.stall_b.value = 0
        dut.rst_a.value = 0
        dut.rst_b.value = 0
        self.ch_ab.driver.idle()
        self.ch_ba.driver.idle()

    async def send(self, agent: str, *items):
        await ItemListSeq(f"{agent}_seq", items).start(getattr(self, agent).seqr)
