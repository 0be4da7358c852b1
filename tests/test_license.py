# SPDX-License-Identifier: Apache-2.0
"""Every source file carries the project's SPDX license line near its top (LICENSE: Apache-2.0)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPDX = "SPDX-License-Identifier: Apache-2.0"
SOURCE_SUFFIXES = {".v", ".vh", ".py", ".sh", ".sby", ".yml", ".toml", ".ini", ".gtkw"}
SOURCE_NAMES = {"Makefile", "run"}


def tracked_sources() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    files = [ROOT / p for p in out.splitlines()]
    return [f for f in files if f.is_file() and (f.suffix in SOURCE_SUFFIXES or f.name in SOURCE_NAMES)]


def test_every_source_file_has_the_spdx_line():
    files = tracked_sources()
    assert len(files) > 50
    missing = [str(f.relative_to(ROOT)) for f in files
               if SPDX not in "".join(f.read_text(errors="replace").splitlines(keepends=True)[:3])]
    assert not missing, f"no '{SPDX}' in the first 3 lines of: {missing}"
