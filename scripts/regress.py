"""`make regress`, `make sim TEST=`, `make durations`, `make regress-merge`: the regression driver.

  python -m scripts.regress [--seed S] [--shard i/N] [--jobs J] [--select EXPR] [paths...]
      every test (default: tests/) on the simulators $SIM selects (default both), in parallel
      with pytest-xdist; JUnit XML, JSON records and a one-screen summary in sim_build/regress/.
  python -m scripts.regress --one TEST [--seed S]
      one test (a pytest node id or a -k expression) with waves; prints the FST path.
  python -m scripts.regress --durations
      run everything and rewrite .test_durations (what SHARD= balances on).
  python -m scripts.regress --merge DIR
      merge the records.json / junit*.xml found under DIR (CI shards) into one summary.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sim_build" / "regress"
SIMS = ("icarus", "verilator")


def fmt_time_ns(ns) -> str:
    if ns is None:
        return "-"
    ns = float(ns)
    for unit, div in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= div:
            return f"{ns / div:.3g} {unit}"
    return f"{ns:.0f} ns"


def test_sim(nodeid: str, runs: list[dict]) -> str:
    sims = sorted({r["sim"] for r in runs})
    if sims:
        return ",".join(sims)
    m = re.search(r"\[(?:[^\]]*-)?(icarus|verilator)(?:-[^\]]*)?\]", nodeid)
    return m.group(1) if m else "-"


def test_block(nodeid: str, runs: list[dict]) -> str:
    blocks = sorted({r["block"] for r in runs})
    if blocks:
        return ",".join(blocks)
    m = re.match(r"(?:.*/)?test_([a-z0-9]+)", nodeid)
    return m.group(1) if m else "-"


def rerun_command(nodeid: str, sim: str, seed) -> str:
    sim_part = f"SIM={sim} " if sim in SIMS else ""
    return f"make sim {sim_part}TEST='{nodeid}' SEED={seed} WAVES=1"


def rows_from_records(tests: list[dict]) -> list[dict]:
    rows = []
    for t in tests:
        runs = t.get("runs", [])
        sim_ns = sum(r.get("sim_time_ns") or 0 for r in runs) if runs else None
        sim = test_sim(t["nodeid"], runs)
        seed = t.get("seed") or os.environ.get("SEED") or 1
        rows.append({
            "block": test_block(t["nodeid"], runs),
            "test": t["nodeid"].split("::", 1)[-1],
            "nodeid": t["nodeid"],
            "sim": sim,
            "result": t["result"],
            "sim_time": fmt_time_ns(sim_ns),
            "wall": f"{t['wall_s']:.1f} s",
            "seed": seed,
            "rerun": rerun_command(t["nodeid"], sim, seed) if t["result"] in ("FAIL", "ERROR") else "",
            "waves": ", ".join(r["waves"] for r in runs if r.get("waves")),
            "failed_cases": [f"{r['block']}/{r['sim']}: {c['name']}" for r in runs
                             for c in r.get("cases", []) if c["result"] == "FAIL"],
        })
    rows.sort(key=lambda r: (r["result"] == "PASS", r["block"], r["test"]))
    return rows


def render(rows: list[dict], title: str, max_rows: int = 30) -> tuple[str, str]:
    """(terminal text, markdown) summaries."""
    n = len(rows)
    counts = {k: sum(r["result"] == k for r in rows) for k in ("PASS", "FAIL", "ERROR", "SKIP")}
    head = f"{title}: {n} tests, " + ", ".join(f"{v} {k.lower()}" for k, v in counts.items() if v)
    cols = ("block", "test", "sim", "result", "sim_time", "wall")
    hdr = ("block", "test", "simulator", "result", "sim time", "wall")

    md = [f"# {head}", "", "| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)]
    for r in rows:
        md.append("| " + " | ".join(str(r[c]) for c in cols) + " |")
    bad = [r for r in rows if r["result"] in ("FAIL", "ERROR")]
    if bad:
        md += ["", "## Rerun a failure (same seed, with waves)", ""]
        for r in bad:
            md.append(f"- `{r['nodeid']}`: `{r['rerun']}`")
            for c in r["failed_cases"]:
                md.append(f"  - failing cocotb test: {c}")

    shown = rows if n <= max_rows else bad + [r for r in rows if r["result"] not in ("FAIL", "ERROR")][: max(0, max_rows - len(bad))]
    w = {c: max([len(h) for h in hdr if h] + [len(str(r[c])) for r in shown]) for c in cols}
    w["test"] = min(w["test"], 60)
    lines = [head, "  ".join(h.ljust(w[c]) for c, h in zip(cols, hdr))]
    for r in shown:
        cells = [str(r[c]) if c != "test" or len(r[c]) <= 60 else r[c][:57] + "..." for c in cols]
        lines.append("  ".join(cell.ljust(w[c]) for c, cell in zip(cols, cells)))
        if r["rerun"]:
            lines.append(f"    rerun: {r['rerun']}")
    if len(shown) < n:
        lines.append(f"  ... {n - len(shown)} more passing tests in the full table")
    return "\n".join(lines), "\n".join(md) + "\n"


def write_summary(rows, title, out_dir: Path, md_name="summary.md") -> None:
    text, md = render(rows, title)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / md_name).write_text(md)
    print("\n" + text)
    print(f"\nsummary: {out_dir / md_name}")
    gh = os.environ.get("GITHUB_STEP_SUMMARY")
    if gh:
        with open(gh, "a") as f:
            f.write(md + "\n")


def pytest_cmd(args, extra: list[str]) -> list[str]:
    cmd = [sys.executable, "-m", "pytest", "-p", "scripts.wbplugin", "-q", "-rfE"]
    if args.jobs and args.jobs > 0:
        cmd += ["-n", str(args.jobs), "--dist", args.dist]
    return cmd + extra


def run_regress(args) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tag = f"-shard{args.shard.replace('/', 'of')}" if args.shard else ""
    junit = out / f"junit{tag}.xml"
    records = out / f"records{tag}.json"
    extra = [f"--junitxml={junit}", f"--m890-report={records}", "-o", "junit_family=xunit2",
             "-o", f"junit_suite_name=m890{tag or ''}"]
    if args.shard:
        extra.append(f"--m890-shard={args.shard}")
    if args.durations:
        extra.append("--m890-store-durations")
    if args.select:
        extra += ["-k", args.select]
    extra += args.paths or ["tests"]
    env = dict(os.environ, SEED=str(args.seed))
    cmd = pytest_cmd(args, extra)
    shard = f" SHARD={args.shard}" if args.shard else ""
    sim = f" SIM={os.environ['SIM']}" if os.environ.get("SIM") else ""
    print(f"regress: SEED={args.seed}{shard}{sim}: {' '.join(cmd[1:])}", flush=True)
    rc = subprocess.call(cmd, cwd=ROOT, env=env)
    try:
        data = json.loads(records.read_text())
    except (OSError, ValueError):
        print(f"regress: no records written ({records}); pytest exit {rc}", file=sys.stderr)
        return rc or 1
    rows = rows_from_records(data["tests"])
    title = f"regression SEED={args.seed}" + (f" shard {args.shard}" if args.shard else "")
    if rc not in (0, 1, 5):
        title += f" (pytest exit {rc}: interrupted, or a collection/usage error: see above)"
    write_summary(rows, title, out, f"summary{tag}.md" if tag else "summary.md")
    print(f"junit:   {junit}")
    if rc == 5 and args.shard:  # an empty shard (more shards than tests) is not a failure
        return 0
    return rc


def run_one(args) -> int:
    test = args.one
    env = dict(os.environ, SEED=str(args.seed), WAVES=os.environ.get("WAVES") or "1")
    m = re.search(r"\[(?:[^\]]*-)?(icarus|verilator)(?:-[^\]]*)?\]", test)
    if m:
        env["SIM"] = m.group(1)
    sel = [test] if ("::" in test or test.endswith(".py")) else ["-k", test, "tests"]
    cmd = [sys.executable, "-m", "pytest", "-p", "scripts.wbplugin", "-q", "-rfE"] + sel
    print(f"sim: SEED={env['SEED']} WAVES={env['WAVES']} SIM={env.get('SIM', '(both)')}: {' '.join(cmd[1:])}",
          flush=True)
    log = getattr(args, "log", None)
    if not log:
        return subprocess.call(cmd, cwd=ROOT, env=env)
    # keep the full simulator output (-s) of this one test as a log file too
    p = subprocess.run(cmd + ["-s"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    Path(log).parent.mkdir(parents=True, exist_ok=True)
    Path(log).write_text(p.stdout)
    print("\n".join(p.stdout.splitlines()[-15:]))
    print(f"log: {log}")
    return p.returncode


def run_rerun_failed(args) -> int:
    """Each failure of the last regression (every records*.json in --out) once more, alone,
    with its own seed and WAVES=1, so its log and waves land in its build directory."""
    failed = []
    for rec in sorted(Path(args.out).glob("records*.json")):
        try:
            failed += [t for t in json.loads(rec.read_text())["tests"] if t["result"] in ("FAIL", "ERROR")]
        except (OSError, ValueError, KeyError):
            continue
    if not failed:
        print("rerun-failed: no failures recorded in", args.out)
        return 0
    rc = 0
    for t in failed[:10]:
        name = re.sub(r"[^A-Za-z0-9_.=-]+", "_", t["nodeid"])
        one = argparse.Namespace(one=t["nodeid"], seed=t.get("seed") or args.seed,
                                 log=str(Path(args.out) / "rerun" / f"{name}.log"))
        print(f"rerun-failed: {t['nodeid']} SEED={one.seed}", flush=True)
        rc |= run_one(one)
    return rc


def run_merge(args) -> int:
    src = Path(args.merge)
    tests, suites = [], []
    for rec in sorted(src.rglob("records*.json")):
        try:
            tests += json.loads(rec.read_text())["tests"]
        except (OSError, ValueError, KeyError) as e:
            print(f"merge: skipping {rec}: {e}", file=sys.stderr)
    for j in sorted(src.rglob("junit*.xml")):
        try:
            root = ET.parse(j).getroot()
        except (OSError, ET.ParseError) as e:
            print(f"merge: skipping {j}: {e}", file=sys.stderr)
            continue
        suites += [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    merged = ET.Element("testsuites")
    for s in suites:
        merged.append(s)
    ET.ElementTree(merged).write(out / "junit-merged.xml", encoding="unicode")
    if not tests:
        print(f"merge: no records*.json under {src}", file=sys.stderr)
        return 1
    rows = rows_from_records(tests)
    write_summary(rows, f"merged regression ({len(suites)} shard reports)", out, "summary-merged.md")
    print(f"junit:   {out / 'junit-merged.xml'}")
    return 1 if any(r["result"] in ("FAIL", "ERROR") for r in rows) else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", default=os.environ.get("SEED") or "1")
    ap.add_argument("--shard", default=os.environ.get("SHARD", ""))
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or 2))
    ap.add_argument("--dist", default="loadgroup")
    ap.add_argument("--select", default="", help="pytest -k expression")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--one", default="", help="run one test with waves (node id or -k expression)")
    ap.add_argument("--durations", action="store_true", help="rewrite .test_durations from this run")
    ap.add_argument("--merge", default="", help="merge shard reports found under this directory")
    ap.add_argument("--rerun-failed", action="store_true", help="rerun the last regression's failures with waves")
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args(argv)
    if args.shard:
        from scripts.wbplugin import parse_shard
        try:
            parse_shard(args.shard)
        except ValueError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    if args.merge:
        return run_merge(args)
    if args.one:
        return run_one(args)
    if args.rerun_failed:
        return run_rerun_failed(args)
    return run_regress(args)


if __name__ == "__main__":
    sys.exit(main())
