# SPDX-License-Identifier: Apache-2.0
"""m890_tile regression: the pyuvm tests of tb/tile/test_tile.py on 1x1, 2x3, 4x4 and 8x8, both simulators."""

import pytest

from tb.common.runner import run_bench, selected_sims

CONFIGS = [(1, 1), (2, 3), (4, 4), (8, 8)]


@pytest.mark.parametrize("rows,cols", CONFIGS, ids=[f"{r}x{c}" for r, c in CONFIGS])
@pytest.mark.parametrize("sim", selected_sims())
def test_tile(sim, rows, cols):
    run_bench(block="tile", toplevel="m890_tile", test_module="tb.tile.test_tile", sim=sim,
              parameters={"ROWS": rows, "COLS": cols})


# issue 10: the control pipe follows the multiplier's NUM_PIPE_REGS; the 2x3 tile at the shallowest
# setting, on Icarus (a Verilator tile build costs minutes of the make-test budget; the default
# setting runs on both).
@pytest.mark.parametrize("sim", [s for s in selected_sims() if s == "icarus"])
def test_tile_pipe1(sim):
    run_bench("tile", sim=sim, parameters={"ROWS": 2, "COLS": 3, "NUM_PIPE_REGS": 1})
