# SPDX-License-Identifier: Apache-2.0
"""The CI workflows (.github/workflows/*.yml) and `make help`: valid YAML, every `run:` line is a
`make <target>` whose target exists in the Makefile, every action pinned to an exact version, the
regression matrix covers both simulators and its SHARD=i/N agrees with the shard list. The checker
is test code (it used to be scripts/check_workflows.py, whose command line nothing called).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")


def make_targets(makefile: Path) -> set[str]:
    targets = set()
    for line in makefile.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+(?:\s+[A-Za-z0-9_.-]+)*)\s*:(?!=)", line)
        if m and not line.startswith(("\t", ".PHONY")):
            targets.update(m.group(1).split())
    return targets


def make_calls(script: str) -> tuple[list[list[str]], list[str]]:
    """(make invocations as argv lists, lines that are not make calls) of a run: block."""
    calls, other = [], []
    script = re.sub(r"\$\{\{.*?\}\}", "EXPR", script)  # a GitHub expression is one word here
    for raw in script.replace("\\\n", " ").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            argv = shlex.split(line)
        except ValueError:
            other.append(line)
            continue
        if argv and argv[0] == "make":
            calls.append(argv)
        else:
            other.append(line)
    return calls, other


def check_file(path: Path, targets: set[str]) -> list[str]:
    problems = []
    try:
        doc = yaml.safe_load(path.read_text())
    except yaml.YAMLError as e:
        return [f"{path.name}: not valid YAML: {e}"]
    if not isinstance(doc, dict):
        return [f"{path.name}: not a workflow (top level is not a mapping)"]
    if "on" not in doc and True not in doc:  # PyYAML reads the bare key `on` as True
        problems.append(f"{path.name}: no 'on:' trigger")
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        return problems + [f"{path.name}: no jobs"]
    for jname, job in jobs.items():
        steps = job.get("steps") or []
        if not steps:
            problems.append(f"{path.name}: job {jname} has no steps")
        for i, step in enumerate(steps):
            where = f"{path.name}: job {jname} step {i + 1}"
            if "uses" in step and not PINNED.match(str(step["uses"])):
                problems.append(f"{where}: action not pinned to an exact version: {step['uses']}")
            if "run" in step:
                calls, other = make_calls(str(step["run"]))
                for line in other:
                    problems.append(f"{where}: run step is not a make target: {line!r}")
                for argv in calls:
                    named = [a for a in argv[1:] if not a.startswith("-") and "=" not in a]
                    if not named:
                        problems.append(f"{where}: 'make' without a target")
                    for t in named:
                        if t not in targets:
                            problems.append(f"{where}: make target '{t}' does not exist in the Makefile")
        matrix = (job.get("strategy") or {}).get("matrix") or {}
        if "shard" in matrix:
            shards = matrix["shard"]
            n = len(shards)
            if sorted(shards) != list(range(1, n + 1)):
                problems.append(f"{path.name}: job {jname}: shard list must be 1..N, got {shards}")
            for step in steps:
                for m in re.finditer(r"SHARD=(?:\$\{\{.*?\}\}|\S+?)/(\d+)", str(step.get("run", ""))):
                    if int(m.group(1)) != n:
                        problems.append(f"{path.name}: job {jname}: SHARD=.../{m.group(1)} but {n} shards")
        if "sim" in matrix and sorted(matrix["sim"]) != ["icarus", "verilator"]:
            problems.append(f"{path.name}: job {jname}: sim matrix must be icarus and verilator")
    return problems



# ---------------------------------------------------------------- workflows and make help
def test_workflows_are_valid_and_call_existing_make_targets(tmp_path):
    assert [p for f in sorted(WORKFLOWS.glob("*.yml")) for p in check_file(f, make_targets(ROOT / "Makefile"))] == []
    assert {p.name for p in WORKFLOWS.glob("*.yml")} >= {"regress.yml", "nightly.yml"}
    # the checker must catch each kind of mistake
    (tmp_path / "bad.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n"
        "    strategy: {matrix: {sim: [icarus, verilator], shard: [1, 2, 3]}}\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: make no-such-target\n"
        "      - run: pytest tests\n      - run: make regress SHARD=${{ matrix.shard }}/4\n")
    targets = make_targets(ROOT / "Makefile")
    problems = "\n".join(check_file(tmp_path / "bad.yml", targets))
    assert "not pinned" in problems
    assert "'no-such-target' does not exist" in problems
    assert "not a make target" in problems
    assert "SHARD=.../4 but 3 shards" in problems
    (tmp_path / "broken.yml").write_text("jobs: [unclosed\n")
    assert "not valid YAML" in check_file(tmp_path / "broken.yml", targets)[0]


def test_make_help_lists_every_target():
    # SIM="" as under `make test`, which exports an empty SIM (both simulators): make must not stop
    env = dict(os.environ, SIM="")
    out = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True, env=env).stdout
    listed = set(re.findall(r"^\s+make (\S+)", out, flags=re.M))
    targets = make_targets(ROOT / "Makefile") - {"check-venv"}
    assert targets <= listed, f"targets without a '## help' line: {sorted(targets - listed)}"
    for t in ("regress", "sim", "waves", "lint", "synth", "coverage", "soak", "durations", "regress-merge"):
        assert t in listed
