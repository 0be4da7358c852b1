"""Per-cycle bus functional model of the m890_tile stream ports (built on cocotb-bus `Bus`).

One coroutine serves all five AXI4-Stream ports, so a clock cycle costs one ReadOnly and one
RisingEdge wait whatever the array size. Sources take whole beats from per-stream queues
(filled by the pyuvm drivers); every handshake is reported to per-stream monitor queues
(read by the pyuvm monitors). Idle insertion on the sources and back-pressure on the sink
are random with per-stream probabilities. The sink also checks the AXI4-Stream rule that a
valid Z beat is held, unchanged, until accepted.
"""

from __future__ import annotations

import random
from collections import deque

import cocotb
from cocotb.queue import Queue
from cocotb.triggers import ReadOnly, RisingEdge
from cocotb_bus.bus import Bus

SOURCES = ("cmd", "a", "b", "c")


class ProtocolError(AssertionError):
    pass


class TileBfm:
    def __init__(self, dut, rows: int, cols: int, seed: int):
        self.dut = dut
        self.rows, self.cols = rows, cols
        self.clk = dut.clk
        self.bus = {
            "cmd": Bus(dut, "s_axis_cmd", ["tdata", "tvalid", "tready"]),
            "a": Bus(dut, "s_axis_a", ["tdata", "tuser", "tvalid", "tready"]),
            "b": Bus(dut, "s_axis_b", ["tdata", "tuser", "tvalid", "tready"]),
            "c": Bus(dut, "s_axis_c", ["tdata", "tvalid", "tready"]),
        }
        self.zbus = Bus(dut, "m_axis_z", ["tdata", "tuser", "tvalid", "tready", "tlast"])
        self.rng = random.Random(seed)
        self.queue = {s: deque() for s in SOURCES}  # beats to send: (data, user)
        self.mon = {s: Queue() for s in SOURCES + ("z",)}  # (cycle, data, user[, last])
        self.idle = {s: 0.0 for s in SOURCES}  # probability of an idle cycle before a beat
        self.z_stall = 0.0  # probability of tready low
        self.cycle = 0
        self.beats = {s: 0 for s in SOURCES + ("z",)}
        self.first_ab_cycle = None
        self.last_z_cycle = None
        self._cur = {s: None for s in SOURCES}
        self._task = None
        self.errors: list[str] = []

    def set_stalls(self, idle: float | dict = 0.0, z_stall: float = 0.0):
        if isinstance(idle, dict):
            self.idle.update(idle)
        else:
            self.idle = {s: idle for s in SOURCES}
        self.z_stall = z_stall

    def send(self, stream: str, data: int, user: int = 0):
        self.queue[stream].append((data, user))

    def pending(self) -> int:
        return sum(len(q) for q in self.queue.values()) + sum(c is not None for c in self._cur.values())

    async def reset(self, cycles: int = 4):
        self.dut.rst_n.value = 0
        for s in SOURCES:
            self.bus[s].tvalid.value = 0
            self.bus[s].tdata.value = 0
        self.bus["a"].tuser.value = 0
        self.bus["b"].tuser.value = 0
        self.zbus.tready.value = 0
        for _ in range(cycles):
            await RisingEdge(self.clk)
        self.dut.rst_n.value = 1

    def flush(self):
        """Drop every queued beat and forget the beat in flight (used around a reset)."""
        for s in SOURCES:
            self.queue[s].clear()
            self._cur[s] = None
            self.bus[s].tvalid.value = 0

    def start(self):
        self._task = cocotb.start_soon(self._run())

    def stop(self):
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self):
        rng = self.rng.random
        buses, cur, queue, mon, idle = self.bus, self._cur, self.queue, self.mon, self.idle
        z = self.zbus
        z_ready = 0
        held = None  # Z beat seen valid but not accepted last cycle
        while True:
            await ReadOnly()
            # -------- sample the handshakes that complete at the coming edge
            for s in SOURCES:
                beat = cur[s]
                if beat is not None and int(buses[s].tready.value):
                    mon[s].put_nowait((self.cycle,) + beat)
                    self.beats[s] += 1
                    if s == "a" and self.first_ab_cycle is None:
                        self.first_ab_cycle = self.cycle
                    cur[s] = None
            zv = int(z.tvalid.value)
            if zv:
                zbeat = (int(z.tdata.value), int(z.tuser.value), int(z.tlast.value))
                if held is not None and zbeat != held:
                    self.errors.append(f"cycle {self.cycle}: Z beat changed while valid and not accepted")
                if z_ready:
                    mon["z"].put_nowait((self.cycle,) + zbeat)
                    self.beats["z"] += 1
                    self.last_z_cycle = self.cycle
                    held = None
                else:
                    held = zbeat
            elif held is not None:
                self.errors.append(f"cycle {self.cycle}: Z valid dropped before the beat was accepted")
                held = None
            await RisingEdge(self.clk)
            self.cycle += 1
            # -------- drive the next cycle
            for s in SOURCES:
                if cur[s] is None:
                    q = queue[s]
                    bus = buses[s]
                    if q and (idle[s] == 0.0 or rng() >= idle[s]):
                        beat = q.popleft()
                        cur[s] = beat
                        bus.tdata.value = beat[0]
                        if s in ("a", "b"):
                            bus.tuser.value = beat[1]
                        bus.tvalid.value = 1
                    else:
                        bus.tvalid.value = 0
            nr = 1 if (self.z_stall == 0.0 or rng() >= self.z_stall) else 0
            if nr != z_ready:
                z.tready.value = nr
                z_ready = nr
