"""The bundled sample, opened as a user opens it (bare `moneytrail`): the article's money trail."""

from __future__ import annotations

import pytest

from moneytrail.paths import sample_dataset_path
from moneytrail.ui.app import MoneytrailApp
from moneytrail.ui.screens.detail import DetailScreen
from moneytrail.ui.screens.main import MainScreen
from tests.ui.helpers import grid_column, screen, settle, static_text

pytestmark = pytest.mark.skipif(
    not (sample_dataset_path() / "transactions.csv").exists()
    and not (sample_dataset_path() / "transactions.parquet").exists(),
    reason="the bundled sample has not been generated",
)


async def _move_to(pilot: object, app: MoneytrailApp, column: str, value: str) -> None:
    rows = grid_column(app, column)
    assert value in rows, rows
    table = screen(app).grid.table
    assert table is not None
    table.move_cursor(row=rows.index(value))


async def test_sample_top_donor_to_florida_pac_to_race_and_back() -> None:
    app = MoneytrailApp(persist_settings=False)  # no dataset: opens the sample in a worker
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "synthetic sample" in static_text(app, "#header")
        assert grid_column(app, "name")[0] == "SOROS, GEORGE"
        await pilot.press("enter")
        await settle(pilot)
        assert static_text(app, "#crumbs") == "Donors › SOROS, GEORGE"
        await _move_to(pilot, app, "name", "Florida Safety and Justice")
        await pilot.press("enter")
        await settle(pilot)
        assert static_text(app, "#crumbs").endswith("› Florida Safety and Justice")
        await pilot.press("3")  # independent spending, by candidate
        await settle(pilot)
        assert "Aramis Ayala" in " ".join(grid_column(app, "candidate_name"))
        model = screen(app).grid.model
        assert model is not None
        table = screen(app).grid.table
        assert table is not None
        # Enter opens the entity under the cursor's column: on the race column, the race.
        table.move_cursor(column=[c.name for c in model.columns].index("race_name"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.view.entity == "race"
        labels = [spec.label for spec in app.screen.trail]
        assert labels[:3] == ["Donors", "SOROS, GEORGE", "Florida Safety and Justice"]
        assert "9th Judicial Circuit" in labels[3]
        # 80 columns: the breadcrumb keeps its end and marks the cut.
        assert static_text(app, "#crumbs").startswith("…")
        assert static_text(app, "#crumbs").endswith(labels[3])
        await pilot.press("enter")  # a candidate of the race
        await settle(pilot)
        assert app.screen.view.entity == "candidate"
        assert len(app.screen.trail) == 5
        while len(app.screen_stack) > 2:
            await pilot.press("escape")
            await settle(pilot)
        assert static_text(app, "#crumbs") == "Donors"
