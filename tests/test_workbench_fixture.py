import pytest
from pathlib import Path
from tb.common.runner import run_bench, selected_sims
FIX = Path(__file__).resolve().parent / "fixtures"
@pytest.mark.parametrize("sim", selected_sims())
def test_wbfix(sim):
    run_bench(block="wbfix", toplevel="m890_wbfix", test_module="tb.wbfix.test_wbfix", sim=sim,
              sources=sorted(FIX.glob("*.v")))
