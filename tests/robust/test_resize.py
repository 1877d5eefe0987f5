"""Resizing the terminal between 40×12 and 250×80 keeps the explorer alive and readable.

Contract under test: on the bundled sample (opened as bare `moneytrail` opens it), at every
size from 40×12 to 250×80 (the corners, then a seeded random walk) the app raises nothing, keeps
running, and the rendered screen still says where the user is and shows data:

* panes and detail views: the header line (the dataset name), the breadcrumb's last label
  (the pane or entity) and the first row of the grid (its first column's text);
* the flow view: its title line and the traced entity's name at the tree's root.

`MIN_READABLE` is the smallest size for which that is asserted; it is the smallest size tried
(40×12), so readability is checked everywhere. The statistics panel opened over the grid (`i`
below 120 columns) is checked too: its title stays on screen.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from textual.pilot import Pilot

from moneytrail.paths import sample_dataset_path
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.detail import DetailScreen
from moneytrail.ui.screens.explorer import ExplorerScreen
from moneytrail.ui.screens.flow import FlowScreen
from moneytrail.ui.screens.main import MainScreen
from tests.robust.figures import record
from tests.ui.helpers import settle_through_cancels

pytestmark = pytest.mark.skipif(
    not (sample_dataset_path() / "transactions.csv").exists()
    and not (sample_dataset_path() / "transactions.parquet").exists(),
    reason="the bundled sample has not been generated",
)

SEED = 2016
MIN_SIZE = (40, 12)
MAX_SIZE = (250, 80)
#: From this size on, the location and a row of data must be readable (see the module docstring).
MIN_READABLE = (40, 12)
CORNERS: tuple[tuple[int, int], ...] = (
    (40, 12),
    (250, 12),
    (40, 80),
    (250, 80),
    (80, 24),
    (120, 40),
    (119, 30),
)


def random_walk(rng: random.Random, steps: int) -> list[tuple[int, int]]:
    """`steps` sizes, each a random step from the last, kept inside MIN_SIZE..MAX_SIZE."""
    width, height = 80, 24
    sizes: list[tuple[int, int]] = []
    for _ in range(steps):
        width = min(MAX_SIZE[0], max(MIN_SIZE[0], width + rng.randint(-70, 70)))
        height = min(MAX_SIZE[1], max(MIN_SIZE[1], height + rng.randint(-25, 25)))
        sizes.append((width, height))
    return sizes


def screen_text(app: MoneytrailApp) -> str:
    """What the terminal would show, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def _readable(size: tuple[int, int]) -> bool:
    return size[0] >= MIN_READABLE[0] and size[1] >= MIN_READABLE[1]


def _check(app: MoneytrailApp, size: tuple[int, int], where: str) -> None:
    """Alive at `size`, and readable when `size` is at least MIN_READABLE."""
    context = f"{where} at {size[0]}×{size[1]}"
    assert app._exception is None, f"{context}: {app._exception!r}"
    assert app.return_code is None and not app._exit, f"{context}: the app exited"
    assert app.size == size, f"{context}: the app is {app.size}"
    text = screen_text(app)
    lines = text.splitlines()
    assert len(lines) == size[1] and all(len(line) <= size[0] for line in lines), context
    if not _readable(size):
        return
    screen = app.screen
    if isinstance(screen, ExplorerScreen):
        ds = app.dataset
        assert ds is not None
        assert lines[0].startswith(ds.name[: size[0] - 2]), f"{context}: header {lines[0]!r}"
        last = screen.crumb_labels()[-1]
        assert last[: size[0] - 4] in text, f"{context}: no breadcrumb {last!r}\n{text}"
        if screen.stats_visible and not screen.has_class("-wide"):
            return  # the panel is over the grid: checked in the test
        model = screen.grid.model
        assert model is not None and model.row_count, f"{context}: no rows\n{text}"
        first = str(model.display.row(0)[0]).strip()
        assert first[: size[0] - 4] in text, f"{context}: first row {first!r} missing\n{text}"
    elif isinstance(screen, FlowScreen):
        assert "money" in lines[0], f"{context}: flow title {lines[0]!r}"
        assert screen.result is not None, f"{context}: trace not shown\n{text}"
        root = screen.result.tree.name
        assert root[: min(len(root), size[0] - 8)] in text, f"{context}: root {root!r}\n{text}"


async def _walk(
    pilot: Pilot[int], sizes: list[tuple[int, int]], where: str, seen: set[tuple[int, int]]
) -> None:
    app = pilot.app
    assert isinstance(app, MoneytrailApp)
    for size in sizes:
        await pilot.resize_terminal(*size)
        await settle_through_cancels(pilot)
        _check(app, size, where)
        seen.add(size)
        record("ui resize: sizes tried")


async def test_resize_keeps_the_explorer_alive_and_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Panes, a detail view, the statistics panel and the flow view, from 40×12 to 250×80."""
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    rng = random.Random(SEED)
    seen: set[tuple[int, int]] = set()
    app = MoneytrailApp(persist_settings=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_through_cancels(pilot)
        assert isinstance(app.screen, MainScreen)
        await _walk(pilot, [*CORNERS, *random_walk(rng, 20)], "donors pane", seen)

        await pilot.press("2")  # PACs
        await _walk(pilot, [*CORNERS[:4], *random_walk(rng, 2)], "PACs pane", seen)

        await pilot.press("1", "enter")  # the top donor's detail
        await settle_through_cancels(pilot)
        assert isinstance(app.screen, DetailScreen)
        await _walk(pilot, [*CORNERS, *random_walk(rng, 4)], "donor detail", seen)

        await pilot.resize_terminal(80, 24)
        await pilot.press("i")  # statistics over the grid below 120 columns
        await settle_through_cancels(pilot)
        for size in ((40, 12), (100, 30), (60, 14)):
            await pilot.resize_terminal(*size)
            await settle_through_cancels(pilot)
            _check(app, size, "statistics panel")
            panel = app.screen.query_one("#stats-text")
            assert panel.region.width > 0 and panel.region.height > 0, size
            assert "SOROS" in screen_text(app), f"stats title missing at {size}"
        await pilot.press("i")

        await pilot.press("t")  # the flow view of that donor
        await settle_through_cancels(pilot)
        assert isinstance(app.screen, FlowScreen)
        await _walk(pilot, [*CORNERS, *random_walk(rng, 4)], "flow view", seen)
        await pilot.press("escape")
        await settle_through_cancels(pilot)
        await pilot.resize_terminal(*MIN_SIZE)
        await settle_through_cancels(pilot)
        _check(app, MIN_SIZE, "back from the flow view")
    assert app._exception is None
    record("ui resize: distinct sizes", len(seen))
    record("ui resize: exceptions", 0)
    assert MIN_SIZE in seen and MAX_SIZE in seen
