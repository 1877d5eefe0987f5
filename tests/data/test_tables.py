"""The moneytrail-tables reader: loading, validation, rejects, the broken-input corpus."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.errors import DataError
from moneytrail.data.schema import CANDIDATES, COMMITTEES, RACES, REJECTS, TRANSACTIONS
from moneytrail.data.tables import is_tables_path, load_tables

CORPUS = Path(__file__).parent / "corpus_tables"
HEADER = "transaction_id,date,amount,kind,source_kind,source_name,recipient_committee_id\n"


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def _corpus(tmp_path: Path, name: str) -> tuple[Path, Path]:
    folder = tmp_path / "ds"
    folder.mkdir()
    target = folder / "transactions.csv"
    shutil.copyfile(CORPUS / name, target)
    return folder, target


def _rejects(ds: Dataset) -> list[tuple[str, int, str | None, str]]:
    """`(file:line: column: reason)` pieces of every reject, in line order."""
    return [(f, ln, c, r) for f, ln, c, r, _raw in ds.rejects.collect().rows()]


def _check_counts(ds: Dataset) -> None:
    for f in ds.report.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected
    assert ds.report.rows_read == ds.report.rows_loaded + ds.report.rows_rejected
    assert ds.transactions.select(pl.len()).collect().item() == ds.report.files[0].rows_loaded


# --- loading --------------------------------------------------------------------------------


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "florida-2016"
    _write(
        folder,
        "transactions.csv",
        "transaction_id,date,amount,kind,source_kind,source_id,source_name,source_zip,"
        "recipient_committee_id,candidate_id,support_oppose,memo,notes\n"
        't1,2016-01-05,1000.00,contribution,individual,,"DOE, JANE",32801,C1,,,,first\n'
        "t2,2016-01-06,-50,contribution,individual,,JANE DOE,32801-0001,C1,,,false,\n"
        "t3,2016-02-01,2500.5,contribution,committee,C2,Pass PAC,,C1,,,,\n"
        "t4,2016-03-01,99.99,independent_expenditure,committee,C1,Friends,,,P1,s,,\n"
        't5,2016-03-02,10,contribution,organization,,"Acme, Inc.",,C1,,,TRUE,memo row\n',
    )
    _write(folder, "committees.csv", "committee_id,name,kind,candidate_id\nC1,Friends,PAC,P2\n")
    _write(folder, "candidates.csv", "candidate_id,name,race_id,incumbent\nP2,Roe,R1,yes\n")
    _write(
        folder,
        "races.csv",
        "race_id,name,office,state,year,stage,population\nR1,FL-1 2016,House,FL,2016,general,\n",
    )
    return folder


def test_loads_a_csv_folder(tmp_path: Path) -> None:
    ds = load_tables(_folder(tmp_path))
    assert ds.name == "florida-2016"
    assert ds.synthetic is False
    tx = ds.transactions.collect()
    assert tx.columns == [*TRANSACTIONS, "notes"]
    assert tx.schema == pl.Schema({**TRANSACTIONS, "notes": pl.String()})
    assert tx["amount_cents"].to_list() == [100000, -5000, 250050, 9999, 1000]
    assert tx["date"].to_list()[0] == date(2016, 1, 5)
    assert tx["memo"].to_list() == [False, False, False, False, True]
    assert tx["support_oppose"].to_list() == [None, None, None, "S", None]
    assert tx["donor_key"].to_list() == [
        "I|DOE JANE|32801",
        "I|DOE JANE|32801",
        "C|C2",
        "C|C1",
        "O|ACME INC",
    ]
    assert tx["notes"].to_list() == ["first", None, None, None, "memo row"]
    # The file's optional columns that were absent are null.
    assert tx["source_city"].null_count() == 5

    cm = ds.committees.collect()
    assert cm.schema == pl.Schema(COMMITTEES)
    assert cm.rows() == [
        ("C1", "Friends", "pac", None, None, "P2", False),
        ("C2", "Pass PAC", "other", None, None, None, True),
    ]
    cn = ds.candidates.collect()
    assert cn.schema == pl.Schema(CANDIDATES)
    assert cn.select("candidate_id", "incumbent", "inferred").rows() == [
        ("P2", True, False),
        ("P1", None, True),
    ]
    rc = ds.races.collect()
    assert rc.schema == pl.Schema(RACES)
    assert rc.rows() == [
        ("R1", "FL-1 2016", "House", "FL", None, 2016, "general", None, None, False)
    ]
    assert ds.report.created == {"committees": 1, "candidates": 1, "races": 0}
    assert [f.kind for f in ds.report.files] == [
        "transactions",
        "committees",
        "candidates",
        "races",
    ]
    assert ds.rejects.collect().height == 0
    _check_counts(ds)


def test_parquet_tables_load_like_csv(tmp_path: Path) -> None:
    csv_ds = load_tables(_folder(tmp_path))
    pq = tmp_path / "as-parquet"
    pq.mkdir()
    for table in ("transactions", "committees", "candidates", "races"):
        src = tmp_path / "florida-2016" / f"{table}.csv"
        pl.read_csv(src, infer_schema=False).write_parquet(pq / f"{table}.parquet")
    pq_ds = load_tables(pq)
    assert pq_ds.transactions.collect().equals(csv_ds.transactions.collect())
    assert pq_ds.committees.collect().equals(csv_ds.committees.collect())
    assert pq_ds.report.files[0].path.endswith("transactions.parquet")


def test_parquet_with_native_types_and_row_number_lines(tmp_path: Path) -> None:
    folder = tmp_path / "typed"
    folder.mkdir()
    pl.DataFrame(
        {
            "transaction_id": ["a", "b", "c"],
            "date": [date(2016, 1, 1), date(2016, 1, 2), None],
            "amount": [12.5, 0.1 + 0.2, 3.0],
            "kind": ["contribution"] * 3,
            "source_kind": ["individual"] * 3,
            "recipient_committee_id": ["C1"] * 3,
            "memo": [True, False, None],
        }
    ).write_parquet(folder / "transactions.parquet")
    ds = load_tables(folder)
    assert ds.transactions.select("transaction_id", "amount_cents", "memo").collect().rows() == [
        ("a", 1250, True)
    ]
    file = str(folder / "transactions.parquet")
    assert _rejects(ds) == [
        (file, 2, "amount", "more than 2 decimal places"),
        (file, 3, "date", "missing value"),
    ]
    _check_counts(ds)


def test_single_transactions_file_path_uses_its_siblings(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert is_tables_path(folder)
    assert is_tables_path(folder / "transactions.csv")
    assert not is_tables_path(folder / "committees.csv")
    assert not is_tables_path(tmp_path)
    ds = load_tables(folder / "transactions.csv")
    assert ds.name == "florida-2016"
    assert ds.committees.collect().height == 2


def test_only_transactions_gives_empty_entity_tables_plus_inferred(tmp_path: Path) -> None:
    folder = tmp_path / "bare"
    _write(folder, "transactions.csv", HEADER + "t1,2016-01-05,5,contribution,individual,X,C9\n")
    ds = load_tables(folder)
    assert ds.committees.collect().select("committee_id", "name", "inferred").rows() == [
        ("C9", "C9", True)
    ]
    assert ds.candidates.collect().schema == pl.Schema(CANDIDATES)
    assert ds.races.collect().height == 0
    assert [f.kind for f in ds.report.files] == ["transactions"]


def test_synthetic_marker(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "SYNTHETIC").write_text("illustrative data\n")
    assert load_tables(folder).synthetic is True


def test_source_files_are_not_modified(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    load_tables(folder).transactions.collect()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


# --- whole-input errors ---------------------------------------------------------------------


def test_missing_required_column_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    path = _write(folder, "transactions.csv", "transaction_id,date,kind\nt1,2016-01-01,x\n")
    with pytest.raises(DataError) as info:
        load_tables(folder)
    assert str(info.value) == f"{path}:1: missing required column(s): amount, source_kind"


def test_missing_required_column_in_an_entity_table(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    _write(folder, "transactions.csv", HEADER)
    path = _write(folder, "committees.csv", "committee_id,kind\nC1,pac\n")
    with pytest.raises(DataError, match=rf"^{path}:1: missing required column\(s\): name$"):
        load_tables(folder)


def test_duplicate_and_reserved_columns(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    path = _write(folder, "transactions.csv", HEADER.strip() + ",date\n")
    with pytest.raises(DataError, match=rf"^{path}:1: duplicate column 'date' in the header$"):
        load_tables(folder)
    _write(folder, "transactions.csv", HEADER.strip() + ",amount_cents\n")
    with pytest.raises(DataError, match="'amount_cents' is derived by moneytrail"):
        load_tables(folder)


def test_unreadable_file_and_corrupt_parquet(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    path = _write(folder, "transactions.parquet", b"PAR1 not really parquet")
    with pytest.raises(DataError, match=rf"^{path}: not a readable Parquet file"):
        load_tables(folder)
    path.unlink()
    path = _write(folder, "transactions.csv", HEADER)
    path.chmod(0)
    try:
        if _can_read(path):
            pytest.skip("running as a user who can read mode-000 files")
        with pytest.raises(DataError, match=rf"^{path}: cannot read file"):
            load_tables(folder)
    finally:
        path.chmod(0o644)


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except OSError:
        return False
    return True


def test_both_csv_and_parquet_of_one_table(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    _write(folder, "transactions.csv", HEADER)
    _write(folder, "committees.csv", "committee_id,name\n")
    pl.DataFrame({"committee_id": ["C1"], "name": ["x"]}).write_parquet(
        folder / "committees.parquet"
    )
    with pytest.raises(DataError, match=r"both committees\.csv and committees\.parquet"):
        load_tables(folder)


def test_folder_without_transactions(tmp_path: Path) -> None:
    assert not is_tables_path(tmp_path)
    with pytest.raises(DataError, match=r"no transactions\.csv or transactions\.parquet"):
        load_tables(tmp_path)


# --- row validation -------------------------------------------------------------------------


def test_entity_table_validation(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    _write(folder, "transactions.csv", HEADER)
    cm = _write(
        folder,
        "committees.csv",
        "committee_id,name,kind\nC1,One,pac\nC2,,pac\nC3,Three,lobby\nC1,Again,pac\n",
    )
    cn = _write(folder, "candidates.csv", "candidate_id,name,incumbent\nP1,A,maybe\nP2,B,no\n")
    rc = _write(
        folder,
        "races.csv",
        "race_id,name,year,stage,population\n"
        "R1,A,16,general,\nR2,B,2016,final,\nR3,C,2016,primary,1.5e6\nR4,D,2016,runoff,900\n",
    )
    ds = load_tables(folder)
    assert _rejects(ds) == [
        (str(cm), 3, "name", "missing value"),
        (str(cm), 4, "kind", "not one of candidate|pac|super_pac|party|527|conduit|other"),
        (str(cm), 5, "committee_id", "duplicate committee_id"),
        (str(cn), 2, "incumbent", "not a boolean (true/false)"),
        (str(rc), 2, "year", "implausible year"),
        (str(rc), 3, "stage", "not one of primary|general|special|runoff"),
        (str(rc), 4, "population", "not a whole number"),
    ]
    assert ds.races.collect().select("race_id", "year", "stage", "population").rows() == [
        ("R4", 2016, "runoff", 900)
    ]
    assert ds.report.files[1].rejected == {
        "committee_id: duplicate committee_id": 1,
        "kind: not one of candidate|pac|super_pac|party|527|conduit|other": 1,
        "name: missing value": 1,
    }
    _check_counts(ds)


def test_support_oppose_and_memo_values(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    path = _write(
        folder,
        "transactions.csv",
        "transaction_id,date,amount,kind,source_kind,candidate_id,support_oppose,memo\n"
        "t1,2016-01-05,5,independent_expenditure,committee,P1,X,\n"
        "t2,2016-01-05,5,expenditure,committee,,,perhaps\n"
        "t3,2016-01-05,5,expenditure,committee,,o,Y\n",
    )
    ds = load_tables(folder)
    assert _rejects(ds) == [
        (str(path), 2, "support_oppose", "not one of S|O"),
        (str(path), 3, "memo", "not a boolean (true/false)"),
    ]
    assert ds.transactions.select("support_oppose", "memo").collect().rows() == [("O", True)]


def test_reject_raw_line_is_kept(tmp_path: Path) -> None:
    folder, _ = _corpus(tmp_path, "bad_amounts.csv")
    raws = load_tables(folder).rejects.collect()["raw"].to_list()
    assert raws[0] == 't1,2016-01-05,"12,50",contribution,individual,"DOE, JANE",C1'
    assert len(raws) == 6


# --- the broken-input corpus ----------------------------------------------------------------

FIELDS = "expected 7 fields, found"
CORPUS_CASES: dict[str, tuple[int, list[str], list[tuple[int, str | None, str]]]] = {
    # name: (rows_read, loaded transaction ids, [(line, column, reason)])
    "header_only.csv": (0, [], []),
    "truncated_last_line.csv": (3, ["t1", "t2"], [(4, None, f"{FIELDS} 2")]),
    "wrong_field_count.csv": (
        4,
        ["t1", "t4"],
        [(3, None, f"{FIELDS} 8"), (4, None, f"{FIELDS} 2")],
    ),
    "bad_amounts.csv": (
        8,
        ["t7", "t8"],
        [
            (2, "amount", "not a decimal dollar amount"),  # "12,50"
            (3, "amount", "not a decimal dollar amount"),  # 1e309
            (4, "amount", "not a decimal dollar amount"),  # --5
            (5, "amount", "more than 2 decimal places"),  # 12.345
            (6, "amount", "not a decimal dollar amount"),  # $5
            (7, "amount", "missing value"),
        ],
    ),
    "bad_dates.csv": (
        5,
        ["t5"],
        [
            (2, "date", "no such date"),  # 2016-02-30
            (3, "date", "not a date (expected YYYY-MM-DD)"),  # 00000000
            (4, "date", "not a date (expected YYYY-MM-DD)"),  # 2016-1-5
            (5, "date", "year outside 1900-2100"),  # 0016-01-05
        ],
    ),
    "bad_enums.csv": (
        5,
        ["t3"],
        [
            (2, "kind", "not one of contribution|independent_expenditure|expenditure"),
            (3, "source_kind", "not one of individual|organization|committee"),
            (5, "recipient_committee_id", "required for a contribution"),
            (6, "transaction_id", "missing value"),
        ],
    ),
    "duplicate_ids.csv": (
        4,
        ["t1", "t2"],
        [
            (4, "transaction_id", "duplicate transaction_id"),
            (5, "transaction_id", "duplicate transaction_id"),
        ],
    ),
    "nul_byte.csv": (3, ["t1", "t3"], [(3, "source_name", "NUL byte")]),
    "invalid_utf8.csv": (2, ["t1", "t2"], []),
    "unterminated_quote.csv": (
        3,
        ["t1", "t3"],
        [(3, None, "malformed CSV: ',' expected after '\"'")],
    ),
    "crlf_bom_quoted.csv": (4, ["t1", "t2", "t3", "t4"], []),
}


def test_every_corpus_file_has_a_case() -> None:
    assert {p.name for p in CORPUS.glob("*.csv")} == {*CORPUS_CASES, "empty.csv"}


@pytest.mark.parametrize("name", sorted(CORPUS_CASES))
def test_corpus(tmp_path: Path, name: str) -> None:
    rows_read, loaded, rejects = CORPUS_CASES[name]
    folder, path = _corpus(tmp_path, name)
    ds = load_tables(folder)
    report = ds.report.files[0]
    assert report.rows_read == rows_read
    assert ds.transactions.collect()["transaction_id"].to_list() == loaded
    assert _rejects(ds) == [(str(path), ln, col, reason) for ln, col, reason in rejects]
    assert ds.rejects.collect().schema == pl.Schema(REJECTS)
    _check_counts(ds)


def test_empty_file_is_a_data_error(tmp_path: Path) -> None:
    folder, path = _corpus(tmp_path, "empty.csv")
    with pytest.raises(DataError) as info:
        load_tables(folder)
    assert str(info.value) == f"{path}: empty file: no header row"


def test_reject_format_reads_file_line_column_reason(tmp_path: Path) -> None:
    folder, path = _corpus(tmp_path, "bad_dates.csv")
    first = load_tables(folder).rejects.collect().row(0, named=True)
    line = DataError(
        first["reason"], path=first["file"], line=first["line"], column=first["column"]
    )
    assert str(line) == f"{path}:2: date: no such date"


def test_hostile_text_survives_literally(tmp_path: Path) -> None:
    folder, _ = _corpus(tmp_path, "crlf_bom_quoted.csv")
    ds = load_tables(folder)
    tx = ds.transactions.collect()
    assert tx.columns[0] == "transaction_id"  # the BOM is not part of the first name
    assert tx["source_name"].to_list() == [
        "SMITH [R], JOHN",
        '[/bold] "Q", X',
        "TWO\r\nLINES",
        "\x1b[31mRED",
    ]
    assert tx["recipient_committee_id"].to_list() == ["C1"] * 4  # no stray \r from CRLF


def test_invalid_utf8_is_replaced_and_counted(tmp_path: Path) -> None:
    folder, _ = _corpus(tmp_path, "invalid_utf8.csv")
    ds = load_tables(folder)
    assert ds.report.files[0].bytes_replaced == 1
    assert ds.report.bytes_replaced == 1
    assert ds.transactions.collect()["source_name"][0] == "M\ufffdLLER"


def test_unterminated_quote_rejects_one_line_and_reads_on(tmp_path: Path) -> None:
    folder, _ = _corpus(tmp_path, "unterminated_quote.csv")
    raw = load_tables(folder).rejects.collect()["raw"].to_list()
    assert raw == ['t2,2016-01-05,5.00,contribution,individual,"OPEN,C1']


def test_money_is_exact_cents(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    amounts = ["0.1", "0.2", "-0.05", "+7.5", "99999999999999.99", "19.99", ".5", "3."]
    body = "".join(
        f"t{i},2016-01-05,{a},contribution,individual,X,C1\n" for i, a in enumerate(amounts)
    )
    _write(folder, "transactions.csv", HEADER + body)
    cents = load_tables(folder).transactions.collect()["amount_cents"].to_list()
    assert cents == [10, 20, -5, 750, 9_999_999_999_999_999, 1999, 50, 300]


@pytest.mark.parametrize("name", ["bad_amounts.csv", "wrong_field_count.csv", "duplicate_ids.csv"])
def test_fast_and_careful_csv_paths_agree(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moneytrail.data import tables

    folder, _ = _corpus(tmp_path, name)
    text, _ = tables._decode((folder / "transactions.csv").read_bytes())
    assert tables._fast_csv(text, "x") is not None  # these files take the fast path
    fast = load_tables(folder)
    monkeypatch.setattr(tables, "_fast_csv", lambda text, file: None)
    careful = load_tables(folder)
    assert fast.transactions.collect().equals(careful.transactions.collect())
    assert fast.rejects.collect().equals(careful.rejects.collect())
    assert fast.report == careful.report
