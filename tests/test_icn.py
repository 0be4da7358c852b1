# SPDX-License-Identifier: Apache-2.0
"""ICN endpoint benches (tb/icn) on both simulators.

Verilator runs every random test at full length (>= 10^5 delivered beats per run); Icarus,
~100x slower on this bench, runs the same tests scaled down (ICN_SCALE_ICARUS multiplies the
per-case factor below). Directed tests run at full length on both. The scale reaches the bench
as the ICN_SCALE knob (a plusarg read through BenchContext), not as an environment variable.
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
# the wire-efficiency link format (GROUP=4 beats per flit, docs/icn.md): in `make test` on Icarus at
# DATA_W=64 (EFF64 for the default build); the full set (DATA_W=256, both simulators) with
# ICN_FULL=1 (`make soak-icn`, `make soak-icn-eff`)
EFF_GROUP = 4
# (tiny builds: SEQ_W=5, not 4: the channel's late duplicates reach 4 flits = 16 beats back, which
# must stay below 2^SEQ_W - REPLAY_DEPTH beats, or a stale group aliases into the window)
EFF = {"default": ("eff64", {"DATA_W": 64, "GROUP": EFF_GROUP}),
       "tiny": ("efftiny", dict(TINY, SEQ_W=5, GROUP=EFF_GROUP)),
       "onecred": ("effonecred", dict(ONECRED, SEQ_W=5, GROUP=EFF_GROUP))}
EFF_FULL = ("eff256", {"GROUP": EFF_GROUP})
# Icarus length of the efficient runs: the drop run 3x (a flit carries 4 beats, so a run of the
# same beats has a quarter of the flits and of the drops), the capped torture run (400 packets per
# VC at full length) 20x (40 packets); in the make-test tier also 20 peer resets per run, not 200
EFF_ICARUS_X = {("icn_mode_drop", "default"): 3, ("icn_torture_1e3", "default"): 20}
EFF_MAKE_TEST = {("icn_peer_reset_a", "tiny"): {"ICN_RESETS": "20"}, ("icn_peer_reset_b", "tiny"): {"ICN_RESETS": "20"}}
# not in the make-test tier (its wall-time budget), only with ICN_FULL=1: covered there by ber_1e4 and
# the torture run (bit errors), retrain_waits_for_init (timeouts, retry escalation, re-init)
EFF_FULL_ONLY = {"icn_ber_1e6", "icn_ber_1e5", "icn_retry_reinit"}

# (cocotb test, build name, build parameters, Icarus scale)
CASES = [
    ("icn_ber_0", "default", DEFAULT, 0.02),
    ("icn_ber_1e6", "default", DEFAULT, 0.02),
    ("icn_ber_1e5", "default", DEFAULT, 0.02),
    ("icn_ber_1e4", "default", DEFAULT, 0.02),
    ("icn_torture_1e3", "default", DEFAULT, 0.005),
    ("icn_mode_burst", "default", DEFAULT, 0.02),
    ("icn_mode_drop", "default", DEFAULT, 0.02),
    ("icn_mode_dup", "default", DEFAULT, 0.02),
    ("icn_mode_garbage", "default", DEFAULT, 0.02),
    ("icn_mode_stall", "default", DEFAULT, 0.02),
    ("icn_corrupt_ack", "default", DEFAULT, 1),
    ("icn_lost_nak", "default", DEFAULT, 1),
    ("icn_retry_reinit", "default", DEFAULT, 1),
    ("icn_retrain_waits_for_init", "default", DEFAULT, 1),
    ("icn_vc_stall", "default", DEFAULT, 1),
    ("icn_seq_wrap", "tiny", TINY, 0.03),
    ("icn_replay_full", "tiny", TINY, 1),
    ("icn_torture_1e3", "tiny", TINY, 0.03),
    ("icn_one_credit", "onecred", ONECRED, 1),
    ("icn_peer_reset_a", "tiny", TINY, 1),
    ("icn_peer_reset_b", "tiny", TINY, 1),
]


def icn_scale(sim: str, icarus_scale: float) -> str:
    if sim == "verilator":
        return os.environ.get("ICN_SCALE", "1")
    return str(icarus_scale * float(os.environ.get("ICN_SCALE_ICARUS", "1")))


@pytest.mark.parametrize("sim", selected_sims())
@pytest.mark.parametrize("case,cfgname,params,iscale", CASES, ids=[f"{c}-{n}" for c, n, _, _ in CASES])
def test_icn(sim, case, cfgname, params, iscale):
    run_bench(block="icn", toplevel="m890_tb_icn_top", test_module="tb.icn.test_icn", sim=sim,
              parameters=params, sources=SOURCES, testcase=case,
              knobs={"ICN_SCALE": icn_scale(sim, iscale), **icn_knobs()})


def icn_knobs() -> dict:
    """Run-length knobs passed through from the environment (make soak-icn, debugging)."""
    return {k: os.environ[k] for k in ("ICN_RESETS", "ICN_CLEAN") if k in os.environ}


def eff_cases() -> list:
    """(sim, case, build name, parameters, knobs) of the efficient-format runs."""
    full = os.environ.get("ICN_FULL") == "1"
    sims = selected_sims() if full else [s for s in selected_sims() if s == "icarus"]
    out = []
    for sim in sims:
        for case, cfgname, _params, iscale in CASES:
            if case in EFF_FULL_ONLY and not full:
                continue
            name, params = EFF_FULL if (full and cfgname == "default") else EFF[cfgname]
            extra = {} if full else EFF_MAKE_TEST.get((case, cfgname), {})
            scale = icn_scale(sim, iscale * EFF_ICARUS_X.get((case, cfgname), 1))
            out.append((sim, case, name, params, {"ICN_SCALE": scale, **extra, **icn_knobs()}))
    return out


@pytest.mark.parametrize("sim,case,cfgname,params,knobs", eff_cases(),
                         ids=[f"{c}-{n}-{s}" for s, c, n, _, _ in eff_cases()])
def test_icn_eff(sim, case, cfgname, params, knobs):
    run_bench(block="icn", toplevel="m890_tb_icn_top", test_module="tb.icn.test_icn", sim=sim,
              parameters=params, sources=SOURCES, testcase=case, knobs=knobs)
