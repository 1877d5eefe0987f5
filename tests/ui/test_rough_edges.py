"""Pilot tests for what using the real program at 80x24 turned up (issue 12, section 2).

Keys in, screen state out: the same moves in every view, `/` and Esc, the sort in the header,
leaving an entity opened from a trace, palette trails, flow labels at 80 columns, the race
context line, the statistics panel after a resize, names in the Rows tab.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
from textual.widgets import Input, Static, Tree
from textual.widgets._footer import FooterKey

from moneytrail.data.dataset import Dataset
from moneytrail.present.money import format_money
from moneytrail.query.filters import Filters
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.detail import DetailScreen
from moneytrail.ui.screens.explorer import StatsPanel
from moneytrail.ui.screens.export import ExportScreen
from moneytrail.ui.screens.flow import FlowScreen
from moneytrail.ui.screens.main import MainScreen
from moneytrail.ui.widgets.grid import ResultGrid
from tests.ui.helpers import grid_column, screen, settle, static_text


def make_app(ds: Dataset) -> MoneytrailApp:
    return MoneytrailApp(ds, persist_settings=False)


def footer_keys(app: MoneytrailApp) -> dict[str, int]:
    """Footer description -> the column its key ends at (what is on screen, not just bound)."""
    return {key.description: key.region.right for key in app.screen.query(FooterKey)}


async def open_flow_of_the_pac(app: MoneytrailApp, pilot: object) -> FlowScreen:
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("2", "t")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    flow = app.screen
    assert isinstance(flow, FlowScreen) and flow.result is not None
    return flow


async def test_footer_shows_trace_and_export_wherever_they_work(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for where in ("panes", "detail"):
            keys = footer_keys(app)
            for needed in ("Open", "Back", "Find", "Sort", "Trace", "Export", "Quit", "Help"):
                assert needed in keys and keys[needed] <= 80, (where, needed, keys)
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        keys = footer_keys(app)
        assert {"Export", "Expand all", "Collapse all"} <= set(keys) and max(keys.values()) <= 80


async def test_flow_view_moves_with_the_grid_keys(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 12)) as pilot:
        flow = await open_flow_of_the_pac(app, pilot)
        tree = flow.query_one("#flow-tree", Tree)
        await pilot.press("x")  # expand every node (e exports now)
        last = tree.last_line
        assert last >= 3
        await pilot.press("j")
        assert tree.cursor_line == 1
        await pilot.press("down", "k")
        assert tree.cursor_line == 1
        await pilot.press("G")
        assert tree.cursor_line == last
        await pilot.press("g")
        assert tree.cursor_line == 0
        await pilot.press("end")
        assert tree.cursor_line == last
        await pilot.press("home", "pagedown")
        assert tree.cursor_line > 0
        await pilot.press("pageup")
        assert tree.cursor_line == 0


async def test_e_in_the_flow_view_exports_the_tree(story: Dataset, tmp_path: Path) -> None:
    target = tmp_path / "trace.csv"
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        flow = await open_flow_of_the_pac(app, pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is flow
    frame = pl.read_csv(target)
    assert frame.columns == [
        "depth",
        "path",
        "kind",
        "id",
        "name",
        "amount",
        "share",
        "note",
    ]
    # Depth first, as the tree shows it; the root is the PAC's $1.3M.
    assert frame.row(0)[:6] == (
        0,
        "FLORIDA SAFETY PAC",
        "committee",
        "CPAC",
        "FLORIDA SAFETY PAC",
        1_300_000.0,  # dollars, as every export writes money
    )
    assert frame.get_column("path").to_list()[1:3] == [
        "FLORIDA SAFETY PAC › NATIONAL SAFETY FUND",
        "FLORIDA SAFETY PAC › NATIONAL SAFETY FUND › BIGGS, MONTGOMERY",
    ]


async def test_stats_panel_scrolls_at_80x24(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        panel = app.screen.query_one("#stats", StatsPanel)
        assert app.screen.focused is panel
        assert panel.max_scroll_y > 0  # BIGGS's statistics are taller than the screen
        await pilot.press("j")
        await pilot.pause()
        assert panel.scroll_y == 1
        await pilot.press("G")
        await pilot.pause()
        assert panel.scroll_y == panel.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert panel.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert panel.scroll_y > 1
        await pilot.press("home")
        await pilot.pause()
        assert panel.scroll_y == 0
        await pilot.press("escape")  # closes the panel, back to the grid
        assert not screen(app).stats_visible


async def test_stats_panel_is_drawn_when_a_resize_shows_it(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(130, 40)
        await settle(pilot)
        assert screen(app).stats_visible
        assert "BIGGS, MONTGOMERY" in static_text(app, "#stats-text")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.resize_terminal(125, 30)
        await settle(pilot)
        assert "BIGGS, MONTGOMERY" in static_text(app, "#stats-text")


async def test_slash_then_esc_clears_the_search_and_the_header_keeps_filters(
    story: Dataset,
) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.set_filters(Filters(states=("FL",)))
        await settle(pilot)
        await pilot.press("slash", *"ROE", "enter")
        await settle(pilot)
        assert grid_column(app, "name") == ["ROE, RICHARD"]
        first, second = static_text(app, "#header").rstrip().split("\n")
        # At 80 columns the whole filter status takes the header's second line; the word stays.
        assert first.rstrip() == "story │ 1 row matching “ROE”", first
        assert second.startswith("filtered: donor state FL · "), second
        # The empty result's own advice: "Press / and Esc to clear it".
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert len(grid_column(app, "name")) == 3
        assert "matching" not in static_text(app, "#header")
        assert "filtered: donor state FL" in static_text(app, "#header")
        assert not app.screen.query_one("#search", Input).display


async def test_a_crowded_header_shortens_its_words_to_keep_the_filters(story: Dataset) -> None:
    sample = dataclasses.replace(story, name="safety-and-justice", synthetic=True)
    app = make_app(sample)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert static_text(app, "#header").startswith(
            "safety-and-justice (synthetic sample, illustrative) │ 5 rows │ no filters"
        )
        app.set_filters(Filters(states=("FL",)))
        await pilot.press("slash", *"ROE", "enter", "s")
        await settle(pilot)
        first, second = static_text(app, "#header").rstrip().split("\n")
        # Too wide for 80 columns: the note shortens, the word and sort stay on the first line
        # and the whole filter status is readable on the second.
        assert first.rstrip() == "safety-and-justice (synthetic) │ 1 row matching “ROE” by Name ↑"
        assert second.startswith("filtered: donor state FL · "), second
        assert second.endswith("% of the total shown"), second


async def test_sort_is_shown_in_the_header_and_keeps_its_column_in_view(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = screen(app).grid
        assert grid.model is not None
        names = [spec.name for spec in grid.model.columns]
        await pilot.press(*["l"] * names.index("total_cents"), "s")
        await settle(pilot)
        assert "rows by Total ↓" in static_text(app, "#header")
        assert grid.table is not None and "↓ Total" in str(grid.table.ordered_columns[2].label)
        await pilot.press("s")
        await settle(pilot)
        assert "rows by Total ↑" in static_text(app, "#header")
        # A header click sorts another column: the cursor goes there, so it is in view.
        grid.post_message(ResultGrid.SortRequested(grid, "recipients"))
        await settle(pilot)
        assert grid.cursor_column == names.index("recipients")
        assert "by Recipients ↓" in static_text(app, "#header")
        # Another pane is in its own order; coming back, the sort is still shown.
        await pilot.press("2")
        await settle(pilot)
        assert " by " not in static_text(app, "#header")
        # Sorting the PACs' last column (off screen at 80 columns) scrolls it into view.
        pacs = screen(app).grid
        assert pacs.model is not None and pacs.table is not None
        last = pacs.model.columns[-1]
        assert pacs.table.virtual_size.width > 80
        pacs.post_message(ResultGrid.SortRequested(pacs, last.name))
        await settle(pilot)
        table = pacs.table
        assert table is not None and table.scroll_x > 0
        assert table.cursor_column == len(pacs.model.columns) - 1
        assert table.scroll_x + table.size.width >= table.virtual_size.width - 2
        await pilot.press("1")
        await settle(pilot)
        assert "by Recipients ↓" in static_text(app, "#header")


async def test_esc_from_an_entity_opened_in_a_trace_returns_to_the_tree(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        flow = await open_flow_of_the_pac(app, pilot)
        tree = flow.query_one("#flow-tree", Tree)
        fund = tree.root.children[0]
        fund.collapse()  # the user's own expansions must survive the round trip
        await pilot.pause()
        tree.move_cursor(fund)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert static_text(app, "#crumbs").endswith("FLORIDA SAFETY PAC › NATIONAL SAFETY FUND")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is flow
        assert tree.cursor_node is fund and not fund.is_expanded


async def test_flow_labels_at_80_columns_keep_every_amount(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3", "t", "x")  # the race: candidates' committees and outside money
        await settle(pilot)
        flow = app.screen
        assert isinstance(flow, FlowScreen) and flow.result is not None
        tree = flow.query_one("#flow-tree", Tree)
        lines = [tree.render_line(y).text for y in range(tree.size.height)]
        shown = "\n".join(lines)
        for node in _nodes(flow.result.tree):
            assert format_money(node.amount_cents) in shown, node.name
        # Independent expenditures say for or against whom, before the payer's name.
        pac = next(line for line in lines if "FLORIDA SAFETY PAC" in line)
        assert pac.index("IE supporting AYALA, ARAMIS") < pac.index("FLORIDA SAFETY PAC")


async def test_race_detail_header_has_the_context_line(story: Dataset) -> None:
    races = story.races.with_columns(median_household_income=pl.lit(50_000, pl.Int64))
    app = make_app(dataclasses.replace(story, races=races))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        context = app.screen.query_one("#context", Static)
        assert context.display
        text = str(context.render())
        # $1.2M of the PAC's IEs trace back to BIGGS: 24× a $50,000 median household income.
        assert "ultimate sources outside FL: 99.9%" in text
        assert "largest source BIGGS, MONTGOMERY: 99.9% ($1,200,000.00), 24.0×" in text
        await pilot.press("escape", "2", "enter")  # a committee has no context line
        await settle(pilot)
        assert not app.screen.query_one("#context", Static).display


async def test_rows_tab_names_committees_and_spending_is_not_gifts(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "2")  # BIGGS › Rows
        await settle(pilot)
        model = screen(app).grid.model
        assert model is not None
        labels = [spec.label for spec in model.columns]
        assert labels.index("Recipient name") + 1 == labels.index("Recipient committee id")
        assert grid_column(app, "recipient_name") == ["NATIONAL SAFETY FUND", "FLORIDA SAFETY PAC"]
        await pilot.press("escape", "2", "enter", "3")  # the PAC › Ind. spending
        await settle(pilot)
        model = screen(app).grid.model
        assert model is not None
        assert model.label_of("count") == "Rows"  # a count of ads, not of gifts
        assert "Gifts" not in [spec.label for spec in model.columns]


async def test_keys_typed_right_behind_slash_go_into_the_search_box(story: Dataset) -> None:
    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = screen(app).grid
        assert grid.table is not None
        # Queued for the grid before the box could take focus (a burst, as over SSH).
        for key, char in (("slash", "/"), ("R", "R"), ("O", "O"), ("E", "E")):
            grid.table.post_message(_key(key, char))
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "ROE"
        assert grid_column(app, "name") == ["ROE, RICHARD"]
        assert isinstance(app.screen, MainScreen)


def _key(key: str, character: str) -> object:
    from textual import events

    return events.Key(key, character)


def _nodes(node: object) -> list:  # type: ignore[type-arg]
    children = getattr(node, "children", ())
    return [node, *(n for child in children for n in _nodes(child))]
