"""`make soak SEEDS=100`: the random tests over many seeds, in parallel; pass rate per test.

  python -m scripts.soak [--seeds N] [--seed-base B] [--jobs J] [--select EXPR] [paths...]

Every selected test (default: every bench run, i.e. every test with `icarus` or `verilator` in its
id, except the workbench's own) runs once per
seed B .. B+N-1 (pytest-xdist, --dist load; each seed simulates in its own directory, so one
bench's seeds run side by side). Writes sim_build/soak/summary.md (and records.json, junit.xml):
per test the pass rate and the failing seeds, each with the command that reruns it with waves.
Exit status 1 when any seed failed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.regress import rerun_command, test_block, test_sim  # noqa: E402
from scripts.wbplugin import base_nodeid  # noqa: E402

OUT = ROOT / "sim_build" / "soak"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=int(os.environ.get("SEEDS") or 100))
    ap.add_argument("--seed-base", type=int, default=int(os.environ.get("SEED_BASE") or 1))
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or 2))
    ap.add_argument("--select", default="", help="pytest -k expression")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    records = out / "records.json"
    records.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "pytest", "-p", "scripts.wbplugin", "-q", "-rfE",
           f"--m890-soak-seeds={args.seeds}", f"--m890-seed-base={args.seed_base}",
           f"--m890-report={records}", f"--junitxml={out / 'junit.xml'}"]
    if args.jobs > 0:
        cmd += ["-n", str(args.jobs), "--dist", "load"]
    # default: the bench runs (a simulator in their id); the pure-model tests do not take SEED
    cmd += ["-k", args.select or "icarus or verilator"]
    cmd += args.paths or ["tests", "--ignore-glob=tests/test_workbench*"]
    # SEED for the collection (modules that read it at import); each test then gets its own
    env = dict(os.environ, M890_SEED_DIRS="1", WAVES="0", SEED=os.environ.get("SEED") or "1")
    print(f"soak: seeds {args.seed_base}..{args.seed_base + args.seeds - 1}: {' '.join(cmd[1:])}", flush=True)
    rc = subprocess.call(cmd, cwd=ROOT, env=env)
    try:
        tests = json.loads(records.read_text())["tests"]
    except (OSError, ValueError, KeyError):
        print(f"soak: no records ({records}); pytest exit {rc}", file=sys.stderr)
        return rc or 1
    per = defaultdict(lambda: {"pass": 0, "total": 0, "fail": [], "runs": []})
    for t in tests:
        if t["result"] == "SKIP":
            continue
        p = per[base_nodeid(t["nodeid"])]
        p["total"] += 1
        p["runs"] += t.get("runs", [])
        if t["result"] == "PASS":
            p["pass"] += 1
        else:
            p["fail"].append(t.get("seed") or "?")
    md = [f"# Soak: {args.seeds} seeds from {args.seed_base}", "",
          "| block | test | simulator | pass rate | failing seeds |", "|---|---|---|---|---|"]
    lines = []
    reruns = []
    for nodeid in sorted(per):
        p = per[nodeid]
        sim = test_sim(nodeid, p["runs"])
        rate = f"{p['pass']}/{p['total']} ({100.0 * p['pass'] / max(p['total'], 1):.0f}%)"
        seeds = sorted(p["fail"], key=lambda s: int(s) if str(s).isdigit() else 0)
        md.append(f"| {test_block(nodeid, p['runs'])} | {nodeid.split('::', 1)[-1]} | {sim} | {rate} | "
                  f"{', '.join(map(str, seeds[:20]))}{' ...' if len(seeds) > 20 else ''} |")
        lines.append(f"  {rate:>16}  {nodeid}" + (f"  failing seeds: {', '.join(map(str, seeds[:10]))}" if seeds else ""))
        reruns += [rerun_command(nodeid, sim, s) for s in seeds[:5]]
    if reruns:
        md += ["", "## Rerun a failing seed (with waves)", ""] + [f"- `{r}`" for r in reruns]
    (out / "summary.md").write_text("\n".join(md) + "\n")
    gh = os.environ.get("GITHUB_STEP_SUMMARY")
    if gh:
        with open(gh, "a") as f:
            f.write("\n".join(md) + "\n\n")
    print(f"\nsoak: {len(per)} tests x {args.seeds} seeds")
    print("\n".join(lines))
    for r in reruns:
        print(f"  rerun: {r}")
    print(f"soak: summary {out / 'summary.md'}")
    failed = any(p["fail"] for p in per.values())
    return 1 if failed or (rc not in (0, 5)) else 0


if __name__ == "__main__":
    sys.exit(main())
