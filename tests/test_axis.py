# SPDX-License-Identifier: Apache-2.0
"""The AXI4-Stream library (tb/common/axis.py) on a test FIFO, correct and deliberately broken."""

from pathlib import Path

import pytest

from tb.common.runner import run_bench, selected_sims

FIFO = Path(__file__).resolve().parents[1] / "tb" / "common" / "m890_tb_axis_fifo.v"


@pytest.mark.parametrize("bug", [0, 1], ids=["fifo", "broken_fifo"])
@pytest.mark.parametrize("sim", selected_sims())
def test_axis(sim, bug):
    run_bench(block="axis", toplevel="m890_tb_axis_fifo", test_module="tb.common.test_axis", sim=sim,
              parameters={"BUG": bug}, sources=[FIFO], testcase="axis_loopback" if bug else None)
