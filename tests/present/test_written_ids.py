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


def test_exports_and_csv_write_ids_as_written(tmp_path, toy_installed: None) -> None:  # noqa: F811
    import io

    from moneytrail.cli.output import write_csv
    from moneytrail.query.export import export_frame, export_lazy

    frame = pl.DataFrame({"committee_id": ["toy:C1", "C2"], "total_cents": [100, 200]})
    out = io.StringIO()
    write_csv(frame, out)
    assert out.getvalue().splitlines()[1:] == ["C1,1.00", "C2,2.00"]
    for name in ("v.csv", "v.json", "v.parquet"):
        export_frame(frame, tmp_path / name)
        export_lazy(frame.lazy(), tmp_path / f"lazy-{name}")
    for name in ("v.parquet", "lazy-v.parquet"):
        assert pl.read_parquet(tmp_path / name)["committee_id"].to_list() == ["C1", "C2"]
    for name in ("v.csv", "lazy-v.csv"):
        assert pl.read_csv(tmp_path / name)["committee_id"].to_list() == ["C1", "C2"]
    assert "toy:" not in (tmp_path / "v.json").read_text()
