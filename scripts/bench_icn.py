# SPDX-License-Identifier: Apache-2.0
"""Numbers for docs/icn.md: ICN link efficiency, goodput vs BER (measured and analytic
go-back-N), idle latency and round trip, retry cost, for each link format; the goodput plot;
the status-counter mutants; Yosys synthesis of the efficient format.

Usage:  .venv/bin/python -m scripts.bench_icn [--sim verilator] [--pkts 2000] [--formats default,eff]
                                              [--bers 0,1e-6,1e-5,1e-4,3e-4,1e-3] [--plot PNG]
                                              [--synth] [--mutants]

Each measurement is a cocotb run of tb/icn/test_icn.py (icn_bench_latency, icn_bench_goodput)
at DATA_W=256, NUM_VC=3, SEQ_W=8, REPLAY_DEPTH=32, RX_DEPTH=32, bench channel latency LAT=4
cycles each way, with every VC saturated (no source idles, no sink back-pressure) and
independent bit errors at the given BER in both directions. Link formats (FORMATS): "default"
(GROUP=1, FLIT_W=320: one beat per flit) and "eff" (GROUP=4, FLIT_W=1104: up to 4 beats per
flit, one flit every 4 cycles at most). Goodput = data beats delivered per cycle per direction
(1.0 = one beat per cycle, the user-side maximum of both formats); wire efficiency = payload
bits delivered / bits of the flits sent while the traffic ran.
--plot PNG: goodput (payload bits per wire bit of the link's capacity) over the BER sweep of
each format, measured and analytic, into PNG (`make icn-plot` writes docs/icn_goodput.png).
--synth: Yosys synth of the endpoint per format (cells, flip-flops, longest path; minutes).
--mutants: the three status-counter / link-up mutations of issue 13, built as mutated copies
under sim_build/icn_mutants/ (rtl/ is never touched), each run against the ICN tests that must
catch it on both formats (Icarus); exit status 1 if one is not caught.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from models import icn_model as im
from scripts import synth as synth_flow
from tb.common.blocks import BLOCKS
from tb.common.runner import ROOT, BenchResult, run_bench

FORMATS = {"default": {}, "eff": {"GROUP": 4}}
EFF64 = {"DATA_W": 64, "GROUP": 4}  # the make-test build of the efficient format (mutants)


def layout(params: dict) -> im.FlitLayout:
    return im.FlitLayout(data_w=params.get("DATA_W", 256), group=params.get("GROUP", 1))


def run(sim: str, case: str, env: dict, params: dict | None = None, **kw) -> BenchResult:
    return run_bench("icn", sim=sim, testcase=case, knobs=env, parameters=params or {}, **kw)


def latency(sim: str, params: dict) -> dict:
    lat = run(sim, "icn_bench_latency", {}, params).result("bench_latency")
    chan = lat["params"]["LAT"]
    lats = sorted({r["latency"] for r in lat["runs"]})
    rtts = sorted({r["round_trip"] for r in lat["runs"]})
    return {"latency": lats, "endpoints": [x - chan for x in lats], "round_trip": rtts, "chan": chan}


def goodput(sim: str, params: dict, ber_s: str, pkts: int) -> dict:
    g = run(sim, "icn_bench_goodput", {"ICN_BER": ber_s, "ICN_PKTS": str(pkts)}, params).result(f"bench_goodput_{ber_s}")
    lay, w = layout(params), g["window"]
    wire_bits = (w["a_flits"] + w["b_flits"]) * lay.flit_w
    payload_bits = (w["ab_beats"] + w["ba_beats"]) * lay.data_w
    st = {k: g["a"][k] + g["b"][k] for k in g["a"]}
    replays = st["nak_rx"] + st["timeout"]
    return {"ber": float(ber_s), "goodput": g["beats"] / 2 / g["cycles"],
            "wire_eff": payload_bits / wire_bits if wire_bits else 0.0,
            # goodput in payload bits per bit of wire capacity (a flit slot every GROUP cycles)
            "bits": g["beats"] / 2 / g["cycles"] * lay.raw_efficiency(),
            "replay_flits_per_event": st["replay"] / replays if replays else None, "stats": st}


def measure(a) -> dict:
    out = {}
    for name in a.formats.split(","):
        params = FORMATS[name]
        lay = layout(params)
        print(f"\n== format {name} (GROUP={lay.group}): DATA_W={lay.data_w} header={lay.hdr_w} group fields={lay.gx_w} "
              f"pad={lay.pad_w} CRC=32 -> FLIT_W={lay.flit_w}; full DATA flit {lay.raw_efficiency():.2%} payload")
        lat = latency(a.sim, params)
        print(f"idle latency s_axis->m_axis: {lat['latency']} cycles (incl. {lat['chan']}-cycle channel; endpoint pair "
              f"{lat['endpoints']}); ACK round trip {lat['round_trip']} cycles")
        rtt_flits = max(lat["round_trip"]) / lay.group  # go-back-N window in flits
        rows, eta0 = [], None
        for ber_s in a.bers.split(","):
            r = goodput(a.sim, params, ber_s, a.pkts)
            eta0 = r["goodput"] if eta0 is None else eta0
            r["p"] = im.flit_error_rate(r["ber"], lay.flit_w)
            r["analytic"] = eta0 * im.gbn_efficiency(r["p"], rtt_flits)
            rows.append(r)
            st, rpe = r["stats"], r["replay_flits_per_event"]
            print(f"BER {r['ber']:8.0e}: flit error {r['p']:.2e}  goodput {r['goodput']:.4f} beats/cycle/dir "
                  f"(analytic GBN {r['analytic']:.4f})  payload/wire bits sent {r['wire_eff']:.4f}  "
                  f"payload/wire capacity {r['bits']:.4f}  [A+B: crc_err={st['crc_err']} nak_tx={st['nak_tx']} "
                  f"replay={st['replay']} timeout={st['timeout']} reinit={st['reinit']}; flits resent per replay "
                  f"{'-' if rpe is None else f'{rpe:.1f}'}]")
        print("\n| BER | flit error rate | goodput (beats/cycle/dir) | analytic go-back-N | payload / wire bits sent | "
              "payload / wire capacity | flits resent per replay |")
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            rpe = r["replay_flits_per_event"]
            print(f"| {r['ber']:.0e} | {r['p']:.2e} | {r['goodput']:.4f} | {r['analytic']:.4f} | {r['wire_eff']:.4f} | "
                  f"{r['bits']:.4f} | {'-' if rpe is None else f'{rpe:.1f}'} |")
        out[name] = {"layout": lay, "latency": lat, "rows": rows}
    return out


def plot(res: dict, path: Path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 4.6), dpi=120)
    floor = 1e-7  # BER 0 is drawn at this abscissa
    for (name, r), col in zip(res.items(), ("tab:blue", "tab:red", "tab:green")):
        lay = r["layout"]
        xs = [max(x["ber"], floor) for x in r["rows"]]
        ax.plot(xs, [x["bits"] for x in r["rows"]], "o-", color=col,
                label=f"{name}: GROUP={lay.group}, FLIT_W={lay.flit_w} (measured)")
        ax.plot(xs, [x["analytic"] * lay.raw_efficiency() for x in r["rows"]], "--", color=col, alpha=0.6,
                label=f"{name}: analytic go-back-N, RTT {max(r['latency']['round_trip'])} cycles")
    ax.set_xscale("log")
    ax.set_xlabel("bit error rate, both directions (BER 0 drawn at 1e-7)")
    ax.set_ylabel("goodput: payload bits / wire capacity bits")
    ax.set_ylim(0, 1)
    ax.grid(True, which="both", alpha=0.3)
    ax.set_title("m890_icn_endpoint go-back-N goodput over BER, DATA_W=256, 3 VCs saturated")
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    print(f"\nplot: {path}")


# ---- Yosys, per format --------------------------------------------------------------------------
def synth(fmt: str) -> dict:
    """The endpoint synthesized in the format (as `make synth` does: block icn_endpoint_group4 for eff)."""
    blk = BLOCKS["icn_endpoint"]
    return synth_flow.synth_top(blk.top, list(blk.sources), ROOT / "sim_build" / "icn_synth", params=FORMATS[fmt])


# ---- mutation check -----------------------------------------------------------------------------
MUTANTS = {
    # name: (original text, mutated text, the ICN tests that must catch it)
    "stat_nak_tx_on_nak_pending": ("if (send_nak) stat_nak_tx <= stat_nak_tx + 1'b1;",
                                   "if (nak_pending) stat_nak_tx <= stat_nak_tx + 1'b1;",
                                   ["icn_retrain_waits_for_init"]),
    "nak_tmr_reset_all_ones": ("      nak_tmr     <= {NK_W{1'b0}};\n      rx_expect   <= {SEQ_W{1'b0}};",
                               "      nak_tmr     <= {NK_W{1'b1}};\n      rx_expect   <= {SEQ_W{1'b0}};",
                               ["icn_lost_nak"]),
    "link_up_on_any_good_flit": ("if (rx_use && f_type != T_INIT && peer_seen) go_up = 1'b1;",
                                 "if (rx_use && f_type != T_INIT) go_up = 1'b1;",
                                 ["icn_retrain_waits_for_init"]),
}


def mutants(sim: str = "icarus") -> list[tuple]:
    """Each mutant on the default format (DATA_W=256) and on the efficient one (EFF64, as in make
    test); returns (mutant, format, test, caught, first error line)."""
    rows = []
    blk = BLOCKS["icn"]
    for name, (old, new, tests) in MUTANTS.items():
        d = ROOT / "sim_build" / "icn_mutants" / "src" / name
        d.mkdir(parents=True, exist_ok=True)
        srcs = []
        for src in blk.sources:  # only the endpoint is copied (mutated); the bench sources stay
            if src.name == "m890_icn_endpoint.v":
                text = src.read_text()
                assert text.count(old) == 1, f"mutant {name}: pattern not found once"
                (d / src.name).write_text(text.replace(old, new))
                src = d / src.name
            srcs.append(src)
        for fmt, params in (("default", {}), ("eff64", EFF64)):
            for tc in tests:
                res = run_bench(blk.with_(name="icn_mutants", sources=tuple(srcs)), sim=sim, testcase=tc,
                                parameters=params, build_tag=name, check=False)
                caught = not res.passed
                why = first_error(res.run_dir) if caught else ""
                rows.append((name, fmt, tc, caught, why))
                print(f"mutant {name} [{fmt}]: {'caught' if caught else 'NOT CAUGHT'} by {tc}  {why}")
    print("\n| mutation | format | test | result | first error |")
    print("|---|---|---|---|---|")
    for name, fmt, tc, caught, why in rows:
        print(f"| `{name}` | {fmt} | `{tc}` | {'caught' if caught else '**not caught**'} | {why} |")
    return rows


def first_error(run_dir: Path) -> str:
    """The first scoreboard error of a failed run (from the cocotb results XML)."""
    for f in sorted(run_dir.glob("results*.xml")):
        for fail in ET.parse(f).getroot().iter("failure"):
            msg = fail.get("message", "")
            return (msg.split("first: ", 1)[-1] if "first: " in msg else msg)[:170].replace("|", "/")
    return "(no results)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sim", default="verilator")
    ap.add_argument("--pkts", type=int, default=2000, help="packets per VC per direction")
    ap.add_argument("--bers", default="0,1e-6,1e-5,1e-4,3e-4,1e-3")
    ap.add_argument("--formats", default="default,eff")
    ap.add_argument("--plot", type=Path, help="write the goodput-over-BER PNG here")
    ap.add_argument("--synth", action="store_true")
    ap.add_argument("--mutants", action="store_true", help="only run the mutation check (Icarus)")
    a = ap.parse_args()
    if a.mutants:
        return 0 if all(r[3] for r in mutants()) else 1
    if a.synth:
        for fmt in a.formats.split(","):
            r = synth(fmt)
            print(f"Yosys synth, format {fmt} (DATA_W=256): {sum(r['cells'].values())} cells, {r['ff']} flip-flops, "
                  f"longest path {r['ltp']} gates, {r['seconds']:.0f} s {'OK' if r['ok'] else r['errors']}")
        return 0
    res = measure(a)
    if a.plot:
        plot(res, a.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
