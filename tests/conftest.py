"""pytest set-up shared by every test: a bad SIM or a missing simulator is one clear line."""

import pytest

from tb.common.runner import SimSetupError, selected_sims, setup_sim_env


def pytest_configure(config):
    try:
        for sim in selected_sims():
            setup_sim_env(sim)
    except SimSetupError as e:
        pytest.exit(f"error: {e}", returncode=2)
