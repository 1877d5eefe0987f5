"""Pilot tests: drive the explorer as a user would and check what the screen shows."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.detail import DetailScreen
from moneytrail.ui.screens.help import HelpScreen
from moneytrail.ui.screens.main import MainScreen
from tests.factories import make_dataset
from tests.ui.helpers import grid_column, screen, settle, static_text


def make_app(ds: Dataset) -> MoneytrailApp:
    return MoneytrailApp(ds, persist_settings=False)


async def test_opens_on_donors_biggest_first(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        names = grid_column(app, "name")
        assert names[0] == "BIGGS, MONTGOMERY"
        assert grid_column(app, "total_cents")[0] == "$1,400,000.00"
        header = static_text(app, "#header")
        assert "story" in header and "no filters" in header and "5 rows" in header
        assert static_text(app, "#crumbs") == "Donors"


async def test_drill_donor_pac_race_and_back(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the top donor
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert static_text(app, "#crumbs") == "Donors › BIGGS, MONTGOMERY"
        assert grid_column(app, "name") == ["NATIONAL SAFETY FUND", "FLORIDA SAFETY PAC"]
        await pilot.press("j", "enter")  # into the state PAC
        await settle(pilot)
        assert static_text(app, "#crumbs").endswith("› FLORIDA SAFETY PAC")
        assert grid_column(app, "name")[0] == "NATIONAL SAFETY FUND"  # top donors: the 527
        await pilot.press("3")  # independent spending
        await settle(pilot)
        assert "AYALA, ARAMIS" in grid_column(app, "candidate_name")
        await pilot.press("enter")  # the candidate the spending names
        await settle(pilot)
        crumbs = static_text(app, "#crumbs")
        assert crumbs.startswith("Donors › BIGGS, MONTGOMERY › FLORIDA SAFETY PAC › ")
        assert len(app.screen_stack) == 5
        for key in ("escape", "q", "backspace"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert static_text(app, "#crumbs") == "Donors"


async def test_races_pane_into_race_and_candidate(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert static_text(app, "#crumbs") == "Races"
        assert grid_column(app, "name") == ["State Attorney 9th Circuit 2016"]
        await pilot.press("enter")
        await settle(pilot)
        assert static_text(app, "#crumbs") == "Races › State Attorney 9th Circuit 2016"
        candidates = grid_column(app, "name")
        assert set(candidates) == {"AYALA, ARAMIS", "ASHTON, JEFF"}
        await pilot.press("enter")
        await settle(pilot)
        assert static_text(app, "#crumbs").endswith(f"› {candidates[0]}")


async def test_tab_cycles_panes(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        assert static_text(app, "#crumbs") == "PACs"
        assert "FLORIDA SAFETY PAC" in grid_column(app, "name")
        await pilot.press("shift+tab", "shift+tab")
        await settle(pilot)
        assert static_text(app, "#crumbs") == "Races"


async def test_search_filters_whole_words_and_n_jumps(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ROE")
        await settle(pilot)
        assert grid_column(app, "name") == ["ROE, RICHARD"]
        assert "1 row matching “ROE”" in static_text(app, "#header")
        await pilot.press("backspace")  # "RO" is not a whole word of any name
        await settle(pilot)
        assert "No rows contain the word" in static_text(app, "#grid .empty")
        await pilot.press("escape")
        await pilot.press("slash", "ctrl+u")  # clear the field
        await pilot.press(*"FL", "enter")
        await settle(pilot)
        assert grid_column(app, "name") == ["ROE, RICHARD", "DOE, JANE", "POE, ED"]
        table = screen(app).grid.table
        assert table is not None
        await pilot.press("n")
        assert table.cursor_row == 1
        await pilot.press("N")
        assert table.cursor_row == 0


async def test_sort_by_cursor_column_and_reverse(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")  # cursor on Name: ascending
        await settle(pilot)
        assert grid_column(app, "name")[0] == "BIGGS, MONTGOMERY"
        assert grid_column(app, "name")[-1] == "ROE, RICHARD"
        await pilot.press("s")
        await settle(pilot)
        assert grid_column(app, "name")[0] == "ROE, RICHARD"
        await pilot.press("l", "l", "s")  # Total: biggest first, then smallest first
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert grid_column(app, "total_cents")[0] == "$75.00"


async def test_filters_form_applies_and_F_clears(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.click("#states")
        await pilot.press(*"fl", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "state FL" in static_text(app, "#header")
        assert grid_column(app, "name") == ["ROE, RICHARD", "DOE, JANE", "POE, ED"]
        await pilot.press("enter")  # filters stay on through a drill
        await settle(pilot)
        assert "state FL" in static_text(app, "#header")
        await pilot.press("escape", "F")
        await settle(pilot)
        assert "no filters" in static_text(app, "#header")
        assert len(grid_column(app, "name")) == 5


async def test_filter_form_reports_bad_input(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"2016-13-01", "enter")
        await pilot.pause()
        assert "from: not a date" in static_text(app, "#filter-error")
        await pilot.press("escape")
        await settle(pilot)
        assert "no filters" in static_text(app, "#header")


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json", ".md"])
async def test_export_writes_the_view(story: Dataset, tmp_path: Path, suffix: str) -> None:
    app = make_app(story)
    target = tmp_path / f"donors{suffix}"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+u")  # Input: delete to the start of the line
        await pilot.press(*str(target), "enter")
        await settle(pilot)
    assert target.exists()
    if suffix == ".csv":
        frame = pl.read_csv(target, schema_overrides={"total": pl.String})
        assert frame.height == 5 and frame["total"][0] == "1400000.00"
    elif suffix == ".md":
        assert "| BIGGS, MONTGOMERY |" in target.read_text(encoding="utf-8")


async def test_export_dialog_submitted_twice_exports_once_and_keeps_the_view(
    story: Dataset, tmp_path: Path
) -> None:
    """Two Enters queued before the dialog closes (a fast typist, a slow link)."""
    from textual.widgets import Input

    from moneytrail.ui.screens.export import ExportScreen

    app = make_app(story)
    target = tmp_path / "donor.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the top donor's detail
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        box = dialog.query_one("#export-path", Input)
        box.value = str(target)
        box.post_message(Input.Submitted(box, str(target)))
        box.post_message(Input.Submitted(box, str(target)))
        await settle(pilot)
        assert app.screen is detail
        assert target.exists()


async def test_a_failing_sort_is_reported_and_the_grid_stays(
    story: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moneytrail.present.table import TableModel

    def broken(self: TableModel, column: str) -> TableModel:
        raise RuntimeError("disk went away\nsecond line")

    app = make_app(story)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        before = grid_column(app, "name")
        monkeypatch.setattr(TableModel, "sorted_by", broken)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert grid_column(app, "name") == before
        messages = [n.message for n in app._notifications]
        assert "Could not sort or search: disk went away" in messages
        assert "loading" not in static_text(app, "#header")


async def test_help_opens_and_closes(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_stats_panel_narrow_toggle_and_wide_side(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not screen(app).stats_visible
        await pilot.press("i")
        await settle(pilot)
        text = static_text(app, "#stats-text")
        assert "BIGGS, MONTGOMERY" in text and "$1,400,000.00" in text and "Gift size" in text
        await pilot.press("i")
        assert not screen(app).stats_visible
    app = make_app(story)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert screen(app).stats_visible
        await pilot.press("j")
        await settle(pilot)
        assert "NATIONAL SAFETY FUND" in static_text(app, "#stats-text")


async def test_copy_row_uses_clipboard(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        assert app.clipboard.startswith("Name: BIGGS, MONTGOMERY\t")
        await pilot.press("l", "l", "Y")
        assert app.clipboard == "$1,400,000.00"


async def test_empty_dataset_explains_itself() -> None:
    app = make_app(make_dataset(name="empty"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "no contributions" in static_text(app, "#grid .empty")
        await pilot.press("3")
        await settle(pilot)
        assert "no races" in static_text(app, "#grid .empty")


async def test_palette_jumps_to_a_committee(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # deep in a trail: Donors › BIGGS, MONTGOMERY
        await settle(pilot)
        assert static_text(app, "#crumbs") == "Donors › BIGGS, MONTGOMERY"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"FLORIDA SAFETY")
        await settle(pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        # A jump starts a new trail instead of appending to the one it was made from.
        assert static_text(app, "#crumbs") == "FLORIDA SAFETY PAC"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_t_opens_the_flow_view_and_enter_drills_on(story: Dataset) -> None:
    from moneytrail.ui.screens.flow import FlowScreen

    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # PACs: the state PAC is first by receipts
        await settle(pilot)
        assert grid_column(app, "name")[0] == "FLORIDA SAFETY PAC"
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, FlowScreen)
        assert app.screen.entity_id == "CPAC"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_dataset_opens_in_app_with_progress_and_bad_path_exits(tmp_path: Path) -> None:
    app = MoneytrailApp(path=tmp_path / "missing", persist_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 1
    assert app.load_error is not None and "missing" in app.load_error
