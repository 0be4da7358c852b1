"""The workbench's own tiny design (tests/fixtures/m890_wbfix*.v, bench tb/wbfix) on both
simulators. tests/test_workbench.py drives it through regress/soak/coverage/waves; WBFIX_TAG
gives those runs their own build directory so they never share one with this test."""

import os
from pathlib import Path

import pytest

from tb.common.runner import run_bench, selected_sims

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize("sim", selected_sims())
def test_wbfix(sim):
    run_bench(block="wbfix", toplevel="m890_wbfix", test_module="tb.wbfix.test_wbfix", sim=sim,
              sources=sorted(FIXTURES.glob("*.v")), build_tag=os.environ.get("WBFIX_TAG", ""))
