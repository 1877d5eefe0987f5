"""Tally of what the hardening suite tried, printed at the end of a pytest run.

docs/reliability.md quotes these figures; CI prints them after every run, so the document can be
checked against the suite that produces them. Tests call `record(name, count)` as they go (inputs
tried, keys sent, escape bytes found, ...); `tests/conftest.py` prints the tally in the
terminal summary. Counts accumulate per process; under pytest-xdist each worker hands its tally
to the controller at the end, which adds them up (tests/conftest.py), so the printed figures are
the whole run's.
"""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()


def record(name: str, count: int = 1) -> None:
    """Add `count` to the figure called `name` (created at zero)."""
    FIGURES[name] += count
