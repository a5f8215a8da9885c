# The two commands a newcomer needs are `make run` and `make test`; both install what is missing.
SHELL := /bin/bash
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000

# Use uv from PATH when there is one; otherwise install it once into .tools/ from PyPI.
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
# The machines reach package registries only: never let uv download an interpreter.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)

.PHONY: install run test eval lint format bench bench-quick bench-import bench-engine bench-search bench-dashboard chaos clean

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked
	@touch $@

install: .venv/.synced

run: install
	.venv/bin/whsp-ai serve --demo --host $(HOST) --port $(PORT)

test: install
	.venv/bin/pytest

# The conversation scenarios through the real pipeline, offline; fails below a 95% pass rate.
eval: install
	.venv/bin/whsp-ai eval --provider offline --min-pass-rate 0.95

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/lint-imports

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# End to end over loopback (API + worker processes, fake Graph API), then the LangGraph floor.
bench: install
	.venv/bin/whsp-ai bench

bench-quick: install
	.venv/bin/whsp-ai bench --quick

bench-engine: install
	.venv/bin/whsp-ai bench engine

bench-import: install
	.venv/bin/whsp-ai bench import

bench-search: install
	.venv/bin/whsp-ai bench search

# Every dashboard page at 10,000 orders and 10,000 products; fails over 200 ms p95.
bench-dashboard: install
	.venv/bin/whsp-ai bench dashboard

# kill -9 workers and the API for CHAOS_SECONDS while customers chat; exit 1 on anything lost,
# duplicated, stuck, wrong or behind. Not part of `make test`.
CHAOS_SECONDS ?= 180
chaos: install
	.venv/bin/whsp-ai bench chaos --seconds $(CHAOS_SECONDS)

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache
