"""Grids show ids as their filing system writes them; the rows keep the qualified id."""

from __future__ import annotations

import polars as pl

from moneytrail.present.table import TableModel
from tests.data.test_sources import toy_installed  # noqa: F401


def test_a_qualified_id_is_shown_as_written(toy_installed: None) -> None:  # noqa: F811
    frame = pl.DataFrame(
        {
            "committee_id": ["toy:C1", "C1", "toyota:9"],
            "name": ["State PAC", "Federal PAC", "Not qualified"],
            "source": ["toy", "tables", "tables"],
        }
    )
    model = TableModel.build(frame)
    column = [c.name for c in model.columns].index("committee_id")
    assert [model.cell_text(i, column) for i in range(3)] == ["C1", "C1", "toyota:9"]
    assert model.row(0)["committee_id"] == "toy:C1"  # what a drill-down opens
