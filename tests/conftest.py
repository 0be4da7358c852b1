# SPDX-License-Identifier: Apache-2.0
"""pytest set-up shared by every test.

- A bad SIM or a missing simulator is one clear line.
- Soak: `--seeds N [--seed-base B]` runs every bench test (those parametrized over `sim`) once
  per seed B .. B+N-1 (ids `...-seedS]`); each copy runs its benches with that seed.
- `--knob NAME=VALUE` (repeatable): run knobs for the benches of tests that take the `knobs`
  fixture (BenchContext.knob in the bench).
- Every bench run (tb/common/runner.BenchResult) is attached to its test's report as the JUnit
  property `bench`, with `nodeid` and `seed`: scripts/regress.py builds its summary from
  pytest's own --junitxml file.
"""

import json

import pytest

from tb.common.runner import RECORDER, SimSetupError, seed, selected_sims, setup_sim_env


def pytest_addoption(parser):
    g = parser.getgroup("m890", "M890 benches")
    g.addoption("--seeds", type=int, default=0, help="soak: run every bench test once per seed")
    g.addoption("--seed-base", type=int, default=1, help="soak: first seed (default 1)")
    g.addoption("--knob", action="append", default=[], metavar="NAME=VALUE", help="a bench knob")


def pytest_configure(config):
    try:
        for sim in selected_sims():
            setup_sim_env(sim)
    except SimSetupError as e:
        pytest.exit(f"error: {e}", returncode=2)


def pytest_generate_tests(metafunc):
    n = metafunc.config.getoption("--seeds")
    if n and "sim" in metafunc.fixturenames:
        base = metafunc.config.getoption("--seed-base")
        metafunc.parametrize("soak_seed", range(base, base + n), indirect=True, ids=lambda s: f"seed{s}")


@pytest.fixture
def soak_seed(request):
    return getattr(request, "param", None)


@pytest.fixture
def knobs(request) -> dict:
    return dict(kv.split("=", 1) for kv in request.config.getoption("--knob"))


@pytest.fixture(autouse=True)
def _bench_runs(request, soak_seed, monkeypatch):
    if soak_seed is not None:
        monkeypatch.setenv("SEED", str(soak_seed))  # the documented SEED, for this test only
    props = request.node.user_properties
    props += [("nodeid", request.node.nodeid), ("seed", seed())]
    token = RECORDER.set(lambda res: props.append(("bench", json.dumps(res.record()))))
    yield
    RECORDER.reset(token)


def pytest_terminal_summary(terminalreporter):
    """The waveform of every bench run that recorded one (`make sim TEST=... WAVES=1`)."""
    for rep in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        for k, v in getattr(rep, "user_properties", []):
            if k == "bench" and json.loads(v).get("waves"):
                terminalreporter.write_line(f"waves: {json.loads(v)['waves']}")
