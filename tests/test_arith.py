# SPDX-License-Identifier: Apache-2.0
"""rtl/m890_arith.v: the structural netlists synthesis builds (-DM890_STRUCTURAL: Sklansky adder, Wallace
tree, multiplier, leading-zero tree, log shifters) against integer arithmetic, on both simulators.
The other benches simulate the behavioural twins; this is what ties the two together."""

import pytest

from tb.common.runner import run_bench, selected_sims


@pytest.mark.parametrize("sim", selected_sims())
def test_arith_structural(sim):
    run_bench("arith", sim=sim, build_args=["-DM890_STRUCTURAL"], build_tag="struct")
