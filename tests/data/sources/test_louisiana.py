"""The Louisiana Ethics Administration export reader on fixtures in the real layout."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.errors import DataError
from moneytrail.data.sources.louisiana import read_louisiana, sniff

HERE = Path(__file__).parent / "louisiana"
CONTRIBUTIONS = HERE / "Contributions.csv"
EXPENDITURES = HERE / "Expenditures.csv"
PAC = "LOUISIANA QUILLON JUSTICE"
CANDIDATE = "PELICAN, JORDAN"


@pytest.fixture(scope="module")
def read():
    return read_louisiana([CONTRIBUTIONS, EXPENDITURES])


def _tx(read, transaction_id: str) -> dict:
    rows = read.transactions.filter(pl.col("transaction_id") == transaction_id).to_dicts()
    assert len(rows) == 1, transaction_id
    return rows[0]


def test_sniff_by_header(tmp_path):
    assert sniff(CONTRIBUTIONS) == 1.0
    assert sniff(EXPENDITURES) == 1.0
    other = tmp_path / "transactions.csv"
    other.write_text("transaction_id,date,amount\n")
    assert sniff(other) == 0.0


def test_us_style_amounts_and_dates(read):
    row = _tx(read, "Contributions.csv:2")
    assert row["amount_cents"] == 7_500_000
    assert row["date"] == date(2015, 9, 3)
    assert _tx(read, "Contributions.csv:4")["amount_cents"] == 125_050
    assert _tx(read, "Contributions.csv:6")["amount_cents"] == 50_000
    assert _tx(read, "Contributions.csv:7")["amount_cents"] == -10_000  # ($100.00)


def test_a_contribution_to_the_filer(read):
    row = _tx(read, "Contributions.csv:2")
    assert row["kind"] == "contribution"
    assert row["recipient_committee_id"] == PAC
    assert row["source_name"] == "QUILLON JUSTICE FUND"
    assert (row["source_city"], row["source_state"], row["source_zip"]) == (
        "WASHINGTON",
        "DC",
        "20005",
    )
    assert row["source_kind"] == "organization"  # ContributorTypeCode PAC
    assert (row["la_report_code"], row["la_report_type"], row["la_report_number"]) == (
        "F202",
        "10P",
        "LA-50001",
    )
    assert row["source"] == "la"


def test_contributor_type_codes_and_names(read):
    assert _tx(read, "Contributions.csv:3")["source_kind"] == "individual"
    assert _tx(read, "Contributions.csv:3")["source_name"] == "MUÑOZ, ELENA"  # cp1252
    assert _tx(read, "Contributions.csv:4")["source_kind"] == "organization"  # BUS
    assert _tx(read, "Contributions.csv:7")["source_kind"] == "organization"  # blank, INC


def test_quoted_fields_keep_commas_quotes_and_line_breaks(read):
    row = _tx(read, "Contributions.csv:4")
    assert row["source_name"] == "RED RIVER PRINTING, L.L.C."
    assert row["description"] == "YARD SIGNS,\nDELIVERED"
    assert row["la_type"] == "IN-KIND"


def test_filers_by_report_code(read):
    committees = {r["committee_id"]: r for r in read.committees.to_dicts()}
    assert committees[PAC]["kind"] == "pac"
    assert committees[PAC]["state"] == "LA"
    assert committees[CANDIDATE]["kind"] == "candidate"
    assert committees[CANDIDATE]["candidate_id"] == CANDIDATE
    assert read.candidates.get_column("candidate_id").to_list() == [CANDIDATE]


def test_expenditures_name_their_payee(read):
    row = _tx(read, "Expenditures.csv:2")
    assert (row["kind"], row["source_kind"], row["source_id"]) == (
        "expenditure",
        "committee",
        PAC,
    )
    assert row["recipient_name"] == "CRESCENT MEDIA LLC"
    assert row["recipient_state"] == "LA"
    assert row["amount_cents"] == 6_000_000


def test_rejects_name_file_line_and_column_and_reading_resumes(read):
    rejects = read.rejects.select("file", "line", "column", "reason").rows()
    assert rejects == [
        (str(CONTRIBUTIONS), 8, "ContributionDate", "no such date"),
        (str(CONTRIBUTIONS), 9, "ContributionAmt", "not a decimal dollar amount"),
        (str(CONTRIBUTIONS), 10, None, "malformed CSV: ',' expected after '\"'"),
    ]
    assert _tx(read, "Contributions.csv:11")["source_name"] == "SMITH, JOHN"
    for report in read.reports:
        assert report.rows_read == report.rows_loaded + report.rows_rejected
    assert [r.rows_read for r in read.reports] == [9, 2]


def test_columns_in_another_order_with_a_filer_number(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "ContributionAmt,ContributionDate,ContributorName,FilerLastName,FilerNumber,ReportCode\n"
        '"$1,000.00",01/02/2016,"DOE, JANE",SOME COMMITTEE,12345,F202\n'
    )
    read = read_louisiana([path])
    row = read.transactions.to_dicts()[0]
    assert (row["recipient_committee_id"], row["amount_cents"]) == ("12345", 100_000)
    assert read.committees.select("committee_id", "name", "kind").rows() == [
        ("12345", "SOME COMMITTEE", "pac")
    ]


def test_not_an_export_is_one_data_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match="not a Louisiana Ethics Administration export"):
        read_louisiana([path])
