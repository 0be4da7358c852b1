"""m890_mac (issue 3): the exact multi-format FDPA pipeline, on both simulators.

- directed: tb/mac/test_mac.py drives m890_mac's own ports (special-value rules, illegal encodings,
  latency, back-to-back, in_valid gaps, reset mid-stream).
- bulk: tb/mac/test_mac_bulk.py plays NumPy batches through tb/mac/m890_mac_player.v (exhaustive code-pair
  sweeps, >= 200,000 lane steps per wide format, scale-byte sweeps, a mixed stream), split into parts so
  pytest-xdist can spread them.
Every result is compared bit-for-bit with models/fdpa.py.
"""

import pytest

from tb.common.runner import ROOT, run_bench, selected_sims

MAC_RTL = ["m890_mac.v", "m890_fdpa_mul.v", "m890_fdpa_add.v"]
PLAYER = ROOT / "tb" / "mac" / "m890_mac_player.v"

# exhaustive sweep in two halves of similar cost (65536-op pairs are the heavy ones)
_HALF_A = "3x3,3x4,3x5,3x6,5x3,5x5,5x6,6x3,6x6,7x7"
_HALF_B = "4x4,4x3,4x5,4x6,5x4,6x4,6x5"
BULK_PARTS = {
    "exhaustive_a": ("test_exhaustive_code_pairs", {"MAC_PAIRS": _HALF_A}),
    "exhaustive_b": ("test_exhaustive_code_pairs", {"MAC_PAIRS": _HALF_B}),
    "wide": ("test_wide_formats", {}),
    "scales_mixed": (["test_scale_byte_sweep", "test_mixed_stream"], {}),
}


@pytest.mark.parametrize("sim", selected_sims())
def test_mac_directed(sim):
    run_bench(block="mac", toplevel="m890_mac", test_module="tb.mac.test_mac", sim=sim, sources=MAC_RTL)


@pytest.mark.slow
@pytest.mark.parametrize("part", list(BULK_PARTS))
@pytest.mark.parametrize("sim", selected_sims())
def test_mac_bulk(sim, part):
    testcase, env = BULK_PARTS[part]
    run_bench(block="mac", toplevel="m890_mac_player", test_module="tb.mac.test_mac_bulk", sim=sim,
              sources=MAC_RTL + [PLAYER], testcase=testcase, extra_env=env, build_tag="player")
