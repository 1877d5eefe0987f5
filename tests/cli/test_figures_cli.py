"""The CLI's part of docs/figures.md: filtered listings, rejected rows, figure labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moneytrail.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "safety-and-justice"
HEADER = "transaction_id,date,amount,kind,source_kind,source_name,recipient_committee_id\n"


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_state_filter_lists_only_committees_and_races_with_money(
    capsys: pytest.CaptureFixture[str],
) -> None:
    everyone = _json(capsys, "summary", "committees", str(SAMPLE))
    ny = _json(capsys, "summary", "committees", str(SAMPLE), "--state", "NY")
    assert isinstance(everyone, list) and isinstance(ny, list)
    assert 0 < len(ny) < len(everyone)
    assert all(r["receipts_count"] > 0 or r["disbursements"] != 0 for r in ny)
    races = _json(capsys, "summary", "races", str(SAMPLE), "--state", "NY")
    assert isinstance(races, list) and races
    assert all(r["raised"] or r["ie_support"] or r["ie_oppose"] for r in races)
    # show: a race's candidates with no money under the filter are left out too.
    race = races[0]
    shown = _json(capsys, "show", "race", race["race_id"], str(SAMPLE), "--state", "NY")
    assert isinstance(shown, dict)
    listed = shown["sections"]["candidates"]
    assert all(c["raised"] or c["ie_support"] or c["ie_oppose"] for c in listed)


def test_show_json_keeps_figures_and_lists_apart(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _json(capsys, "show", "committee", "Florida Safety and Justice", str(SAMPLE))
    assert isinstance(shown, dict)
    assert shown["receipts"] == shown["summary"]["total"] == 1_387_500.0
    assert isinstance(shown["transfers_out"], float)  # the figure, not the list
    assert isinstance(shown["sections"]["transfers_out"], list)
    assert shown["outside"]["home_state"] == "FL"
    assert shown["outside"]["direct_outside_share"] == 1.0


def _with_a_bad_row(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "transactions.csv").write_text(
        HEADER
        + "t1,2016-01-05,100,contribution,individual,DOE,C1\n"
        + "t2,2016-13-05,5,contribution,individual,ROE,C1\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ("summary", "donors"),
        ("show", "committee", "C1"),
        ("trace", "committee", "C1"),
    ],
)
def test_rejected_rows_are_one_line_on_stderr(
    argv: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _with_a_bad_row(tmp_path)
    assert main([*argv, str(folder)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [f"moneytrail: 1 row rejected; run `moneytrail import {folder}` for the list"]


def test_import_lists_the_rejected_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _with_a_bad_row(tmp_path)
    assert main(["import", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "rejected rows:" in out
    assert "transactions.csv:3: date: " in out
    assert "    t2,2016-13-05,5,contribution,individual,ROE,C1" in out


def test_cli_tables_head_figures_with_their_labels(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "races", str(SAMPLE), "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "Raised" in out and "IE for" in out
    assert "total" not in out.lower().split("races")[1]  # no combined total column


def test_all_candidates_keeps_the_moneyless_ones_under_a_filter(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--all-candidates` is not silently dropped when a filter is on."""
    fec = SAMPLE.parent / "fec-2016-early"
    race = ("show", "race", "S-NC-2016", str(fec), "--all-candidates")
    unfiltered = _json(capsys, *race)
    filtered = _json(capsys, *race, "--since", "2015-01-01")
    moneyed = _json(capsys, "show", "race", "S-NC-2016", str(fec), "--since", "2015-01-01")
    assert isinstance(unfiltered, dict) and isinstance(filtered, dict)
    assert isinstance(moneyed, dict)
    everyone = {c["candidate_id"] for c in unfiltered["sections"]["candidates"]}
    assert {c["candidate_id"] for c in filtered["sections"]["candidates"]} == everyone
    assert len(moneyed["sections"]["candidates"]) < len(everyone)
