"""CSV by mapping: a TOML mapping compiled to the validation engine, on a CSV unlike ours."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.errors import DataError
from moneytrail.data.sources.mapping import init_mapping, load_mapping, read_mapped

HERE = Path(__file__).parent / "mapping"
CSV = HERE / "county-receipts.csv"
MAPPING = HERE / "county.toml"


@pytest.fixture(scope="module")
def read():
    return read_mapped([CSV], load_mapping(MAPPING))


def _tx(read, transaction_id: str) -> dict:
    rows = read.transactions.filter(pl.col("transaction_id") == transaction_id).to_dicts()
    assert len(rows) == 1, transaction_id
    return rows[0]


def test_semicolons_quotes_and_us_amounts(read):
    assert _tx(read, "R-1")["amount_cents"] == 125_000
    assert _tx(read, "R-2")["amount_cents"] == 1_000_000
    refund = _tx(read, "R-3")
    assert refund["amount_cents"] == -2_500  # (25.00)
    assert refund["description"] == "refund; returned check"  # a quoted ; is data


def test_one_or_two_digit_months_and_days(read):
    assert _tx(read, "R-1")["date"] == date(2016, 3, 7)
    assert _tx(read, "R-3")["date"] == date(2016, 4, 1)


def test_joined_names_codes_constants_and_memo_flags(read):
    person, company, pac = _tx(read, "R-1"), _tx(read, "R-2"), _tx(read, "R-4")
    assert person["source_name"] == "Quill, Ada"
    assert company["source_name"] == "Sagebrush Holdings, LLC"
    assert (person["source_kind"], company["source_kind"], pac["source_kind"]) == (
        "individual",
        "organization",
        "organization",
    )
    assert {person["kind"], company["kind"]} == {"contribution"}
    assert (person["memo"], pac["memo"]) == (False, True)
    assert person["description"] is None  # an empty field is a missing value
    assert (person["source_city"], person["recipient_committee_id"]) == ("Reno", "C-77")
    assert person["source"] == "csv"


def test_committees_are_named_by_the_mapped_column(read):
    assert read.committees.select("committee_id", "name").rows() == [
        ("C-77", "Friends of the Silver Lake"),
        ("C-78", "Neighbors for Washoe"),
    ]


def test_the_engine_rejects_with_file_line_and_column(read):
    assert read.rejects.select("file", "line", "column", "reason").rows() == [
        (str(CSV), 6, "date", "no such date"),
        (str(CSV), 7, "source_kind", "not one of individual|organization|committee"),
        (str(CSV), 8, "transaction_id", "duplicate transaction_id"),
        (str(CSV), 9, "amount", "more than 2 decimal places"),
    ]
    (report,) = read.reports
    assert (report.rows_read, report.rows_loaded) == (8, 4)
    assert report.kind == "csv:county.toml"


def test_without_an_id_column_rows_are_numbered_by_line(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[columns]\ndate = "D"\namount = "A"\nkind = { value = "contribution" }\n'
        'source_kind = { value = "individual" }\nrecipient_committee_id = { value = "X" }\n'
    )
    csv = tmp_path / "gifts.csv"
    csv.write_text("D,A\n2016-01-02,10\n2016-01-03,12.5\n")
    read = read_mapped([csv], load_mapping(mapping))
    assert read.transactions.select("transaction_id", "amount_cents").rows() == [
        ("gifts.csv:2", 1000),
        ("gifts.csv:3", 1250),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns]\nwhen = 'D'\n", "columns.when: unknown model column"),
        ("[columns]\ndate = 'D'\n", "columns: required model column(s) not mapped: amount"),
        ("[columns]\namount = { column = 'A', style = 'eu' }\n", "money style must be one of"),
        ("[columns]\ndate = { column = 'D', format = '%Q' }\n", "unsupported date field"),
        ("[columns]\ndate = { column = 'D', value = 'x' }\n", "exactly one of column"),
        ("[file]\ndelimiter = ';;'\n[columns]\n", "file.delimiter: must be one character"),
        ("columns = [", "not a TOML mapping"),
        ("[file]\n", "the mapping needs a [columns] table"),
    ],
)
def test_a_bad_mapping_is_one_error_naming_the_key(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(DataError, match=re.escape(message)) as info:
        load_mapping(path)
    assert str(info.value).startswith(str(path))


def test_a_column_missing_from_the_file_is_one_error(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("Receipt No;Received\nR-1;1/1/2016\n")
    with pytest.raises(DataError, match="names column\\(s\\) not in the header: Committee"):
        read_mapped([other], load_mapping(MAPPING))


def test_init_writes_a_mapping_that_loads_and_guesses_from_headers_and_values(tmp_path):
    text = init_mapping(CSV)
    doc = tomllib.loads(text)
    assert doc["file"]["delimiter"] == ";"
    columns = doc["columns"]
    assert columns["transaction_id"] == "Receipt No"
    assert columns["date"] == {"column": "Received", "format": "%-m/%-d/%Y"}
    assert columns["amount"] == {"column": "Sum", "style": "us"}
    assert '#   "Donor Org"' in text  # every column is listed for the user
    path = tmp_path / "start.toml"
    path.write_text(text)
    read = read_mapped([CSV], load_mapping(path))
    assert read.transactions.height > 0
