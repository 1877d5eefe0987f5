"""Terminal safety in the explorer: no byte from data drives the terminal, markup stays literal.

Contract under test: every hostile string of `tests.robust.hostile` (markup, ESC/OSC/CSI
sequences, C0/C1 controls, bidi, zero-width, separators, wide and combining characters), put in
every field of a dataset read from disk, is shown literally with controls as visible stand-ins
on every surface of the explorer: the three panes and their statistics panel, every tab of the
detail of every committee, race, candidate and donor, the flow (trace) view, the command
palette's hits, and notifications (load warnings, "export done" naming a hostile path). The
dataset's folder name is hostile too, so the header and title carry it.

How the screen is inspected: after each step the test renders the whole screen the way Textual
writes it to a real terminal (`Compositor.render_update(full=True).render_segments`, the string
`App._display` sends to the driver) and checks (1) every text segment for any character
`data.textsafe` calls unsafe (ESC, C0, DEL, C1, bidi, zero-width, separators), and (2) the
terminal stream itself, after removing only the sequences Textual emits (SGR colours, cursor
moves, OSC 8 links), for any ESC, C0 or C1 left. It also checks that the visible form of each
hostile string is on screen, which proves the surface showed the data (not a placeholder) and
that markup such as `[red]x[/red]` was not parsed. A self-test shows the scanner catches a raw
ESC that a widget lets through, so the checks can fail.

Figures recorded (tests/robust/figures.py): screens scanned, hostile strings x surfaces seen,
escape bytes leaked (0 when the suite passes).
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult
from textual.command import CommandInput, CommandPalette
from textual.widgets import Input, Static
from textual.widgets._toast import Toast

from moneytrail.data.dataset import Dataset
from moneytrail.data.open import open_dataset
from moneytrail.data.textsafe import UNSAFE_CODEPOINTS, safe_str
from moneytrail.settings import Settings
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.detail import DetailScreen
from moneytrail.ui.screens.explorer import ExplorerScreen
from moneytrail.ui.screens.export import ExportScreen
from moneytrail.ui.screens.flow import FlowScreen
from moneytrail.ui.screens.main import MainScreen
from tests.robust.figures import record
from tests.robust.hostile import FORBIDDEN_CODEPOINTS, HOSTILE_STRINGS, write_hostile_tables
from tests.snapshots.sample_app import HOSTILE_NAMES, hostile_dataset
from tests.ui.helpers import settle

SIZE = (160, 46)
#: Screens that need not show 38 rows at once render faster smaller.
SMALL = (110, 30)
#: The dataset's folder name: shown in the header, the title and notifications.
HOSTILE_FOLDER = "data\x1b]0;pwned\x07[red]x[bold]y\u202e"  # no "/": it is one folder
#: What Textual itself writes between text: SGR styles, cursor moves, OSC 8 hyperlinks.
_TEXTUAL_SEQUENCES = re.compile(r"\x1b\[[0-9;:]*m|\x1b\[\d+;\d+H|\x1b\]8;[^\x1b\x07]*\x1b\\")
#: Code points that must never reach the terminal from data: everything `textsafe` replaces.
_SEGMENT_FORBIDDEN = frozenset(UNSAFE_CODEPOINTS)


@dataclass
class Scan:
    """One screen as a terminal would receive it, and what was wrong with it."""

    lines: list[str]
    leaks: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def scan_screen(app: App[object]) -> Scan:
    """Render the whole current screen as Textual writes it to a terminal and check it."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    lines: list[str] = []
    leaks: list[str] = []
    for row in update.strips:  # type: ignore[attr-defined]
        parts: list[str] = []
        for strip in row:
            for segment in strip:
                if segment.control:
                    continue
                bad = {c for c in segment.text if ord(c) in _SEGMENT_FORBIDDEN}
                if bad:
                    leaks.append(f"segment {segment.text!r} holds {sorted(bad)!r}")
                parts.append(segment.text)
        lines.append("".join(parts))
    stream = update.render_segments(console)  # type: ignore[attr-defined]
    rest = _TEXTUAL_SEQUENCES.sub("", stream).replace("\n", "")
    stray = sorted({c for c in rest if ord(c) in FORBIDDEN_CODEPOINTS or c == "\x1b"})
    if stray:
        leaks.append(f"terminal stream holds {stray!r}")
    return Scan(lines, leaks)


def visible(value: str, length: int = 29) -> str:
    """The start of `value` as the screen must show it (stand-ins, never parsed markup).

    29 characters: a grid text column is at most 30 cells, and a longer value is clipped to
    29 and `…`, so this is the whole value whenever it fits.
    """
    return safe_str(value)[:length]


class Tally:
    """Scans made in one test, and the hostile strings each surface was seen to show."""

    def __init__(self, app: MoneytrailApp) -> None:
        self.app = app
        self.screens = 0
        self.seen: set[tuple[str, str]] = set()

    def check(self, surface: str, expected: dict[str, str] | None = None) -> Scan:
        """Scan the screen; no leak allowed; each `expected` (string -> shown form) on it."""
        scan = scan_screen(self.app)
        self.screens += 1
        record("terminal safety: screens scanned")
        record("terminal safety: escape bytes leaked", len(scan.leaks))
        assert not scan.leaks, f"{surface}: {scan.leaks[:3]}"
        text = scan.text
        for hostile, shown in (expected or {}).items():
            assert shown in text, f"{surface}: {shown!r} (from {hostile!r}) is not on screen"
            self.seen.add((surface, hostile))
        return scan

    def report(self) -> None:
        record("terminal safety: hostile strings x surfaces seen", len(self.seen))


@pytest.fixture
def hostile_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    """The hostile tables read from a hostile folder name, with hostile load warnings."""
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    folder = write_hostile_tables(tmp_path / HOSTILE_FOLDER)
    ds = open_dataset(folder, cache=False)
    assert ds.report.rows_rejected == 0
    # Held in memory once read: every query would otherwise parse and check the CSVs again.
    ds = dataclasses.replace(
        ds,
        transactions=ds.transactions.collect().lazy(),
        committees=ds.committees.collect().lazy(),
        candidates=ds.candidates.collect().lazy(),
        races=ds.races.collect().lazy(),
        aggregates={k: v.collect().lazy() for k, v in ds.aggregates.items()},
    )
    warnings = tuple(f"W{i} {s}" for i, s in enumerate(HOSTILE_STRINGS))
    return dataclasses.replace(ds, report=dataclasses.replace(ds.report, warnings=warnings))


def _app(ds: Dataset) -> MoneytrailApp:
    return MoneytrailApp(ds, settings=Settings(), persist_settings=False)


def _pane_rows(screen: ExplorerScreen) -> int:
    model = screen.grid.model
    return model.row_count if model is not None else 0


def _by_index(prefix: str) -> Iterator[tuple[int, str, str]]:
    for i, s in enumerate(HOSTILE_STRINGS):
        yield i, s, visible(f"{prefix}{s}")


async def test_checker_catches_a_raw_escape() -> None:
    """The scanner is not vacuous: a widget showing a raw ESC/C1/bidi string is caught."""

    class Leaky(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(Text("plain \x1b[2J then \x9b and \u202e"), id="leak")
            yield Static(Text(safe_str("plain \x1b[2J then \x9b and \u202e")), id="safe")

    app = Leaky()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        scan = scan_screen(app)
        assert any("segment" in leak for leak in scan.leaks)
        assert "\u241b[2J" in scan.text
        app.query_one("#leak", Static).update(Text("clean now"))
        await pilot.pause()
        assert scan_screen(app).leaks == []


async def test_load_warnings_and_export_notifications(
    hostile_tables: Dataset, tmp_path: Path
) -> None:
    app = _app(hostile_tables)
    crashed: list[BaseException] = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        tally = Tally(app)
        await settle(pilot)
        try:
            # Each toast on screen (older ones may have timed out) shows its warning literally.
            screen_region = app.screen.region
            toasts = [
                t
                for t in app.screen.query(Toast)
                if t.region.area and screen_region.contains_region(t.region)
            ]
            assert toasts, "no load warning was shown"
            warnings = {str(t._notification.message) for t in toasts}
            expected = {w: visible(w, 8) for w in hostile_tables.report.warnings}
            tally.check(
                "notifications: load warnings",
                {raw: shown for raw, shown in expected.items() if safe_str(raw) in warnings},
            )
            assert len(warnings) == len(toasts)
        except Exception as exc:  # a markup error kills the app: reported below
            crashed.append(exc)
        if not crashed and app.is_running:
            app.clear_notifications()
            # "Export done" names the file written: a hostile file name must be safe too.
            target = tmp_path / "out\x1b[2J\u202e[red]x[b].md"  # no "/": one file
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.screen, ExportScreen)
            app.screen.query_one("#export-path", Input).value = str(target)
            await pilot.press("enter")
            await settle(pilot)
            assert target.exists()
            tally.check("notifications: export done", {str(target): visible(target.name, 8)})
            tally.report()
    assert app.return_code in (None, 0) and not crashed, (app.return_code, crashed)


async def test_panes_stats_and_header(hostile_tables: Dataset) -> None:
    # Warnings are checked above; here they would cover the grid's right-hand side.
    ds = dataclasses.replace(
        hostile_tables, report=dataclasses.replace(hostile_tables.report, warnings=())
    )
    app = _app(ds)
    async with app.run_test(size=SIZE) as pilot:
        tally = Tally(app)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        # A long name is clipped at its start in the header: its end must be there, literal.
        tally.check("header: dataset name", {HOSTILE_FOLDER: safe_str(HOSTILE_FOLDER)[-15:]})
        await pilot.press("i")
        await settle(pilot)
        panes = (
            ("donors", "", "1"),
            ("pacs", "PAC ", "2"),
            ("races", "Race ", "3"),
        )
        for pane, prefix, key in panes:
            await pilot.press(key)
            await settle(pilot)
            assert app.screen.pane == pane  # type: ignore[attr-defined]
            tally.check(f"grid: {pane}", {s: shown for _, s, shown in _by_index(prefix)})
            tally.check(f"stats: {pane} first row")
            # The statistics panel follows the cursor: check it on the last row too.
            await pilot.press("G")
            await settle(pilot)
            tally.check(f"stats: {pane} last row")
        tally.report()


async def _visit_detail(pilot: object, app: MoneytrailApp, tally: Tally, surface: str) -> None:
    screen = app.screen
    assert isinstance(screen, DetailScreen), screen
    for number in range(1, len(screen.tab_labels()) + 1):
        await pilot.press(str(number))  # type: ignore[attr-defined]
        await settle(pilot)
        tally.check(f"{surface} tab {number}")
    await pilot.press("1")  # type: ignore[attr-defined]
    await settle(pilot)


async def _open_row(pilot: object, app: MoneytrailApp, row: int) -> str:
    """Put the cursor on `row` of the current grid, open it, return the row's name."""
    screen = app.screen
    assert isinstance(screen, ExplorerScreen)
    model = screen.grid.model
    assert model is not None and row < model.row_count
    screen.grid.show(model, row=row)
    await settle(pilot)
    name = str(model.row(row).get("name") or model.row(row).get("source_name"))
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)
    return name


#: Committees opened in the UI (their detail shows donors, transfers, IEs, candidates, races).
DETAIL_COMMITTEES = ("C1\x9b",)


@pytest.mark.parametrize("part", ["committee and flow", "race", "donor"])
async def test_detail_views_and_flow_in_the_ui(hostile_tables: Dataset, part: str) -> None:
    """Every tab of a committee, race and donor detail, and the flow view (expanded).

    One app per part, so the parts run in parallel; the surfaces they see add up as one run.
    """
    app = _app(hostile_tables)
    async with app.run_test(size=SMALL) as pilot:
        tally = Tally(app)
        await settle(pilot)
        if part == "committee and flow":
            await pilot.press("2")
            await settle(pilot)
            main = app.screen
            assert isinstance(main, MainScreen) and main.grid.model is not None
            names = [str(n) for n in main.grid.model.raw.get_column("name").to_list()]
            for start in DETAIL_COMMITTEES:
                row = next(i for i, n in enumerate(names) if n.startswith("PAC " + start))
                name = await _open_row(pilot, app, row)
                hostile = name.removeprefix("PAC ")
                tally.check("detail: committee", {hostile: visible(name)})
                await _visit_detail(pilot, app, tally, "detail: committee")
                await pilot.press("t")
                await settle(pilot)
                assert isinstance(app.screen, FlowScreen)
                await pilot.press("x")  # expand every node
                await settle(pilot)
                tally.check("flow", {hostile: visible(name)})
                await pilot.press("escape")
                await settle(pilot)
                await pilot.press("escape")
                await settle(pilot)
        elif part == "race":
            await pilot.press("3")
            await settle(pilot)
            name = await _open_row(pilot, app, 0)
            tally.check("detail: race", {name.removeprefix("Race "): visible(name)})
            await _visit_detail(pilot, app, tally, "detail: race")
        else:
            app.action_pane(0)
            await settle(pilot)
            name = await _open_row(pilot, app, 0)
            tally.check("detail: donor", {name: visible(name)})
            await _visit_detail(pilot, app, tally, "detail: donor")
        tally.report()


def _unsafe_in(values: object) -> list[str]:
    return [
        repr(v)
        for v in (values if isinstance(values, list) else [values])
        if isinstance(v, str) and any(ord(c) in UNSAFE_CODEPOINTS for c in v)
    ]


def test_every_detail_of_every_entity_formats_safely(hostile_tables: Dataset) -> None:
    """Each section of each detail (all 19 committees, races, candidates, 38 donors).

    The UI test above proves the grid shows a model's strings as they are; this proves every
    model the detail views would show holds only safe strings, labels and identity facts.
    """
    from moneytrail.query.filters import Filters
    from moneytrail.ui import loaders
    from moneytrail.ui.views import EntityView

    ds = hostile_tables
    donors = loaders.pane_model(ds, Filters(), "donors").raw
    views = [
        *(EntityView("committee", f"H{i}", "") for i in range(len(HOSTILE_STRINGS))),
        *(EntityView("race", f"R{i}", "") for i in range(len(HOSTILE_STRINGS))),
        *(EntityView("candidate", f"K{i}", "") for i in range(len(HOSTILE_STRINGS))),
        *(EntityView("donor", str(k), "") for k in donors.get_column("donor_key").to_list()),
    ]
    cells = 0
    leaks: list[str] = []
    for view in views:
        result = loaders.detail_result(ds, Filters(), view)
        # The sections, and the Rows tab (read only when selected: built here as it would be).
        rows = ("rows", "Rows", loaders.rows_model(result.rows))
        for _name, label, model in [*result.sections, rows]:
            leaks += _unsafe_in(label)
            leaks += _unsafe_in([spec.label for spec in model.columns])
            for column in model.display.columns:
                values = model.display.get_column(column).to_list()
                cells += len(values)
                leaks += _unsafe_in(values)
        # Identity facts are raw; the screen shows them through safe_str.
        leaks += _unsafe_in([safe_str(value) for _, value in result.identity])
    record("terminal safety: detail views checked (every entity)", len(views))
    record("terminal safety: detail cells checked", cells)
    record("terminal safety: escape bytes leaked", len(leaks))
    assert len(views) >= 4 * len(HOSTILE_STRINGS) and cells > 0
    assert not leaks, leaks[:5]


#: Palette queries (whole words) and the hostile strings whose entities they must list.
PALETTE_QUERIES: dict[str, tuple[str, ...]] = {
    "SMITH": ("SMITH [R]",),
    "C1": ("C1\x9b31mCSI\x9d0;x\x9cNEL\x85",),
    "red": ("[red]x[/red]", "RED\x1b[31mTEXT\x1b[0m"),
}


async def test_command_palette_hits(hostile_tables: Dataset) -> None:
    app = _app(hostile_tables)
    async with app.run_test(size=SMALL) as pilot:
        tally = Tally(app)
        await settle(pilot)
        for query, hostiles in PALETTE_QUERIES.items():
            await pilot.press("ctrl+p")
            await settle(pilot)
            assert isinstance(app.screen, CommandPalette)
            app.screen.query_one(CommandInput).value = query
            await settle(pilot)
            await pilot.pause(0.3)  # the palette debounces its search
            await settle(pilot)
            tally.check(
                f"palette: {query}",
                {f"PAC {h}": visible(f"PAC {h}", 12) for h in hostiles},
            )
            await pilot.press("escape")
            await settle(pilot)
        tally.report()


def test_in_memory_hostile_dataset_names_are_safe_everywhere_in_models() -> None:
    """The snapshot suite's hostile dataset: every pane model's cells are safe."""
    from moneytrail.query.filters import Filters
    from moneytrail.ui import loaders

    ds = hostile_dataset()
    leaks: list[str] = []
    shown: set[str] = set()
    for pane in ("donors", "pacs", "races"):
        model = loaders.pane_model(ds, Filters(), pane)  # type: ignore[arg-type]
        for column in model.display.columns:
            values = model.display.get_column(column).to_list()
            leaks += _unsafe_in(values)
            shown.update(v.strip() for v in values if isinstance(v, str))
    record("terminal safety: escape bytes leaked", len(leaks))
    assert not leaks, leaks[:5]
    for name in HOSTILE_NAMES:
        assert safe_str(name) in shown, name
