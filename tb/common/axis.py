# SPDX-License-Identifier: Apache-2.0
"""AXI4-Stream source, sink and monitor with pause generators, for every bench.

    src = AxisSource(dut, "s_axis_a", name="a")        # tdata/tvalid/tready (+tuser, tlast if present)
    snk = AxisSink(dut, "m_axis_z", name="z")
    src.set_pause_generator(random_pause(rng, 0.25))    # idle cycles (tvalid low) between beats
    snk.set_pause_generator(random_pause(rng, 0.3))     # back-pressure (tready low)
    engine = StreamEngine(dut.clk, [src, snk]); engine.start()
    await src.send([(data, user, last), ...])           # returns when the DUT has taken the last beat

The API follows cocotbext-axi (``set_pause_generator`` takes any iterator of bools, True = pause
this cycle; ``send``/``recv``) so a bench reads the same as Forencich's, but the beats are plain
integers ``(tdata, tuser, tlast)`` and several ports share one clock loop.

Why not cocotbext-axi (0.1.28 was tried with cocotb 2.1 and imports fine):
- its ``send``/``wait`` complete when the last beat is *driven*, not when the DUT has *taken*
  it; pyuvm drivers here finish an item on the handshake, which needs the per-beat accept
  event this module gives;
- it packs and unpacks every beat byte by byte in Python (a 256-bit tile port is 32 loop
  iterations per beat per direction) and runs one coroutine (plus one for the pause
  generator) per port: the tile bench has five ports, and its cost is the per-cycle Python;
  here one coroutine serves all ports of a block: one ReadOnly and one RisingEdge per cycle;
- the ICN endpoint's user ports are flattened vectors (VC v in slice v) that it cannot address
  as separate buses, and the ICN bulk traffic is generated in Verilog anyway;
- tuser in the tile is one integer per beat (row scale bytes, per-element flags), not a
  per-byte sideband.

Protocol checks (AXI4-Stream rule 2.2.1): a sink records an error when a valid beat changes or
tvalid drops before the beat was accepted.
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from typing import Callable, Iterable, Iterator

import cocotb
from cocotb.queue import Queue
from cocotb.triggers import Event, ReadOnly, RisingEdge

Beat = tuple  # (tdata, tuser, tlast)
Observer = Callable[[int, int, int, int], None]  # (cycle, tdata, tuser, tlast)


# ------------------------------------------------------------------ pause generators
def no_pause() -> Iterator[bool]:
    return itertools.repeat(False)


def random_pause(rng: random.Random | int, p: float) -> Iterator[bool]:
    """Pause each cycle with probability p (p = 0: never)."""
    if p <= 0.0:
        return no_pause()
    r = rng if isinstance(rng, random.Random) else random.Random(rng)
    rand = r.random
    return (rand() < p for _ in itertools.count())


def pattern_pause(pattern: Iterable[int | bool]) -> Iterator[bool]:
    """A repeating pattern, as in Forencich's benches (e.g. ``[1, 1, 0]``)."""
    return itertools.cycle(bool(x) for x in pattern)


def burst_pause(rng: random.Random | int, p_start: float, max_len: int) -> Iterator[bool]:
    """Pause bursts: with probability p_start a run of 1..max_len paused cycles begins."""
    r = rng if isinstance(rng, random.Random) else random.Random(rng)
    while True:
        if r.random() < p_start:
            for _ in range(r.randint(1, max_len)):
                yield True
        else:
            yield False


class _Port:
    """The signals of one AXI4-Stream port ``<prefix>_t*`` of `dut`."""

    def __init__(self, dut, prefix: str, name: str | None):
        self.name = name or prefix
        self.tdata = getattr(dut, f"{prefix}_tdata")
        self.tvalid = getattr(dut, f"{prefix}_tvalid")
        self.tready = getattr(dut, f"{prefix}_tready")
        self.tuser = getattr(dut, f"{prefix}_tuser", None)
        self.tlast = getattr(dut, f"{prefix}_tlast", None)
        self.observers: list[Observer] = []
        self.count = 0  # beats handshaked

    def add_observer(self, fn: Observer) -> None:
        """fn(cycle, tdata, tuser, tlast) on every handshake (called in the ReadOnly phase)."""
        self.observers.append(fn)

    def _seen(self, cycle, data, user, last):
        self.count += 1
        for fn in self.observers:
            fn(cycle, data, user, last)


class AxisSource(_Port):
    """Drives a slave port of the DUT from a beat queue, inserting idle cycles from its pause
    generator. ``send`` returns once the DUT has taken the last beat it was given."""

    def __init__(self, dut, prefix: str, name: str | None = None):
        super().__init__(dut, prefix, name)
        self.queue: deque = deque()  # (data, user, last, event or None)
        self.pause = no_pause()
        self.cur = None
        self.idle_cycles = 0  # cycles with a beat queued but tvalid held low by the pause generator
        self.stall_cycles = 0  # cycles with tvalid high and tready low (the DUT back-pressured)

    def set_pause_generator(self, gen: Iterator[bool] | None = None) -> None:
        self.pause = gen if gen is not None else no_pause()

    def send_nowait(self, data: int, user: int = 0, last: int = 0, done: Event | None = None) -> None:
        self.queue.append((data, user, last, done))

    async def send(self, beats: Iterable[Beat]) -> None:
        """Queue beats (data, user, last) and wait until the DUT has accepted the last one."""
        beats = list(beats)
        if not beats:
            return
        done = Event()
        for b in beats[:-1]:
            self.queue.append((b[0], b[1], b[2], None))
        b = beats[-1]
        self.queue.append((b[0], b[1], b[2], done))
        await done.wait()

    def pending(self) -> int:
        return len(self.queue) + (self.cur is not None)

    def idle(self) -> None:
        self.tvalid.value = 0
        self.tdata.value = 0
        if self.tuser is not None:
            self.tuser.value = 0
        if self.tlast is not None:
            self.tlast.value = 0

    def flush(self) -> None:
        """Forget every queued beat and the one on the bus (around a reset); waiters are released."""
        for *_, ev in self.queue:
            if ev is not None:
                ev.set()
        if self.cur is not None and self.cur[3] is not None:
            self.cur[3].set()
        self.queue.clear()
        self.cur = None
        self.tvalid.value = 0

    # engine hooks
    def sample(self, cycle: int) -> None:
        cur = self.cur
        if cur is not None:
            if self.tready.value:
                self._seen(cycle, cur[0], cur[1], cur[2])
                if cur[3] is not None:
                    cur[3].set()
                self.cur = None
            else:
                self.stall_cycles += 1

    def drive(self) -> None:
        if self.cur is not None:
            return
        if self.queue:
            if next(self.pause):
                self.idle_cycles += 1
                self.tvalid.value = 0
                return
            beat = self.cur = self.queue.popleft()
            self.tdata.value = beat[0]
            if self.tuser is not None:
                self.tuser.value = beat[1]
            if self.tlast is not None:
                self.tlast.value = beat[2]
            self.tvalid.value = 1
        else:
            self.tvalid.value = 0


class AxisSink(_Port):
    """Takes beats from a master port of the DUT, back-pressuring from its pause generator;
    received beats go to ``recv()`` (unless ``keep=False``) and to the observers."""

    def __init__(self, dut, prefix: str, name: str | None = None, keep: bool = True):
        super().__init__(dut, prefix, name)
        self.pause = no_pause()
        self.ready = 0
        self.keep = keep
        self.rx: Queue = Queue()
        self.held = None  # beat seen valid and not accepted last cycle
        self.errors: list[str] = []
        self.stall_cycles = 0  # cycles with tvalid high and tready low (this sink back-pressured)
        self.beat_wait = 0  # cycles the beat being reported waited for tready (read by observers)
        self._wait = 0

    def set_pause_generator(self, gen: Iterator[bool] | None = None) -> None:
        self.pause = gen if gen is not None else no_pause()

    def idle(self) -> None:
        self.tready.value = 0
        self.ready = 0
        self.held = None
        self._wait = 0

    async def recv(self) -> tuple:
        """(cycle, tdata, tuser, tlast) of the next accepted beat."""
        return await self.rx.get()

    def sample(self, cycle: int) -> None:
        if self.tvalid.value:
            beat = (int(self.tdata.value), int(self.tuser.value) if self.tuser is not None else 0,
                    int(self.tlast.value) if self.tlast is not None else 0)
            if self.held is not None and beat != self.held:
                self.errors.append(f"{self.name}: cycle {cycle}: beat changed while valid and not accepted")
            if self.ready:
                self.beat_wait, self._wait = self._wait, 0
                self._seen(cycle, *beat)
                if self.keep:
                    self.rx.put_nowait((cycle,) + beat)
                self.held = None
            else:
                self.stall_cycles += 1
                self._wait += 1
                self.held = beat
        elif self.held is not None:
            self.errors.append(f"{self.name}: cycle {cycle}: tvalid dropped before the beat was accepted")
            self.held = None

    def drive(self) -> None:
        nr = 0 if next(self.pause) else 1
        if nr != self.ready:
            self.tready.value = nr
            self.ready = nr


class AxisMonitor(_Port):
    """Passive: reports every handshake of a port to its observers (and to ``recv()``)."""

    def __init__(self, dut, prefix: str, name: str | None = None, keep: bool = True):
        super().__init__(dut, prefix, name)
        self.keep = keep
        self.rx: Queue = Queue()

    async def recv(self) -> tuple:
        return await self.rx.get()

    def sample(self, cycle: int) -> None:
        if self.tvalid.value and self.tready.value:
            beat = (int(self.tdata.value), int(self.tuser.value) if self.tuser is not None else 0,
                    int(self.tlast.value) if self.tlast is not None else 0)
            self._seen(cycle, *beat)
            if self.keep:
                self.rx.put_nowait((cycle,) + beat)

    def drive(self) -> None:
        pass


class StreamEngine:
    """One coroutine per clock for a group of ports: sample every handshake in the ReadOnly
    phase, then drive the next cycle after the rising edge. ``cycle`` counts clock edges."""

    def __init__(self, clk, ports: Iterable[_Port] = ()):
        self.clk = clk
        self.ports = list(ports)
        self.cycle = 0
        self._task = None

    def add(self, port: _Port) -> _Port:
        self.ports.append(port)
        return port

    def start(self) -> None:
        if self._task is None:
            self._task = cocotb.start_soon(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None

    async def _run(self) -> None:
        ports = self.ports
        edge = RisingEdge(self.clk)
        ro = ReadOnly()
        while True:
            await ro
            cyc = self.cycle
            for p in ports:
                p.sample(cyc)
            await edge
            self.cycle += 1
            for p in ports:
                p.drive()
