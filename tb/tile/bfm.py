# SPDX-License-Identifier: Apache-2.0
"""Per-cycle bus functional model of the m890_tile stream ports, on tb/common/axis.py.

Four AxisSources (cmd, a, b, c) and one AxisSink (z) share one StreamEngine, so a clock cycle
costs one ReadOnly and one RisingEdge wait whatever the array size. Idle insertion on the
sources and back-pressure on the sink come from pause generators. Every handshake is reported
to per-stream monitor queues ``mon[s]``: (cycle, data, user) for sources, (cycle, data, user,
last) for Z (unless record=False). The sink checks that a valid Z beat is held, unchanged, until accepted.
"""

from __future__ import annotations

import random

from cocotb.queue import Queue
from cocotb.triggers import RisingEdge

from tb.common.axis import AxisSink, AxisSource, StreamEngine, random_pause

SOURCES = ("cmd", "a", "b", "c")


class TileBfm:
    def __init__(self, dut, rows: int, cols: int, seed: int, record: bool = True, nacc: int = 1):
        self.dut = dut
        self.record = record  # fill the mon[] queues (pyuvm monitors observe the ports directly)
        self.rows, self.cols, self.nacc = rows, cols, nacc
        self.z_beats = rows * nacc  # beats of a Z packet (ARCHITECTURE.md 4.1: R*NACC)
        self.clk = dut.clk
        self.seed = seed
        self.src = {s: AxisSource(dut, f"s_axis_{s}", name=s) for s in SOURCES}
        self.snk = AxisSink(dut, "m_axis_z", name="z", keep=False)
        self.engine = StreamEngine(self.clk, list(self.src.values()) + [self.snk])
        self.mon = {s: Queue() for s in SOURCES + ("z",)}
        self.beats = {s: 0 for s in SOURCES + ("z",)}
        self.first_ab_cycle = None
        self.last_z_cycle = None
        for s in SOURCES:
            self.src[s].add_observer(self._observer(s))
        self.snk.add_observer(self._z_seen)
        self.set_stalls(0.0, 0.0)

    def _observer(self, s):
        q = self.mon[s]

        def seen(cycle, data, user, last):
            if self.record:
                q.put_nowait((cycle, data, user))
            self.beats[s] += 1
            if s == "a" and self.first_ab_cycle is None:
                self.first_ab_cycle = cycle
        return seen

    def _z_seen(self, cycle, data, user, last):
        if self.record:
            self.mon["z"].put_nowait((cycle, data, user, last))
        self.beats["z"] += 1
        self.last_z_cycle = cycle

    @property
    def cycle(self) -> int:
        return self.engine.cycle

    @property
    def errors(self) -> list[str]:
        return self.snk.errors

    def set_stalls(self, idle: float | dict = 0.0, z_stall: float | None = None):
        """Idle probability per source (one value or a dict by stream) and sink back-pressure."""
        idle = idle if isinstance(idle, dict) else {s: idle for s in SOURCES}
        for s, p in idle.items():
            self.src[s].set_pause_generator(random_pause(random.Random(f"{self.seed}/idle/{s}/{p}"), p))
        if z_stall is not None:
            self.set_backpressure(z_stall)

    def set_backpressure(self, p: float):
        self.snk.set_pause_generator(random_pause(random.Random(f"{self.seed}/bp/{p}"), p))

    def send(self, stream: str, data: int, user: int = 0):
        self.src[stream].send_nowait(data, user)

    def pending(self) -> int:
        return sum(s.pending() for s in self.src.values())

    async def reset(self, cycles: int = 4):
        self.dut.rst_n.value = 0
        for s in self.src.values():
            s.idle()
        self.snk.idle()
        for _ in range(cycles):
            await RisingEdge(self.clk)
        self.dut.rst_n.value = 1

    def flush(self):
        """Drop every queued beat and forget the beat in flight (used around a reset)."""
        for s in self.src.values():
            s.flush()

    def start(self):
        self.engine.start()

    def stop(self):
        self.engine.stop()
