"""Helpers for Pilot tests: wait for every worker, read what the screen shows."""

from __future__ import annotations

import asyncio

from textual.pilot import Pilot
from textual.widgets import Static

from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.explorer import ExplorerScreen


async def settle(pilot: Pilot[int]) -> None:
    """Let messages flow and workers finish (a few rounds: results start new work)."""
    app = pilot.app
    for _ in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def settle_through_cancels(pilot: Pilot[int]) -> None:
    """Like `settle`, for runs where workers are cancelled all the time (random keys, resizes).

    Two rounds: a result can start more work (a pane's rows start the highlighted row's
    statistics). `WorkerManager.wait_for_complete` raises when a worker was cancelled (a newer
    request superseded it: normal there), so the workers are awaited one by one and their
    outcomes ignored; errors are caught by the caller's own checks.
    """
    for _ in range(2):
        await pilot.pause()
        workers = list(pilot.app.workers)
        if workers:
            await asyncio.gather(*(w.wait() for w in workers), return_exceptions=True)
    await pilot.pause()


def screen(app: MoneytrailApp) -> ExplorerScreen:
    current = app.screen
    assert isinstance(current, ExplorerScreen), current
    return current


def static_text(app: MoneytrailApp, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.render())


def grid_column(app: MoneytrailApp, column: str) -> list[str]:
    """The displayed strings of one column of the current grid (trimmed)."""
    model = screen(app).grid.model
    assert model is not None
    return [v.strip() for v in model.display.get_column(column).to_list()]
