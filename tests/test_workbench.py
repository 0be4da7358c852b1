# SPDX-License-Identifier: Apache-2.0
"""The workbench itself (docs/workbench.md): workflows, the block manifest, sharding, lint, synth,
regress summary, soak (different stimulus per seed), coverage and waves. Each tool is run for
real, on the fixture design tests/fixtures/m890_wbfix*.v (always present, small; block `wbfix`)
or on every block for lint, and each is also shown to FAIL on a broken input, so none of them
can pass vacuously.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts import coverage
from tb.common.blocks import BLOCKS, RTL, synth_tops
from tb.common.runner import run_bench

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
FIXTURE_TEST = "tests/test_workbench_fixture.py"


def run(cmd, env=None, timeout=600, **kw):
    e = dict(os.environ)
    e.pop("PYTEST_XDIST_WORKER", None)
    # under `make test` the environment carries SIM= (empty: both simulators) and the parent
    # make's flags; a nested `make` must start clean (an empty SIM is not a simulator to it)
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        e.pop(k, None)
    if not e.get("SIM"):
        e.pop("SIM", None)
    e.update(env or {})
    return subprocess.run(cmd, cwd=ROOT, env=e, capture_output=True, text=True, timeout=timeout, **kw)


def scratch(name: str) -> Path:
    """A fresh directory inside the repo (YoWASP only sees the repository) for this test."""
    d = ROOT / "sim_build" / "wbtest" / f"{name}-{os.getpid()}"
    subprocess.run(["rm", "-rf", str(d)], check=True)
    d.mkdir(parents=True)
    return d


# ---------------------------------------------------------------- manifest and seeds
def test_manifest_lists_every_rtl_file_and_existing_sources():
    """Every rtl/*.v belongs to a synthesizable block; every source and layout of the manifest exists."""
    assert set(RTL.glob("*.v")) <= {s for b in synth_tops() for s in b.sources}
    for b in BLOCKS.values():
        assert all(s.exists() for s in b.sources), b.name
        assert b.gtkw is None or b.gtkw.exists(), b.name
        assert not b.bench or (ROOT / (b.bench.replace(".", "/") + ".py")).exists(), b.name


def test_benches_seed_only_from_the_bench_context():
    """No bench seeds a generator with a literal, and nothing in tb/ reads the environment but the
    context module (tb/common/context.py: the bench context and the runner's documented settings)."""
    for f in (ROOT / "tb").rglob("*.py"):
        text = f.read_text()
        assert not re.search(r"default_rng\(\s*\d|random\.Random\(\s*\d", text), f
        if f.name != "context.py":
            assert not re.search(r"os\.environ|getenv|M890_(SEED|SIM|PARAMS|BUILD_DIR|BENCH)", text), f


# ---------------------------------------------------------------- sharding (pytest-split)
def _collect(extra):
    r = run([PY, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *extra, "tests"], timeout=300)
    assert r.returncode in (0, 5), r.stdout[-3000:] + r.stderr[-3000:]
    return [ln.strip() for ln in r.stdout.splitlines() if "::" in ln and not ln.startswith(" ")]


def test_shards_cover_every_test_exactly_once():
    """`make regress SHARD=i/N` over all i runs every test of `make regress` exactly once."""
    full = _collect([])
    assert len(full) > 5
    n = 3
    seen = []
    for i in range(1, n + 1):
        part = _collect([f"--splits={n}", f"--group={i}", "--splitting-algorithm=least_duration"])
        assert part, f"shard {i}/{n} is empty"
        seen += part
    assert sorted(seen) == sorted(full), "shards must partition the test list"
    assert len(seen) == len(set(seen))
    r = run([PY, "-m", "scripts.regress", "--jobs", "0", "--shard", "4/3", FIXTURE_TEST])
    assert r.returncode != 0 and "--group" in r.stdout + r.stderr, r.stdout + r.stderr


# ---------------------------------------------------------------- lint
def test_make_lint_is_clean():
    """make lint: every top-level block of rtl/ plus ruff. Any warning anywhere fails make test."""
    r = run(["make", "lint"], timeout=300)
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
    assert "lint: clean" in r.stdout


def test_lint_fails_on_a_warning(tmp_path):
    (tmp_path / "m890_bad.v").write_text(
        "`default_nettype none\nmodule m890_bad(input wire clk, input wire [3:0] a, output wire y);\n"
        "  wire [3:0] spare = a;\n  assign y = clk;\nendmodule\n`default_nettype wire\n")
    r = run([PY, "-m", "scripts.lint", "--rtl-dir", str(tmp_path), "--top", "m890_bad", "--no-ruff"])
    assert r.returncode == 1 and "UNUSED" in r.stdout, r.stdout


# ---------------------------------------------------------------- synth
def test_synth_fixture_report_and_latch_failure():
    out = scratch("synth")
    r = run([PY, "-m", "scripts.synth", "--block", "wbfix", "--out", str(out / "ok")], timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    report = (out / "ok" / "report.md").read_text()
    row = re.search(r"^\| m890_wbfix \| ok \| (\d+) \| (\d+) \| 0 \| (\d+) \|", report, flags=re.M)
    assert row, report
    cells, ffs, ltp = map(int, row.groups())
    # 2 valid bits + 3 x 8-bit registers: 26 flip-flops; an 8x8 multiply-add is deeper than 5 gates
    assert ffs == 26 and cells > ffs and ltp > 5, report
    assert "`$_XOR_`" in report
    # a latch and an `initial` must each fail the run
    bad = out / "bad"
    bad.mkdir()
    (bad / "m890_latch.v").write_text(
        "module m890_latch(input wire en, input wire d, output reg q);\n  always @* if (en) q = d;\nendmodule\n")
    r = run([PY, "-m", "scripts.synth", "--rtl-dir", str(bad), "--top", "m890_latch", "--out", str(out / "bad-out")],
            timeout=600)
    assert r.returncode == 1 and "latch" in r.stdout, r.stdout
    (bad / "m890_latch.v").write_text(
        "module m890_latch(input wire clk, input wire d, output reg q);\n  initial q = 1'b0;\n"
        "  always @(posedge clk) q <= d;\nendmodule\n")
    r = run([PY, "-m", "scripts.synth", "--rtl-dir", str(bad), "--top", "m890_latch", "--out", str(out / "bad-out")],
            timeout=600)
    assert r.returncode == 1 and "'initial' is not synthesizable" in r.stdout, r.stdout


# ---------------------------------------------------------------- regress summary, rerun, merge
def test_regress_summary_rerun_line_and_merge():
    out = scratch("regress")
    env = {"SIM": "icarus"}
    knobs = ["--", "--knob", f"tag=wbtest{os.getpid()}"]
    r = run([PY, "-m", "scripts.regress", "--jobs", "0", "--seed", "5", "--out", str(out / "ok"), FIXTURE_TEST, *knobs],
            env=env)
    assert r.returncode == 0, r.stdout[-3000:]
    md = (out / "ok" / "summary.md").read_text()
    assert re.search(r"\| wbfix \| test_wbfix\[icarus\] \| icarus \| PASS \| \d[\d.]* us \| [\d.]+ s \|", md), md
    assert (out / "ok" / "junit.xml").exists()
    # a failing test: FAIL line with the exact rerun command (same seed, waves)
    r = run([PY, "-m", "scripts.regress", "--jobs", "0", "--seed", "5", "--out", str(out / "bad"), FIXTURE_TEST, *knobs,
             "--knob", "bug=1"], env=env)
    assert r.returncode != 0
    rerun = "make sim SIM=icarus TEST='tests/test_workbench_fixture.py::test_wbfix[icarus]' SEED=5 WAVES=1"
    assert rerun in r.stdout, r.stdout[-3000:]
    bad = (out / "bad" / "summary.md").read_text()
    assert "| FAIL |" in bad and "failing cocotb test: wbfix/icarus: test_random_stream" in bad, bad
    # merging the two "shards" gives one table with both results
    r = run([PY, "-m", "scripts.regress", "--merge", str(out), "--out", str(out / "merged")])
    assert r.returncode == 1
    merged = (out / "merged" / "summary-merged.md").read_text()
    assert "2 tests, 1 pass, 1 fail" in merged, merged
    assert (out / "merged" / "junit-merged.xml").read_text().count("<testsuite ") == 2


# ---------------------------------------------------------------- soak
def _digest(bdir: Path, seed: int) -> str:
    return json.loads((bdir / f"seed{seed}" / "wbfix.json").read_text())["stimulus_sha256"]


def test_soak_reports_pass_rate_failing_seeds_and_stimulus_differs_per_seed():
    out = scratch("soak")
    tag = f"wbsoak{os.getpid()}"
    r = run([PY, "-m", "scripts.regress", "--soak", "3", "--seed-base", "11", "--jobs", "0", "--out", str(out),
             FIXTURE_TEST, "--", "--knob", f"tag={tag}", "--knob", "bug_seeds=12", "--knob", "n=50"],
            env={"SIM": "icarus"})
    assert r.returncode == 1, r.stdout[-3000:]
    md = (out / "summary.md").read_text()
    assert "| wbfix | test_wbfix[icarus] | icarus | 2/3 (67%) | 12 |" in md, md
    assert "make sim SIM=icarus TEST='tests/test_workbench_fixture.py::test_wbfix[icarus]' SEED=12 WAVES=1" in md
    # every seed its own stimulus (and run directory); the same seed the same stimulus
    bdir = ROOT / "sim_build" / "wbfix" / "icarus" / f"default-{tag}"
    digests = [_digest(bdir, s) for s in (11, 12, 13)]
    assert len(set(digests)) == 3, digests
    again = run_bench("wbfix", sim="icarus", seed=13, build_tag=tag + "-again", knobs={"n": 50})
    assert again.result("wbfix")["stimulus_sha256"] == digests[2]
    assert again.passed and again.seed == 13 and again.run_dir.name == "seed13"


# ---------------------------------------------------------------- coverage
@pytest.mark.skipif((os.environ.get("SIM") or "verilator") != "verilator", reason="coverage is Verilator-only")
def test_coverage_run_merge_and_report():
    out = scratch("coverage")
    t0 = time.time()
    env = {"SIM": "verilator", "M890_COVERAGE": "1"}
    r = run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{FIXTURE_TEST}::test_wbfix[verilator]",
             "--knob", "tag=wbcov", "--knob", "n=60"], env=env)
    assert r.returncode == 0, r.stdout[-3000:]
    dats = [p for p in coverage.DAT.glob("wbfix-default-wbcov-cov-*.dat") if p.stat().st_mtime >= t0 - 1]
    assert len(dats) == 1, dats
    points = coverage.merge(dats + dats)  # merging sums counts
    single = coverage.merge(dats[:1])
    assert all(points[k] == 2 * v for k, v in single.items())
    per_file, per_line, uncovered = coverage.summarize(single)
    fix = per_file["tests/fixtures/m890_wbfix.v"]
    assert fix["line"][1] > 0 and fix["line"][0] == fix["line"][1]  # every line point hit
    assert fix["toggle"][1] > 50 and 0 < fix["toggle"][0] <= fix["toggle"][1]
    # rst_n never falls after reset: an untoggled bit the report must name
    assert any("rst_n:1->0" in u for u in uncovered["tests/fixtures/m890_wbfix.v"])
    rep = coverage.write_outputs(single, per_file, per_line, uncovered, [], cov=out)
    text = rep.read_text()
    assert "| tests/fixtures/m890_wbfix.v |" in text and "rst_n:1->0" in text
    info = (out / "coverage.info").read_text()
    assert f"SF:{ROOT}/tests/fixtures/m890_wbfix.v" in info and re.search(r"^DA:\d+,[1-9]", info, flags=re.M), info
    assert "C '" in (out / "merged.dat").read_text()


# ---------------------------------------------------------------- waves
@pytest.mark.skipif((os.environ.get("SIM") or "icarus") != "icarus", reason="uses the Icarus fixture run")
def test_sim_one_test_with_waves_and_make_waves():
    nodeid = f"{FIXTURE_TEST}::test_wbfix[icarus]"
    r = run(["make", "sim", f"TEST={nodeid}", "SEED=3"])
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    m = re.search(r"^waves: (\S+\.fst)$", r.stdout, flags=re.M)
    assert m and Path(m.group(1)).stat().st_size > 0, r.stdout[-2000:]
    r = run(["make", "waves", f"TEST={nodeid}"], env={"DISPLAY": "", "WAYLAND_DISPLAY": ""})
    assert "tb/wbfix/wbfix.gtkw" in r.stdout and ".fst" in r.stdout, r.stdout + r.stderr
