# SPDX-License-Identifier: Apache-2.0
"""`make formal`'s proofs pass, and each one bites: a small seeded bug in a copy of the RTL
makes the same proof fail with a counterexample trace (formal/run.py --mutate).

The ICN endpoint proofs and every seeded bug run here (seconds each: a bug fails at a shallow
depth). The full tile and MAC proofs take minutes and run in `make formal` (CI job `formal`);
docs/formal.md has the table.
"""

from pathlib import Path

import pytest

from formal import run

EP = "rtl/m890_icn_endpoint.v"
TILE = "rtl/m890_tile.v"
MAC = "rtl/m890_mac.v"
MUL = "rtl/m890_fdpa_mul.v"
ADD = "rtl/m890_fdpa_add.v"

# (id, file, old text, new text, task): each a bug a proof in formal/icn_endpoint.sby must catch
BUGS = [
    # the link transmitter overwrites its flit under back-pressure (tdata changes while !tready)
    ("tx_overwrite_under_backpressure", EP,
     "wire             tx_load     = (GROUP == 1) ? (!txr_v || link_tx_ready) : (!txr_v && pace_ok);",
     "wire             tx_load     = 1'b1;"),
    # one credit too many: the peer's receive buffer can be overrun
    ("one_credit_too_many", EP,
     "credit_ok[vc] = ((sent_cnt[vc] - peer_freed[vc]) < RX_DEPTH[CW-1:0]);",
     "credit_ok[vc] = ((sent_cnt[vc] - peer_freed[vc]) <= RX_DEPTH[CW-1:0]);"),
    # off-by-one sequence check: a flit one ahead of the expected one is delivered (a gap)
    ("sequence_check_off_by_one", EP,
     "      assign in_win  = (d_off == {SEQ_W{1'b0}});",
     "      assign in_win  = (d_off == {{(SEQ_W-1){1'b0}}, 1'b1});"),
    # a freed receive beat is not returned as a credit
    ("freed_beat_not_credited", EP,
     "          freed_cnt[vr] <= freed_cnt[vr] + 1'b1;",
     "          freed_cnt[vr] <= freed_cnt[vr] + (rx_rp[vr][0] ? 1'b0 : 1'b1);"),
    # NAKs counted on the wrong condition (pending instead of sent): the counter lies
    ("stat_nak_tx_wrong_condition", EP,
     "        if (send_nak) stat_nak_tx <= stat_nak_tx + 1'b1;",
     "        if (nak_pending) stat_nak_tx <= stat_nak_tx + 1'b1;"),
    # the link comes up on any good flit of our epoch, without the peer's clean INITs
    ("link_up_on_any_good_flit", EP,
     "  wire clean_ready = clean && (adopted == {NUM_VC{1'b1}}) && (ab_pend == {NUM_VC{1'b0}});",
     "  wire clean_ready = clean && (ab_pend == {NUM_VC{1'b0}});"),
    # a wrong reset value of the NAK re-arm timer
    ("nak_tmr_wrong_reset_value", EP,
     "      nak_tmr     <= {NK_W{1'b0}};",
     "      nak_tmr     <= {NK_W{1'b1}};"),
    # peer reset: a presented (not yet taken) beat is rewritten as the bad end of its packet
    ("abort_rewrites_presented_beat", EP,
     "        ab_app = (ab_occ < 2);",
     "        ab_app = (ab_occ < 1);"),
    # peer reset: the peer's credit state adopted without the range check (credit overrun)
    ("adopt_without_range_check", EP,
     "                 ((f_recv - f_ccnt) <= RX_DEPTH[CW-1:0]);",
     "                 1'b1;"),
]


# (id, file, old, new) seeded into the tile: formal/tile.sby's bounded proof must catch each
TILE_BUGS = [
    # tlast on the first Z row instead of the last
    ("z_tlast_on_first_row", TILE,
     "assign m_axis_z_tlast  = (z_cnt == LASTBEAT);",
     "assign m_axis_z_tlast  = (z_cnt == {RW{1'b0}});"),
    # a command taken while the tile is held in reset (and lost)
    ("cmd_ready_in_reset", TILE,
     "assign s_axis_cmd_tready = rst_n && (!nx_valid || cur_load);",
     "assign s_axis_cmd_tready = (!nx_valid || cur_load);"),
    # the last lane step issued without its A/B beats (K-1 beats consumed)
    ("one_ab_beat_short", TILE,
     "wire cur_klast   = cur_kzero || (cur_left == 16'd1);",
     "wire cur_klast   = cur_kzero || (cur_left <= 16'd2);"),
]


def test_endpoint_proofs_and_covers_pass(capsys):
    assert run.main(["icn_endpoint"]) == 0, capsys.readouterr().out


def assert_bites(capsys, bug, sby: str, task: str, mode_depth: str) -> None:
    """Seed `bug` (id, file, old, new, ...) into a copy of the RTL: the task must fail with a VCD trace."""
    rc = run.main(["--mutate", bug[1], bug[2], bug[3], "--task", task, sby])
    out = capsys.readouterr().out
    assert rc == 1 and f"| {task} | {mode_depth} | FAIL |" in out, f"{sby} {task} missed the seeded bug {bug[0]}:\n{out}"
    trace = out.split("counterexample ")[1].split(";")[0]
    assert trace.endswith(".vcd") and Path(trace).is_file(), out


@pytest.mark.parametrize("bug", BUGS, ids=[b[0] for b in BUGS])
def test_endpoint_proof_bites(bug, capsys):
    assert_bites(capsys, bug, "icn_endpoint", "prove", "prove | 16")


@pytest.mark.parametrize("bug", TILE_BUGS, ids=[b[0] for b in TILE_BUGS])
def test_tile_proof_bites(bug, capsys):
    assert_bites(capsys, bug, "tile", "prove", "bmc | 16")


def test_mac_latency_proof_passes(capsys):
    assert run.main(["--task", "latency", "mac"]) == 0, capsys.readouterr().out


def test_mac_latency_proof_bites(capsys):
    """An extra out_valid (a result with no operation behind it) breaks the latency proof."""
    rc = run.main(["--mutate", MAC, "else        v_q <= add_valid;", "else        v_q <= add_valid || in_valid;",
                   "--task", "latency", "mac"])
    out = capsys.readouterr().out
    assert rc == 1 and "| latency | prove | 7 | FAIL |" in out, out


# (id, file, old, new, task): seeded into the MAC datapath; the miter task must find it
MITER_BUGS = [
    # E2M1 lane 1 of b loses its mantissa bit: the lane-swap miter tells lanes 0 and 1 apart
    ("e2m1_lane1_mantissa_dropped", MUL,
     "fb1 = is16 ? in_b[31:16] : isfp4 ? {12'b0, in_b[7:4]} : {8'b0, in_b[15:8]};",
     "fb1 = is16 ? in_b[31:16] : isfp4 ? {12'b0, in_b[7:5], 1'b0} : {8'b0, in_b[15:8]};", "swap_e2m1"),
    # an exact zero of mixed-sign addends gets -0 under RNE instead of RDN: negation breaks
    ("exact_zero_sign_wrong_mode", ADD,
     "(c_zero_k && !c_sgn_k && b_allzp_k) ? 1'b0 : (rm_k == `M890_RM_RDN);",
     "(c_zero_k && !c_sgn_k && b_allzp_k) ? 1'b0 : (rm_k == `M890_RM_RNE);", "neg_e2m1"),
]


@pytest.mark.slow
@pytest.mark.parametrize("bug", MITER_BUGS, ids=[b[0] for b in MITER_BUGS])
def test_mac_miter_bites(bug, capsys):
    assert_bites(capsys, bug, "mac", bug[4], "bmc | 7")
