"""Hardening-suite fixtures: figures printed at the end of the run."""

from __future__ import annotations

import pytest

from tests.robust.figures import FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the hardening figures (see tests/robust/figures.py) when any were recorded."""
    if not FIGURES:
        return
    terminalreporter.section("hardening figures")
    for name in sorted(FIGURES):
        terminalreporter.write_line(f"{name:<48} {FIGURES[name]:>10,}")
