"""Pilot tests: a detail's Rows tab is read only when selected, a page at a time, and its sort,
word filter and export still see every row."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.present import table
from moneytrail.query import details
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.detail import DetailScreen
from tests.factories import committee, make_dataset, tx
from tests.ui.helpers import grid_column, screen, settle, static_text

ROWS = 40
PAGE = 10


def _big_committee() -> Dataset:
    """C1 gets 40 gifts, one a day, growing: the biggest is the last, far beyond the first page.

    Gift 35 comes from the only donor named ZEBRA.
    """
    gifts = [
        tx(
            f"t{i:02d}",
            (i + 1) * 100_00,
            source_name="ZEBRA, LATE" if i == 35 else f"DONOR {i:02d}",
            recipient="C1",
            on=date(2016, 1, 1) + timedelta(days=i),
        )
        for i in range(ROWS)
    ]
    return make_dataset(
        transactions=[*gifts, tx("s1", 5_00, source_name="SMALL DONOR", recipient="C2")],
        committees=[committee("C1", "BIG PAC"), committee("C2", "SMALL PAC")],
    )


class Calls:
    """Counts the query layer's row reads while the app runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pages: list[tuple[int, tuple[str, bool] | None]] = []
        self.alls = 0
        page, everything = details.rows_page, details.all_rows

        def counted_page(
            detail: Any, limit: int, sort: tuple[str, bool] | None = None
        ) -> pl.DataFrame:
            self.pages.append((limit, sort))
            return page(detail, limit, sort)

        def counted_all(detail: Any, sort: tuple[str, bool] | None = None) -> pl.DataFrame:
            self.alls += 1
            return everything(detail, sort)

        monkeypatch.setattr(details, "rows_page", counted_page)
        monkeypatch.setattr(details, "all_rows", counted_all)


async def _open_big_committee(app: MoneytrailApp, pilot: Any) -> DetailScreen:
    await settle(pilot)
    await pilot.press("2")  # PACs, biggest first
    await settle(pilot)
    assert grid_column(app, "name")[0] == "BIG PAC"
    await pilot.press("enter")
    await settle(pilot)
    detail = app.screen
    assert isinstance(detail, DetailScreen) and detail.section == "top_donors"
    return detail


async def _type_path(app: MoneytrailApp, pilot: Any, target: Path) -> None:
    """Fill the export dialog's path (set at once: typing a long tmp path key by key is slow)."""
    from textual.widgets import Input

    app.screen.query_one("#export-path", Input).value = str(target)
    await pilot.press("enter")
    await settle(pilot)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    monkeypatch.setattr(table, "PAGE_ROWS", PAGE)
    return Calls(monkeypatch)


async def test_rows_are_read_only_when_the_tab_is_selected(calls: Calls) -> None:
    app = MoneytrailApp(_big_committee(), persist_settings=False)
    async with app.run_test(size=(120, 30)) as pilot:
        detail = await _open_big_committee(app, pilot)
        await pilot.press("1", "2", "3")  # the other tabs do not read the rows either
        await settle(pilot)
        assert calls.pages == [] and calls.alls == 0
        await pilot.press("5")  # Rows
        await settle(pilot)
        assert detail.section == "rows"
        assert calls.pages == [(PAGE, None)] and calls.alls == 0
        assert grid_column(app, "source_name") == [f"DONOR {i:02d}" for i in range(PAGE)]
        header = static_text(app, "#header")
        assert f"{ROWS} rows (first {PAGE} shown" in header, header
        # Leaving the tab and coming back shows the page read before.
        await pilot.press("1", "5")
        await settle(pilot)
        assert calls.pages == [(PAGE, None)]
        assert len(grid_column(app, "source_name")) == PAGE


async def test_rows_sort_and_export_see_every_row(calls: Calls, tmp_path: Path) -> None:
    app = MoneytrailApp(_big_committee(), persist_settings=False)
    target = tmp_path / "rows.csv"
    async with app.run_test(size=(120, 30)) as pilot:
        detail = await _open_big_committee(app, pilot)
        await pilot.press("5")
        await settle(pilot)
        model = detail.grid.model
        assert model is not None
        amount = [s.name for s in model.columns].index("amount_cents")
        await pilot.press(*["right"] * amount, "s")  # sort by Amount: biggest first
        await settle(pilot)
        assert calls.pages[-1] == (PAGE, ("amount_cents", True))
        assert grid_column(app, "amount_cents")[:2] == ["$4,000.00", "$3,900.00"]
        assert grid_column(app, "source_name")[4] == "ZEBRA, LATE"
        assert f"{ROWS} rows by Amount ↓ (first {PAGE} shown" in static_text(app, "#header")
        await pilot.press("s", "s")  # smallest first, then biggest first again
        await settle(pilot)
        assert calls.pages[-2:] == [(PAGE, ("amount_cents", False)), (PAGE, ("amount_cents", True))]
        assert calls.alls == 0
        await pilot.press("e")
        await pilot.pause()
        assert f"Export {ROWS} rows" in static_text(app, "Label")
        await _type_path(app, pilot, target)
        assert isinstance(app.screen, DetailScreen)
    frame = pl.read_csv(target, schema_overrides={"amount": pl.String})
    assert "amount_cents" not in frame.columns  # money in dollars, like the CLI
    assert frame.get_column("amount").to_list() == [
        f"{(i + 1) * 100}.00" for i in reversed(range(ROWS))
    ]
    assert "donor_key" in frame.columns  # every column, hidden ones too


async def test_rows_word_filter_searches_and_exports_every_row(
    calls: Calls, tmp_path: Path
) -> None:
    app = MoneytrailApp(_big_committee(), persist_settings=False)
    target = tmp_path / "zebra.csv"
    async with app.run_test(size=(120, 30)) as pilot:
        detail = await _open_big_committee(app, pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("slash", *"zebra", "enter")
        await settle(pilot)
        assert grid_column(app, "source_name") == ["ZEBRA, LATE"]
        assert calls.alls > 0
        await pilot.press("e")
        await pilot.pause()
        await _type_path(app, pilot, target)
        assert isinstance(screen(app), DetailScreen) and detail.section == "rows"
        await pilot.press("slash", "ctrl+u")  # an empty word: back to the first page
        await settle(pilot)
        assert len(grid_column(app, "source_name")) == PAGE
        assert f"{ROWS} rows (first {PAGE} shown" in static_text(app, "#header")
    assert pl.read_csv(target).get_column("source_name").to_list() == ["ZEBRA, LATE"]


async def test_new_filters_forget_the_rows_until_the_tab_is_shown_again(calls: Calls) -> None:
    from moneytrail.query.filters import Filters

    app = MoneytrailApp(_big_committee(), persist_settings=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_big_committee(app, pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        app.set_filters(Filters(min_cents=3_000_00))
        await settle(pilot)
        assert len(calls.pages) == 1  # the reload read no rows
        await pilot.press("5")
        await settle(pilot)
        assert len(calls.pages) == 2
        assert grid_column(app, "amount_cents")[0] == "$3,000.00"
        assert "11 rows" in static_text(app, "#header")
