# SPDX-License-Identifier: Apache-2.0
"""m890_tile functional coverage: a uvm_subscriber (tb/common/uvm.BenchCoverage) on the
scoreboard's port, sampling a cocotb-coverage covergroup once per checked GEMM.

Coverpoints: legal format pair, rm, scale_fmt, K bucket, K = 512, acc_c, element class per
format, illegal-command kind, the tile's NACC, and how the GEMM moved on the ports (A stream paused
or not, Z packet back-pressured or not). Crosses: pair x rm, pair x scale_fmt, pair x K bucket,
pair x acc_c x A-stall x Z-stall, and NACC x pair x acc_c x A-stall x Z-stall (one NACC per build:
`make coverage` merges the builds).
"""

from __future__ import annotations

from tb.common.uvm import BenchCoverage
from tb.tile import stim
from tb.tile.stim import FORMATS, K_BUCKETS, RM_NAMES, SF_NAMES

PAIRS = [stim.pair_name(a, b) for a, b in stim.legal_pairs()]
FMT_CLASSES = [(FORMATS[f][0], c) for f in range(8) for c in stim.classes_of(f)]
ILLEGAL = ("pair", "rm", "scale_fmt", "K0")


def _legal(t):
    return t.g.legal


def _pair(t):
    return stim.pair_name(t.g.fa, t.g.fb) if _legal(t) else None


def _illegal_kinds(t):
    g = t.g
    if g.legal:
        return set()
    out = set()
    if (g.fa, g.fb) not in stim.legal_pairs():
        out.add("pair")
    if g.rm > 4:
        out.add("rm")
    if g.sf == 3:
        out.add("scale_fmt")
    if g.k == 0:
        out.add("K0")
    return out


def _fmt_classes(t):
    g = t.g
    if not g.legal:
        return set()
    out = set()
    for fmt, ops in ((g.fa, g.A), (g.fb, g.B)):
        out |= {(FORMATS[fmt][0], c) for c in stim.element_classes(fmt, stim.unpack_lanes(fmt, ops))}
    return out


def _member(value, b):
    return b in value


class TileCov(BenchCoverage):
    def coverpoints(self):
        return [
            {"name": "pair", "xf": _pair, "bins": PAIRS},
            {"name": "rm", "xf": lambda t: RM_NAMES[t.g.rm] if _legal(t) else None, "bins": list(RM_NAMES)},
            {"name": "sf", "xf": lambda t: SF_NAMES[t.g.sf] if _legal(t) else None, "bins": list(SF_NAMES)},
            {"name": "kb", "xf": lambda t: stim.k_bucket(t.g.k) if _legal(t) else None, "bins": list(K_BUCKETS)},
            {"name": "k512", "xf": lambda t: _legal(t) and t.g.k == 512, "bins": [True]},
            {"name": "acc_c", "xf": lambda t: t.g.acc_c if _legal(t) else None, "bins": [0, 1]},
            {"name": "a_stall", "xf": lambda t: (t.ab_span > t.g.k) if _legal(t) and t.g.k > 1 else None,
             "bins": [False, True]},
            {"name": "z_stall", "xf": lambda t: (t.z_bp > 0) if _legal(t) else None,
             "bins": [False, True]},
            {"name": "fmt_class", "xf": _fmt_classes, "bins": FMT_CLASSES, "rel": _member, "inj": False},
            {"name": "illegal", "xf": _illegal_kinds, "bins": list(ILLEGAL), "rel": _member, "inj": False},
            {"name": "nacc", "xf": lambda t: t.nacc if _legal(t) else None, "bins": list(range(1, 9))},
        ]

    def crosses(self):
        return [
            ("pair_rm", ["pair", "rm"]),
            ("pair_sf", ["pair", "sf"]),
            ("pair_k", ["pair", "kb"]),
            ("pair_acc_stall", ["pair", "acc_c", "a_stall", "z_stall"]),
            ("nacc_pair_acc_stall", ["nacc", "pair", "acc_c", "a_stall", "z_stall"]),
        ]

    def pair_k_table(self) -> str:
        h = self.hits("pair_k")
        lines = ["  pair x K bucket hits:", "    " + " ".join(f"{p:>9s}" for p in ["pair"] + list(K_BUCKETS))]
        for p in PAIRS:
            lines.append("    " + " ".join(f"{x:>9}" for x in [p] + [h.get((p, kb), 0) for kb in K_BUCKETS]))
        return "\n".join(lines)

    def report(self) -> str:
        return super().report() + "\n" + self.pair_k_table()
