# SPDX-License-Identifier: Apache-2.0
"""Numbers for docs/icn.md: ICN link efficiency, goodput vs BER (measured and analytic
go-back-N), idle latency and round trip, Yosys cell count.

Usage:  .venv/bin/python -m scripts.bench_icn [--sim verilator] [--pkts 2000] [--synth]
                                              [--bers 0,1e-6,1e-5,1e-4,3e-4,1e-3]

Each measurement is a cocotb run of tb/icn/test_icn.py (icn_bench_latency, icn_bench_goodput)
on the default build (DATA_W=256, NUM_VC=3, FLIT_W=320, SEQ_W=8, REPLAY_DEPTH=32,
RX_DEPTH=32, bench channel latency LAT=4 cycles each way), with every VC saturated (no source
idles, no sink back-pressure) and independent bit errors at the given BER in both directions.
Goodput = data beats delivered per cycle per direction (one flit slot per cycle = 1.0).
--synth also runs Yosys `synth` on the default endpoint (takes a few minutes).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from models import icn_model as im
from scripts import yosys
from tb.common.blocks import BLOCKS
from tb.common.runner import ROOT, BenchResult, run_bench

SYNTH_YS = """{read}
chparam -set DATA_W 256 m890_icn_endpoint
synth -top m890_icn_endpoint
tee -q -o {out}/stat_default.txt stat
select -assert-none t:$dlatch t:$_DLATCH_*
"""


def run(sim: str, case: str, env: dict) -> BenchResult:
    return run_bench("icn", sim=sim, testcase=case, knobs=env)


def synth() -> int | None:
    out = ROOT / "sim_build" / "icn_synth"
    blk = BLOCKS["icn_endpoint"]
    read = yosys.read_verilog(blk.sources, blk.include_dirs(), defines=()).replace("read_verilog", "read_verilog -defer")
    yosys.run(SYNTH_YS.format(read=read, out=yosys.rel(out)), out, "synth_bench", check=True)
    return cells_from(out / "stat_default.txt")


def cells_from(path: Path) -> int | None:
    if not path.exists():
        return None
    text = path.read_text()
    hier = text.split("design hierarchy", 1)[-1]  # the total including the CRC submodules
    m = (re.search(r"^\s*(\d+)\s+m890_icn_endpoint\s*$", hier, re.M)
         or re.search(r"^\s*(\d+)\s+cells\s*$", hier, re.M)
         or re.search(r"Number of cells:\s*(\d+)", text))
    return int(m.group(1)) if m else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sim", default="verilator")
    ap.add_argument("--pkts", type=int, default=2000, help="packets per VC per direction")
    ap.add_argument("--bers", default="0,1e-6,1e-5,1e-4,3e-4,1e-3")
    ap.add_argument("--synth", action="store_true")
    a = ap.parse_args()

    lay = im.FlitLayout()
    print(f"flit: DATA_W={lay.data_w} header={lay.hdr_w} pad={lay.body_w - lay.data_w - lay.hdr_w} "
          f"CRC=32 -> FLIT_W={lay.flit_w}; raw link efficiency {lay.raw_efficiency():.1%}")

    lat = run(a.sim, "icn_bench_latency", {}).result("bench_latency")
    lats = sorted({r["latency"] for r in lat["runs"]})
    rtts = sorted({r["round_trip"] for r in lat["runs"]})
    chan = lat["params"]["LAT"]
    rtt = max(rtts)
    print(f"idle latency s_axis->m_axis: {lats} cycles (incl. {chan}-cycle channel; endpoint pair "
          f"{[x - chan for x in lats]}); ACK round trip {rtts} cycles")

    rows = []
    eta0 = None
    for ber_s in a.bers.split(","):
        ber = float(ber_s)
        g = run(a.sim, "icn_bench_goodput", {"ICN_BER": ber_s, "ICN_PKTS": str(a.pkts)}).result(f"bench_goodput_{ber_s}")
        goodput = g["beats"] / 2 / g["cycles"]
        if eta0 is None:
            eta0 = goodput
        p = im.flit_error_rate(ber, lay.flit_w)
        ana = eta0 * im.gbn_efficiency(p, rtt)
        st = g["a"]
        rows.append((ber, p, goodput, ana, goodput * lay.raw_efficiency(), st))
        print(f"BER {ber:8.0e}: flit error {p:.2e}  goodput {goodput:.4f} beats/cycle/dir "
              f"(analytic GBN {ana:.4f})  payload bits/link bits {goodput * lay.raw_efficiency():.3f}  "
              f"[A: crc_err={st['crc_err']} nak_tx={st['nak_tx']} replay={st['replay']} "
              f"timeout={st['timeout']} reinit={st['reinit']}]")

    print("\n| BER | flit error rate | goodput (beats/cycle/dir) | analytic go-back-N | payload/link bits |")
    print("|---|---|---|---|---|")
    for ber, p, gp, ana, bits, _ in rows:
        print(f"| {ber:.0e} | {p:.2e} | {gp:.4f} | {ana:.4f} | {bits:.3f} |")

    if a.synth:
        cells = synth()
        print(f"\nYosys synth (DATA_W=256 defaults, generic cells, no latches): {cells} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
