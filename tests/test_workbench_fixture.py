# SPDX-License-Identifier: Apache-2.0
"""The workbench's own tiny design (tests/fixtures/m890_wbfix*.v, bench tb/wbfix) on both
simulators. tests/test_workbench.py drives it through regress/soak/coverage/waves with
`--knob` options: tag=<name> gives those runs their own build directory (never shared with
this test), n=, bug=1 and bug_seeds= are the bench's knobs (tb/wbfix/test_wbfix.py)."""

import pytest

from tb.common.runner import run_bench, selected_sims


@pytest.mark.parametrize("sim", selected_sims())
def test_wbfix(sim, knobs):
    run_bench("wbfix", sim=sim, build_tag=knobs.pop("tag", ""), knobs=knobs)
