"""The links view: the names linked across filing systems, confirmed or broken by keys.

The dataset is a copy of the bundled sample, the story written in the real filings' layouts:
the 527's IRS Schedule B payments name the state PACs, the Florida PAC's export names the 527,
and the data layer links them. Breaking a link here must save the decision beside the data,
reopen it, and make the Florida PAC's trace stop crossing into the IRS filing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable

from moneytrail.data.open import open_dataset
from moneytrail.data.sources.links import DECISIONS_FILE, load_decisions
from moneytrail.paths import sample_dataset_path
from moneytrail.query.filters import Filters
from moneytrail.query.trace import trace_committee
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.detail import DetailScreen
from moneytrail.ui.screens.links import LinksScreen
from moneytrail.ui.views import EntityView
from tests.ui.helpers import settle, static_text

FL_PAC = "fl:Florida Safety and Justice (PAC)"


@pytest.fixture
def filings(tmp_path: Path) -> Path:
    out = tmp_path / "filings"
    shutil.copytree(sample_dataset_path(), out)
    return out


def _app(folder: Path) -> MoneytrailApp:
    return MoneytrailApp(open_dataset(folder, cache=False), path=folder, persist_settings=False)


def _links(app: MoneytrailApp) -> LinksScreen:
    screen = app.screen
    assert isinstance(screen, LinksScreen), screen
    return screen


async def _open_from_palette(pilot, app: MoneytrailApp) -> LinksScreen:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await settle(pilot)
    for key in "Links":
        await pilot.press(key)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return _links(app)


async def test_the_palette_lists_every_link_with_its_reason(filings: Path) -> None:
    app = _app(filings)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = await _open_from_palette(pilot, app)
        pairs = {(link.name, link.state, link.committee_key) for link in screen.links}
        # The Florida PAC's receipts name the 527; the 527's payments name the state PACs.
        assert ("SAFETY AND JUSTICE", "DC", "irs:990000527") in pairs
        assert ("FLORIDA SAFETY AND JUSTICE", "FL", FL_PAC) in pairs
        assert ("TEXAS SAFETY AND JUSTICE", "TX", "SJ-TX") in pairs  # a tables committee
        assert all(link.status == "auto" for link in screen.links)
        assert all(link.reason.startswith("same name") for link in screen.links)
        table = screen.query_one(DataTable)
        assert table.row_count == len(screen.links)
        assert "linked" in static_text(app, "#links-status")


async def test_breaking_a_link_saves_it_reloads_and_the_trace_follows(filings: Path) -> None:
    before = trace_committee(open_dataset(filings, cache=False), Filters(), FL_PAC)
    via_527 = [e for e in before.entries if e.kind == "committee"]
    assert not via_527  # the 527's share is traced through to the donor
    app = _app(filings)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = await _open_from_palette(pilot, app)
        row = next(i for i, link in enumerate(screen.links) if link.name == "SAFETY AND JUSTICE")
        screen.query_one(DataTable).move_cursor(row=row)
        await pilot.press("b")
        await settle(pilot)
        decisions = load_decisions(filings)
        assert [(d.name, d.state, d.committee_id, d.decision) for d in decisions] == [
            ("SAFETY AND JUSTICE", "DC", "990000527", "break")
        ]
        broken = [link for link in screen.links if link.status == "broken"]
        assert [(link.name, link.committee_key) for link in broken] == [
            ("SAFETY AND JUSTICE", "irs:990000527")
        ]
        # The app now holds the reopened dataset: the PAC's receipts from the 527 come from an
        # organization named "SAFETY AND JUSTICE" again, so its trace stops at that name
        # instead of reaching the donor through the IRS file.
        after = trace_committee(app.dataset, Filters(), FL_PAC)
        assert after.total_cents != before.total_cents
        stops = [e for e in after.entries if e.name.upper() == "SAFETY AND JUSTICE"]
        assert len(stops) == 1 and stops[0].kind != "committee"
        assert stops[0].amount_cents > 0
        # Confirming it again undoes the break: back to the original trace.
        row = next(i for i, link in enumerate(screen.links) if link.status == "broken")
        screen.query_one(DataTable).move_cursor(row=row)
        await pilot.press("c")
        await settle(pilot)
        assert [d.decision for d in load_decisions(filings)] == ["confirm"]
        again = trace_committee(app.dataset, Filters(), FL_PAC)
        assert sorted((e.name, e.amount_cents) for e in again.entries) == sorted(
            (e.name, e.amount_cents) for e in before.entries
        )
        assert {link.status for link in screen.links if link.name == "SAFETY AND JUSTICE"} == {
            "confirmed"
        }
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, LinksScreen)


async def test_a_committee_detail_opens_its_own_links_with_shift_l(filings: Path) -> None:
    app = _app(filings)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.open_view(EntityView("committee", FL_PAC, "Florida Safety and Justice"), None)
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        # The committee's id as its filing writes it, with the filing system.
        identity = static_text(app, "#identity")
        assert "committee id: Florida Safety and Justice (PAC) (fl)" in identity
        await pilot.press("L")
        await settle(pilot)
        screen = _links(app)
        assert screen.links and {link.committee_key for link in screen.links} == {FL_PAC}
        # Enter opens the linked committee's detail.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.view.id == FL_PAC


async def test_a_dataset_without_links_says_so(story, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = MoneytrailApp(story, persist_settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_links()
        await settle(pilot)
        screen = _links(app)
        assert screen.links == []
        assert "No names are linked" in static_text(app, "#links-status")
        await pilot.press("b")
        await settle(pilot)
        assert not (Path(story.source) / DECISIONS_FILE).exists()


async def test_the_bundled_sample_is_never_written_to(tmp_path: Path) -> None:
    app = MoneytrailApp(open_dataset(cache=False), persist_settings=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.action_links()
        await settle(pilot)
        screen = _links(app)
        assert screen.links
        await pilot.press("b")
        await settle(pilot)
        assert not (sample_dataset_path() / DECISIONS_FILE).exists()
        assert all(link.status == "auto" for link in screen.links)
        assert any("read-only" in str(n.message) for n in app._notifications)
