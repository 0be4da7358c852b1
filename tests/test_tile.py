# SPDX-License-Identifier: Apache-2.0
"""m890_tile regression: the pyuvm tests of tb/tile/test_tile.py on 1x1, 2x3, 4x4 and 8x8, both simulators."""

import os

import pytest

from tb.common.runner import run_bench, selected_sims

CONFIGS = [(1, 1), (2, 3), (4, 4), (8, 8)]


@pytest.mark.parametrize("rows,cols", CONFIGS, ids=[f"{r}x{c}" for r, c in CONFIGS])
@pytest.mark.parametrize("sim", selected_sims())
def test_tile(sim, rows, cols):
    run_bench(block="tile", toplevel="m890_tile", test_module="tb.tile.test_tile", sim=sim,
              parameters={"ROWS": rows, "COLS": cols})


# ARCHITECTURE.md 4.1: interleaved accumulators. Every NACC build runs the whole pyuvm set (random GEMMs with
# back-pressure on every port, back-to-back utilization, reset). The make-test tier runs the small arrays on
# Icarus and the big ones on Verilator (the wall-time budget); TILE_FULL=1 (`make soak-nacc`) runs every
# configuration on both simulators.
NACC_CONFIGS = [(2, 3, 2), (2, 3, 4), (4, 4, 2), (4, 4, 4), (8, 8, 2)]
NACC_MAKE_TEST = {"icarus": {(2, 3, 2), (2, 3, 4)}, "verilator": {(4, 4, 2)}}


def nacc_cases():
    full = os.environ.get("TILE_FULL") == "1"
    return [pytest.param(sim, r, c, n, id=f"{sim}-{r}x{c}-nacc{n}") for sim in selected_sims()
            for r, c, n in NACC_CONFIGS if full or (r, c, n) in NACC_MAKE_TEST[sim]]


@pytest.mark.parametrize("sim,rows,cols,nacc", nacc_cases())
def test_tile_nacc(sim, rows, cols, nacc):
    run_bench("tile", sim=sim, parameters={"ROWS": rows, "COLS": cols, "NACC": nacc})


# issue 10: the control pipe follows the multiplier's NUM_PIPE_REGS; the 2x3 tile at the shallowest
# setting, on Icarus (a Verilator tile build costs minutes of the make-test budget; the default
# setting runs on both).
@pytest.mark.parametrize("sim", [s for s in selected_sims() if s == "icarus"])
def test_tile_pipe1(sim):
    run_bench("tile", sim=sim, parameters={"ROWS": 2, "COLS": 3, "NUM_PIPE_REGS": 1})
