# SPDX-License-Identifier: Apache-2.0
"""m890_tile scoreboard: fed by the monitors through analysis FIFOs (tb/common/uvm.py).

In the extract phase (after the run, before any check) it rebuilds every GEMM from the beats
the monitors saw on cmd, A, B and C, predicts it with models/gemm.py (batch: one NumPy call per
GEMM, nothing per cycle) and compares each Z packet and its flags bit for bit. Each checked GEMM
goes out on ``ap`` as a TileGemmTxn (for the coverage subscriber).
"""

from __future__ import annotations

from dataclasses import dataclass

import cocotb
import numpy as np
from pyuvm import uvm_analysis_port

from models.gemm import from_beats, gemm
from tb.common.uvm import BenchScoreboard
from tb.tile import stim
from tb.tile.stim import FORMATS


@dataclass
class TileGemmTxn:
    """A GEMM as observed on the ports, with how it moved (for coverage)."""
    g: stim.Gemm
    ab_span: int     # cycles from its first to its last A beat (K when A never paused)
    z_bp: int        # cycles its Z beats waited for tready (sink back-pressure)
    rows: int
    nacc: int = 1    # the tile's NACC (B and C beats per lane step / row)


def _f32(u) -> str:
    return f"0x{int(u):08x} ({np.array(int(u), np.uint32).view(np.float32)!r})"


class TileScoreboard(BenchScoreboard):
    PORTS = ("cmd", "a", "b", "c", "z")
    MAX_MISMATCH_REPORTS = 5

    def build_phase(self):
        super().build_phase()
        self.ap = uvm_analysis_port("ap", self)
        self.rows = self.ctx.param("ROWS", 4)
        self.cols = self.ctx.param("COLS", 4)
        self.nacc = self.ctx.param("NACC", 1)
        self.checked = 0
        self.mismatches = 0

    def extract_phase(self):
        self.check_all()

    def check_all(self) -> None:
        rows, cols, L = self.rows, self.cols, self.nacc
        cmds, a, b, c, z = (self.drain(s) for s in self.PORTS)
        ia = ib = ic = 0
        for n, (_cyc, word, _u) in enumerate(cmds):
            fa, fb = word & 0xF, (word >> 4) & 0xF
            rm, sf, acc_c, k = (word >> 8) & 7, (word >> 11) & 3, (word >> 13) & 1, (word >> 16) & 0xFFFF
            if ia + k > len(a) or ib + L * k > len(b) or (acc_c and ic + L * rows > len(c)) or n >= len(z):
                self.error(f"command {n} ({word:#018x}) incomplete: not enough beats/results seen")
                self.mismatches += 1
                break
            A = np.array([stim.int_to_words(x[1], rows) for x in a[ia:ia + k]], np.uint32).reshape(k, rows)
            SA = np.array([stim.int_to_bytes(x[2], rows) for x in a[ia:ia + k]], np.uint8).reshape(k, rows)
            # B: NACC beats per lane step, group 0 first (ARCHITECTURE.md 4.1) -> [K, NACC*COLS]
            bb = b[ib:ib + L * k]
            B = np.array([stim.int_to_words(x[1], cols) for x in bb], np.uint32).reshape(k, L * cols)
            SB = np.array([stim.int_to_bytes(x[2], cols) for x in bb], np.uint8).reshape(k, L * cols)
            ab_span = (a[ia + k - 1][0] - a[ia][0] + 1) if k else 0
            C = None
            if acc_c:
                C = from_beats(np.array([stim.int_to_words(x[1], cols) for x in c[ic:ic + L * rows]], np.uint32),
                               rows)
                ic += L * rows
            ia += k
            ib += L * k
            g = stim.Gemm(fa, fb, rm, sf, acc_c, k, A, B, SA, SB, C, word)
            zexp, fexp = gemm(fa, fb, rm, sf, A, B, SA, SB, C)
            res = z[n]
            for e in res.tlast_errors:
                self.error(e)
            bad = np.argwhere((res.Z != np.asarray(zexp, np.uint32)) | (res.F != np.asarray(fexp, np.uint8)))
            self.checked += 1
            if len(bad):
                self.mismatches += 1
                if self.mismatches <= self.MAX_MISMATCH_REPORTS:
                    self.error(self._explain(n, g, bad, res, zexp, fexp))
            self.ap.write(TileGemmTxn(g, ab_span, res.bp_cycles, rows, L))
        if len(z) > len(cmds):
            self.mismatches += 1
            self.error(f"{len(z) - len(cmds)} result packets beyond the {len(cmds)} commands")
        if ia != len(a) or ib != len(b) or ic != len(c):
            self.error(f"beats left unmatched: A {len(a) - ia}, B {len(b) - ib}, C {len(c) - ic}")
        if self.mismatches:
            self.error(f"{self.mismatches} of {self.checked} GEMMs mismatched")

    def _explain(self, n, g, bad, res, zexp, fexp) -> str:
        Z, F = res.Z, res.F
        lines = [f"MISMATCH in GEMM #{n} (result packet from cycle {res.first_cycle}, "
                 f"sim time {cocotb.utils.get_sim_time('ns')} ns, seed {self.ctx.seed}): {g.describe()}",
                 f"  {len(bad)} of {Z.size} elements differ"]
        for r, c in bad[:3]:
            lines.append(f"  (r={r}, c={c}): got z={_f32(Z[r, c])} flags=0b{int(F[r, c]):05b}, "
                         f"expected z={_f32(zexp[r, c])} flags=0b{int(fexp[r, c]):05b}")
            if g.C is not None:
                lines.append(f"    C[{r}][{c}] = {_f32(g.C[r, c])}")
            for k in range(min(g.k, 4)):
                ea = stim.unpack_lanes(g.fa, g.A[k, r]) if g.fa in FORMATS else [g.A[k, r]]
                eb = stim.unpack_lanes(g.fb, g.B[k, c]) if g.fb in FORMATS else [g.B[k, c]]
                lines.append(f"    k={k}: A lane 0x{int(g.A[k, r]):08x} elems {[hex(int(x)) for x in ea]} "
                             f"scale_a 0x{int(g.SA[k, r]):02x} | B lane 0x{int(g.B[k, c]):08x} elems "
                             f"{[hex(int(x)) for x in eb]} scale_b 0x{int(g.SB[k, c]):02x}")
            if g.k > 4:
                lines.append(f"    ... {g.k - 4} more steps")
        return "\n".join(lines)
