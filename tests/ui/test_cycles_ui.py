"""The filter form's cycle field, driven by keys on the two-cycle FEC folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.open import open_dataset
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.filters import FilterScreen
from moneytrail.ui.screens.main import MainScreen
from tests.fec_two_cycles import PAC, write_two_cycles
from tests.ui.helpers import grid_column, settle, static_text


@pytest.fixture
def two(tmp_path: Path) -> Dataset:
    return open_dataset(write_two_cycles(tmp_path / "two-cycles"), cache=False)


async def _open_form(pilot: object, app: MoneytrailApp) -> None:
    await pilot.press("f")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, FilterScreen)


async def test_the_form_lists_the_cycles_and_filters_every_pane(two: Dataset) -> None:
    app = MoneytrailApp(two, persist_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_form(pilot, app)
        assert static_text(app, "#known-cycles") == "in data: 2016, 2018"
        await pilot.click("#cycles")
        await pilot.press(*"2018", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "filtered: cycle 2018" in static_text(app, "#header")
        # Donors: only the 2018 givers (Fleming, Osorno and Papp gave in 2016 only).
        names = grid_column(app, "name")
        assert "FLEMING, CHRISTOPHER T" not in names and "OKAFOR, GRACE" in names
        await pilot.press("2")
        await settle(pilot)
        receipts = dict(
            zip(grid_column(app, "committee_id"), grid_column(app, "receipts_cents"), strict=True)
        )
        assert receipts[PAC] == "$12,000.00"
        # Both cycles: the header names them.
        await _open_form(pilot, app)
        await pilot.click("#cycles")
        await pilot.press("end", "ctrl+u", *"2016, 2018", "enter")
        await settle(pilot)
        assert "filtered: cycles 2016, 2018" in static_text(app, "#header")


async def test_a_cycle_the_dataset_does_not_hold_is_refused(two: Dataset) -> None:
    app = MoneytrailApp(two, persist_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_form(pilot, app)
        await pilot.click("#cycles")
        await pilot.press(*"2020", "enter")
        await pilot.pause()
        assert "cycles: this dataset holds 2016, 2018" in static_text(app, "#filter-error")
        await pilot.press("ctrl+u", *"2017", "enter")
        await pilot.pause()
        assert "cycles: even election years" in static_text(app, "#filter-error")
        await pilot.press("escape")
        await settle(pilot)
        assert "no filters" in static_text(app, "#header")
