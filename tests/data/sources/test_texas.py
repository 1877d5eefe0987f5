"""The Texas Ethics Commission bulk CSV reader on fixtures in the real layout."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.errors import DataError
from moneytrail.data.sources.texas import read_texas, sniff

HERE = Path(__file__).parent / "texas"
FILES = sorted(HERE.iterdir())
PAC = "00080123"


@pytest.fixture(scope="module")
def read():
    return read_texas(FILES)


def _tx(read, transaction_id: str) -> dict:
    rows = read.transactions.filter(pl.col("transaction_id") == transaction_id).to_dicts()
    assert len(rows) == 1, transaction_id
    return rows[0]


def test_each_file_is_recognised_by_its_header(tmp_path):
    assert [sniff(p) for p in FILES] == [1.0, 1.0, 1.0]
    renamed = tmp_path / "download.csv"
    renamed.write_bytes((HERE / "contribs_01.csv").read_bytes())
    assert sniff(renamed) == 1.0
    other = tmp_path / "transactions.csv"
    other.write_text("transaction_id,date,amount\n")
    assert sniff(other) == 0.0


def test_a_contribution_to_the_filer(read):
    row = _tx(read, "RCPT-5000001")
    assert row["kind"] == "contribution"
    assert row["recipient_committee_id"] == PAC  # leading zeros kept, as TEC writes it
    assert row["date"] == date(2016, 1, 5)
    assert row["amount_cents"] == 15_000_000
    assert (row["source_kind"], row["source_name"]) == ("organization", "Quillon Justice Fund")
    assert row["source"] == "tx"


def test_individuals_are_last_comma_first(read):
    row = _tx(read, "RCPT-5000003")
    assert (row["source_kind"], row["source_name"]) == ("individual", "Garza, Elena")
    assert row["source_employer"] == "Alamo Feed & Seed, Inc."
    assert row["source_zip"] == "78205-1234"


def test_an_out_of_state_pac_is_the_fec_committee_it_names(read):
    row = _tx(read, "RCPT-5000002")
    assert (row["source_kind"], row["source_id"]) == ("committee", "C00999001")
    assert row["source_name"] == "Gulf States Federal PAC"


def test_superseded_rows_are_memo(read):
    old, new = _tx(read, "RCPT-4000003"), _tx(read, "RCPT-5000003")
    assert (old["memo"], old["memo_reason"]) == (True, "superseded")
    assert (new["memo"], new["memo_reason"]) == (False, None)
    counted = read.transactions.filter(~pl.col("memo") & (pl.col("source_name") == "Garza, Elena"))
    assert counted.get_column("amount_cents").sum() == 25_000


def test_expenditures_name_their_payee(read):
    row = _tx(read, "EXPN-6000001")
    assert (row["kind"], row["source_kind"], row["source_id"]) == ("expenditure", "committee", PAC)
    assert row["recipient_name"] == "Lone Star Media LLC"
    assert row["description"] == 'Television advertising, "Justice Now" spot'
    assert _tx(read, "EXPN-6000002")["recipient_name"] == "Bluebonnet, Casey"


def test_filers_name_the_committees_and_candidates(read):
    committees = {r["committee_id"]: r for r in read.committees.to_dicts()}
    assert committees[PAC]["kind"] == "pac"
    assert committees["00090456"]["kind"] == "candidate"
    assert committees["00090456"]["candidate_id"] == "00090456"
    assert read.candidates.select("candidate_id", "name").rows() == [
        ("00090456", "Bluebonnet, Casey")
    ]


def test_rejects_and_reports(read):
    contribs = str(HERE / "contribs_01.csv")
    assert read.rejects.select("file", "line", "column", "reason").rows() == [
        (contribs, 6, "contributionDt", "no such date"),
        (contribs, 7, "contributionAmount", "not a decimal dollar amount"),
    ]
    assert [(r.kind, r.rows_read, r.rows_loaded) for r in read.reports] == [
        ("tx:contribs", 7, 5),
        ("tx:expend", 2, 2),
        ("tx:filers", 2, 2),
    ]


def test_not_a_tec_file_is_one_data_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="not a Texas Ethics Commission"):
        read_texas([path])
