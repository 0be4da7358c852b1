# SPDX-License-Identifier: Apache-2.0
"""The stream library's own test (tb/common/axis.py) on a 4-entry FIFO (m890_tb_axis_fifo.v).

axis_loopback            random packets through the FIFO with idle cycles on the source and
                         back-pressure on the sink: every beat arrives once, in order, intact;
                         monitors on both sides count the same beats; both pause generators
                         really paused. On the BUG = 1 build the sink must report the dropped
                         tvalid instead.
axis_send_waits_for_ready  send() does not return while the DUT cannot take the beats.
"""

from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles

from tb.common.axis import AxisMonitor, AxisSink, AxisSource, StreamEngine, random_pause
from tb.common.context import BenchContext


async def setup(dut):
    ctx = BenchContext(dut)
    src = AxisSource(dut, "s_axis", name="in")
    snk = AxisSink(dut, "m_axis", name="out")
    mon_in = AxisMonitor(dut, "s_axis", name="mon_in", keep=False)
    mon_out = AxisMonitor(dut, "m_axis", name="mon_out", keep=False)
    await ctx.reset(idle=lambda: (src.idle(), snk.idle()))
    engine = StreamEngine(dut.clk, [src, snk, mon_in, mon_out])
    engine.start()
    return ctx, src, snk, mon_in, mon_out


@cocotb.test()
async def axis_loopback(dut):
    ctx, src, snk, mon_in, mon_out = await setup(dut)
    rng = ctx.rng("axis_loopback")
    src.set_pause_generator(random_pause(ctx.stream_seed("idle"), 0.3))
    snk.set_pause_generator(random_pause(ctx.stream_seed("bp"), 0.4))
    beats = []
    for _ in range(60):
        n = int(rng.integers(1, 9))
        beats += [(int(rng.integers(0, 1 << 16)), int(rng.integers(0, 16)), int(i == n - 1)) for i in range(n)]
    await src.send(beats)
    got = []
    for _ in range(len(beats)):
        cyc, data, user, last = await snk.recv()
        got.append((data, user, last))
        if snk.errors:
            break
    if ctx.param("BUG", 0):
        assert snk.errors, "the sink did not report the dropped tvalid of the BUG=1 build"
        dut._log.info(f"reported as expected: {snk.errors[0]}")
        return
    assert not snk.errors, snk.errors[:3]
    assert got == beats, f"first difference at beat {next(i for i, (a, b) in enumerate(zip(got, beats)) if a != b)}"
    await ClockCycles(dut.clk, 2)
    assert mon_in.count == mon_out.count == len(beats) == src.count == snk.count
    assert src.idle_cycles > 0 and snk.stall_cycles > 0, "the pause generators never paused"


@cocotb.test()
async def axis_send_waits_for_ready(dut):
    ctx, src, snk, mon_in, mon_out = await setup(dut)
    snk.set_pause_generator(iter(lambda: True, None))  # never ready: the FIFO fills after 4 beats
    task = cocotb.start_soon(src.send([(i, 0, 0) for i in range(6)]))
    await ClockCycles(dut.clk, 30)
    assert not task.done(), "send() returned before the DUT had taken every beat"
    assert mon_in.count == 4, f"the 4-entry FIFO took {mon_in.count} beats"
    snk.set_pause_generator(None)
    await ClockCycles(dut.clk, 10)
    assert task.done(), "send() did not return after the DUT took the last beat"
