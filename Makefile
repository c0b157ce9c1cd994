# The two commands of the README: `make demo` and `make test`. Each bootstraps .venv by itself
# from the lock file (uv.lock), so a fresh clone needs nothing but Python 3.11+.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.8
SYNCED := $(VENV)/.synced-$(shell cat uv.lock pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)

# DuckDB 1.x clients the published database must open in (SPEC §7), each in its own small
# environment for tests/test_clients.py: the oldest 1.x line analysts' tools still bundle and
# the duckdb CLI on PyPI.
DUCKDB_CLIENTS := 1.1.3 1.5.6
CLIENTS := $(foreach v,$(DUCKDB_CLIENTS),.venv-duckdb-$(v)/bin/python)

LANDING   ?= data/landing
WAREHOUSE ?= data/warehouse

.PHONY: venv demo refresh test test-fast bench lint format clean

# The project's own .pyc too, for the same reason (its modules are not installed but linked);
# at every make, since code changes (only what changed is compiled): 0.2 s of every run.
venv: $(SYNCED)
	@$(BIN)/python -m compileall -q flows sources warehouse

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: the packages' .pyc are written once here, so that no process compiles
# them again at import (measured: Great Expectations 11.6 s → 4.9 s, Prefect 4.6 s → 1.6 s on
# a machine with PYTHONDONTWRITEBYTECODE set, where nothing would ever write them).
# The stamp's name is a checksum of uv.lock and pyproject.toml, so their content decides when
# to sync again, not their modification times: a fresh checkout or a git worktree sharing this
# .venv (newer files, same content) does not sync it again and repoint the project's link.
$(SYNCED): | $(BIN)/uv
	$(BIN)/uv sync --locked --compile-bytecode --python $(BIN)/python
	rm -f $(VENV)/.synced-*
	touch $@

demo: venv
	$(BIN)/iku demo --landing $(LANDING)
	$(BIN)/iku refresh --landing $(LANDING) --warehouse $(WAREHOUSE)

# Three workers (pytest-xdist) on two cores: the flow tests spend much of their time waiting
# on subprocesses and servers (measured: 6 min 30 s with two workers, 5 min 6 s with three).
# The flow tests are collected first (tests/conftest.py) and an idle worker takes tests still
# waiting on another (worksteal): 3 min 12 s and 3 min 28 s, against 3 min 47 s to 4 min 13 s
# in collection order with each worker's share fixed in advance (--dist load).
test: venv $(CLIENTS)
	$(BIN)/pytest -n 3 --dist worksteal

.venv-duckdb-%/bin/python: | venv
	$(BIN)/uv venv --quiet --python $(BIN)/python .venv-duckdb-$*
	$(BIN)/uv pip install --quiet --python $@ duckdb==$*

test-fast: venv
	$(BIN)/pytest -m "not slow"

# Measured figures (README): validation speed on 1M rows; peak memory with hostile files;
# with N=<satkers>, the national-scale benchmark instead (full, no-change, one-new-file runs
# next to bare DuckDB; `make bench N=514` for all kabupaten/kota).
N ?=
bench: venv
ifeq ($(N),)
	$(BIN)/python tests/benchmarks/bench_validation.py
	$(BIN)/python tests/benchmarks/bench_hostile.py
else
	$(BIN)/python tests/benchmarks/bench_national.py --satkers $(N)
endif

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/sqlfluff lint sql/

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/sqlfluff fix sql/

clean:
	rm -rf data/warehouse data/landing
