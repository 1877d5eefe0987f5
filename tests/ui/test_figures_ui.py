"""Pilot tests: every figure on screen is the one docs/figures.md defines, under its label."""

from __future__ import annotations

from pathlib import Path

from moneytrail.data.dataset import Dataset
from moneytrail.data.open import open_dataset
from moneytrail.query.filters import Filters
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.rejects import RejectsScreen
from tests.ui.helpers import grid_column, screen, settle, static_text


def make_app(ds: Dataset, filters: Filters | None = None) -> MoneytrailApp:
    return MoneytrailApp(ds, persist_settings=False, filters=filters)


async def test_races_pane_shows_raised_and_outside_money_apart(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        model = screen(app).grid.model
        assert model is not None
        labels = [c.label for c in model.columns]
        assert "Total" not in labels
        assert labels.index("Raised") < labels.index("IE for") < labels.index("IE against")


async def test_pac_row_statistics_are_its_receipts_with_spending_apart(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        receipts = grid_column(app, "receipts_cents")[0]
        panel = static_text(app, "#stats-text")
        lines = [line.split() for line in panel.splitlines()]
        assert ["Receipts", receipts] in lines  # the panel's total is the row's receipts
        assert "Spending" in panel and "Disbursed" in panel
        assert "direct gifts from outside" in panel and "ultimate sources outside" in panel


async def test_header_says_the_view_is_filtered(story: Dataset) -> None:
    app = make_app(story, Filters(states=frozenset({"NY"})))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        # BIGGS (NY) gave $1,400,000 of the $2,301,275 all donors gave.
        header = static_text(app, "#header")
        assert "filtered: donor state NY · 60.8% of the total shown" in header
        await pilot.press("F")  # clear every filter
        await settle(pilot)
        assert "no filters" in static_text(app, "#header")


def _dataset_with_a_bad_row(tmp_path: Path) -> Dataset:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "transactions.csv").write_text(
        "transaction_id,date,amount,kind,source_kind,source_name,recipient_committee_id\n"
        "t1,2016-01-05,100,contribution,individual,DOE [R],C1\n"
        "t2,2016-13-05,5,contribution,individual,ROE,C1\n",
        encoding="utf-8",
    )
    return open_dataset(folder, cache=False)


async def test_rejected_rows_view_from_key_and_palette(tmp_path: Path) -> None:
    app = make_app(_dataset_with_a_bad_row(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, RejectsScreen)
        text = static_text(app, "#rejects-text")
        assert "1 rejected row" in text
        assert "transactions.csv:3: date:" in text
        assert "t2,2016-13-05,5,contribution,individual,ROE,C1" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, RejectsScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Rejected rows")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RejectsScreen)


async def test_memo_checkbox_reads_without_colour(story: Dataset) -> None:
    from moneytrail.ui.screens.filters import MarkedCheckbox

    app = make_app(story)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        box = app.screen.query_one("#memo", MarkedCheckbox)
        assert not box.value and str(box.render()).startswith("▐ ▌")
        box.value = True
        await pilot.pause()
        assert str(box.render()).startswith("▐X▌")


def test_memo_rows_are_marked_in_words() -> None:
    import polars as pl

    from moneytrail.present.table import TableModel

    rows = pl.DataFrame({"amount_cents": [5_00, 7_00], "memo": [True, False]})
    model = TableModel.build(rows)
    assert model.display.get_column("memo").to_list() == ["memo", ""]
