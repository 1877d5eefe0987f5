"""`moneytrail links` (list, confirm, break cross-system links), `mapping init`, `--mapping`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from moneytrail.cli import main

FIXTURES = Path(__file__).parent.parent / "data" / "sources"
PAC = "Florida Quillon Justice (PAC)"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "filings"
    target.mkdir()
    for f in (
        FIXTURES / "irs" / "FullDataFile.txt",
        FIXTURES / "florida" / "Contributions.txt",
        FIXTURES / "florida" / "Expenditures.txt",
    ):
        shutil.copy(f, target / f.name)
    return target


def _links(folder: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert main(["links", str(folder), "--no-cache", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_lists_each_link_with_its_reason(folder, capsys):
    rows = _links(folder, capsys)
    assert [(r["source"], r["name"], r["committee_id"], r["status"]) for r in rows] == [
        ("fl", "QUILLON JUSTICE FUND", "990000001", "auto"),
        ("irs", "Florida Quillon Justice", PAC, "auto"),
    ]
    assert rows[1]["reason"] == 'same name "FLORIDA QUILLON JUSTICE" and state FL'


def test_break_then_confirm_is_saved_beside_the_data_and_followed(folder, capsys):
    args = ["links", str(folder), "--break", "Florida Quillon Justice", "--state", "fl"]
    assert main([*args, "--to", PAC]) == 0
    assert "saved in" in capsys.readouterr().out
    assert (folder / "moneytrail-links.csv").read_text().splitlines() == [
        "name,state,committee_id,decision",
        f"Florida Quillon Justice,FL,{PAC},break",
    ]
    assert [r["source"] for r in _links(folder, capsys)] == ["fl"]
    confirm = ["links", str(folder), "--confirm", "Florida Quillon Justice", "--state", "FL"]
    assert main([*confirm, "--to", PAC]) == 0
    capsys.readouterr()
    rows = _links(folder, capsys)
    assert [(r["source"], r["status"]) for r in rows] == [("fl", "auto"), ("irs", "confirmed")]


def test_a_decision_needs_its_committee(folder, capsys):
    assert main(["links", str(folder), "--confirm", "X"]) == 1
    assert "--to COMMITTEE_ID is needed" in capsys.readouterr().err


def test_mapping_init_writes_a_starting_mapping_once(tmp_path, capsys):
    csv = FIXTURES / "mapping" / "county-receipts.csv"
    assert main(["mapping", "init", str(csv)]) == 0
    assert 'amount = { column = "Sum", style = "us" }' in capsys.readouterr().out
    out = tmp_path / "county.toml"
    assert main(["mapping", "init", str(csv), "--output", str(out)]) == 0
    assert out.read_text().startswith("# moneytrail mapping for county-receipts.csv")
    assert main(["mapping", "init", str(csv), "--output", str(out)]) == 1
    assert "already exists: not overwritten" in capsys.readouterr().err
    assert main(["mapping", "init", str(tmp_path / "nope.csv")]) == 1


def test_import_reads_a_csv_by_its_mapping(tmp_path, capsys):
    csv = FIXTURES / "mapping" / "county-receipts.csv"
    mapping = FIXTURES / "mapping" / "county.toml"
    assert main(["import", str(csv), "--mapping", str(mapping), "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "csv:county.toml" in out
    assert "date: no such date 1" in out
    # Without the mapping the file is no dataset: one line, exit 1.
    assert main(["import", str(csv), "--no-cache"]) == 1
    assert "no moneytrail tables" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[columns]\n")
    assert main(["import", str(csv), "--mapping", str(bad), "--no-cache"]) == 1
    assert "required model column(s) not mapped" in capsys.readouterr().err
