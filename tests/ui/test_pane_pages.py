"""Pilot tests: a pane bigger than a page is read a page at a time, as the user scrolls.

The page is made 10 rows (`loaders.PANE_PAGE`) over 60 donors, so the first page, the rows read
as the cursor goes down, a sort and a `/` word over every row, and an export of every row are
all seen with a few keys.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.query.panes import pane_frame
from moneytrail.ui import loaders
from moneytrail.ui.app import MoneytrailApp
from tests.factories import committee, make_dataset, tx
from tests.ui.helpers import grid_column, screen, settle, static_text

DONORS = 60
PAGE = 10


def many_donors() -> Dataset:
    """60 donors to one PAC; every seventh is called ZED (spread over the whole listing)."""
    rows = []
    for i in range(DONORS):
        surname = "ZED" if i % 7 == 3 else f"PERSON{i:02d}"
        rows.append(
            tx(f"t{i:02d}", (i + 1) * 1_000, source_name=f"{surname}, DONOR{i:02d}", recipient="P1")
        )
    return make_dataset(transactions=rows, committees=[committee("P1", "ONE PAC")], name="many")


@pytest.fixture
def ds(monkeypatch: pytest.MonkeyPatch) -> Dataset:
    monkeypatch.setattr(loaders, "PANE_PAGE", PAGE)
    return many_donors()


def listing(ds: Dataset) -> list[str]:
    return pane_frame(ds, Filters(), "donors").get_column("name").to_list()


async def test_the_first_page_then_the_rest_as_the_cursor_goes_down(ds: Dataset) -> None:
    app = MoneytrailApp(ds, persist_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        model = screen(app).grid.model
        assert model is not None and model.is_page
        assert model.total_rows == DONORS and model.row_count < DONORS
        assert f"{DONORS} rows" in static_text(app, "#header")
        for _ in range(8):  # each G goes to the last row read, which reads the next page
            await pilot.press("G")
            await settle(pilot)
        model = screen(app).grid.model
        assert model is not None and not model.is_page
        assert grid_column(app, "name") == listing(ds)  # every row, in the pane's order
        table = screen(app).grid.table
        assert table is not None and table.cursor_row == DONORS - 1


async def test_sort_orders_every_row_not_only_the_page(ds: Dataset) -> None:
    app = MoneytrailApp(ds, persist_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")  # cursor on Name: A-Z over all 60
        await settle(pilot)
        model = screen(app).grid.model
        assert model is not None and model.sort == ("name", False)
        assert model.total_rows == DONORS
        everyone = sorted(listing(ds))
        assert grid_column(app, "name")[: model.row_count] == everyone[: model.row_count]
        for _ in range(8):
            await pilot.press("G")
            await settle(pilot)
        assert grid_column(app, "name") == everyone


async def test_a_word_finds_rows_beyond_the_page_and_export_writes_them_all(
    ds: Dataset, tmp_path: Path
) -> None:
    zeds = [n for n in listing(ds) if n.startswith("ZED,")]
    app = MoneytrailApp(ds, persist_settings=False)
    target = tmp_path / "zed.csv"
    everything = tmp_path / "all.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+u", *str(everything), "enter")
        await settle(pilot)
        await pilot.press("slash", *"zed", "enter")
        await settle(pilot)
        assert grid_column(app, "name") == zeds
        model = screen(app).grid.model
        assert model is not None and model.search == "zed" and model.total_rows == len(zeds)
        assert "matching “zed”" in static_text(app, "#header")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+u", *str(target), "enter")
        await settle(pilot)
    assert pl.read_csv(everything).get_column("name").to_list() == listing(ds)
    assert pl.read_csv(target).get_column("name").to_list() == zeds
