# SPDX-License-Identifier: Apache-2.0
"""docs/testplan.toml, the test plan as data: every test it names exists, and every test of tests/
and tb/ is named by some feature (or listed in [not_in_regression] with a reason)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = tomllib.loads((ROOT / "docs" / "testplan.toml").read_text())


def defined_tests() -> set[str]:
    """pytest test functions of tests/, cocotb tests and pyuvm test classes of tb/ (by their source)."""
    names = set()
    for f in (ROOT / "tests").glob("test_*.py"):
        names |= set(re.findall(r"^def (test_\w+)", f.read_text(), flags=re.M))
    for f in (ROOT / "tb").rglob("*.py"):
        text = f.read_text()
        names |= set(re.findall(r"@cocotb\.test\([^)]*\)\s*\n\s*async def (\w+)", text))
        names |= set(re.findall(r"@pyuvm\.test\([^)]*\)\s*\n\s*class (\w+)", text))
    return names


def collected_ids() -> set[str]:
    """Every parametrized pytest id (e.g. test_icn[icn_ber_0-default-icarus]), from pytest's collection."""
    r = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return {ln.split("::", 1)[1] for ln in r.stdout.splitlines() if "::" in ln}


def pattern(name: str) -> re.Pattern:
    return re.compile(re.escape(name).replace(r"\*", ".*"))


def planned() -> list[str]:
    return [t for s in PLAN["section"] for f in s["features"] for t in f["tests"]]


def test_every_planned_test_exists():
    universe = defined_tests() | collected_ids()
    missing = [t for t in planned() if not any(pattern(t).fullmatch(u) for u in universe)]
    assert not missing, f"docs/testplan.toml names tests that do not exist: {missing}"
    assert all(f["feature"] and f["tests"] for s in PLAN["section"] for f in s["features"])


def test_every_test_is_in_the_plan():
    pats = [pattern(t) for t in planned()]
    exempt = set(PLAN["not_in_regression"]["tests"])
    unplanned = sorted(t for t in defined_tests() - exempt if not any(p.fullmatch(t) for p in pats))
    assert not unplanned, f"tests no feature of docs/testplan.toml names: {unplanned}"
