# SPDX-License-Identifier: Apache-2.0
"""pyuvm base pieces every pyuvm bench extends (the OpenTitan dv_lib idea, pyuvm-sized).

BenchTest        uvm_test that makes the BenchContext (seed, parameters, knobs, clock, reset)
                 and puts it in the ConfigDB under "CTX" for every component; subclasses build
                 their env in ``build_env()``. ``self.rng(name)`` is a NumPy generator for (seed,
                 test name, name), so every test and every seed gets its own stimulus.
BenchScoreboard  uvm_component fed by TLM: one ``uvm_tlm_analysis_fifo`` per name in ``PORTS``
                 (connect a monitor's ``ap`` to ``fifo[name].analysis_export``); collects errors
                 and fails in ``check_phase`` with the seed in the message.
BenchCoverage    uvm_subscriber around a cocotb-coverage covergroup: ``write(t)`` samples it;
                 ``missing(promised)`` lists promised bins not hit; ``report()`` is a text
                 summary. Subclasses define ``coverpoints()`` / ``crosses()``.
"""

from __future__ import annotations

import logging

import cocotb
import numpy as np
from cocotb_coverage.coverage import CoverCross, CoverPoint, coverage_db
from pyuvm import ConfigDB, uvm_component, uvm_sequence, uvm_subscriber, uvm_test, uvm_tlm_analysis_fifo

from tb.common.context import BenchContext


def quiet_pyuvm() -> None:
    logging.getLogger("pyuvm").setLevel(logging.WARNING)


def bench_ctx(component) -> BenchContext:
    """The BenchContext the test put in the ConfigDB."""
    return ConfigDB().get(component, "", "CTX")


class ItemListSeq(uvm_sequence):
    """Sends a list of items on one sequencer, in order (each finishes when its driver is done)."""

    def __init__(self, name, items):
        super().__init__(name)
        self.items = list(items)

    async def body(self):
        for it in self.items:
            await self.start_item(it)
            await self.finish_item(it)


class BenchTest(uvm_test):
    """Base test: context in the ConfigDB, env from ``build_env()``."""

    def build_phase(self):
        quiet_pyuvm()
        self.ctx = BenchContext(cocotb.top)
        ConfigDB().set(None, "*", "CTX", self.ctx)
        ConfigDB().set(None, "*", "TEST_NAME", type(self).__name__)
        self.build_env()

    def build_env(self) -> None:
        raise NotImplementedError

    def rng(self, stream: str = "") -> np.random.Generator:
        return self.ctx.rng(f"{type(self).__name__}/{stream}")

    @property
    def seed(self) -> int:
        return self.ctx.seed


class BenchScoreboard(uvm_component):
    """A scoreboard fed through analysis FIFOs, one per name in PORTS."""

    PORTS: tuple[str, ...] = ()
    MAX_REPORTS = 8

    def build_phase(self):
        self.ctx = bench_ctx(self)
        self.fifo = {p: uvm_tlm_analysis_fifo(f"{p}_fifo", self) for p in self.PORTS}
        self.errors: list[str] = []

    def drain(self, port: str) -> list:
        out = []
        fifo = self.fifo[port]
        while True:
            ok, item = fifo.try_get()
            if not ok:
                return out
            out.append(item)

    def flush(self) -> None:
        for p in self.PORTS:
            self.drain(p)

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def check_phase(self):
        if self.errors:
            for e in self.errors[: self.MAX_REPORTS]:
                self.logger.error(e)
            raise AssertionError(f"{type(self).__name__}: {len(self.errors)} error(s) (seed {self.ctx.seed}); "
                                 f"first: {self.errors[0].splitlines()[0]}")


class BenchCoverage(uvm_subscriber):
    """Coverage collector: a cocotb-coverage covergroup sampled on every transaction written to
    its analysis export. Coverpoint names are ``<group>.<point>``, with ``group`` unique per test
    (the covergroup database is global to the simulation)."""

    def coverpoints(self) -> list[dict]:
        """[{name, xf, bins[, rel, inj]}]: xf(transaction) -> value matched against bins."""
        return []

    def crosses(self) -> list[tuple[str, list[str]]]:
        """[(name, [coverpoint names])]"""
        return []

    def build_phase(self):
        self.ctx = bench_ctx(self)
        try:
            test = ConfigDB().get(self, "", "TEST_NAME")
        except Exception:  # built outside a BenchTest
            test = "test"
        self.group = f"{test}.{self.get_name()}"
        decorators = []
        for cp in self.coverpoints():
            decorators.append(CoverPoint(f"{self.group}.{cp['name']}", xf=cp["xf"], bins=cp["bins"],
                                         rel=cp.get("rel"), inj=cp.get("inj", True)))
        for name, items in self.crosses():
            decorators.append(CoverCross(f"{self.group}.{name}", items=[f"{self.group}.{i}" for i in items]))

        def sample_covergroup(txn):
            return None

        fn = sample_covergroup
        for d in reversed(decorators):  # the first listed is applied last, so it samples first
            fn = d(fn)
        self._sample = fn
        self.samples = 0

    def write(self, txn):
        self.samples += 1
        self._sample(txn)

    def hits(self, name: str) -> dict:
        return coverage_db[f"{self.group}.{name}"].detailed_coverage

    def missing(self, promised: dict) -> list[str]:
        """promised: coverpoint/cross name -> bins that must be hit."""
        out = []
        for name, keys in promised.items():
            h = self.hits(name)
            out += [f"{name}:{k}" for k in keys if h.get(k, 0) == 0]
        return out

    def report(self) -> str:
        lines = [f"functional coverage {self.group} ({self.samples} samples):"]
        names = [cp["name"] for cp in self.coverpoints()] + [n for n, _ in self.crosses()]
        for n in names:
            item = coverage_db[f"{self.group}.{n}"]
            lines.append(f"  {n:14s}: {item.coverage:5d} of {item.size:5d} bins hit "
                         f"({item.cover_percentage:5.1f} %)")
        return "\n".join(lines)
