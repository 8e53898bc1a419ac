"""The kill -9 stress script, shortened for `make test` (the full run prints a table; see the script).

8 sessions × 50 saves, the issue's concurrency figure, runs whole in tests/test_faults.py; the
larger runs are tests/stress/concurrent_saves.py.
"""
from stress import kill_during_saves


def test_every_acknowledged_save_survives_three_kill_9s():
    results = kill_during_saves.run_trials(3, seed=7, max_wait=0.8, after_first_save=True)
    assert results[-1].acknowledged > 0  # the child did save before it was killed
    assert [(r.lost, r.torn) for r in results] == [(0, 0)] * 3

