# SPDX-License-Identifier: Apache-2.0
"""Golden models for the ICN bench (pure Python/NumPy, no cocotb).

- The message streams that tb/icn/m890_tb_icn_src.v generates (one per side and VC): the
  number of beats for a given packet count and the 64-bit signature the checking sink
  folds every received beat into.
- The ICN flit layout of rtl/m890_icn_endpoint.v (to decode flits for humans).
- The analytic go-back-N goodput curve used by scripts/bench_icn.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

M64 = (1 << 64) - 1
GOLD = 0x9E3779B97F4A7C15


def xs64(x: int) -> int:
    x ^= (x << 13) & M64
    x ^= x >> 7
    x ^= (x << 17) & M64
    return x


def xs32(x: int) -> int:
    m = 0xFFFFFFFF
    x ^= (x << 13) & m
    x ^= x >> 17
    x ^= (x << 5) & m
    return x


def stream_seed(seed: int, stream: int, vc: int, num_vc: int) -> int:
    seed &= 0xFFFFFFFF
    return ((((seed << 32) | (~seed & 0xFFFFFFFF)) ^ ((GOLD * (stream * num_vc + vc + 1)) & M64)) | 1) & M64


def beat_words(s: int, nwords: int) -> list[int]:
    out = []
    for w in range(nwords):
        rot = s if w == 0 else (((s << (8 * w)) | (s >> (64 - 8 * w))) & M64)
        out.append(rot ^ ((GOLD * (w + 1)) & M64))
    return out


@dataclass
class StreamExpect:
    beats: int
    pkts: int
    sig: int
    lengths: np.ndarray


def expected_stream(seed: int, stream: int, vc: int, num_vc: int, num_pkts: int, data_w: int,
                    max_pkt: int) -> StreamExpect:
    """The beats a sink must receive for num_pkts packets, and its signature."""
    nwords = data_w // 64
    s = stream_seed(seed, stream, vc, num_vc)
    sig = 0
    beats = 0
    lengths = np.zeros(num_pkts, dtype=np.int64)
    for p in range(num_pkts):
        n = 1 + ((s >> 40) % max_pkt)
        lengths[p] = n
        for b in range(n):
            fold = 0
            for w in beat_words(s, nwords):
                fold ^= w
            sig = (((sig << 1) | (sig >> 63)) & M64) ^ fold ^ (1 if b == n - 1 else 0)
            s = xs64(s)
            beats += 1
    return StreamExpect(beats=beats, pkts=num_pkts, sig=sig, lengths=lengths)


def mean_pkt_beats(max_pkt: int) -> float:
    return (1 + max_pkt) / 2


# ------------------------------------------------------------------ flit layout
TYPES = {0: "IDLE", 1: "DATA", 2: "NAK", 3: "INIT"}


def clog2(v: int) -> int:
    r = 0
    while (1 << r) < v:
        r += 1
    return r


def default_flit_w(data_w: int, group: int = 1) -> int:
    """m890_icn_endpoint's default FLIT_W for a link format (GROUP beats per flit)."""
    return data_w + 64 if group == 1 else group * (data_w + 4) + 64


@dataclass
class FlitLayout:
    """The endpoint's flit: {CRC-32C, pad, group fields (GROUP > 1), header, GROUP x DATA_W payload}."""
    data_w: int = 256
    num_vc: int = 3
    seq_w: int = 8
    rx_depth: int = 32
    flit_w: int = 0
    group: int = 1

    def __post_init__(self):
        if not self.flit_w:
            self.flit_w = default_flit_w(self.data_w, self.group)
        self.vc_w = clog2(self.num_vc) if self.num_vc > 1 else 1
        self.cw = clog2(self.rx_depth) + 2
        self.hdr_w = 2 + self.vc_w + 1 + 2 * self.seq_w + self.vc_w + self.cw + 1  # (+1: epoch)
        self.pl_w = self.group * self.data_w
        # group fields: beat count, {last, vc} of beats 1..GROUP-1
        self.gx_w = 0 if self.group == 1 else clog2(self.group + 1) + (self.group - 1) * (self.vc_w + 1)
        self.body_w = self.flit_w - 32
        self.pad_w = self.body_w - self.pl_w - self.hdr_w - self.gx_w
        assert self.pad_w >= 0, "header does not fit in FLIT_W"

    def decode(self, flit: int) -> dict:
        o = self.pl_w
        f = {}
        for name, w in (("type", 2), ("vc", self.vc_w), ("last", 1), ("seq", self.seq_w),
                        ("ack", self.seq_w), ("cvc", self.vc_w), ("ccnt", self.cw), ("ep", 1)):
            f[name] = (flit >> o) & ((1 << w) - 1)
            o += w
        f["type"] = TYPES[f["type"]]
        f["crc"] = flit >> self.body_w
        f["payload"] = flit & ((1 << self.pl_w) - 1)
        return f

    def raw_efficiency(self) -> float:
        """Payload bits per flit bit of a full DATA flit."""
        return self.pl_w / self.flit_w


# ------------------------------------------------------------------ go-back-N analytics
def flit_error_rate(ber: float, flit_w: int) -> float:
    return 1.0 - (1.0 - ber) ** flit_w


def gbn_efficiency(p_flit: float, rtt_flits: float) -> float:
    """Go-back-N throughput (fraction of slots that deliver a new flit) when every flit is
    lost independently with p_flit and each loss costs a replay of the rtt_flits flits in
    flight: eta = (1 - p) / (1 - p + p * rtt)."""
    if p_flit <= 0:
        return 1.0
    return (1 - p_flit) / (1 - p_flit + p_flit * rtt_flits)


def prob_thresholds(p: float) -> int:
    """Probability as the 32-bit threshold the bench channel compares against."""
    return max(0, min(0xFFFFFFFF, int(round(p * 2**32))))


def bit_error_thresholds(ber: float, flit_w: int) -> tuple[int, int, int]:
    """Thresholds for P(k>=1), P(k>=2), P(k>=3) bit errors in one flit (binomial)."""
    if ber <= 0:
        return (0, 0, 0)
    q = 1 - ber
    p0 = q ** flit_w
    p1 = flit_w * ber * q ** (flit_w - 1)
    p2 = math.comb(flit_w, 2) * ber**2 * q ** (flit_w - 2)
    ge1 = 1 - p0
    ge2 = ge1 - p1
    ge3 = ge2 - p2
    return tuple(prob_thresholds(x) for x in (ge1, ge2, ge3))
