"""`moneytrail trace`: JSON and table output, ambiguous and unknown queries, hostile names."""

from __future__ import annotations

import json
from typing import Any

import pytest

import moneytrail.cli.common as common
from moneytrail.cli import build_parser, main
from moneytrail.data.dataset import Dataset
from moneytrail.paths import sample_dataset_path
from tests.factories import candidate, committee, make_dataset, race, tx


def _dataset() -> Dataset:
    # DOE gives the 527 $900, ROE $100; the 527 passes $500 to the Safety PAC, which spends
    # $500 supporting Y. ROE also gives the Safety Fund $30.
    return make_dataset(
        transactions=[
            tx("t1", 900_00, source_name="DOE, JANE", recipient="N", source_state="NY"),
            tx("t2", 100_00, source_name="ROE, RICHARD", recipient="N", source_state="LA"),
            tx(
                "t3",
                500_00,
                source_kind="committee",
                source_id="N",
                source_name="National 527",
                recipient="P",
            ),
            tx(
                "t4",
                500_00,
                kind="independent_expenditure",
                source_kind="committee",
                source_id="P",
                candidate_id="Y",
                support_oppose="S",
            ),
            tx("t5", 30_00, source_name="ROE, RICHARD", recipient="F", source_state="LA"),
        ],
        committees=[
            committee("N", "National 527 [/bold]\x1b[31m", kind="527"),
            committee("P", "Safety PAC", state="LA"),
            committee("F", "Safety Fund", state="LA"),
        ],
        candidates=[candidate("Y", "Yvonne Y", "R1")],
        races=[race("R1", "Parish DA", state="LA", median_household_income=40_000)],
    )


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    ds = _dataset()
    # Import every command module first: one imported while `common.load` is patched would
    # keep the fake `load` for the rest of the process (they bind it at import time).
    build_parser()
    monkeypatch.setattr(common, "load", lambda args: ds)
    monkeypatch.setattr("moneytrail.cli.trace.load", lambda args: ds)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["trace", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_committee_json(cli: Any) -> None:
    code, out, err = cli("committee", "P", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["total"] == 500.0 and payload["direction"] == "sources"
    sources = payload["sources"]
    assert [(s["name"], s["kind"], s["amount"]) for s in sources] == [
        ("DOE, JANE", "individual", 450.0),
        ("ROE, RICHARD", "individual", 50.0),
    ]
    assert abs(sum(s["share"] for s in sources) - 1) < 1e-9
    hostile = "National 527 [/bold]\x1b[31m"
    assert payload["paths"][0]["path"] == ["DOE, JANE", hostile, "Safety PAC"]


def test_race_json_has_context(cli: Any) -> None:
    code, out, _ = cli("race", "Parish DA", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["total"] == 500.0
    ctx = payload["race_context"]
    assert ctx["largest_source"] == "DOE, JANE" and ctx["largest_amount"] == 450.0
    assert ctx["ultimate_outside_share"] == pytest.approx(0.9)
    assert ctx["income_multiple"] == pytest.approx(450 / 40_000)


def test_donor_forward_json(cli: Any) -> None:
    code, out, _ = cli("donor", "DOE, JANE", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["total"] == 900.0
    # 90% of the 527: $450 of its $500 to the PAC (all spent for Y), $360 of the $400 it kept.
    got = {(d["kind"], d["amount"]) for d in payload["destinations"]}
    assert got == {("independent_expenditure", 450.0), ("held", 450.0)}


def test_top_groups_the_rest(cli: Any) -> None:
    code, out, _ = cli("committee", "P", "--format", "json", "--top", "1")
    assert code == 0
    sources = json.loads(out)["sources"]
    assert [s["kind"] for s in sources] == ["individual", "other"]
    assert sum(s["amount"] for s in sources) == 500.0


def test_table_output_is_sanitised(cli: Any) -> None:
    code, out, _ = cli("committee", "P")
    assert code == 0
    assert "Safety PAC" in out and "$450.00" in out and "90.0%" in out
    assert "\x1b" not in out
    assert "[/bold]␛[31m" in out.replace("\n", "")


def test_ambiguous_query_lists_matches_exit_2(cli: Any) -> None:
    code, out, err = cli("committee", "Safety")
    assert code == 2
    assert "Safety PAC" in err and "Safety Fund" in err
    assert out == ""


def test_unknown_query_is_one_line_exit_1(cli: Any) -> None:
    code, _, err = cli("committee", "Nothing Like This")
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "no committee matches" in err


@pytest.mark.skipif(
    not (sample_dataset_path() / "transactions.csv").exists()
    and not (sample_dataset_path() / "transactions.parquet").exists(),
    reason="the bundled sample has not been generated yet",
)
def test_sample_florida_pac_json(run_cli: Any) -> None:
    result = run_cli("trace", "committee", "Florida Safety and Justice", "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    sources = payload["sources"]
    assert "soros" in sources[0]["name"].lower()
    assert sources[0]["share"] == pytest.approx(1.0, abs=1e-9)
