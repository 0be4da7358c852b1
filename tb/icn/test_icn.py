# SPDX-License-Identifier: Apache-2.0
"""pyuvm tests for m890_icn_endpoint: two endpoints back to back through hostile channels
(tb/icn/icn_env.py has the environment; tests/test_icn.py runs these by name).

Every test is a class: IcnBaseTest runs random traffic to completion and checks it; a random
test only says how the channels misbehave (``make_cfg``); a directed test adds ``directed()``
(runs alongside the traffic) and ``check_directed()``. Knobs (``run_bench(knobs=...)``):
ICN_SCALE multiplies the packet count of the random tests; ICN_BER and ICN_PKTS set the
goodput benchmark (scripts/bench_icn.py).
"""

from __future__ import annotations

import cocotb
import pyuvm
from cocotb.triggers import ClockCycles, RisingEdge

from tb.common.uvm import BenchTest
from tb.icn.icn_env import (
    DEFAULT_PARAMS,
    ChanCfg,
    IcnChannelItem,
    IcnEnv,
    IcnKillItem,
    IcnSinkItem,
    IcnTrafficItem,
    RunCfg,
)


class IcnBaseTest(BenchTest):
    """Seed and configure, reset, wait for the link, run the traffic (and the directed part)
    under the scoreboard's watchdog, quiet the channels, let ACKs and credits settle, check.
    PROMISE: coverage bins (IcnCov "channel" events, "recovery" mechanisms) the test must hit."""

    PROMISE: dict = {}

    def make_cfg(self) -> RunCfg:
        return RunCfg()

    def build_env(self):
        self.cfg = self.make_cfg()
        self.p = dict(DEFAULT_PARAMS, **self.ctx.params)
        self.scale = float(self.ctx.knob("ICN_SCALE", 1.0))
        self.pkts = max(1, int(round(self.cfg.pkts * self.scale))) if self.cfg.scaled else self.cfg.pkts
        self.traffic_seed = self.ctx.stream_seed("traffic")
        pyuvm.ConfigDB().set(None, "*", "POLL", self.cfg.poll)
        self.env = IcnEnv("env", self)

    @property
    def dut(self):
        return self.ctx.dut

    @property
    def sb(self):
        return self.env.scoreboard

    def stats(self, side: str) -> dict:
        """Endpoint status counters now (a fresh monitor snapshot)."""
        return self.env.monitor.snapshot().stats[side]

    async def run_phase(self):
        self.raise_objection()
        await self.configure()
        await self.reset()
        await self.wait_link_up()
        t0 = int(self.dut.cyc.value)
        await self.run_traffic()
        self.cycles = int(self.dut.cyc.value) - t0
        await self.settle()
        self.final_check()
        if not self.sb.errors:  # (a failure may have cut the directed part short)
            await self.check_directed()
        self.drop_objection()

    async def configure(self):
        """Seeds (latched at reset), channel error rates, receiver behaviour."""
        self.ctx.start_clock(period_ns=2)
        self.env.idle()
        self.env.seed(self.traffic_seed)
        self.sb.set_expect(self.pkts, self.traffic_seed)
        self.sb.watchdog = self.cfg.watchdog
        await self.env.send("ch_ab", IcnChannelItem("ab", self.cfg.ab, self.ctx.stream_seed("ch_ab")))
        await self.env.send("ch_ba", IcnChannelItem("ba", self.cfg.ba, self.ctx.stream_seed("ch_ba")))
        await self.env.send("sink_agent", IcnSinkItem(bp=self.cfg.bp))

    async def reset(self):
        await self.ctx.reset(cycles=5)

    async def wait_link_up(self):
        for _ in range(200):
            await ClockCycles(self.dut.clk, 64)
            if int(self.dut.up_a.value) and int(self.dut.up_b.value):
                break
        else:
            raise AssertionError(f"watchdog: link never came up after reset ({self.env.monitor.snapshot().stats_line()})")
        self.logger.info(f"link up at cycle {int(self.dut.cyc.value)}; {self.pkts} packets per VC per side")

    async def run_traffic(self):
        """Bulk traffic from the Verilog sources plus the directed part, until every stream is
        complete or the scoreboard reports a failure (mismatch, watchdog)."""
        traffic = cocotb.start_soon(self.env.send("source_agent", IcnTrafficItem(pkts=self.pkts, idle=self.cfg.idle)))
        directed = cocotb.start_soon(self.directed())
        while not self.sb.finished:
            await ClockCycles(self.dut.clk, self.cfg.poll)
        if self.sb.errors:
            traffic.cancel()
            directed.cancel()
            return
        await directed

    async def settle(self):
        """Quiet channels; wait (bounded) until everything is acknowledged and credits are back."""
        await self.env.send("ch_ab", IcnChannelItem("ab_quiet"))
        await self.env.send("ch_ba", IcnChannelItem("ba_quiet"))
        p = self.p
        settle_max = 8 * p["TIMEOUT"] * (p["MAX_RETRY"] + 2) + 64 * p["LAT"] + 2000
        for _ in range(0, settle_max, 64):
            await ClockCycles(self.dut.clk, 64)
            if not self.sb.final_state_errors(self.env.monitor.snapshot()):
                break
        await ClockCycles(self.dut.clk, 64)  # and it stays so

    def final_check(self):
        snap = self.env.monitor.snapshot()
        self.sb.check_final()
        self.beats = snap.delivered()
        self.logger.info(f"{type(self).__name__}: {self.beats} beats delivered in {self.cycles} cycles "
                         f"({self.beats / max(1, self.cycles):.3f} beats/cycle both directions); "
                         f"{snap.stats_line()}; channel {snap.chan_line()}")
        need = self.cfg.min_beats if self.scale >= 1 else 0
        if self.beats < need:
            self.sb.error(f"only {self.beats} beats delivered, the run needs >= {need}")

    def check_phase(self):
        missing = self.env.cov.missing(self.PROMISE)
        assert not missing, f"promised coverage bins not hit: {missing} (seed {self.seed})"

    async def directed(self):
        """Hook for directed tests: runs alongside the traffic."""

    async def check_directed(self):
        """Hook: assertions specific to a directed test (report through self.sb.error)."""


# ------------------------------------------------------------------ random traffic tests
class IcnRandomTest(IcnBaseTest):
    """Random traffic, the same error set-up on both channels (AB, and BA unless given)."""

    AB = ChanCfg()
    BA = None
    WATCHDOG = 40000

    def make_cfg(self):
        return RunCfg(ab=self.AB, ba=self.BA if self.BA is not None else self.AB, min_beats=100000,
                      watchdog=self.WATCHDOG)


@pyuvm.test()
class icn_ber_0(IcnRandomTest):
    AB = ChanCfg()


@pyuvm.test()
class icn_ber_1e6(IcnRandomTest):
    AB = ChanCfg(ber=1e-6)


@pyuvm.test()
class icn_ber_1e5(IcnRandomTest):
    AB = ChanCfg(ber=1e-5)


@pyuvm.test()
class icn_ber_1e4(IcnRandomTest):
    AB = ChanCfg(ber=1e-4)
    PROMISE = {"channel": ["biterr"], "recovery": ["crc_err", "nak_tx", "replay"]}


@pyuvm.test()
class icn_torture_1e3(IcnRandomTest):
    """Default format: everything delivered exactly once (>= 10^5 beats at full length). With
    GROUP > 1 (long flits rarely survive 1e-3) the run is capped at CAP_PKTS packets per VC (still
    all delivered exactly once) and its goodput is reported (torture_goodput.json)."""

    AB = ChanCfg(ber=1e-3, burst=1e-3, drop=1e-3, dup=1e-3, garb=1e-3, stall=0.05)
    WATCHDOG = 60000
    CAP_PKTS = 400
    PROMISE = {"channel": ["biterr", "burst", "drop", "dup", "garb", "stall"],
               "recovery": ["crc_err", "nak_tx", "replay"]}

    def make_cfg(self):
        cfg = super().make_cfg()
        if self.ctx.param("GROUP", 1) > 1:
            cfg.pkts, cfg.min_beats, cfg.watchdog = min(cfg.pkts, self.CAP_PKTS), 0, 200000
        return cfg

    async def check_directed(self):
        gp = self.beats / 2 / max(1, self.cycles)
        self.logger.info(f"torture goodput: {gp:.4f} beats/cycle/direction ({self.beats} beats, {self.cycles} cycles)")
        self.ctx.write_result("torture_goodput", {"beats": self.beats, "cycles": self.cycles,
                                                  "goodput": gp, "params": self.p})


@pyuvm.test()
class icn_mode_burst(IcnRandomTest):
    AB = ChanCfg(burst=3e-3)
    PROMISE = {"channel": ["burst"], "recovery": ["crc_err"]}


@pyuvm.test()
class icn_mode_drop(IcnRandomTest):
    AB = ChanCfg(drop=3e-3)
    PROMISE = {"channel": ["drop"], "recovery": ["replay"]}


@pyuvm.test()
class icn_mode_dup(IcnRandomTest):
    AB = ChanCfg(dup=3e-3)
    PROMISE = {"channel": ["dup"]}


@pyuvm.test()
class icn_mode_garbage(IcnRandomTest):
    AB = ChanCfg(garb=3e-3)
    PROMISE = {"channel": ["garb"], "recovery": ["crc_err"]}


@pyuvm.test()
class icn_mode_stall(IcnRandomTest):
    AB = ChanCfg(stall=0.2)
    PROMISE = {"channel": ["stall"]}


# ------------------------------------------------------------------ directed tests
@pyuvm.test()
class icn_seq_wrap(IcnBaseTest):
    """Random traffic with errors on a tiny sequence space: the numbers wrap thousands of times."""

    def make_cfg(self):
        return RunCfg(ab=ChanCfg(ber=1e-4, drop=1e-3), ba=ChanCfg(ber=1e-4, dup=1e-3))

    async def check_directed(self):
        wraps = self.stats("A")["tx_data"] >> self.p["SEQ_W"]
        need = 1000 if self.scale >= 1 else 10
        if wraps < need:
            self.sb.error(f"sequence numbers wrapped only {wraps} times (need >= {need})")
        self.logger.info(f"sequence space of {1 << self.p['SEQ_W']} wrapped {wraps} times at A")


@pyuvm.test()
class icn_replay_full(IcnBaseTest):
    """ACKs come back slowly (B->A stalled 70 %): the replay buffer fills and must throttle."""

    def make_cfg(self):
        return RunCfg(pkts=150, ba=ChanCfg(stall=0.7), scaled=False)

    async def check_directed(self):
        n = self.env.monitor.snapshot().window_full_cycles["A"]
        if n == 0:
            self.sb.error("A's replay buffer never filled")
        self.logger.info(f"A's replay buffer was full for {n} cycles")


@pyuvm.test()
class icn_one_credit(IcnBaseTest):
    """RX_DEPTH=1 build: one credit per VC; VCs must still all flow and never overflow."""

    def make_cfg(self):
        return RunCfg(pkts=120, scaled=False)

    async def check_directed(self):
        if self.p["RX_DEPTH"] != 1:
            self.sb.error("icn_one_credit must run on an RX_DEPTH=1 build")
        n = self.env.monitor.snapshot().no_credit_cycles["A"]
        if n == 0:
            self.sb.error("A never ran out of credit")
        self.logger.info(f"A had a VC without credit for {n} cycles")


@pyuvm.test()
class icn_corrupt_ack(IcnBaseTest):
    """Corrupt every flit B sends (all carry A's ACKs and credits) for a stretch mid-run."""

    PROMISE = {"channel": ["kill"], "recovery": ["crc_err"]}

    def make_cfg(self):
        return RunCfg(pkts=150, scaled=False)

    async def directed(self):
        await ClockCycles(self.dut.clk, 500)
        self.a0 = self.stats("A")
        await self.env.send("ch_ba", IcnKillItem(types=["IDLE", "DATA", "NAK"], count=40, corrupt=True))

    async def check_directed(self):
        got = self.stats("A")["crc_err"] - self.a0["crc_err"]
        if got < 40:
            self.sb.error(f"A saw only {got} CRC errors, expected the 40 corrupted ACK carriers")


@pyuvm.test()
class icn_lost_nak(IcnBaseTest):
    """Drop one data flit A->B and every NAK B answers with: only A's replay timer can recover."""

    PROMISE = {"channel": ["kill"], "recovery": ["nak_tx", "timeout", "replay"]}

    def make_cfg(self):
        return RunCfg(pkts=120, idle=0.0, bp=0.0, scaled=False)

    async def directed(self):
        await ClockCycles(self.dut.clk, 300)
        self.a0, self.b0 = self.stats("A"), self.stats("B")
        # drop B's NAK and every re-NAK (NAK re-arm) until A's replay timer has to act
        await self.env.send("ch_ba", IcnKillItem(types=["NAK"], count=1000))
        await self.env.send("ch_ab", IcnKillItem(types=["DATA"], count=1))
        for _ in range(100):
            await ClockCycles(self.dut.clk, 64)
            if self.stats("A")["timeout"] > self.a0["timeout"]:
                break
        await self.env.send("ch_ba", IcnKillItem(types=["NAK"], count=0))

    async def check_directed(self):
        snap = self.env.monitor.snapshot()
        a, b = snap.stats["A"], snap.stats["B"]
        if b["nak_tx"] - self.b0["nak_tx"] < 1:
            self.sb.error("B never sent a NAK for the dropped flit")
        if a["timeout"] - self.a0["timeout"] < 1:
            self.sb.error("A's replay timer never fired although the NAK was dropped")
        if snap.chan["ba"]["kill"] < 1:
            self.sb.error("no NAK was dropped")


@pyuvm.test()
class icn_retry_reinit(IcnBaseTest):
    """Cut B->A completely for a long time: A's retries escalate to a link re-init, the
    handshake runs again, the replay buffer is kept and nothing is lost."""

    PROMISE = {"channel": ["kill"], "recovery": ["timeout", "reinit", "replay"]}

    def make_cfg(self):
        return RunCfg(pkts=150, scaled=False)

    async def directed(self):
        await ClockCycles(self.dut.clk, 400)
        self.a0 = self.stats("A")
        cut = (self.p["MAX_RETRY"] + 2) * self.p["TIMEOUT"]
        await self.env.send("ch_ba", IcnKillItem(types=["IDLE", "DATA", "NAK", "INIT"], count=min(cut, 65535)))
        self.seen_down = False
        for _ in range(cut // 64 + 50):
            await ClockCycles(self.dut.clk, 64)
            if not int(self.dut.up_a.value):
                self.seen_down = True
                break

    async def check_directed(self):
        a = self.stats("A")
        if not self.seen_down or a["reinit"] - self.a0["reinit"] < 1:
            self.sb.error("A never escalated to a link re-init")
        if a["timeout"] - self.a0["timeout"] < self.p["MAX_RETRY"]:
            self.sb.error(f"A's replay timer fired only {a['timeout'] - self.a0['timeout']} times")


@pyuvm.test()
class icn_retrain_waits_for_init(IcnBaseTest):
    """Every DATA and INIT flit A->B is lost for a while: B keeps NAKing the gap, A's replays
    without progress escalate to a retrain (not a peer reset), and A, retraining, hears only B's
    IDLE/DATA (B is still up, A's INITs never reach it). A must not come up on those: only after
    an INIT from B (the bench top flags a link_up without one); then nothing is lost. One of B's
    DATA flits is lost while A retrains, so A has a NAK pending while its link is down."""

    PROMISE = {"channel": ["kill"], "recovery": ["nak_tx", "reinit", "replay"]}

    def make_cfg(self):
        return RunCfg(pkts=150, scaled=False)

    async def directed(self):
        await ClockCycles(self.dut.clk, 400)
        self.a0 = self.stats("A")
        await self.env.send("ch_ab", IcnKillItem(types=["DATA", "INIT"], count=2500))
        self.seen_down = False
        # (polled every 4 cycles: B's replay window fills soon after A's ACKs stop - 32 beats are
        # only 8 flits with GROUP=4 - and the DATA flit lost must be a new one, so that A sees a gap)
        for _ in range(800):
            await ClockCycles(self.dut.clk, 4)
            if not int(self.dut.up_a.value):
                self.seen_down = int(self.dut.up_b.value) == 1  # A retrains while B stays up
                # and one of B's DATA flits is lost meanwhile: A schedules a NAK while its link
                # is down (sent once it is up; stat_nak_tx must count NAK flits, not that)
                await self.env.send("ch_ba", IcnKillItem(types=["DATA"], count=1))
                break

    async def check_directed(self):
        a = self.stats("A")
        if not self.seen_down or a["reinit"] - self.a0["reinit"] < 1:
            self.sb.error("A never retrained while B stayed up")
        if a["nak_tx"] < 1:
            self.sb.error("A never sent the NAK for B's lost DATA flit")


@pyuvm.test()
class icn_vc_stall(IcnBaseTest):
    """B's receiver stalls VC1 for a long time: VC0 and VC2 keep flowing, VC1 resumes after."""

    def make_cfg(self):
        return RunCfg(pkts=400, ab=ChanCfg(ber=1e-5), ba=ChanCfg(ber=1e-5), scaled=False)

    def beats_at_b(self) -> list[int]:
        snap = self.env.monitor.snapshot()
        return [snap.sinks[(0, v)].beats for v in range(self.p["NUM_VC"])]

    async def directed(self):
        await ClockCycles(self.dut.clk, 200)
        await self.env.send("sink_agent", IcnSinkItem(bp=self.cfg.bp, stall_b=0b010))
        await ClockCycles(self.dut.clk, 300)  # let VC1's credits run out
        before = self.beats_at_b()
        await ClockCycles(self.dut.clk, 1500)
        after = self.beats_at_b()
        await self.env.send("sink_agent", IcnSinkItem(bp=self.cfg.bp))
        self.progress = [a - b for a, b in zip(after, before)]

    async def check_directed(self):
        pr = self.progress
        self.logger.info(f"beats delivered per VC during the VC1 stall: {pr}")
        if pr[1] != 0:
            self.sb.error(f"VC1 delivered {pr[1]} beats while its sink was stalled")
        if min(pr[0], pr[2]) < 300:
            self.sb.error(f"VC0/VC2 were blocked by the stalled VC1: only {pr} beats")


# ------------------------------------------------------------------ peer reset (contract 5.1)
class IcnPeerResetTest(IcnBaseTest):
    """Reset one endpoint alone (with its user logic), ICN_RESETS times (default 200) at random
    moments: right after its previous reset (during its own INIT), with traffic flowing
    (mid-packet, mid-replay on the hostile channel) and with the traffic paused (idle link).
    Then a final clean phase (no more resets, channels still hostile) of ICN_CLEAN packets per
    VC (default 40) that must all arrive. The scoreboard proves every packet the senders finished
    delivered whole exactly once and in order, or dropped and accounted (aborted with tuser,
    never received, or abandoned by the reset side), none lost that had to arrive, and the
    survivor's counters (peer_rst, tx_drop, rx_abort) against its user's counts."""

    SIDE = "A"
    PROMISE = {"recovery": ["peer_rst", "tx_drop", "rx_abort", "crc_err", "replay"]}

    def make_cfg(self):
        hostile = ChanCfg(ber=1e-4, burst=3e-4, drop=1e-3, dup=2e-3, garb=3e-4, stall=0.05)
        return RunCfg(pkts=0, ab=hostile, ba=hostile, watchdog=60000, scaled=False, poll=256)

    async def run_traffic(self):
        dut, rng = self.dut, self.rng(f"resets{self.SIDE}")
        n = int(self.ctx.knob("ICN_RESETS", 200) * max(1.0, self.scale))
        clean = int(self.ctx.knob("ICN_CLEAN", 40))
        rst = getattr(dut, f"rst_{self.SIDE.lower()}")
        up = getattr(dut, f"up_{self.SIDE.lower()}")
        dut.idle_thr.value = im_prob(0.05)
        dut.num_pkts.value = 1 << 30
        dut.traffic_en.value = 1
        self.sb.pkts = 1 << 30  # (the watchdog runs while the resets go on)
        self.kinds = {"own_init": 0, "up": 0, "idle": 0}
        for i in range(n):
            r = rng.random()
            if r < 0.15:                      # during its own INIT (just after the last reset)
                await ClockCycles(dut.clk, int(rng.integers(1, 24)))
            elif r < 0.25:                    # idle link: traffic paused for a while
                dut.traffic_en.value = 0
                await ClockCycles(dut.clk, int(rng.integers(60, 200)))
            else:                             # traffic flowing: mid-packet, mid-replay
                await ClockCycles(dut.clk, int(rng.integers(20, 260)))
            self.kinds["idle" if not int(dut.traffic_en.value) else ("up" if int(up.value) else "own_init")] += 1
            rst.value = 1
            await ClockCycles(dut.clk, int(rng.integers(1, 6)))
            rst.value = 0
            self.sb.resets[self.SIDE] += 1
            dut.traffic_en.value = 1
            if self.sb.errors:
                dut.traffic_en.value = 0
                return
        # final clean phase: no more resets; once both links are up and every sender has had a
        # packet accepted since, every packet must arrive
        for _ in range(2000):
            await ClockCycles(dut.clk, 32)
            snap = self.env.monitor.snapshot()
            if snap.up["A"] and snap.up["B"] and max(snap.src_safe.values()) < (1 << 32) - 1:
                break
        target = max(snap.src_pkts.values()) + clean
        dut.num_pkts.value = target
        self.sb.pkts = target
        self.sb.min_clean = clean
        while not self.sb.finished:
            await ClockCycles(dut.clk, self.cfg.poll)
        self.logger.info(f"{n} resets of {self.SIDE} ({self.kinds}); then {clean}+ packets per VC in the clean phase")

    async def check_directed(self):
        self.logger.info(getattr(self.sb, "summary", ""))


def im_prob(p: float) -> int:
    from models.icn_model import prob_thresholds
    return prob_thresholds(p)


@pyuvm.test()
class icn_peer_reset_a(IcnPeerResetTest):
    SIDE = "A"


@pyuvm.test()
class icn_peer_reset_b(IcnPeerResetTest):
    SIDE = "B"


# ------------------------------------------------------------------ benchmark runs (scripts/bench_icn.py)
@pyuvm.test()
class icn_bench_goodput(IcnBaseTest):
    """Saturated traffic (no idle, no back-pressure) with bit errors at the ICN_BER knob in both
    directions; writes beats/cycles/stats to bench_goodput_<ber>.json in the build directory."""

    def make_cfg(self):
        self.ber_s = str(self.ctx.knob("ICN_BER", "0"))
        ber = float(self.ber_s)
        return RunCfg(pkts=int(self.ctx.knob("ICN_PKTS", 2000)), idle=0.0, bp=0.0,
                      ab=ChanCfg(ber=ber), ba=ChanCfg(ber=ber), watchdog=200000, scaled=False, poll=8)

    async def run_traffic(self):
        s0 = self.env.monitor.snapshot()
        await super().run_traffic()
        s1 = self.env.monitor.snapshot()
        # flits each endpoint put on the wire and beats each stream delivered while the traffic ran
        self.window = {"a_flits": s1.wire["A"]["flits"] - s0.wire["A"]["flits"],
                       "b_flits": s1.wire["B"]["flits"] - s0.wire["B"]["flits"],
                       "ab_beats": sum(s1.sinks[(0, v)].beats - s0.sinks[(0, v)].beats for v in range(self.p["NUM_VC"])),
                       "ba_beats": sum(s1.sinks[(1, v)].beats - s0.sinks[(1, v)].beats for v in range(self.p["NUM_VC"])),
                       "cycles": s1.cyc - s0.cyc}

    async def check_directed(self):
        snap = self.env.monitor.snapshot()
        self.ctx.write_result(f"bench_goodput_{self.ber_s}", {
            "ber": float(self.ber_s), "beats": self.beats, "cycles": self.cycles, "window": self.window,
            "a": snap.stats["A"], "b": snap.stats["B"], "params": self.p})


@pyuvm.test()
class icn_bench_latency(IcnBaseTest):
    """Idle link: cycles from a beat's s_axis handshake at A to m_axis_tvalid at B (latency)
    and to the ACK that retires it at A (round trip); writes bench_latency.json."""

    def make_cfg(self):
        return RunCfg(pkts=1, idle=0.0, bp=0.0, scaled=False)

    async def directed(self):
        dut = self.dut
        seq_mod = 1 << self.p["SEQ_W"]
        await ClockCycles(dut.clk, 50)  # the first packet goes out; then one more packet at a time
        res = []
        for k in range(2, 6):
            await ClockCycles(dut.clk, 100)
            more = cocotb.start_soon(self.env.send("source_agent", IcnTrafficItem(pkts=k)))
            t_hs = t_rx = t_ack = None
            base0 = int(dut.a_tx_base.value)
            for cyc in range(400):
                await RisingEdge(dut.clk)
                if t_hs is None and int(dut.a_s_valid.value) & int(dut.a_s_ready.value) & 1:
                    t_hs = cyc
                    base0 = int(dut.a_tx_next.value)
                if t_hs is not None and t_rx is None and int(dut.b_m_valid.value) & 1:
                    t_rx = cyc
                if t_hs is not None and t_ack is None and 1 <= ((int(dut.a_tx_base.value) - base0) % seq_mod) <= 64:
                    t_ack = cyc
                if t_ack is not None and t_rx is not None:
                    break
            res.append({"latency": t_rx - t_hs, "round_trip": t_ack - t_hs})
            await more
        self.meas = res
        self.sb.set_expect(5, self.traffic_seed)  # the scoreboard now expects the 5 packets per VC

    async def check_directed(self):
        self.ctx.write_result("bench_latency", {"runs": self.meas, "params": self.p})
        self.logger.info(f"latency / round trip: {self.meas}")
