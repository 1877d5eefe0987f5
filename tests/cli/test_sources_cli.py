"""The CLI over a folder mixing sources whose ids collide: ids shown and typed as written,
`source` in JSON, an id two sources share listed as ambiguous, `source:id` naming one, and
`-o SOURCE.NAME=VALUE` reaching the source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moneytrail.cli import main
from tests.data.test_sources import TABLES_HEADER, _toy, _write, toy_installed  # noqa: F401


@pytest.fixture()
def mixed(tmp_path: Path, toy_installed: None) -> Path:  # noqa: F811
    folder = tmp_path / "mixed"
    _write(
        folder / "own" / "transactions.csv",
        TABLES_HEADER + "t1,2016-01-02,100,contribution,individual,SMITH,C1\n",
    )
    _write(folder / "own" / "committees.csv", "committee_id,name\nC1,Federal Friends\n")
    _toy(folder / "state.txt", "01/15/2016|$250.00|DOE, JANE|C1")
    return folder


def test_an_id_in_two_sources_lists_both(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "committee", "C1", str(mixed), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "'C1' matches 2 committees" in err
    assert "toy:C1" in err and "Federal Friends" in err


def test_source_id_names_one_and_json_keeps_the_written_id(
    mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["show", "committee", "toy:C1", str(mixed), "--no-cache", "--format", "json"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["committee_id"], payload["source"]) == ("C1", "toy")
    assert payload["receipts"] == 250.0
    args = ["show", "committee", "Federal Friends", str(mixed), "--no-cache", "--format", "json"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["committee_id"], payload["source"]) == ("C1", "tables")
    assert payload["receipts"] == 100.0


def test_source_options_reach_the_source(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "donors", str(mixed), "--no-cache", "-o", "toy.style=plain"]) == 0
    capsys.readouterr()
    assert main(["summary", "donors", str(mixed), "--no-cache", "-o", "toy.colour=red"]) == 1
    assert "source toy has no option 'colour'" in capsys.readouterr().err


def test_trace_json_shows_the_written_id_and_its_source(
    mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["trace", "committee", "toy:C1", str(mixed), "--no-cache", "--format", "json"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["id"], payload["source"], payload["total"]) == ("C1", "toy", 250.0)
    (donor,) = payload["sources"]
    assert donor["name"] == "DOE, JANE" and donor["amount"] == 250.0
