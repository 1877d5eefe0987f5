"""Hostile and odd inputs for every filing reader: one-line errors or rejects, never a
traceback, and read = loaded + rejected for every file."""

from __future__ import annotations

from pathlib import Path

import pytest

from moneytrail.data.errors import DataError
from moneytrail.data.sources.florida import read_florida
from moneytrail.data.sources.irs8872 import read_irs
from moneytrail.data.sources.louisiana import read_louisiana
from moneytrail.data.sources.texas import read_texas

FL_HEADER = (
    "Candidate/Committee\tDate\tAmount\tTyp\tContributor Name\tAddress\tCity State Zip"
    "\tOccupation\tInkind Desc\n"
)
LA_HEADER = "FilerLastName,ContributorName,ContributionDate,ContributionAmt\n"
TX_HEADER = (
    "recordType,infoOnlyFlag,filerIdent,filerTypeCd,filerName,contributionInfoId,contributionDt,"
    "contributionAmount,contributorPersentTypeCd,contributorNameOrganization,"
    "contributorNameLast,contributorNameFirst\n"
)
IRS_HEAD = "H|20161106|0311|A|\n"
IRS_A = "A|1|{id}|Org|123456789|{name}|1 St||City|FL|33101||Acme|{amount}|Clerk|10|20150101|\n"


def _balanced(read) -> None:
    for report in read.reports:
        assert report.rows_read == report.rows_loaded + report.rows_rejected
    assert read.rejects.height == sum(r.rows_rejected for r in read.reports)


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_header_only_files_load_nothing(tmp_path):
    for read in (
        read_florida([_write(tmp_path / "fl.txt", FL_HEADER)]),
        read_louisiana([_write(tmp_path / "la.csv", LA_HEADER)]),
        read_texas([_write(tmp_path / "tx.csv", TX_HEADER)]),
        read_irs(_write(tmp_path / "irs.txt", IRS_HEAD)),
    ):
        assert read.transactions.height == 0
        assert read.rejects.height == 0
        _balanced(read)


def test_nul_bytes_reject_the_row_with_its_line(tmp_path):
    fl = FL_HEADER + "X (PAC)\t01/02/2016\t5.00\tCHE\tA\x00B\t1 St\tX, FL 32801\t\t\n"
    la = LA_HEADER + 'X,"A\x00B",01/02/2016,$5.00\n'
    irs = IRS_HEAD + IRS_A.format(id=1, name="A\x00B", amount=5)
    tx = TX_HEADER + "RCPT,N,001,GPAC,X,1,20160102,5.00,INDIVIDUAL,,A\x00B,C\n"
    for read in (
        read_florida([_write(tmp_path / "fl.txt", fl)]),
        read_louisiana([_write(tmp_path / "la.csv", la)]),
        read_irs(_write(tmp_path / "irs.txt", irs)),
        read_texas([_write(tmp_path / "tx.csv", tx)]),
    ):
        assert read.rejects.select("line", "reason").rows() == [(2, "NUL byte")]
        _balanced(read)


def test_binary_junk_lines_are_rejects(tmp_path):
    junk = bytes(b for b in range(1, 256) if b not in b"\r\n") + b"\t\t|,,\n"
    fl = read_florida([_write(tmp_path / "fl.txt", FL_HEADER.encode() + junk)])
    irs = read_irs(_write(tmp_path / "irs.txt", IRS_HEAD.encode() + junk))
    la = read_louisiana([_write(tmp_path / "la.csv", LA_HEADER.encode() + junk)])
    for read in (fl, la):
        assert read.transactions.height == 0
        assert read.rejects.get_column("line").to_list() == [2]
        _balanced(read)
    # In the IRS file a line without a record type continues the record above it.
    assert irs.rejects.select("line", "reason").rows() == [
        (1, "record broken across 2 lines (a line break inside a field)")
    ]
    _balanced(irs)


def test_undefined_cp1252_bytes_are_replaced_and_counted(tmp_path):
    irs = IRS_HEAD + IRS_A.format(id=1, name="A\udc81B", amount=5)
    path = tmp_path / "irs.txt"
    path.write_bytes(irs.encode("utf-8", "surrogateescape"))
    read = read_irs(path)
    assert read.transactions.get_column("source_name").to_list() == ["A\ufffdB"]
    assert read.reports[0].bytes_replaced == 1


@pytest.mark.parametrize(
    "reader",
    [
        lambda p: read_florida([p]),
        lambda p: read_louisiana([p]),
        lambda p: read_texas([p]),
        read_irs,
    ],
)
def test_missing_or_empty_files_are_one_line_errors(tmp_path, reader):
    with pytest.raises(DataError) as info:
        reader(tmp_path / "nope")
    assert "\n" not in str(info.value)
    empty = _write(tmp_path / "empty", b"")
    try:
        read = reader(empty)
    except DataError as exc:
        assert str(exc).startswith(str(empty))
    else:
        assert read.transactions.height == 0


def test_a_huge_amount_is_rejected_not_wrapped(tmp_path):
    irs = IRS_HEAD + IRS_A.format(id=1, name="A", amount="9" * 30)
    read = read_irs(_write(tmp_path / "irs.txt", irs))
    assert read.rejects.select("column", "reason").rows() == [
        ("contribution_amount", "not a decimal dollar amount")
    ]
