"""The flow view on its own, in a minimal app driven by Pilot."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App
from textual.widgets import Static, Tree

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.ui.screens.flow import FlowJump, FlowScreen
from tests.snapshots.sample_app import hostile_dataset


class FlowApp(App[None]):
    """Pushes one FlowScreen and records what it was dismissed with."""

    def __init__(self, screen: FlowScreen) -> None:
        super().__init__()
        self.flow = screen
        self.dismissed: list[FlowJump | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.flow, self.dismissed.append)


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def labels(node: Any) -> list[str]:
    return [str(child.label) for child in node.children]


def static(screen: FlowScreen, selector: str) -> str:
    rendered = screen.query_one(selector, Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


async def test_committee_flow_shows_sources_level_by_level(story: Dataset) -> None:
    # The PAC's $1.3M: $900k from the 527 (itself all BIGGS) and $400k from BIGGS directly.
    screen = FlowScreen(story, Filters(), "committee", "CPAC", "FLORIDA SAFETY PAC")
    app = FlowApp(screen)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        assert screen.result is not None
        assert [(e.name, e.amount_cents) for e in screen.result.sources] == [
            ("BIGGS, MONTGOMERY", 1_300_000_00)
        ]
        tree = screen.query_one("#flow-tree", Tree)
        # Figures first, aligned to the root's amount: a narrow screen cuts names, never money.
        assert str(tree.root.label).startswith("$1,300,000.00  FLORIDA SAFETY PAC")
        assert labels(tree.root) == [
            "  $900,000.00   69.2%  NATIONAL SAFETY FUND",
            "  $400,000.00   30.8%  BIGGS, MONTGOMERY",
        ]
        fund = tree.root.children[0]
        assert fund.is_expanded
        assert labels(fund) == ["  $900,000.00   69.2%  BIGGS, MONTGOMERY"]
        assert "1 ultimate source ·" in static(screen, "#flow-status")


async def test_race_flow_has_context_line(story: Dataset) -> None:
    screen = FlowScreen(story, Filters(), "race", "R1", "State Attorney")
    app = FlowApp(screen)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        context = static(screen, "#flow-context")
        # $1.2M of IEs from the NY donor out of $1,201,275 into the FL race.
        assert "ultimate sources outside FL: 99.9%" in context
        assert "largest source BIGGS, MONTGOMERY: 99.9% ($1,200,000.00)" in context
        assert "filtered" not in context


async def test_filtered_flow_says_so_in_its_header(story: Dataset) -> None:
    ny = Filters(states=frozenset({"NY"}))
    screen = FlowScreen(story, ny, "race", "R1", "State Attorney")
    app = FlowApp(screen)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        context = static(screen, "#flow-context")
        assert context.startswith("filtered: donor state NY · 99.9% of the total shown")


async def test_enter_jumps_to_the_entity(story: Dataset) -> None:
    screen = FlowScreen(story, Filters(), "committee", "CPAC", "FLORIDA SAFETY PAC")
    app = FlowApp(screen)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        tree = screen.query_one("#flow-tree", Tree)
        tree.focus()
        tree.move_cursor(tree.root.children[0])
        await pilot.press("enter")
        await pilot.pause()
        assert app.dismissed == [FlowJump("committee", "C527", "NATIONAL SAFETY FUND")]


async def test_space_collapses_and_keys_expand_all(story: Dataset) -> None:
    screen = FlowScreen(story, Filters(), "committee", "CPAC", "FLORIDA SAFETY PAC")
    app = FlowApp(screen)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        tree = screen.query_one("#flow-tree", Tree)
        fund = tree.root.children[0]
        tree.move_cursor(fund)
        await pilot.press("space")
        assert not fund.is_expanded
        await pilot.press("x")
        assert fund.is_expanded
        await pilot.press("c")
        assert not fund.is_expanded and tree.root.is_expanded


async def test_donor_flow_goes_forward(story: Dataset) -> None:
    screen = FlowScreen(story, Filters(), "donor", "I|BIGGS, MONTGOMERY|10001")
    app = FlowApp(screen)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert screen.result is not None and screen.result.direction == "destinations"
        title = static(screen, "#flow-title")
        assert title == "Where the money went: BIGGS, MONTGOMERY"
        dests = {e.name: e.amount_cents for e in screen.result.destinations}
        assert dests["Supporting AYALA, ARAMIS (State Attorney 9th Circuit 2016)"] == 700_000_00
        assert dests["Opposing ASHTON, JEFF (State Attorney 9th Circuit 2016)"] == 500_000_00


async def test_stale_results_are_dropped(story: Dataset) -> None:
    screen = FlowScreen(story, Filters(), "committee", "CPAC", "FLORIDA SAFETY PAC")
    app = FlowApp(screen)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        shown = screen.result
        screen.post_message(FlowScreen.TraceDone(screen.request_id - 1, "committee", None, "old"))
        await pilot.pause()
        assert screen.result is shown
        assert "Could not trace" not in static(screen, "#flow-status")


async def test_hostile_names_are_shown_literally() -> None:
    screen = FlowScreen(hostile_dataset(), Filters(), "committee", "H0", "[b]PAC[/b] \x1b[2J")
    app = FlowApp(screen)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        tree = screen.query_one("#flow-tree", Tree)
        shown = "\n".join(labels(tree.root))
        assert "[red]x[/red]" in shown and "ESC␛[31mRED␛[0m" in shown
        assert "\x1b" not in shown
        assert static(screen, "#flow-title").endswith("[b]PAC[/b] ␛[2J")


async def test_unknown_entity_reports_the_error(story: Dataset) -> None:
    screen = FlowScreen(story, Filters(), "committee", "NOPE", "Nope")
    app = FlowApp(screen)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        assert screen.result is None
        assert static(screen, "#flow-status").startswith("Could not trace:")


async def test_t_in_the_explorer_opens_the_flow_and_enter_drills(story: Dataset) -> None:
    from moneytrail.ui.app import MoneytrailApp
    from moneytrail.ui.screens.detail import DetailScreen

    app = MoneytrailApp(story, persist_settings=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # the PACs pane
        await settle(pilot)
        await pilot.press("t")  # trace the highlighted (largest) committee
        await settle(pilot)
        flow = app.screen
        assert isinstance(flow, FlowScreen) and flow.result is not None
        assert flow.result.sources[0].name == "BIGGS, MONTGOMERY"
        tree = flow.query_one("#flow-tree", Tree)
        tree.move_cursor(tree.root.children[0])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)


async def test_a_candidate_traces_their_race(story: Dataset) -> None:
    screen = FlowScreen(story, Filters(), "candidate", "K1", "AYALA, ARAMIS")
    app = FlowApp(screen)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert screen.result is not None and screen.result.entity == "race"
        assert screen.result.entity_id == "R1"
        assert "traced the candidate's race" in static(screen, "#flow-status")
