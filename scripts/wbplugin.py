"""pytest plugin for the workbench (`make regress`, `make soak`, `make durations`, `make sim TEST=`).

Loaded explicitly with `-p scripts.wbplugin`; plain `make test` does not need it.

  --m890-shard=i/N         keep only CI shard i of N (1-based), balanced by .test_durations
  --m890-durations=PATH    the measured durations file (default .test_durations)
  --m890-store-durations   rewrite that file with the durations measured in this run
  --m890-report=PATH       write one JSON record per test (result, wall time, and the
                           block/simulator/seed/simulated time/waves of its bench runs)
  --m890-soak-seeds=N      run every selected test once per seed SEED_BASE .. SEED_BASE+N-1
  --m890-seed-base=B       first soak seed (default 1)

Sharding is deterministic: tests that share an xdist_group (one build) stay together;
units are taken longest first and each goes to the shard with the least total so far
(ties: lowest shard index). Tests missing from the durations file count as the median.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DURATIONS = ROOT / ".test_durations"
UNKNOWN_DURATION = 5.0  # seconds, when the durations file knows no test at all


# ----------------------------------------------------------------------------- sharding
def parse_shard(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not m:
        raise ValueError(f"SHARD={text!r}: use i/N, e.g. SHARD=3/8")
    i, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= i <= n:
        raise ValueError(f"SHARD={text!r}: need 1 <= i <= N")
    return i, n


def load_durations(path: Path) -> dict[str, float]:
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items()}


def split_units(units: list[tuple[str, list[str]]], durations: dict[str, float], n: int) -> list[list[str]]:
    """Assign units (key, [test ids]) to n shards; returns the test ids of each shard."""
    known = [durations[t] for _, ids in units for t in ids if t in durations]
    default = statistics.median(known) if known else UNKNOWN_DURATION

    def cost(ids):
        return sum(durations.get(t, default) for t in ids)

    order = sorted(units, key=lambda u: (-cost(u[1]), u[0]))
    loads = [0.0] * n
    shards: list[list[str]] = [[] for _ in range(n)]
    for _key, ids in order:
        k = min(range(n), key=lambda j: (loads[j], j))
        loads[k] += cost(ids)
        shards[k].extend(ids)
    return shards


def group_key(item) -> str:
    m = item.get_closest_marker("xdist_group")
    if m is not None:
        name = m.args[0] if m.args else m.kwargs.get("name", "")
        return f"group:{name}"
    return item.nodeid


def base_nodeid(nodeid: str) -> str:
    """The test id without the soak seed parameter: t[icarus-soak3] -> t[icarus]."""
    nodeid = re.sub(r"-soak\d+(?=\])", "", nodeid)
    nodeid = re.sub(r"\[soak\d+-", "[", nodeid)
    return re.sub(r"\[soak\d+\]", "", nodeid)


# ----------------------------------------------------------------------------- options
def pytest_addoption(parser):
    g = parser.getgroup("m890", "M890 workbench")
    g.addoption("--m890-shard", default="", help="run only shard i/N (balanced by measured durations)")
    g.addoption("--m890-durations", default=str(DEFAULT_DURATIONS), help="durations JSON file")
    g.addoption("--m890-store-durations", action="store_true", help="rewrite the durations file")
    g.addoption("--m890-report", default="", help="write per-test JSON records here")
    g.addoption("--m890-soak-seeds", type=int, default=0, help="run each test over N seeds")
    g.addoption("--m890-seed-base", type=int, default=1, help="first soak seed")


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


# ----------------------------------------------------------------------------- soak seeds
def pytest_generate_tests(metafunc):
    n = metafunc.config.getoption("--m890-soak-seeds")
    if n and "m890_soak_seed" in metafunc.fixturenames:
        base = metafunc.config.getoption("--m890-seed-base")
        seeds = list(range(base, base + n))
        metafunc.parametrize("m890_soak_seed", seeds, ids=[f"soak{s}" for s in seeds], indirect=True)


@pytest.fixture(autouse=True)
def m890_soak_seed(request):
    """With --m890-soak-seeds, each parametrized copy of a test runs with SEED=<its seed>."""
    seed = getattr(request, "param", None)
    if seed is None:
        yield None
        return
    old = os.environ.get("SEED")
    os.environ["SEED"] = str(seed)
    try:
        yield seed
    finally:
        if old is None:
            os.environ.pop("SEED", None)
        else:
            os.environ["SEED"] = old


# ----------------------------------------------------------------------------- selection
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    spec = config.getoption("--m890-shard")
    if not spec:
        return
    i, n = parse_shard(spec)
    durations = load_durations(Path(config.getoption("--m890-durations")))
    units: dict[str, list[str]] = {}
    for it in items:
        units.setdefault(group_key(it), []).append(it.nodeid)
    keep = set(split_units(list(units.items()), durations, n)[i - 1])
    selected = [it for it in items if it.nodeid in keep]
    deselected = [it for it in items if it.nodeid not in keep]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    items[:] = selected


# ----------------------------------------------------------------------------- records
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if call.when == "call":  # the soak fixture's SEED is still in place here
        rep.user_properties.append(("m890_seed", os.environ.get("SEED") or "1"))
    if call.when != "teardown":
        return
    try:
        from tb.common import runner
    except ImportError:
        return
    runs = list(runner.RUN_LOG)
    runner.RUN_LOG.clear()
    rep.user_properties.append(("m890_runs", json.dumps(runs)))


class _Collector:
    def __init__(self, config):
        self.config = config
        self.tests: dict[str, dict] = {}
        self.t0 = time.time()

    def pytest_runtest_logreport(self, report):
        rec = self.tests.setdefault(report.nodeid, {
            "nodeid": report.nodeid, "result": "PASS", "wall_s": 0.0, "runs": [], "seed": None,
            "longrepr": "",
        })
        rec["wall_s"] += float(getattr(report, "duration", 0.0) or 0.0)
        if report.failed:
            rec["result"] = "ERROR" if report.when != "call" else "FAIL"
            rec["longrepr"] = (rec["longrepr"] + "\n" + str(report.longrepr))[-4000:]
        elif report.skipped and rec["result"] == "PASS":
            rec["result"] = "SKIP"
        for k, v in report.user_properties:
            if k == "m890_runs":
                rec["runs"].extend(json.loads(v))
            elif k == "m890_seed" and rec["seed"] is None:
                rec["seed"] = v

    def pytest_sessionfinish(self, session, exitstatus):
        report = self.config.getoption("--m890-report")
        if report:
            p = Path(report)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(json.dumps({
                "exitstatus": int(exitstatus), "wall_s": time.time() - self.t0,
                "shard": self.config.getoption("--m890-shard"),
                "tests": list(self.tests.values()),
            }, indent=1))
        if self.config.getoption("--m890-store-durations"):
            path = Path(self.config.getoption("--m890-durations"))
            old = load_durations(path)
            for nodeid, rec in self.tests.items():
                if rec["result"] in ("PASS", "FAIL"):
                    old[base_nodeid(nodeid)] = round(rec["wall_s"], 3)
            path.write_text(json.dumps(dict(sorted(old.items())), indent=1) + "\n")

    def pytest_terminal_summary(self, terminalreporter):
        waves = [r["waves"] for rec in self.tests.values() for r in rec["runs"] if r.get("waves")]
        for w in waves:
            terminalreporter.write_line(f"waves: {w}")


def pytest_configure(config):
    if not _is_worker(config):
        config.pluginmanager.register(_Collector(config), "m890_collector")
