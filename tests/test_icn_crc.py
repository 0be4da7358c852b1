"""CRC-32C unit test (tb/icn/test_crc.py) on both simulators."""

from pathlib import Path

import pytest

from tb.common.runner import run_bench, selected_sims

TB = Path(__file__).resolve().parents[1] / "tb" / "icn"


@pytest.mark.parametrize("sim", selected_sims())
def test_icn_crc(sim):
    run_bench(block="icn_crc", toplevel="m890_tb_crc_wrap", test_module="tb.icn.test_crc", sim=sim,
              sources=["m890_crc32c.v", TB / "m890_tb_crc_wrap.v"])
