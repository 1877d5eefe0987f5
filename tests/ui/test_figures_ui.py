"""Pilot tests: every figure on screen is the one docs/figures.md defines, under its label."""

from __future__ import annotations

from pathlib import Path

import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.open import open_dataset
from moneytrail.present.header import filter_status
from moneytrail.query.filters import Filters
from moneytrail.query.panes import shown_share
from moneytrail.query.trace import trace_committee
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.detail import DetailScreen
from moneytrail.ui.screens.flow import FlowScreen
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


def _status_line(app: MoneytrailApp, width: int) -> str:
    """The header line holding the filter status; every header line fits in `width`."""
    lines = static_text(app, "#header").splitlines()
    assert all(len(line) <= width for line in lines), lines
    found = [line for line in lines if "filtered: " in line]
    assert len(found) == 1, lines
    return found[0]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_filtered_view_says_how_much_it_shows(
    story: Dataset, size: tuple[int, int]
) -> None:
    ny = Filters(states=frozenset({"NY"}))
    app = make_app(story, ny)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        # The pane: the whole filter status is readable, at 80 columns too.
        assert _status_line(app, size[0]).endswith(
            "filtered: donor state NY · 60.8% of the total shown"
        )
        # Enter on the biggest NY donor: the detail says the same, with its own share.
        key = screen(app).grid.model.row(0)["donor_key"]  # type: ignore[union-attr]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        share = shown_share(story, ny, "donor", key)
        assert share is not None
        status = f"filtered: donor state NY · {share * 100:.1f}% of the total shown"
        assert _status_line(app, size[0]).endswith(status)
        # A PAC's detail: its receipts from NY donors over all its receipts.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        # The second PAC: the Florida one, a third of whose receipts came from NY.
        cid = screen(app).grid.model.row(1)["committee_id"]  # type: ignore[union-attr]
        await pilot.press("down", "enter")
        await settle(pilot)
        share = shown_share(story, ny, "committee", cid)
        assert share is not None and 0 < share < 1
        status = f"filtered: donor state NY · {share * 100:.1f}% of the total shown"
        assert _status_line(app, size[0]).endswith(status)
        # t: the flow view words it the same way, with the trace's share.
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, FlowScreen)
        traced = trace_committee(story, ny, cid)
        context = static_text(app, "#flow-context")
        assert filter_status(["donor state NY"], traced.shown_share) in context
        assert traced.shown_share is not None


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
