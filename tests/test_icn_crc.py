# SPDX-License-Identifier: Apache-2.0
"""CRC-32C unit test (tb/icn/test_crc.py) on both simulators."""

import pytest

from tb.common.runner import run_bench, selected_sims


@pytest.mark.parametrize("sim", selected_sims())
def test_icn_crc(sim):
    run_bench("icn_crc", sim=sim)
