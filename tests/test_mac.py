"""m890_mac (issue 3): the exact multi-format FDPA pipeline, on both simulators.

- directed: tb/mac/test_mac.py drives m890_mac's own ports (special-value rules, illegal encodings,
  latency, back-to-back, in_valid gaps, reset mid-stream).
- bulk: tb/mac/test_mac_bulk.py plays NumPy batches through tb/mac/m890_mac_player.v (exhaustive code-pair
  sweeps, >= 200,000 lane steps per wide format, scale-byte sweeps, a mixed stream), split into parts so
  pytest-xdist can spread them.
Every result is compared bit-for-bit with models/fdpa.py.
"""

import pytest

from tb.common.runner import run_bench, selected_sims

# one cocotb test per part (unique names: parallel parts share the build dir, never a results file)
BULK_PARTS = {
    "exhaustive_a": "test_exhaustive_half_a",
    "exhaustive_b": "test_exhaustive_half_b",
    "wide_fp32": "test_wide_fp32",
    "wide_fp16": "test_wide_fp16",
    "wide_bf16": "test_wide_bf16",
    "scales_mixed": ["test_scale_byte_sweep", "test_mixed_stream"],
}


@pytest.mark.parametrize("sim", selected_sims())
def test_mac_directed(sim):
    run_bench("mac", sim=sim)


@pytest.mark.slow
@pytest.mark.parametrize("part", list(BULK_PARTS))
@pytest.mark.parametrize("sim", selected_sims())
def test_mac_bulk(sim, part):
    run_bench("mac_player", sim=sim, testcase=BULK_PARTS[part])
