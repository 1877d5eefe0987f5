"""The loading screen while a dataset imports: rows, MB/s, time left, then each step by name;
cancelling stops the import itself at its next progress report."""

from __future__ import annotations

import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from moneytrail.data import open as open_mod
from moneytrail.data.progress import ImportCancelled
from moneytrail.present.progress import ProgressMeter
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens import loading as loading_mod
from moneytrail.ui.screens.loading import LoadingScreen
from tests.factories import make_dataset
from tests.ui.helpers import static_text


async def _wait_for(pilot: Any, predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the loading screen never showed it"
        await pilot.pause(0.05)


async def test_loading_screen_shows_rows_speed_time_left_and_named_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import (a scripted stand-in for `open_dataset`, run in the app's worker as the real
    one is) reports bytes and rows, then a step with no measure; the screen shows each."""
    go_on = threading.Event()
    finish = threading.Event()
    stopped = threading.Event()
    first_shown = threading.Event()
    # The screen's meter reads this clock: the test, not the machine's load, sets how long the
    # reading took. (With a real 0.6 s sleep, a busy UI thread could take both reports late,
    # back to back, and measure no speed.)
    now = [0.0]
    monkeypatch.setattr(loading_mod, "ProgressMeter", partial(ProgressMeter, clock=lambda: now[0]))

    def fake_open(path: Path, *, progress: Any, **_: Any) -> Any:
        progress("itcont.txt", 0, 400_000_000, 0)
        first_shown.wait(10)  # the screen has taken the first report
        now[0] += 0.6  # long enough for a speed to be measured
        progress("itcont.txt", 100_000_000, 400_000_000, 600_000)
        go_on.wait(10)
        progress("fec: counting once", 0, 0)
        finish.wait(10)
        try:
            progress("cache: transactions", 0, 7)  # the user has cancelled by now
        except ImportCancelled:
            stopped.set()  # a real import unwinds here, its cache writer removing its temp dir
            raise
        return make_dataset()

    monkeypatch.setattr(open_mod, "open_dataset", fake_open)
    app = MoneytrailApp(path=tmp_path / "itcont.txt", persist_settings=False)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        await _wait_for(pilot, lambda: "0.0/400.0 MB" in static_text(app, "#load-stage"))
        first_shown.set()
        await _wait_for(pilot, lambda: "600,000 rows" in static_text(app, "#load-stage"))
        line = static_text(app, "#load-stage")
        assert line.startswith("itcont.txt  100.0/400.0 MB · 600,000 rows · ")
        assert " MB/s · " in line and " left" in line and line.endswith("Esc cancels")
        go_on.set()
        await _wait_for(pilot, lambda: "counting once" in static_text(app, "#load-stage"))
        assert static_text(app, "#load-stage").startswith("fec: counting once  0:0")
        await pilot.press("escape")  # cancel, as a user would
        await pilot.pause()
        finish.set()
    assert app.return_code == 0
    # The import does not run on unseen: its next report stops it.
    assert stopped.wait(10)
