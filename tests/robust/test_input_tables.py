"""Broken input for the moneytrail-tables reader (CSV, Parquet): it keeps working, loses nothing.

Three kinds of evidence:

* The committed corpus in `tests/data/corpus_tables/` (single `transactions.csv` files at the top,
  whole dataset folders in sub-folders), each with its exact expected outcome: the rows read,
  the ids loaded and every reject's file, line, column and reason, or the one-line `DataError`.
* Cases generated here, too big or too binary to commit: a 100k-character field, Parquet files
  that are truncated, not Parquet, or have columns of the wrong types, folders with no
  recognisable file.
* Hypothesis properties: random lines after a valid header, random well-quoted records and
  random Parquet string columns never raise anything but `DataError`, and every row read is
  loaded or rejected with its file, line and reason, exactly as the load report says.

For every load the invariants of `_check` hold (rows read = loaded + rejected per file, the
report's reject counts equal the rejects table's) and the input files keep their bytes and
mtime. The counts go to `tests/robust/figures.py` for docs/reliability.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Final

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moneytrail.data.dataset import Dataset
from moneytrail.data.errors import DataError
from moneytrail.data.open import open_dataset
from moneytrail.data.schema import REJECTS
from moneytrail.data.tables import load_tables
from tests.data.test_tables import CORPUS_CASES
from tests.robust.figures import record

CORPUS: Final = Path(__file__).parent.parent / "data" / "corpus_tables"
HEADER: Final = "transaction_id,date,amount,kind,source_kind,source_name,recipient_committee_id"
FIELDS: Final = "expected 7 fields, found"
CR: Final = "malformed CSV: carriage return (\\r) outside quotes"
AMOUNT: Final = "not a decimal dollar amount"
NOT_DATE: Final = "not a date (expected YYYY-MM-DD)"

#: Hypothesis examples per property (fixed, and derandomized, so CI runs the same inputs every
#: time). Each example is a full load (about 50 ms), so the total is kept near 20 s.
EXAMPLES: Final = {"lines": 150, "committees": 50, "records": 100, "parquet": 100}

# --- invariants -----------------------------------------------------------------------------


def _fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mtime (ns) of every file under `folder`."""
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


Reject = tuple[str, int, str | None, str]


def _check(ds: Dataset) -> list[Reject]:
    """Assert the loader's bookkeeping; return the rejects as (file, line, column, reason).

    Per file: rows read = loaded + rejected. The report's per-reason counts are exactly the
    rejects table grouped by file, column and reason. Every reject names a file the report
    lists, a line >= 1 and a non-empty reason. The loaded transactions are the report's.
    """
    rejects = ds.rejects.collect()
    assert rejects.schema == pl.Schema(REJECTS)
    rows: list[Reject] = [(f, ln, c, r) for f, ln, c, r, _raw in rejects.rows()]
    files = {f.path: f for f in ds.report.files}
    for file, line, _column, reason in rows:
        assert file in files
        assert isinstance(line, int) and line >= 1
        assert reason
    for f in ds.report.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
        grouped = Counter(f"{c}: {r}" if c is not None else r for p, _, c, r in rows if p == f.path)
        assert dict(grouped) == f.rejected, f.path
    assert sum(files[p].rows_rejected for p in files) == len(rows)
    tx_file = ds.report.files[0]
    assert tx_file.kind == "transactions"
    assert ds.transactions.select(pl.len()).collect().item() == tx_file.rows_loaded
    assert ds.report.rows_read == ds.report.rows_loaded + ds.report.rows_rejected
    return rows


def _load_checked(folder: Path) -> tuple[Dataset, list[Reject]]:
    """Load `folder`, check the invariants, and that no input file changed."""
    before = _fingerprint(folder)
    try:
        ds = load_tables(folder)
        rows = _check(ds)
        # Every lazy table can be collected (nothing deferred blows up later).
        pl.collect_all([ds.committees, ds.candidates, ds.races])
    finally:
        assert _fingerprint(folder) == before, "an input file was written"
    return ds, rows


def _ids(ds: Dataset) -> list[str]:
    return [str(t) for t in ds.transactions.collect()["transaction_id"]]


# --- the committed corpus -------------------------------------------------------------------

#: Single-file cases: name -> (rows read, loaded ids, [(line, column, reason)]); the same table
#: the reader's own tests use, checked here again with the byte/mtime and report checks.
SINGLE: Final = CORPUS_CASES

#: Folder cases: name -> (loaded ids, {file: (rows read, [(line, column, reason)])}).
FOLDERS: Final[
    dict[str, tuple[list[str], dict[str, tuple[int, list[tuple[int, str | None, str]]]]]]
] = {
    "line_endings": (
        ["t1", "t2", "t4", "t5"],  # CRLF, LF, a blank CRLF line, a quoted CRLF inside a field
        {"transactions.csv": (5, [(5, None, CR)])},  # `2016\r01-05`: a lone CR
    ),
    "latin1": (["t1", "t2", "t3"], {"transactions.csv": (3, [])}),
    "nul_bytes": (
        ["t1", "t5"],
        {
            "transactions.csv": (
                5,
                [
                    (3, "transaction_id", "NUL byte"),
                    (4, None, "expected 8 fields, found 1"),  # a line of 40 NULs
                    (5, "note", "NUL byte"),  # in an extra column
                ],
            ),
            "committees.csv": (2, [(3, "name", "NUL byte")]),
        },
    ),
    "amounts_extreme": (
        ["t1", "t2", "t4", "t5", "t6", "t12"],
        {
            "transactions.csv": (
                18,
                [
                    (4, "amount", AMOUNT),  # 17 digits
                    (8, "amount", "more than 2 decimal places"),  # 1.0050
                    *((n, "amount", AMOUNT) for n in range(9, 13)),  # NaN inf 1e3 0x10
                    *((n, "amount", AMOUNT) for n in range(14, 20)),  # 1 000, +-5, ., 12,50 ...
                ],
            )
        },
    ),
    "dates_edge": (
        ["t2", "t3", "t7", "t10"],  # 1918-11-05, 2099-12-31, 2016-02-29, " 2016-01-05 "
        {
            "transactions.csv": (
                12,
                [
                    (2, "date", NOT_DATE),  # 02302016
                    (5, "date", "year outside 1900-2100"),  # 1899-12-31
                    (6, "date", "year outside 1900-2100"),  # 2101-01-01
                    (7, "date", "no such date"),  # 2016-13-01
                    (9, "date", "no such date"),  # 2015-02-29
                    (10, "date", NOT_DATE),  # 2016-01-05T00:00
                    (12, "date", NOT_DATE),  # 00000000
                    (13, "date", NOT_DATE),  # 20160105
                ],
            )
        },
    ),
    "dangling_references": (
        ["t1", "t2", "t3", "t4"],
        {
            "transactions.csv": (4, []),
            "committees.csv": (1, []),
            "candidates.csv": (1, []),
            "races.csv": (1, []),
        },
    ),
    "entity_tables": (
        ["t1"],
        {
            "transactions.csv": (1, []),
            "committees.csv": (
                5,
                [
                    (3, "committee_id", "duplicate committee_id"),
                    (4, None, "expected 3 fields, found 4"),
                    (5, None, "expected 3 fields, found 1"),
                    (6, "committee_id", "missing value"),
                ],
            ),
            "candidates.csv": (
                3,
                [
                    (3, "candidate_id", "duplicate candidate_id"),
                    (4, "incumbent", "not a boolean (true/false)"),
                ],
            ),
            "races.csv": (
                4,
                [
                    (3, "race_id", "duplicate race_id"),
                    (4, "year", "implausible year"),
                    (5, "population", "not a whole number"),
                ],
            ),
        },
    ),
}


def test_every_corpus_input_has_an_expectation() -> None:
    top = {p.name for p in CORPUS.glob("*.csv")}
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert top == {*SINGLE, "empty.csv"}
    assert folders == set(FOLDERS)
    record("tables corpus: committed input files", len(top) + len(list(CORPUS.glob("*/*"))))


@pytest.mark.parametrize("name", sorted(SINGLE))
def test_single_file_corpus(tmp_path: Path, name: str) -> None:
    rows_read, loaded, expected = SINGLE[name]
    folder = tmp_path / name.removesuffix(".csv")
    folder.mkdir()
    target = folder / "transactions.csv"
    shutil.copy2(CORPUS / name, target)
    ds, rejects = _load_checked(folder)
    assert ds.report.files[0].rows_read == rows_read
    assert _ids(ds) == loaded
    assert rejects == [(str(target), ln, col, reason) for ln, col, reason in expected]
    record("tables corpus: inputs loaded")


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_folder_corpus(tmp_path: Path, name: str) -> None:
    loaded, files = FOLDERS[name]
    folder = tmp_path / name
    shutil.copytree(CORPUS / name, folder)
    ds, rejects = _load_checked(folder)
    assert _ids(ds) == loaded
    assert {Path(f.path).name: f.rows_read for f in ds.report.files} == {
        n: read for n, (read, _) in files.items()
    }
    expected = [
        (str(folder / n), ln, col, reason)
        for n, (_, rows) in files.items()
        for ln, col, reason in rows
    ]
    assert sorted(rejects, key=str) == sorted(expected, key=str)
    record("tables corpus: inputs loaded")


def test_corpus_empty_file_is_one_line_data_error(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    shutil.copy2(CORPUS / "empty.csv", folder / "transactions.csv")
    before = _fingerprint(folder)
    with pytest.raises(DataError) as info:
        load_tables(folder)
    assert str(info.value) == f"{folder / 'transactions.csv'}: empty file: no header row"
    assert _fingerprint(folder) == before
    record("tables corpus: inputs loaded")


def test_corpus_values_are_exact(tmp_path: Path) -> None:
    """What the loaded rows of the corpus say: exact cents, replaced bytes, created entities."""
    amounts, _ = _load_checked(shutil.copytree(CORPUS / "amounts_extreme", tmp_path / "a"))
    assert amounts.transactions.collect()["amount_cents"].to_list() == [
        999_999_999_999_999_999,  # the largest amount accepted, exact
        -999_999_999_999_999_999,
        -25_000,  # a refund subtracts
        0,  # -0
        1_050,  # 10.500: the zero after the cents is dropped, nothing is rounded
        725,  # " 7.25 "
    ]
    latin, _ = _load_checked(shutil.copytree(CORPUS / "latin1", tmp_path / "l"))
    assert latin.report.bytes_replaced == 3  # Ü, Ñ, É: one byte each in latin-1
    assert latin.transactions.collect()["source_name"].to_list() == [
        "M\ufffdLLER",
        "PE\ufffdA, JOS\ufffd",
        "DOE",
    ]
    endings, _ = _load_checked(shutil.copytree(CORPUS / "line_endings", tmp_path / "e"))
    names = endings.transactions.collect()["source_name"].to_list()
    assert names == ["DOE", "DOE", "TWO\r\nLINES", "DOE"]  # no stray \r from CRLF
    assert endings.transactions.collect()["recipient_committee_id"].to_list() == ["C1"] * 4

    dangling, _ = _load_checked(shutil.copytree(CORPUS / "dangling_references", tmp_path / "d"))
    assert dangling.report.created == {"committees": 3, "candidates": 1, "races": 1}
    inferred = dangling.committees.filter(pl.col("inferred")).collect()
    assert inferred.select("committee_id", "name").rows() == [
        ("C404", "C404"),  # a recipient nobody lists
        ("C405", "C405"),  # a conduit nobody lists
        ("C406", "PASS PAC"),  # a paying committee, named as the rows name it
    ]
    cn = dangling.candidates.filter(pl.col("inferred")).collect()
    assert cn["candidate_id"].to_list() == ["P404"]
    rc = dangling.races.filter(pl.col("inferred")).collect()
    assert rc["race_id"].to_list() == ["R404"]
    # No money is lost: every row's amount is in the dataset, on the entities that exist now.
    assert dangling.transactions.select(pl.col("amount_cents").sum()).collect().item() == 10_000


# --- generated inputs -----------------------------------------------------------------------


def _row(tid: str, name: str = "DOE", amount: str = "10.00") -> str:
    return f"{tid},2016-01-05,{amount},contribution,individual,{name},C1"


def _folder_with(tmp_path: Path, name: str, data: bytes, file: str = "transactions.csv") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / file).write_bytes(data)
    return folder


def test_hundred_thousand_character_fields(tmp_path: Path) -> None:
    big = "A" * 100_000
    quoted = "B,\n" * 33_333 + "B"  # 100k characters with commas and 33,333 newlines, quoted
    text = "\n".join(
        [HEADER, _row("t1", big), _row("t2", f'"{quoted}"'), _row("t3", amount="x"), ""]
    )
    folder = _folder_with(tmp_path, "big", text.encode())
    ds, rejects = _load_checked(folder)
    assert _ids(ds) == ["t1", "t2"]
    names = ds.transactions.collect()["source_name"].to_list()
    assert [len(n) for n in names] == [100_000, 100_000]
    assert names[1] == quoted
    # The row after the multi-line field is reported at its own physical line.
    assert rejects == [(str(folder / "transactions.csv"), 3 + 33_333 + 1, "amount", AMOUNT)]
    record("tables generated: inputs loaded")


def test_field_beyond_the_csv_limit_rejects_its_line_and_reads_on(tmp_path: Path) -> None:
    """A 200k-character field where the stdlib `csv` splitter is used (the file has a line
    that is not a simple record): that line is rejected, the lines after it are still read.
    (Where every line is simple, Polars splits the file and such a field is loaded.)"""
    text = "\n".join(
        [HEADER, _row("t1", '"' + "C" * 200_000 + '"'), _row("t2"), _row("t3", '"OPEN'), ""]
    )
    folder = _folder_with(tmp_path, "huge", text.encode())
    ds, rejects = _load_checked(folder)
    assert _ids(ds) == ["t2"]
    assert [(ln, c) for _, ln, c, _ in rejects] == [(2, None), (4, None)]
    assert rejects[0][3].startswith("malformed CSV: field larger than field limit")
    record("tables generated: inputs loaded")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("only_newlines", b"\n\n\r\n", "empty file: no header row"),
        ("bom_only", b"\xef\xbb\xbf", "empty file: no header row"),
        ("cr_only_lines", (HEADER + "\r" + _row("t1") + "\r").encode(), "unreadable header row"),
        ("utf16", (HEADER + "\n").encode("utf-16"), "missing required column(s)"),
        ("nul_in_header", HEADER.replace(",date", "\x00,date").encode(), "missing required"),
        ("open_quote_in_header", ('"' + HEADER + "\n" + _row("t1")).encode(), "unreadable header"),
        ("duplicate_column", (HEADER + ",date\n").encode(), "duplicate column 'date'"),
        ("reserved_column", (HEADER + ",amount_cents\n").encode(), "'amount_cents' is derived"),
    ],
)
def test_whole_file_problems_are_one_line_data_errors(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    folder = _folder_with(tmp_path, name, data)
    before = _fingerprint(folder)
    with pytest.raises(DataError) as info:
        load_tables(folder)
    text = str(info.value)
    assert text.startswith(f"{folder / 'transactions.csv'}")
    assert message in text
    assert "\n" not in text and "\r" not in text
    assert _fingerprint(folder) == before
    record("tables generated: inputs loaded")


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def _valid_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "transaction_id": ["a", "b"],
            "date": ["2016-01-01", "2016-01-02"],
            "amount": ["1.00", "2.00"],
            "kind": ["contribution"] * 2,
            "source_kind": ["individual"] * 2,
            "recipient_committee_id": ["C1"] * 2,
        }
    )


def _damaged_parquet() -> dict[str, bytes]:
    good = _parquet_bytes(_valid_frame())
    return {
        "empty": b"",
        "not_parquet": (HEADER + "\n" + _row("t1") + "\n").encode(),
        "magic_only": b"PAR1",
        "truncated_half": good[: len(good) // 2],
        "truncated_last_byte": good[:-1],
        "head_cut": good[10:],
        "zeroed_middle": good[:4] + b"\x00" * (len(good) - 12) + good[-8:],
    }


@pytest.mark.parametrize("name", sorted(_damaged_parquet()))
def test_damaged_parquet_is_one_line_data_error(tmp_path: Path, name: str) -> None:
    folder = _folder_with(tmp_path, name, _damaged_parquet()[name], "transactions.parquet")
    before = _fingerprint(folder)
    with pytest.raises(DataError) as info:
        load_tables(folder)
    assert str(info.value).startswith(f"{folder / 'transactions.parquet'}: not a readable Parquet")
    assert "\n" not in str(info.value)
    assert _fingerprint(folder) == before
    record("tables generated: inputs loaded")


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        ("source_name", pl.Series([["a"], ["b"]]), "source_name: List(String)"),
        ("source_name", pl.Series([b"\xff\x00", b"ok"]), "source_name: Binary"),
        ("amount", pl.Series([dt.timedelta(1), dt.timedelta(2)]), "amount: Duration"),
        ("source_name", pl.Series([[1, 2], [3, 4]], dtype=pl.Array(pl.Int64, 2)), "Array(Int64"),
    ],
)
def test_parquet_columns_that_cannot_be_text_are_named(
    tmp_path: Path, column: str, values: pl.Series, message: str
) -> None:
    frame = _valid_frame().with_columns(values.alias(column))
    folder = _folder_with(tmp_path, "typed", _parquet_bytes(frame), "transactions.parquet")
    with pytest.raises(DataError) as info:
        load_tables(folder)
    assert str(info.value).startswith(f"{folder / 'transactions.parquet'}: columns of unsupported")
    assert message in str(info.value)
    record("tables generated: inputs loaded")


@pytest.mark.parametrize(
    ("column", "values", "loaded", "rejects"),
    [
        # Integer dollars, including one too big for the 16 digits moneytrail keeps.
        ("amount", pl.Series([100, 2**62]), ["a"], [(2, "amount", AMOUNT)]),
        (
            "amount",
            pl.Series([float("inf"), float("nan")]),
            [],
            [(1, "amount", AMOUNT), (2, "amount", AMOUNT)],
        ),
        # A database decimal with three places: 2.000 is exactly $2, 1.005 is not whole cents.
        (
            "amount",
            pl.Series(["1.005", "2"]).cast(pl.Decimal(10, 3)),
            ["b"],
            [(1, "amount", "more than 2 decimal places")],
        ),
        # A midnight timestamp (how pandas writes dates) is a date; any other time of day is
        # rejected, never silently truncated; a timestamp with a time zone is not a date.
        (
            "date",
            pl.Series([dt.datetime(2016, 1, 1, 5), dt.datetime(2016, 1, 2)], dtype=pl.Datetime),
            ["b"],
            [(1, "date", NOT_DATE)],
        ),
        (
            "date",
            pl.Series([dt.datetime(2016, 1, 1), dt.datetime(2016, 1, 2)]).dt.replace_time_zone(
                "UTC"
            ),
            [],
            [(1, "date", NOT_DATE), (2, "date", NOT_DATE)],
        ),
        ("date", pl.Series([dt.date(1918, 11, 5), dt.date(2099, 12, 31)]), ["a", "b"], []),
        (
            "transaction_id",
            pl.Series([True, True]),
            ["true"],
            [(2, "transaction_id", "duplicate transaction_id")],
        ),
        (
            "kind",
            pl.Series([None, None], dtype=pl.String),
            [],
            [(1, "kind", "missing value"), (2, "kind", "missing value")],
        ),
        ("source_name", pl.Series(["a\x00b", "\x1b[2J"]), ["b"], [(1, "source_name", "NUL byte")]),
    ],
)
def test_parquet_columns_of_other_types_are_validated_as_text(
    tmp_path: Path,
    column: str,
    values: pl.Series,
    loaded: list[str],
    rejects: list[tuple[int, str, str]],
) -> None:
    frame = _valid_frame().with_columns(values.alias(column))
    folder = _folder_with(tmp_path, "typed", _parquet_bytes(frame), "transactions.parquet")
    ds, got = _load_checked(folder)
    assert _ids(ds) == loaded
    file = str(folder / "transactions.parquet")
    assert got == [(file, ln, c, r) for ln, c, r in rejects]
    record("tables generated: inputs loaded")


def test_folders_without_a_recognisable_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "notes.txt").write_text("hello\n")
    (notes / "committees.csv").write_text("committee_id,name\nC1,X\n")
    (notes / "transactions.csv.bak").write_text(HEADER + "\n")
    odd = tmp_path / "odd"
    (odd / "transactions.csv").mkdir(parents=True)  # a folder named like the file
    for path in (empty, notes, odd, notes / "notes.txt", notes / "committees.csv"):
        with pytest.raises(DataError) as info:
            open_dataset(path, cache=False)
        # The message names every format looked for (tables, FEC, the filing systems...).
        message = str(info.value)
        assert message.startswith(
            f"{path}: no moneytrail tables (transactions.csv/.parquet), FEC bulk files, "
        )
        assert message.endswith(" found")
        record("tables generated: inputs loaded")


def test_csv_and_parquet_of_one_table_is_refused(tmp_path: Path) -> None:
    folder = _folder_with(tmp_path, "both", (HEADER + "\n" + _row("t1") + "\n").encode())
    (folder / "transactions.parquet").write_bytes(_parquet_bytes(_valid_frame()))
    with pytest.raises(DataError, match=r"both transactions\.csv and transactions\.parquet"):
        load_tables(folder)
    record("tables generated: inputs loaded")


# --- properties -----------------------------------------------------------------------------

_TOKENS: Final = [
    '"',
    '""',
    ",",
    "\r",
    "\r\n",
    "\n",
    "\x00",
    "\ufeff",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\u202e",
    "[/bold]",
    "12,50",
    "1e309",
    "--5",
    "-250.00",
    "00000000",
    "02302016",
    "1918-11-05",
    "2099-12-31",
    "contribution",
    "individual",
    _row("t1"),
    _row("t1", '"Q, ""X"""'),
]
_TEXT: Final = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_PIECE: Final = st.one_of(
    _TEXT.map(lambda s: s.encode()),
    st.sampled_from(_TOKENS).map(lambda s: s.encode()),
    st.binary(max_size=6),  # invalid UTF-8, lone bytes
    st.sampled_from(["Ü", "é", "ñ"]).map(lambda s: s.encode("latin-1")),
)
_LINE: Final = st.lists(_PIECE, max_size=10).map(b"".join)


def _property(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _load_or_data_error(folder: Path, file: str) -> Dataset | None:
    """Load; a `DataError` must be one line naming the file. Anything else fails the test."""
    try:
        ds, _ = _load_checked(folder)
    except DataError as exc:
        assert str(exc).startswith(f"{folder / file}:")
        assert "\n" not in str(exc)
        return None
    return ds


@_property(EXAMPLES["lines"])
@given(lines=st.lists(_LINE, max_size=15), final_newline=st.booleans())
def test_random_lines_after_a_valid_header(lines: list[bytes], final_newline: bool) -> None:
    data = HEADER.encode() + b"\n" + b"\n".join(lines) + (b"\n" if final_newline else b"")
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder_with(Path(tmp), "ds", data)
        ds = _load_or_data_error(folder, "transactions.csv")
        if ds is not None:
            physical = data.count(b"\n") + 1
            rejects = ds.rejects.collect()
            assert rejects["line"].is_between(2, physical).all()
            assert rejects["file"].to_list() == [str(folder / "transactions.csv")] * rejects.height
    record("tables hypothesis: examples (random lines after a header)")


@_property(EXAMPLES["committees"])
@given(lines=st.lists(_LINE, max_size=10))
def test_random_lines_in_an_entity_table(lines: list[bytes]) -> None:
    data = b"committee_id,name,kind\n" + b"\n".join(lines)
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder_with(Path(tmp), "ds", (HEADER + "\n" + _row("t1") + "\n").encode())
        (folder / "committees.csv").write_bytes(data)
        ds = _load_or_data_error(folder, "committees.csv")
        if ds is not None:
            assert ds.report.files[1].path == str(folder / "committees.csv")
            # Every committee is listed once: later duplicates were rejected, not merged.
            cm = ds.committees.collect()
            assert cm["committee_id"].is_unique().all()
    record("tables hypothesis: examples (random lines in committees.csv)")


_FIELD: Final = st.one_of(_TEXT, st.sampled_from(_TOKENS))


@_property(EXAMPLES["records"])
@given(rows=st.lists(st.lists(_FIELD, min_size=7, max_size=7), max_size=12))
def test_well_quoted_records_are_each_loaded_or_rejected_at_their_line(
    rows: list[list[str]],
) -> None:
    """csv-module-written records (any text, quoted as needed): each is accounted for exactly.

    A loaded row keeps its text verbatim; a rejected row is reported at the physical line it
    starts on (fields may hold newlines, so lines are counted from what was written).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # quotes any field with \r or \n
    writer.writerow(HEADER.split(","))
    starts = []
    for i, row in enumerate(rows):
        starts.append(out.getvalue().count("\n") + 1)
        writer.writerow([f"r{i}", *row[1:]])  # unique ids, so duplicates do not interfere
    data = out.getvalue().encode()
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder_with(Path(tmp), "ds", data)
        ds = _load_or_data_error(folder, "transactions.csv")
        assert ds is not None, "a well-quoted file with a valid header is always read"
        assert ds.report.files[0].rows_read == len(rows)
        loaded = ds.transactions.collect()
        rejected = ds.rejects.collect()
        ids = {int(t[1:]) for t in loaded["transaction_id"]}
        lines = set(rejected["line"].to_list())
        for i, row in enumerate(rows):
            assert (i in ids) != (starts[i] in lines), (i, row)
        for tid, name in loaded.select("transaction_id", "source_name").rows():
            written = rows[int(tid[1:])][5]
            assert name == (written or None)  # strings are kept exactly, empty is missing
    record("tables hypothesis: examples (well-quoted records)")


@_property(EXAMPLES["parquet"])
@given(
    columns=st.lists(st.lists(st.one_of(st.none(), _FIELD), min_size=7, max_size=7), max_size=10)
)
def test_random_parquet_strings(columns: list[list[str | None]]) -> None:
    names = HEADER.split(",")
    frame = pl.DataFrame(
        {n: [row[j] for row in columns] for j, n in enumerate(names)},
        schema={n: pl.String() for n in names},
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder_with(Path(tmp), "ds", _parquet_bytes(frame), "transactions.parquet")
        ds = _load_or_data_error(folder, "transactions.parquet")
        assert ds is not None, "a Parquet file with the required columns is always read"
        assert ds.report.files[0].rows_read == len(columns)
        rejected = ds.rejects.collect()
        assert rejected["line"].is_between(1, len(columns)).all()
        assert rejected["line"].is_unique().all()  # one reject per row: the first problem
    record("tables hypothesis: examples (random Parquet strings)")


def test_reader_never_writes_next_to_its_input(tmp_path: Path) -> None:
    """No cache, lock or temp file appears in the dataset folder, and mtimes stay put."""
    folder = shutil.copytree(CORPUS / "entity_tables", tmp_path / "ds")
    os.utime(folder / "transactions.csv", ns=(1_000_000_000, 1_000_000_000))
    before = sorted(p.name for p in folder.iterdir())
    _load_checked(folder)
    assert sorted(p.name for p in folder.iterdir()) == before
    assert (folder / "transactions.csv").stat().st_mtime_ns == 1_000_000_000
