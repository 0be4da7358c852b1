# SPDX-License-Identifier: Apache-2.0
"""`make formal`'s proofs pass, and each one bites: a small seeded bug in a copy of the RTL
makes the same proof fail with a counterexample trace (formal/run.py --mutate).

The ICN endpoint proofs run here (seconds each). The tile and MAC proofs are longer and run in
`make formal` (CI job `formal`); docs/formal.md has the table.
"""

from pathlib import Path

import pytest

from formal import run

EP = "rtl/m890_icn_endpoint.v"

# (id, file, old text, new text, task): each a bug a proof in formal/icn_endpoint.sby must catch
BUGS = [
    # the link transmitter overwrites its flit under back-pressure (tdata changes while !tready)
    ("tx_overwrite_under_backpressure", EP,
     "wire             tx_load     = !txr_v || link_tx_ready;",
     "wire             tx_load     = 1'b1;"),
    # one credit too many: the peer's receive buffer can be overrun
    ("one_credit_too_many", EP,
     "credit_ok[vc] = ((sent_cnt[vc] - peer_freed[vc]) < RX_DEPTH[CW-1:0]);",
     "credit_ok[vc] = ((sent_cnt[vc] - peer_freed[vc]) <= RX_DEPTH[CW-1:0]);"),
    # off-by-one sequence check: a flit one ahead of the expected one is delivered (a gap)
    ("sequence_check_off_by_one", EP,
     "wire             accept  = f_is_data && (d_off == {SEQ_W{1'b0}}) && !sel_full;",
     "wire             accept  = f_is_data && (d_off == {{(SEQ_W-1){1'b0}}, 1'b1}) && !sel_full;"),
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


def test_endpoint_proofs_and_covers_pass(capsys):
    assert run.main(["icn_endpoint"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("bug", BUGS, ids=[b[0] for b in BUGS])
def test_endpoint_proof_bites(bug, capsys):
    _, path, old, new = bug
    rc = run.main(["--mutate", path, old, new, "--task", "prove", "icn_endpoint"])
    out = capsys.readouterr().out
    assert rc == 1, f"the proof missed the seeded bug {bug[0]}:\n{out}"
    assert "| prove | prove | 16 | FAIL |" in out, out
    trace = out.split("counterexample ")[1].split(";")[0]
    assert trace.endswith(".vcd") and Path(trace).is_file(), out
