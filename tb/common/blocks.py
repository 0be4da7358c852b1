# SPDX-License-Identifier: Apache-2.0
"""The block manifest: every buildable block of the repository, in one place.

tests/ (the pytest wrappers), scripts/ (lint, synth, sim_main, bench_*) and `make sim` all
read it; nothing else lists a block's sources. To add an RTL file, add it to the one list
below that owns it (e.g. MAC_RTL for a new MAC datapath file): every block built on that list
(mac, mac_player, tile, ...) picks it up.

A Block is: name (also the build directory under sim_build/), HDL top, sources, include
directories, default HDL parameters, the cocotb bench module, the GTKWave layout, and whether
`make lint` / `make synth` treat it as a synthesizable top.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RTL = ROOT / "rtl"


def _in(folder: Path, *names: str) -> tuple[Path, ...]:
    return tuple(folder / n for n in names)


@dataclass(frozen=True)
class Block:
    name: str
    top: str
    sources: tuple[Path, ...]
    bench: str = ""                      # cocotb test module (dotted), "" when the block has no bench
    parameters: dict = field(default_factory=dict)
    includes: tuple[Path, ...] = (RTL,)
    gtkw: Path | None = None             # saved GTKWave layout for `make waves`
    synth: bool = False                  # a synthesizable top: `make lint` and `make synth` take it
    synth_params: dict = field(default_factory=dict)  # parameters `make lint` / `make synth` set (a variant)
    synth_keep: tuple[str, ...] = ()     # modules `make synth` keeps whole (not flattened into the top)

    def with_(self, **changes) -> Block:
        """A variant (another bench, top or parameters) over the same sources."""
        return replace(self, **changes)

    def include_dirs(self) -> list[Path]:
        """The manifest's include dirs plus the folder of every source (a bench's own .vh files)."""
        return list(dict.fromkeys([*self.includes, *(s.parent for s in self.sources)]))


# ---- source lists: each file is named exactly once in this file
ARITH_RTL = _in(RTL, "m890_arith.v")
MAC_RTL = _in(RTL, "m890_mac.v", "m890_fdpa_mul.v", "m890_fdpa_add.v") + ARITH_RTL
TILE_RTL = _in(RTL, "m890_tile.v", "m890_tile_pe.v", "m890_fdpa_mul.v", "m890_fdpa_add.v") + ARITH_RTL
CRC_RTL = _in(RTL, "m890_crc32c.v")
ICN_RTL = CRC_RTL + _in(RTL, "m890_icn_endpoint.v")
ICN_TB = _in(ROOT / "tb" / "icn", "m890_tb_icn_channel.v", "m890_tb_icn_src.v", "m890_tb_icn_snk.v",
             "m890_tb_icn_top.v")
WBFIX_RTL = _in(ROOT / "tests" / "fixtures", "m890_wbfix.v", "m890_wbfix_add.v")

_BLOCKS = [
    Block("mac", "m890_mac", MAC_RTL, "tb.mac.test_mac", gtkw=ROOT / "tb/mac/m890_mac.gtkw", synth=True),
    Block("mac_player", "m890_mac_player", MAC_RTL + _in(ROOT / "tb" / "mac", "m890_mac_player.v"),
          "tb.mac.test_mac_bulk", gtkw=ROOT / "tb/mac/m890_mac.gtkw"),
    Block("tile", "m890_tile", TILE_RTL, "tb.tile.test_tile", {"ROWS": 4, "COLS": 4},
          gtkw=ROOT / "tb/tile/m890_tile.gtkw", synth=True),
    # interleaved accumulators (ARCHITECTURE.md 4.1): the 4x4 tile (hierarchical: cells, cells per PE) and a
    # 1x1 tile flattened but for the multiplier (kept whole: its paths are the MAC's), so `ltp` measures the
    # accumulate loop's stages with the tile's C and result paths around them
    Block("tile_nacc2", "m890_tile", TILE_RTL, synth=True, synth_params={"ROWS": 4, "COLS": 4, "NACC": 2}),
    Block("tile_nacc4", "m890_tile", TILE_RTL, synth=True, synth_params={"ROWS": 4, "COLS": 4, "NACC": 4}),
    *(Block(f"tile_loop_nacc{n}", "m890_tile", TILE_RTL, synth=True,
            synth_params={"ROWS": 1, "COLS": 1, "NACC": n}, synth_keep=("m890_fdpa_mul",)) for n in (1, 2, 4)),
    Block("icn_endpoint", "m890_icn_endpoint", ICN_RTL, synth=True),
    # the wire-efficiency link format (docs/icn.md), linted and synthesized as well
    Block("icn_endpoint_group4", "m890_icn_endpoint", ICN_RTL, synth=True, synth_params={"GROUP": 4}),
    Block("icn", "m890_tb_icn_top", ICN_RTL + ICN_TB, "tb.icn.test_icn", gtkw=ROOT / "tb/icn/icn.gtkw"),
    Block("icn_crc", "m890_tb_crc_wrap", CRC_RTL + _in(ROOT / "tb" / "icn", "m890_tb_crc_wrap.v"),
          "tb.icn.test_crc"),
    Block("wbfix", "m890_wbfix", WBFIX_RTL, "tb.wbfix.test_wbfix", gtkw=ROOT / "tb/wbfix/wbfix.gtkw"),
    # the arithmetic building blocks, built -DM890_STRUCTURAL by tests/test_arith.py (the synthesized netlists)
    Block("arith", "m890_tb_arith", ARITH_RTL + _in(ROOT / "tb" / "arith", "m890_tb_arith.v"), "tb.arith.test_arith"),
]
BLOCKS: dict[str, Block] = {b.name: b for b in _BLOCKS}
# variants: another bench on a block's build
BLOCKS["tile_demo"] = BLOCKS["tile"].with_(name="tile_demo", bench="tb.tile.test_demo", synth=False)
BLOCKS["tile_bench"] = BLOCKS["tile"].with_(name="tile_bench", bench="tb.tile.test_bench", synth=False)


def block(name: str) -> Block:
    try:
        return BLOCKS[name]
    except KeyError:
        raise KeyError(f"no block {name!r} in tb/common/blocks.py (have {', '.join(sorted(BLOCKS))})") from None


def synth_tops(names=(), rtl_dir: Path | None = None, tops=()) -> list[Block]:
    """What `make lint` / `make synth` take: the named blocks, else every synthesizable top of the
    manifest; or, with rtl_dir, each of `tops` over every *.v of that directory (a scratch design)."""
    if rtl_dir is not None:
        return [Block(t, t, tuple(sorted(Path(rtl_dir).glob("*.v"))), includes=(Path(rtl_dir),)) for t in tops]
    return [block(n) for n in names] or [b for b in BLOCKS.values() if b.synth]
