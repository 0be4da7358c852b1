"""`make sim`: the project's main simulation. Until the tile demo lands, it runs every
bench that exists under the selected simulator and prints a PASS/FAIL summary."""

import os
import subprocess
import sys

from tb.common.runner import SimSetupError, setup_sim_env


def main() -> int:
    sim = os.environ.get("SIM", "icarus")
    try:
        setup_sim_env(sim)
    except SimSetupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    rc = subprocess.call([sys.executable, "-m", "pytest", "-q", "tests"], env={**os.environ, "SIM": sim})
    print(f"\nmake sim ({sim}): {'PASS' if rc == 0 else 'FAIL'}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
