# SPDX-License-Identifier: Apache-2.0
"""Numbers for docs/mac.md: m890_mac latency, MACs per cycle per format, Yosys cell count and longest logic
path, and lane steps verified per second under Icarus and Verilator.

    .venv/bin/python -m scripts.bench_mac [--no-synth] [--no-sim] [--wide-n N]

Throughput comes from the bulk bench (tb/mac/test_mac_bulk.py, test_wide_fp32/fp16/bf16: NumPy stimulus played
through the player wrapper and checked against models/fdpa.py), reported per wall second and per CPU second
of the simulator process (the CPU figure does not depend on how loaded the machine is). The synthesis runs
`synth -top m890_mac` in Yosys (yowasp) and reads `stat` and `ltp -noff` (per module and flattened). Results also go to
sim_build/mac_bench.json.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time

from models import formats as F
from scripts import yosys
from tb.common.blocks import BLOCKS, MAC_RTL
from tb.common.runner import ROOT, run_bench
from tb.mac.batch import documented_latency

OUT = ROOT / "sim_build" / "mac_bench"


def synth() -> dict:
    rel = yosys.rel(OUT)
    t0 = time.time()
    yosys.run(
        yosys.read_verilog(MAC_RTL, BLOCKS["mac"].include_dirs(), defines=()) + "\n"
        "synth -top m890_mac\n"
        f"tee -q -o {rel}/stat.txt stat\n"
        f"tee -q -o {rel}/latches.txt select -list t:$dlatch t:$_DLATCH_*\n"
        f"tee -q -o {rel}/ltp_modules.txt ltp -noff\n"
        "flatten\n"
        f"tee -q -o {rel}/ltp.txt ltp -noff\n", OUT, check=True)
    stat = (OUT / "stat.txt").read_text()
    hier = stat[stat.index("design hierarchy"):] if "design hierarchy" in stat else stat
    cells = int(re.search(r"(\d+)\s+cells", hier).group(1))
    pat = r"Longest topological path in (\S+) \(length=(\d+)\)"
    per_module = {m: int(n) for m, n in re.findall(pat, (OUT / "ltp_modules.txt").read_text())}
    per_module = {re.sub(r"^\$paramod\\(\w+)\\.*", r"\1", m): n for m, n in per_module.items()}
    top = re.search(pat, (OUT / "ltp.txt").read_text())
    latches = [ln for ln in (OUT / "latches.txt").read_text().splitlines() if ln.strip()]
    return dict(cells=cells, ltp=int(top.group(2)) if top else None, ltp_modules=per_module,
                latches=len(latches), synth_seconds=round(time.time() - t0, 1))


def sim_throughput(sim: str, wide_n: int) -> dict:
    res = run_bench("mac_player", sim=sim, testcase=["test_wide_fp32", "test_wide_fp16", "test_wide_bf16"],
                    knobs={"wide_n": wide_n})
    recs = [res.result(f"mac_stats_wide_{f}") for f in ("fp32", "fp16", "bf16")]
    ops = sum(r["ops"] for r in recs)
    cpu = sum(r["cpu_s"] for r in recs)
    model = sum(r.get("model_cpu_s", 0.0) for r in recs)
    return dict(ops=ops, per_wall_s=round(ops / sum(r["wall_s"] for r in recs)), per_cpu_s=round(ops / cpu),
                per_cpu_s_with_model=round(ops / (cpu + model)))


# ---- mutation check: every bench must catch a deliberately broken design ---------------------------------
MUTANTS = {
    # name: (file, original text, mutated text, cocotb module, testcase)
    "no_tininess_after_rounding": ("m890_fdpa_add.v", "tiny  = deep || (!nrm[VW-1] && !up24);",
                                   "tiny  = deep || !nrm[VW-1];",
                                   "tb.mac.test_mac", "test_underflow_tininess_after_rounding"),
    "rne_ties_away": ("m890_fdpa_add.v", "`M890_RM_RNE: rinc = rb && (st || lsb);", "`M890_RM_RNE: rinc = rb;",
                      "tb.mac.test_mac", "test_rounding_directions_and_ties"),
    "zero_sign_ignores_c_sign": ("m890_fdpa_add.v", "zs = (c_zero_k && c_sgn_k && b_allzn_k)", "zs = (c_zero_k && b_allzn_k)",
                            "tb.mac.test_mac", "test_exact_zero_sign"),
    "rm_from_input_not_pipeline": ("m890_mac.v", ".rm    (mul_tag[34:32]),", ".rm    (in_rm),",
                                   "tb.mac.test_mac", "test_rm_travels_with_operation"),
    "bf16_far_q_sticky_dropped": ("m890_fdpa_mul.v", "wire        q_stk  = far & (|(q_sig & ~qmask));",
                                  "wire        q_stk  = 1'b0;",
                                  "tb.mac.test_mac", "test_bf16_tail_sign_traps"),
    "lane3_e4m3_nan_missed": ("m890_fdpa_mul.v", "nan_a  = {4'd0, da3[11], da2[11], da1[21], da0[34]};",
                              "nan_a  = {4'd0, 1'b0, da2[11], da1[21], da0[34]};",
                              "tb.mac.test_mac_bulk", "test_exhaustive_half_a"),
}


def mutants(sim: str = "icarus") -> dict:
    """Build each mutant in its own directory and run the bench that must catch it. Returns name -> caught."""
    res = {}
    for name, (fname, old, new, module, tc) in MUTANTS.items():
        mdir = OUT / "mutants" / name
        mdir.mkdir(parents=True, exist_ok=True)
        srcs = []
        for src in MAC_RTL:
            f = src.name
            text = src.read_text()
            if f == fname:
                assert old in text, f"mutant {name}: pattern not found in {f}"
                text = text.replace(old, new)
            (mdir / f).write_text(text)
            srcs.append(mdir / f)
        blk, knobs = BLOCKS["mac"], {}
        if module.endswith("bulk"):
            blk, knobs = BLOCKS["mac_player"], {"pairs": "3x3", "scale": 0.2}
            srcs += [s for s in blk.sources if s not in MAC_RTL]
        try:
            run_bench(blk.with_(name="mac_mutants", sources=tuple(srcs), bench=module), sim=sim, testcase=tc,
                      knobs=knobs, build_tag=name)
            res[name] = False
        except (AssertionError, SystemExit):
            res[name] = True
        print(f"mutant {name}: {'caught' if res[name] else 'NOT CAUGHT'} by {module}.{tc}")
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-synth", action="store_true")
    ap.add_argument("--no-sim", action="store_true")
    ap.add_argument("--wide-n", type=int, default=20000, help="lane steps per wide format for the throughput run")
    ap.add_argument("--mutants", action="store_true", help="only run the mutation check (Icarus)")
    args = ap.parse_args()
    if args.mutants:
        caught = mutants()
        return 0 if all(caught.values()) else 1
    res = dict(latency=documented_latency(),
               macs_per_cycle={F.fmt_name(f): F.FORMATS[f].n for f in range(8)})
    if not args.no_synth:
        res["synth"] = synth()
    if not args.no_sim:
        res["throughput"] = {sim: sim_throughput(sim, args.wide_n) for sim in ("icarus", "verilator")}
    OUT.mkdir(parents=True, exist_ok=True)
    (ROOT / "sim_build" / "mac_bench.json").write_text(json.dumps(res, indent=2))
    print(f"m890_mac latency: {res['latency']} cycles (in_valid -> out_valid), one lane step per cycle")
    print("MACs per cycle: " + ", ".join(f"{k} {v}" for k, v in res["macs_per_cycle"].items()))
    if "synth" in res:
        s = res["synth"]
        print(f"Yosys synth -top m890_mac: {s['cells']} cells, {s['latches']} latches, longest topological "
              f"path {s['ltp']} cells (flattened; per module: {s['ltp_modules']}) ({s['synth_seconds']} s)")
    for sim, t in res.get("throughput", {}).items():
        print(f"{sim}: {t['per_wall_s']} lane steps simulated per wall second, {t['per_cpu_s']} per CPU second; "
              f"{t['per_cpu_s_with_model']} verified per CPU second including the model check ({t['ops']} lane steps)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
