"""ICN endpoint benches (tb/icn) on both simulators.

Verilator runs every random test at full length (>= 10^5 delivered beats per run); Icarus,
about 20x slower on this bench, runs the same tests scaled down by ICN_SCALE_ICARUS.
"""

import os
from pathlib import Path

import pytest

from tb.common.runner import run_bench, selected_sims

TB = Path(__file__).resolve().parents[1] / "tb" / "icn"
SOURCES = ["m890_crc32c.v", "m890_icn_endpoint.v"] + [TB / f for f in (
    "m890_tb_icn_channel.v", "m890_tb_icn_src.v", "m890_tb_icn_snk.v", "m890_tb_icn_top.v")]

DEFAULT = {}
TINY = {"DATA_W": 64, "SEQ_W": 4, "REPLAY_DEPTH": 8, "RX_DEPTH": 16, "TIMEOUT": 128, "MAX_RETRY": 4}
ONECRED = {"DATA_W": 64, "SEQ_W": 4, "REPLAY_DEPTH": 8, "RX_DEPTH": 1, "TIMEOUT": 128, "MAX_RETRY": 4}

RANDOM = ["icn_ber_0", "icn_ber_1e6", "icn_ber_1e5", "icn_ber_1e4", "icn_torture_1e3",
          "icn_mode_burst", "icn_mode_drop", "icn_mode_dup", "icn_mode_garbage", "icn_mode_stall"]
DIRECTED = ["icn_corrupt_ack", "icn_lost_nak", "icn_retry_reinit", "icn_vc_stall"]
CASES = ([(t, "default", DEFAULT) for t in RANDOM + DIRECTED]
         + [("icn_seq_wrap", "tiny", TINY), ("icn_replay_full", "tiny", TINY),
            ("icn_torture_1e3", "tiny", TINY), ("icn_one_credit", "onecred", ONECRED)])


def icn_scale(sim: str) -> str:
    if sim == "verilator":
        return os.environ.get("ICN_SCALE", "1")
    return os.environ.get("ICN_SCALE_ICARUS", "0.04")


@pytest.mark.parametrize("sim", selected_sims())
@pytest.mark.parametrize("case,cfgname,params", CASES, ids=[f"{c}-{n}" for c, n, _ in CASES])
def test_icn(sim, case, cfgname, params):
    run_bench(block="icn", toplevel="m890_tb_icn_top", test_module="tb.icn.test_icn", sim=sim,
              parameters=params, sources=SOURCES, testcase=case,
              extra_env={"ICN_SCALE": icn_scale(sim)})
