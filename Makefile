# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench sdk-fidelity clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job on the embedded local environment (the bundled emulator, persisted in
# .syncctl/, which is git-ignored): validate -> plan -> apply -> plan again (no changes).
demo: $(STAMP)
	@rm -rf .syncctl
	@echo "==> syncctl validate --strict   (every job file, every rule)"
	$(BIN)/syncctl validate --strict
	@echo; echo "==> syncctl plan                (what apply would change in 'local')"
	$(BIN)/syncctl plan
	@echo; echo "==> syncctl apply --yes         (make the live jobs match the files)"
	$(BIN)/syncctl apply --yes
	@echo; echo "==> syncctl plan --detailed-exitcode   (again: nothing left to do, exit 0)"
	$(BIN)/syncctl plan --detailed-exitcode

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

# Benchmarks print figures; they are not part of the test suite (machines here are noisy).
bench: $(STAMP)
	$(BIN)/pip install --quiet 'check-jsonschema>=0.28'
	$(BIN)/python benchmarks/validate_bench.py
	$(BIN)/python benchmarks/emulator_bench.py
	$(BIN)/python benchmarks/client_bench.py
	$(BIN)/python benchmarks/plan_bench.py --n 5000 --workflows 500 --repeat 5

# The official truto-python-sdk against the emulator (also run by the test suite).
sdk-fidelity: $(STAMP)
	$(BIN)/python scripts/sdk_fidelity.py

clean:
	rm -rf $(VENV) .syncctl .pytest_cache .mypy_cache .hypothesis
