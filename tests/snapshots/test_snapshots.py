"""SVG snapshots of the main screens at 80×24 and 120×40, including hostile strings.

Update with `uv run pytest tests/snapshots --snapshot-update` after checking the change by eye.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from moneytrail.data.dataset import Dataset
from moneytrail.settings import Settings
from moneytrail.ui.app import MoneytrailApp
from tests.snapshots.sample_app import hostile_dataset, story_dataset

SnapCompare = Callable[..., bool]


def _app(ds: Dataset) -> MoneytrailApp:
    return MoneytrailApp(ds, settings=Settings(), persist_settings=False)


def _keys(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        for _ in range(3):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        for key in keys:
            await pilot.press(key)
            for _ in range(3):
                await pilot.pause()
                await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_main_pane(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(_app(story_dataset()), terminal_size=size, run_before=_keys())


@pytest.mark.parametrize("size", SIZES)
def test_committee_detail(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    # Donors › top donor › its second recipient (the state PAC).
    run_before = _keys("enter", "j", "enter")
    assert snap_compare(_app(story_dataset()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_hostile_strings(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(_app(hostile_dataset()), terminal_size=size, run_before=_keys())


def test_help(snap_compare: SnapCompare) -> None:
    run_before = _keys("question_mark")
    assert snap_compare(_app(story_dataset()), terminal_size=(80, 24), run_before=run_before)


def test_stats_panel_narrow(snap_compare: SnapCompare) -> None:
    run_before = _keys("i")
    assert snap_compare(_app(story_dataset()), terminal_size=(80, 24), run_before=run_before)
