# SPDX-License-Identifier: Apache-2.0
"""Build and run one cocotb bench with cocotb_tools.runner, for Icarus or Verilator.

Used by the pytest wrappers in tests/ and by scripts/ (make sim, benchmarks). A run is described
by a block of the manifest (tb/common/blocks.py) plus the test's overrides, and returns a
BenchResult; data reaches the bench only as cocotb's seed and plusargs (tb/common/context.py)
and comes back as the results XML and the JSON files the bench writes (BenchContext.write_result).

User-facing environment variables read here (README): SIM, SEED, WAVES, M890_COVERAGE (not
COVERAGE: cocotb reads that one as its own Python-coverage switch).
"""

from __future__ import annotations

import contextvars
import fcntl
import json
import re
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from tb.common.blocks import BLOCKS, RTL, Block
# the run's environment is read in one place, the context module (its "run settings" part)
from tb.common.context import (DEFAULT_SEED, SIMULATORS, SimSetupError, env_flag, python_path,  # noqa: F401
                               seed, selected_sims, setup_sim_env, verilator_root, waves_enabled)

ROOT = Path(__file__).resolve().parents[2]
SIM_BUILD = ROOT / "sim_build"
COVERAGE_DAT = SIM_BUILD / "coverage" / "dat"
# Who wants each BenchResult (the pytest conftest sets it per test to attach the run to the
# test's report, so `make regress` can show block, simulator, seed and simulated time).
RECORDER: contextvars.ContextVar[Callable[[BenchResult], None] | None] = contextvars.ContextVar(
    "m890_bench_recorder", default=None)


@dataclass
class BenchResult:
    """One run_bench call: where it ran, what it ran with, and how it went."""

    block: str
    toplevel: str
    sim: str
    seed: int
    parameters: dict
    build_dir: Path
    run_dir: Path                       # the simulator's working directory (per seed)
    results_xml: Path
    waves: Path | None = None
    wall_s: float = 0.0
    cases: list[dict] = field(default_factory=list)   # cocotb tests: name, result, sim_time_ns
    sim_time_ns: float | None = None

    @property
    def num_failed(self) -> int:
        return sum(c["result"] == "FAIL" for c in self.cases)

    @property
    def passed(self) -> bool:
        return bool(self.cases) and self.num_failed == 0

    def result(self, name: str):
        """A JSON result the bench wrote with BenchContext.write_result(name, ...)."""
        return json.loads((self.run_dir / f"{name}.json").read_text())

    def record(self) -> dict:
        return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}


def read_cases(results: Path) -> tuple[list[dict], float | None]:
    """Per-testcase names, outcomes and simulated time (ns) from a cocotb results XML."""
    try:
        root = ET.parse(results).getroot()
    except (OSError, ET.ParseError):
        return [], None
    cases, sim_ns = [], 0.0
    for tc in root.iter("testcase"):
        props = {pr.get("name"): pr.get("value") for pr in tc.iter("property")}
        t = float(props.get("sim_time_duration") or tc.get("sim_time_ns") or 0)
        t *= {"fs": 1e-6, "ps": 1e-3, "us": 1e3, "ms": 1e6, "s": 1e9}.get(props.get("sim_time_unit", "ns"), 1.0)
        sim_ns += t
        failed = any(ch.tag in ("failure", "error") for ch in tc)
        skipped = any(ch.tag == "skipped" for ch in tc)
        cases.append({"name": tc.get("name", "?"), "sim_time_ns": t,
                      "result": "FAIL" if failed else ("SKIP" if skipped else "PASS")})
    return cases, sim_ns


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.=-]", "_", text)


def build_dir_for(block: str, sim: str, parameters: dict, tag: str = "") -> Path:
    name = "-".join(f"{k}{v}" for k, v in sorted(parameters.items())) or "default"
    return SIM_BUILD / block / sim / _safe(name + (f"-{tag}" if tag else ""))


def resolve_block(block: str | Block, toplevel=None, test_module=None, sources=None, parameters=None) -> Block:
    """The manifest block (by name), with the caller's overrides; an unknown name needs toplevel+sources."""
    if isinstance(block, str):
        if block in BLOCKS:
            block = BLOCKS[block]
        elif toplevel and sources is not None:
            block = Block(block, toplevel, ())
        else:
            raise KeyError(f"no block {block!r} in tb/common/blocks.py and no toplevel/sources given")
    changes = {}
    if toplevel:
        changes["top"] = toplevel
    if test_module:
        changes["bench"] = test_module
    if sources is not None:  # names in rtl/ or paths
        changes["sources"] = tuple(s if isinstance(s, Path) else (RTL / s if "/" not in str(s) else Path(s))
                                   for s in sources)
    if parameters:
        changes["parameters"] = {**block.parameters, **parameters}
    return block.with_(**changes) if changes else block


def run_bench(block: str | Block, toplevel: str | None = None, test_module: str | None = None,
              sim: str = "icarus", parameters: dict | None = None, sources=None, testcase=None,
              extra_env: dict | None = None, build_tag: str = "", build_args=None, waves: bool | None = None,
              knobs: dict | None = None, seed: int | None = None,  # noqa: F811 (the $SEED default is seed())
              check: bool = True) -> BenchResult:
    """Build `block` (one build directory per block/simulator/configuration) and run its cocotb
    bench (or `testcase` of it) with `seed` (default $SEED, else 1) and `knobs` as plusargs.

    check=True (default): raise AssertionError when no cocotb test ran or any failed.
    extra_env: kept for old callers only; pass data as knobs (BenchContext.knob) instead.
    """
    from cocotb_tools.runner import get_runner

    setup_sim_env(sim)
    blk = resolve_block(block, toplevel, test_module, sources, parameters)
    params = dict(blk.parameters)
    seed = globals()["seed"]() if seed is None else int(seed)
    waves = waves_enabled() if waves is None else waves
    cover = env_flag("M890_COVERAGE") and sim == "verilator"
    tag = "-".join(t for t in (build_tag, "cov" if cover else "", "waves" if waves else "") if t)
    bdir = build_dir_for(blk.name, sim, params, tag)
    tdir = bdir / f"seed{seed}"  # each seed its own run directory: seeds of one build run side by side
    tdir.mkdir(parents=True, exist_ok=True)

    args = list(build_args or [])
    if cover:
        args += ["--coverage-line", "--coverage-toggle"]
    if sim == "verilator":
        args += ["-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique"]
        if waves:
            args += ["--trace-fst", "--trace-structs"]
    runner = get_runner(sim)
    with open(bdir / ".build.lock", "w") as lock:  # pytest-xdist workers may share a build dir
        fcntl.flock(lock, fcntl.LOCK_EX)
        runner.build(sources=[str(s) for s in blk.sources], includes=[str(i) for i in blk.include_dirs()],
                     hdl_toplevel=blk.top, parameters=params, build_dir=str(bdir), build_args=args,
                     timescale=("1ns", "1ps"), waves=waves, log_file=str(bdir / "build.log"))

    env = {"PYTHONPATH": python_path(ROOT)}
    env.update(extra_env or {})
    tc_name = testcase if isinstance(testcase, str) else "all"
    results = tdir / f"results-{tc_name}.xml"
    # the bench context (tb/common/context.py) reads parameters and knobs from these plusargs
    plusargs = [f"+m890_seed={seed}"] + [f"+param+{k}={v}" for k, v in sorted(params.items())]
    plusargs += [f"+knob+{k}={v}" for k, v in sorted((knobs or {}).items())]
    if cover:
        COVERAGE_DAT.mkdir(parents=True, exist_ok=True)
        dat = COVERAGE_DAT / f"{blk.name}-{bdir.name}-{_safe(tc_name)}-seed{seed}-{uuid.uuid4().hex[:8]}.dat"
        plusargs.append(f"+verilator+coverage+file+{dat}")
    if waves and sim == "icarus":
        plusargs.append(f"+dumpfile_path={tdir / (blk.top + '.fst')}")
    results.unlink(missing_ok=True)  # never read a previous run's verdict
    res = BenchResult(blk.name, blk.top, sim, seed, params, bdir, tdir, results)
    t0 = time.monotonic()
    try:
        runner.test(test_module=blk.bench, hdl_toplevel=blk.top, testcase=testcase, seed=seed, extra_env=env,
                    waves=waves, build_dir=str(bdir), test_dir=str(tdir), results_xml=str(results),
                    parameters=params, timescale=("1ns", "1ps"), plusargs=plusargs)
    except SystemExit:  # cocotb's verdict under pytest, or a simulator crash
        if check:
            raise
    finally:
        res.wall_s = time.monotonic() - t0
        res.cases, res.sim_time_ns = read_cases(results)
        if waves:
            res.waves = tdir / (f"{blk.top}.fst" if sim == "icarus" else "dump.fst")
            print(f"\nwaves: {res.waves}", file=sys.stderr)
        recorder = RECORDER.get()
        if recorder is not None:
            recorder(res)
    if check:
        assert res.cases, f"no cocotb test ran in {blk.bench}"
        assert res.passed, f"{res.num_failed} of {len(res.cases)} cocotb tests failed ({results})"
    return res
