"""Text charts, the summary panel text, the export writer and the settings file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from moneytrail.present.charts import bar, resample, sparkline
from moneytrail.present.summary import summary_text
from moneytrail.query.export import ExportError, export_frame, format_for, to_markdown
from moneytrail.query.stats import summarize
from moneytrail.settings import Settings, load_settings, save_settings


def test_bar_scales_and_never_hides_a_nonzero_value() -> None:
    assert bar(10, 10, 4) == "████"
    assert bar(5, 10, 4) == "██  "
    assert bar(0, 10, 4) == "    "
    assert bar(1, 10_000, 4).strip() == "▏"
    assert bar(-3, 10, 4) == "    "


def test_sparkline_and_resample() -> None:
    assert sparkline([0, 7]) == "▁█"
    assert sparkline([3, 3]) == "▅▅"  # flat: mid-height
    assert sparkline([]) == ""
    assert resample([1, 1, 1, 1], 2) == [2.0, 2.0]
    assert resample([1, 2], 5) == [1, 2]


def test_summary_text_fits_80_columns_without_colour() -> None:
    rows = pl.LazyFrame(
        {
            "amount_cents": [5_00, 250_00, 1_500_000_00, -5_00],
            "date": [date(2016, 1, 5), date(2016, 2, 5), date(2016, 2, 9), date(2016, 3, 1)],
            "source_state": ["FL", "FL", "NY", "FL"],
            "source_kind": ["individual"] * 4,
            "donor_key": ["a", "b", "c", "a"],
        }
    )
    text = summary_text(summarize(rows), width=40).plain
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 40
    assert "$1,500,250.00" in text  # the refund subtracts
    assert "$100k+" in text and "NY" in text and "Top-10 share" in text


def test_export_formats(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {"name": ["A|B", "ESC\x1b[2J\nX"], "total_cents": [123_456, -5], "tags": [["x"], []]}
    )
    # One money convention in every file: dollars with two decimals, no `_cents` integers.
    export_frame(frame, tmp_path / "a.csv")
    csv_text = (tmp_path / "a.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0] == "name,total,tags"
    assert ",1234.56," in csv_text and ",-0.05," in csv_text
    export_frame(frame, tmp_path / "a.parquet")
    back = pl.read_parquet(tmp_path / "a.parquet")
    assert back.columns == ["name", "total", "tags"]
    assert [str(v) for v in back["total"].to_list()] == ["1234.56", "-0.05"]
    assert back["name"].to_list() == frame["name"].to_list()
    export_frame(frame, tmp_path / "a.json")
    loaded = pl.read_json(tmp_path / "a.json")
    assert loaded["name"].to_list() == frame["name"].to_list()
    assert loaded["total"].to_list() == [1234.56, -0.05]
    md = to_markdown(frame)
    assert md.splitlines()[0] == "| name | total | tags |"
    assert "\x1b" not in md and "\n" not in md.splitlines()[2]
    assert "| A\\|B | $1,234.56 | x |" in md
    assert "ESC␛[2J␊X" in md and "-$0.05" in md
    with pytest.raises(ExportError):
        format_for(tmp_path / "a.xlsx")


def test_settings_round_trip_and_tolerate_garbage(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.toml"
    assert load_settings(path) == Settings()
    save_settings(Settings(theme="nord"), path)
    assert load_settings(path).theme == "nord"
    path.write_text("not = [toml", encoding="utf-8")
    assert load_settings(path) == Settings()


async def test_theme_choice_persists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from moneytrail.ui.app import MoneytrailApp
    from tests.snapshots.sample_app import story_dataset

    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path))
    app = MoneytrailApp(story_dataset())
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert load_settings().theme == "nord"
    again = MoneytrailApp(story_dataset())
    assert again.theme == "nord"
