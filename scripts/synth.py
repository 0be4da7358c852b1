# SPDX-License-Identifier: Apache-2.0
"""`make synth`: Yosys synthesis of every synthesizable block of the manifest (tb/common/blocks.py,
default parameters) to generic gates, through scripts/yosys.py.

  python -m scripts.synth [--block NAME ...] [--rtl-dir DIR --top NAME ...] [--hier TOP ...] [--out DIR]

Per top: read its sources -> hierarchy -check -> proc -> latch check -> synth -flatten (or, --hier,
hierarchical) -> check -assert -> stat -json (cells by type, flip-flops) -> ltp -noff (longest logic
path, in gates); one report, <out>/report.md. Fails on any latch, any yosys error (unknown module,
multiple drivers, logic loop, ...) and on non-synthesizable constructs (initial, real, $display).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import time
from pathlib import Path

from scripts import yosys
from scripts.yosys import ROOT, rel
from tb.common.blocks import RTL, synth_tops

FF_RE = re.compile(r"^\$(_(S|AL)?DFF|_DFFSR|_DFFE|_SDFFCE|_SDFFE|dff|adff|sdff|dffe|adffe|sdffe|sdffce|aldff|dffsr)")
UNSYNTH_RE = re.compile(r"\binitial\b|\b(real|realtime|shortreal)\b|\$(display|write|monitor|strobe|finish|stop|"
                        r"random|urandom|fopen|fwrite|readmem[hb]|time|realtime)\b|#\s*\d")
LATCH_SEL = "t:$dlatch t:$adlatch t:$dlatchsr t:$sr t:$_DLATCH_* t:$_DLATCHSR_* t:$_SR_*"


def source_problems(sources: list[Path]) -> list[str]:
    """Non-synthesizable constructs in the (comment-stripped) sources, as 'file:line: text'."""
    found = []
    for f in sources:
        text = re.sub(r"//[^\n]*", "", re.sub(r"/\*.*?\*/", " ", f.read_text(), flags=re.S))
        text = re.sub(r'"[^"\n]*"', '""', text)  # strings; delays are '#<digit>'
        for n, line in enumerate(text.splitlines(), 1):
            m = None if line.lstrip().startswith("`") else UNSYNTH_RE.search(line)
            if m:
                found.append(f"{rel(f)}:{n}: '{m.group(0)}' is not synthesizable: {line.strip()}")
    return found


def synth_top(top: str, sources: list[Path], out: Path, hier: bool = False, includes=(RTL,), params=None,
              keep=()) -> dict:
    params = params or {}
    d = out / (top + "".join(f"-{k}{v}" for k, v in params.items()))
    r = {"top": d.name, "ok": False, "errors": [], "cells": {}, "ff": 0, "latches": 0, "ltp": None, "seconds": 0.0,
         "hier": hier}
    for f in ("stat.json", "ltp.txt", "latches.txt", "synth.log"):
        (d / f).unlink(missing_ok=True)
    rd, t0 = rel(d), time.monotonic()
    script = "\n".join([
        yosys.read_verilog(sources, includes),
        *(f"chparam -set {k} {v} {top}" for k, v in params.items()),
        f"hierarchy -check -top {top}",
        # kept modules (also their parameterized copies, $paramod...) stay whole; the longest path is then
        # that of the top module alone, a kept instance counting as one level
        *(f"setattr -mod -set keep_hierarchy 1 *{m}*" for m in keep),
        "proc",
        f"tee -q -o {rd}/latches.txt select -list {LATCH_SEL}",
        f"select -assert-none {LATCH_SEL}",
        f"synth -top {top}" if hier else f"synth -flatten -top {top}",
        f"select -assert-none {LATCH_SEL}",
        "check -assert",
        f"tee -q -o {rd}/stat.json stat -json -top {top}",
        f"tee -q -o {rd}/ltp.txt ltp -noff" + (f" {top}" if keep else ""),
    ])
    p = yosys.run(script, d)
    r["seconds"] = time.monotonic() - t0
    latches = (d / "latches.txt").read_text().split() if (d / "latches.txt").exists() else []
    if latches:
        r["latches"] = len(latches)
        r["errors"].append(f"{len(latches)} latch(es) inferred: {' '.join(latches[:8])}")
    if p.returncode != 0:
        log = (d / "synth.log").read_text() if (d / "synth.log").exists() else p.stdout + p.stderr
        errs = [ln.strip() for ln in log.splitlines() if "ERROR" in ln or "Error" in ln][:5]
        r["errors"].append("yosys failed: " + ("; ".join(errs) or f"exit status {p.returncode}")
                           + f" (log: {rd}/synth.log)")
    try:
        stat = json.loads((d / "stat.json").read_text())
        cells = stat["design"]["num_cells_by_type"]
        mods = set(stat.get("modules", {}))
        r["cells"] = {k: int(v) for k, v in sorted(cells.items())
                      if k != "$scopeinfo" and k not in mods and not k.startswith("$paramod")}
        r["ff"] = sum(v for k, v in r["cells"].items() if FF_RE.match(k))  # latches: select -assert-none above
    except (OSError, ValueError, KeyError):
        if not r["errors"]:
            r["errors"].append("no stat output")
    if (d / "ltp.txt").exists():
        lengths = [int(x) for x in re.findall(r"length=(\d+)", (d / "ltp.txt").read_text())]
        r["ltp"] = max(lengths) if lengths else None  # hierarchical: the longest within one module
    r["ok"] = not r["errors"]
    return r


def render_reference() -> list[str]:
    """The reference rows printed next to the measured blocks (issue 10): docs/synth_reference.toml."""
    rows = tomllib.loads((ROOT / "docs" / "synth_reference.toml").read_text())["row"]
    return ["", "Reference rows (constants, not measured here):", "", "| unit | cells | flip-flops | longest path "
            "(gates) | source |", "|---|---|---|---|---|"] + [f"| {r['unit']} | {r.get('cells', '-')} | "
            f"{r.get('ff', '-')} | {r['ltp']} | {r['source']} |" for r in rows]


def render(results: list[dict], notes: list[str]) -> str:
    md = ["# Synthesis report (Yosys, generic gates, default parameters)", ""]
    md += [f"- note: {n}" for n in notes]
    md += ["", "| block | result | cells | flip-flops | latches | longest path (gates, `ltp -noff`) | yosys time |",
           "|---|---|---|---|---|---|---|"]
    for r in results:
        ltp = "-" if r["ltp"] is None else f"{r['ltp']}" + (" (per module, hierarchical)" if r["hier"] else "")
        md.append(f"| {r['top']} | {'ok' if r['ok'] else 'FAIL'} | {sum(r['cells'].values())} | {r['ff']} | "
                  f"{r['latches']} | {ltp} | {r['seconds']:.0f} s |")
    md += render_reference()
    for r in results:
        md += ["", f"## {r['top']}", ""]
        for e in r["errors"]:
            md.append(f"- **error**: {e}")
        if r["cells"]:
            md += ["| cell type | count |", "|---|---|"]
            md += [f"| `{k}` | {v} |" for k, v in r["cells"].items()]
    return "\n".join(md) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--block", action="append", default=[], help="a manifest block (default: every synth top)")
    ap.add_argument("--rtl-dir", help="synthesize every *.v of this directory as each --top")
    ap.add_argument("--top", action="append", default=[])
    ap.add_argument("--out", default=str(ROOT / "sim_build" / "synth"))
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="with --rtl-dir: a parameter of every --top (repeatable)")
    ap.add_argument("--hier", action="append", default=[], help="synthesize this block (manifest name, or the "
                    "top of --rtl-dir) without flattening (each module once; totals over the hierarchy; "
                    "longest path per module)")
    args = ap.parse_args(argv)
    try:
        sets = dict(kv.split("=", 1) for kv in args.set)
    except ValueError:
        print(f"synth: --set takes NAME=VALUE, got {args.set}", file=sys.stderr)
        return 2
    out = Path(args.out).resolve()
    if not out.is_relative_to(ROOT):
        print(f"synth: --out must be inside the repository (YoWASP is sandboxed): {out}", file=sys.stderr)
        return 2
    blocks = synth_tops(args.block, args.rtl_dir, args.top)
    if sets:
        blocks = [b.with_(synth_params={**b.synth_params, **sets}) for b in blocks]
    bad_src = source_problems(sorted({s for b in blocks for s in b.sources}))
    results = []
    for top, b in ((b.top, b) for b in blocks):
        print(f"synth: {top} ...", flush=True)
        r = synth_top(top, list(b.sources), out, hier=b.name in args.hier, includes=b.include_dirs(),
                      params=b.synth_params, keep=b.synth_keep)
        results.append(r)
        print(f"synth: {'ok  ' if r['ok'] else 'FAIL'} {r['top']}: {sum(r['cells'].values())} cells, {r['ff']} flip-flops, "
              f"longest path {r['ltp']} gates, {r['seconds']:.0f} s" + "".join(f"\n  error: {e}" for e in r["errors"]))
    for b in bad_src:
        print(f"synth: FAIL {b}")
    for line in render_reference()[2:]:
        print(f"synth: reference {line}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(render(results, [f"**error**: {b}" for b in bad_src]))
    print(f"synth: report {out / 'report.md'}")
    return 1 if bad_src or any(not r["ok"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
