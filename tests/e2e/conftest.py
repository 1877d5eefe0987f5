"""End-to-end fixtures: a real `moneytrail` in a pty, isolated from the user's home."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal, isolated_env

REPO = Path(__file__).resolve().parents[2]
FEC = REPO / "sample_data" / "fec-2016-early"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """This test's HOME: caches, settings and XDG dirs all live under it."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def terminal(home: Path) -> Iterator[Callable[..., Terminal]]:
    """Start `moneytrail ARGS` in a pty of `size`; every one started is closed at the end."""
    started: list[Terminal] = []

    def start(*args: str, size: tuple[int, int] = (80, 24)) -> Terminal:
        term = Terminal(list(args), size=size, env=isolated_env(home), cwd=home)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()
