# SPDX-License-Identifier: Apache-2.0
"""The regression driver behind `make regress / soak / sim TEST= / rerun-failed / durations /
regress-merge`. pytest does the work (pytest-xdist in parallel, pytest-split for SHARD=i/N on
.test_durations, --junitxml for the report, tests/conftest.py's --seeds for soaks); this adds
the one-screen summary (from the JUnit file) with a rerun line per failure.

  python -m scripts.regress [--seed S] [--shard i/N] [--durations] [--jobs J] [--select EXPR] [paths]
  python -m scripts.regress --soak N [--seed-base B] ...    every bench test over seeds B..B+N-1
  python -m scripts.regress --one TEST | --rerun-failed | --merge DIR
Arguments after `--` go to pytest (e.g. `-- --knob n=20`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIM_RE = re.compile(r"\b(icarus|verilator)\b")


def fmt_ns(ns) -> str:
    unit, div = next(((u, d) for u, d in (("s", 1e9), ("ms", 1e6), ("us", 1e3)) if (ns or 0) >= d), ("ns", 1))
    return "-" if ns is None else f"{ns / div:.3g} {unit}"


def base_id(nodeid: str) -> str:
    """The test id without the soak seed: t[icarus-seed3] -> t[icarus]."""
    return re.sub(r"\[\]", "", re.sub(r"-seed\d+(?=\])|(?<=\[)seed\d+-?", "", nodeid))


def read_junit(files) -> list[dict]:
    """One row per pytest testcase of the JUnit files, with its bench runs (tests/conftest.py)."""
    rows = []
    for tc in (tc for f in files for tc in ET.parse(f).getroot().iter("testcase")):
        props = [(p.get("name"), p.get("value")) for p in tc.iter("property")]
        p, runs = dict(props), [json.loads(v) for k, v in props if k == "bench"]
        nodeid = p.get("nodeid") or f"{tc.get('classname', '').replace('.', '/')}.py::{tc.get('name')}"
        kinds = {ch.tag for ch in tc}
        result = next((r for k, r in (("failure", "FAIL"), ("error", "ERROR"), ("skipped", "SKIP")) if k in kinds), "PASS")
        sim = ",".join(sorted({r["sim"] for r in runs})) or next(iter(SIM_RE.findall(nodeid)), "-")
        rows.append(dict(
            nodeid=nodeid, test=nodeid.split("::", 1)[-1], sim=sim, result=result, seed=p.get("seed", "1"),
            block=",".join(sorted({r["block"] for r in runs})) or re.sub(r"^(?:.*/)?test_([a-z0-9]+).*", r"\1", nodeid),
            wall=f"{float(tc.get('time') or 0):.1f} s",
            sim_time=fmt_ns(sum(r["sim_time_ns"] or 0 for r in runs) if runs else None),
            failed_cases=[f"{r['block']}/{r['sim']}: {c['name']}" for r in runs for c in r["cases"] if c["result"] == "FAIL"],
            rerun="" if result in ("PASS", "SKIP") else (f"make sim {f'SIM={sim} ' if sim in ('icarus', 'verilator') else ''}"
                                                         f"TEST='{base_id(nodeid)}' SEED={p.get('seed', '1')} WAVES=1")))
    return sorted(rows, key=lambda r: (r["result"] == "PASS", r["block"], r["test"]))


def summary(rows, cols, hdr, title, path: Path) -> int:
    """Markdown table (failures first, a rerun line for each) to `path` and, <= 30 rows, to the screen."""
    def line(r):
        return "| " + " | ".join(str(r[c]) for c in cols) + " |"

    bad = [r for r in rows if r["rerun"]]
    head = [f"# {title}", "", "| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)]
    md = head + [line(r) for r in rows] + (["", "## Rerun a failure (same seed, with waves)", ""] if bad else [])
    for r in bad:
        md += [f"- `{r['nodeid']}`: `{r['rerun']}`"] + [f"  - failing cocotb test: {c}" for c in r.get("failed_cases", [])]
    shown = (bad + [r for r in rows if not r["rerun"]])[:max(30, len(bad))]
    print("\n".join(["", *head[:1], *head[2:]] + [line(r) + (f"\n    rerun: {r['rerun']}" if r["rerun"] else "")
                                                    for r in shown]))
    if len(shown) < len(rows):
        print(f"  ... {len(rows) - len(shown)} more passing tests in {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(md) + "\n")
    print(f"\nsummary: {path}")
    if os.environ.get("GITHUB_STEP_SUMMARY"):  # GitHub Actions' job summary
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a") as f:
            f.write("\n".join(md) + "\n\n")
    return 1 if bad else 0


def results(rows, title, path: Path) -> int:
    counts = {k: sum(r["result"] == k for r in rows) for k in ("PASS", "FAIL", "ERROR", "SKIP")}
    title += f": {len(rows)} tests, " + ", ".join(f"{v} {k.lower()}" for k, v in counts.items() if v)
    return summary(rows, ("block", "test", "sim", "result", "sim_time", "wall"),
                   ("block", "test", "simulator", "result", "sim time", "wall"), title, path)


def pytest(args, extra, env=None, **kw) -> int:
    cmd = [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider"]
    cmd += (["-n", str(args.jobs), "--dist", "load"] if args.jobs > 0 else []) + extra
    cmd += (["-k", args.select] if args.select else []) + args.pytest_args
    print(" ".join(cmd[1:]), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, **(env or {})), **kw).returncode


def run_junit(args, junit: Path, extra, env) -> tuple[int, list[dict] | None]:
    junit.unlink(missing_ok=True)
    rc = pytest(args, [f"--junitxml={junit}", *extra], env)
    if not junit.exists():
        print(f"no JUnit report ({junit}); pytest exit {rc}", file=sys.stderr)
        return rc or 1, None
    return rc, read_junit([junit])


def run_regress(args) -> int:
    tag = f"-shard{args.shard.replace('/', 'of')}" if args.shard else ""
    i, _, n = args.shard.partition("/")  # pytest-split checks i/N itself
    extra = ["-o", f"junit_suite_name=m890{tag}", *(["--store-durations"] if args.durations else []),
             *([f"--splits={n}", f"--group={i}", "--splitting-algorithm=least_duration"] if args.shard else [])]
    print(f"regress: SEED={args.seed}{f' SHARD={args.shard}' if args.shard else ''}: ", end="")
    rc, rows = run_junit(args, args.out / f"junit{tag}.xml", extra + (args.paths or ["tests"]), {"SEED": str(args.seed)})
    if rows is None:
        return rc
    title = f"regression SEED={args.seed}" + (f" shard {args.shard}" if args.shard else "")
    title += f" (pytest exit {rc}: interrupted, or a collection/usage error: see above)" if rc not in (0, 1, 5) else ""
    fails = results(rows, title, args.out / f"summary{tag}.md")
    print(f"junit:   {args.out / f'junit{tag}.xml'}")
    return 0 if rc == 5 and args.shard else (rc or fails)  # an empty shard is not a failure


def run_soak(args) -> int:
    print(f"soak: seeds {args.seed_base}..{args.seed_base + args.soak - 1}: ", end="")
    args.select = args.select or "icarus or verilator"  # the bench runs; the model tests take no seed
    rc, rows = run_junit(args, args.out / "junit.xml", [f"--seeds={args.soak}", f"--seed-base={args.seed_base}",
                         *(args.paths or ["tests", "--ignore-glob=tests/test_workbench*"])], {"WAVES": "0"})
    per = defaultdict(list)
    for r in rows or []:
        per[base_id(r["nodeid"])] += [r] if r["result"] != "SKIP" else []
    table = []
    for nodeid, rs in sorted(per.items()):
        bad = sorted((r for r in rs if r["result"] != "PASS"), key=lambda r: int(r["seed"]))
        table.append(dict(nodeid=nodeid, block=rs[0]["block"], test=nodeid.split("::", 1)[-1], sim=rs[0]["sim"],
                          rate=f"{len(rs) - len(bad)}/{len(rs)} ({100 * (len(rs) - len(bad)) / len(rs):.0f}%)",
                          seeds=", ".join(r["seed"] for r in bad[:20]) + (" ..." if len(bad) > 20 else ""),
                          rerun=bad[0]["rerun"] if bad else ""))
    fails = summary(table, ("block", "test", "sim", "rate", "seeds"), ("block", "test", "simulator", "pass rate",
                    "failing seeds"), f"Soak: {args.soak} seeds from {args.seed_base}", args.out / "summary.md")
    return fails or (0 if rc == 5 else rc)


def run_one(args, nodeid: str, seed, log: Path | None = None) -> int:
    """One test, alone, with waves (and, with `log`, its full output, -s, kept in that file)."""
    env = {"SEED": str(seed), "WAVES": os.environ.get("WAVES") or "1", **dict(zip(["SIM"], SIM_RE.findall(nodeid)))}
    print(f"sim: SEED={seed} WAVES={env['WAVES']} SIM={env.get('SIM', '(both)')}: ", end="")
    args.jobs, args.select = 0, ""
    sel = [nodeid] if ("::" in nodeid or nodeid.endswith(".py")) else ["-k", nodeid, "tests"]
    if log is None:
        return pytest(args, sel, env)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as f:
        rc = pytest(args, ["-s", *sel], env, stdout=f, stderr=subprocess.STDOUT)
    print("\n".join(log.read_text().splitlines()[-15:]) + f"\nlog: {log}")
    return rc


def run_merge(args) -> int:
    files = sorted(Path(args.merge).rglob("junit*.xml"))
    merged = ET.Element("testsuites")
    for f in files:
        merged.extend(ET.parse(f).getroot().iter("testsuite"))
    args.out.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(merged).write(args.out / "junit-merged.xml", encoding="unicode")
    if not files:
        return print(f"merge: no junit*.xml under {args.merge}", file=sys.stderr) or 1
    return results(read_junit(files), f"merged regression ({len(files)} shard reports)", args.out / "summary-merged.md")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cut = argv.index("--") if "--" in argv else len(argv)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", default=os.environ.get("SEED") or "1")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or 2))
    ap.add_argument("--out", type=Path, default=ROOT / "sim_build" / "regress")
    ap.add_argument("--soak", type=int, default=0)
    ap.add_argument("--seed-base", type=int, default=1)
    for opt in ("--shard", "--select", "--one", "--merge"):
        ap.add_argument(opt, default="")
    for opt in ("--durations", "--rerun-failed"):
        ap.add_argument(opt, action="store_true")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args(argv[:cut])
    args.pytest_args = argv[cut + 1:]
    if args.merge:
        return run_merge(args)
    if args.one:
        return run_one(args, args.one, args.seed)
    if args.rerun_failed:
        rc = 0
        for r in [r for r in read_junit(sorted(args.out.glob("junit*.xml"))) if r["rerun"]][:10]:
            print(f"rerun-failed: {r['nodeid']} SEED={r['seed']}", flush=True)
            rc |= run_one(args, base_id(r["nodeid"]), r["seed"], args.out / "rerun" / (re.sub(r"\W+", "_", r["nodeid"]) + ".log"))
        return rc
    return run_soak(args) if args.soak else run_regress(args)


if __name__ == "__main__":
    sys.exit(main())
