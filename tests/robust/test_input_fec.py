"""Broken input for the FEC readers: the pipe bulk files and the independent-expenditure csv.

What is proved, on the committed corpus (`tests/robust/corpus_fec/`, with `expected.toml`), on
large and zip cases built in tmp folders, and on random lines (hypothesis):

* nothing raises but `DataError`, and only for whole-file problems (one line, naming the file);
* every physical line is a row read, and rows read = loaded + rejected for every file;
* each reject keeps its file, line and reason (and the column for value rejects), exactly the
  ones `expected.toml` lists, and the load report says the same;
* the dollars of the loaded rows equal a plain-Python sum over the lines expected to load;
* rows naming committees or candidates that are not listed still load and their money shows;
* input files and zips are never written (sha256 and mtime unchanged).

Everything goes through the public entry point `open_dataset` (with `cache=False`, except one
test through a tmp cache), so these tests hold whatever the readers look like inside.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import struct
import tempfile
import tomllib
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from moneytrail.cli import main as cli_main
from moneytrail.data.dataset import Dataset
from moneytrail.data.errors import DataError
from moneytrail.data.fec.layouts import IE_COLUMNS, LAYOUTS
from moneytrail.data.open import open_dataset
from moneytrail.query.committees import committees
from moneytrail.query.filters import Filters
from tests.robust.corpus_fec import make_corpus
from tests.robust.figures import record

CORPUS = Path(make_corpus.__file__).resolve().parent
EXPECTED: dict[str, dict[str, object]] = tomllib.loads(
    (CORPUS / "expected.toml").read_text(encoding="utf-8")
)
REASONS = {"wrong field count", "bad amount", "bad date", "missing id", "bad csv line"}
#: The column a value reject names, by reason and file kind (null for line-level rejects).
REJECT_COLUMN = {
    ("bad amount", "ie"): "exp_amo",
    ("bad date", "ie"): "exp_date",
    ("bad amount", "pipe"): "TRANSACTION_AMT",
    ("bad date", "pipe"): "TRANSACTION_DT",
}
AMOUNT_FIELD = {kind: LAYOUTS[kind].index("TRANSACTION_AMT") for kind in LAYOUTS if kind in {
    "itcont", "itoth", "itpas2", "oppexp"}}  # fmt: skip
REFUNDS = {"22Y", "22Z", "22R", "23Y", "17R"}
_AMOUNT_RE = re.compile(r"^-?([0-9]{1,15}(\.[0-9]{0,2})?|\.[0-9]{1,2})$")


@pytest.fixture(autouse=True, scope="module")
def _no_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Nothing here may touch the user's real cache or config."""
    root = tmp_path_factory.mktemp("dirs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MONEYTRAIL_CACHE_DIR", str(root / "cache"))
        mp.setenv("MONEYTRAIL_CONFIG_DIR", str(root / "config"))
        yield


# --- helpers -------------------------------------------------------------------------------


def fingerprint(root: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mtime (ns) of every file under `root` (or of `root` itself)."""
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    return {
        str(p): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in files
    }


def load(path: Path) -> Dataset:
    """`open_dataset` without a cache, checking the inputs were not written."""
    before = fingerprint(path)
    try:
        return open_dataset(path, cache=False)
    finally:
        assert fingerprint(path) == before, "an input file was written"


def lossy(data: bytes) -> str:
    """`data` decoded as the FEC reader promises: each byte that is not UTF-8 read as cp1252."""
    return re.sub(
        "[\udc80-\udcff]",
        lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", "replace"),
        data.decode("utf-8", "surrogateescape"),
    )


def physical_lines(data: bytes) -> list[bytes]:
    """The physical lines of `data` (a final line break ends the last line, adds none)."""
    if not data:
        return []
    lines = data.split(b"\n")
    return lines[:-1] if data.endswith(b"\n") else lines


def cents(text: str) -> int:
    """A well-formed FEC amount as exact cents, computed without Polars."""
    value = Decimal(text.strip()) * 100
    assert value == int(value), text
    return int(value)


def assert_balanced(ds: Dataset) -> pl.DataFrame:
    """Report and rejects agree: per file read = loaded + rejected, reasons counted alike."""
    rejects = ds.rejects.collect()
    for column in ("file", "line", "reason"):
        assert rejects.get_column(column).null_count() == 0, column
    assert rejects.get_column("line").min() is None or rejects.get_column("line").min() >= 1
    assert set(rejects.get_column("reason").unique().to_list()) <= REASONS
    assert rejects.select("file", "line").is_duplicated().sum() == 0
    for f in ds.report.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
        mine = rejects.filter(pl.col("file") == f.path)
        assert dict(Counter(mine.get_column("reason").to_list())) == f.rejected, f
        assert mine.height == f.rows_rejected
        if mine.height:
            assert mine.get_column("line").max() <= f.rows_read + (1 if f.kind == "fec:ie" else 0)
    assert rejects.height == ds.report.rows_rejected
    assert set(rejects.get_column("file").unique().to_list()) <= {f.path for f in ds.report.files}
    tx = ds.transactions.collect()
    tx.rows()  # every loaded value converts to Python (a year-0 date would not)
    assert tx.get_column("amount_cents").null_count() == 0  # no loaded row without its money
    loaded = Counter(tx.get_column("fec_file").to_list())
    for f in ds.report.files:
        if f.kind in {"fec:itcont", "fec:itoth", "fec:itpas2", "fec:oppexp", "fec:ie"}:
            assert loaded.get(f.path, 0) == f.rows_loaded, f
            lines = tx.filter(pl.col("fec_file") == f.path).get_column("fec_line")
            assert lines.n_unique() == lines.len()
            assert not set(lines.to_list()) & set(
                rejects.filter(pl.col("file") == f.path).get_column("line").to_list()
            )
    return rejects


# --- the committed corpus --------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken() -> Dataset:
    """The `broken16` folder loaded once (no cache)."""
    return load(CORPUS / "broken16")


def test_corpus_files_are_what_make_corpus_writes() -> None:
    files = make_corpus.corpus()
    for name, cases in files.items():
        assert (CORPUS / name).read_bytes() == make_corpus.file_bytes(cases), name
    assert (CORPUS / "expected.toml").read_text(encoding="utf-8") == make_corpus.expected_toml(
        files
    )
    record("fec input: corpus files", len(files))
    record("fec input: corpus lines", sum(len(c) for c in files.values()))


@pytest.mark.parametrize("name", [n for n in EXPECTED if n.startswith("broken16/")])
def test_each_corpus_file_rejects_exactly_the_expected_lines(broken: Dataset, name: str) -> None:
    rejects = assert_balanced(broken)
    label = name.split("/", 1)[1]
    expected = EXPECTED[name]
    is_ie = label.endswith(".csv")
    header = 1 if is_ie else 0
    report = next(f for f in broken.report.files if f.path == label)
    assert report.rows_read == expected["lines"] - header
    want = {int(k): v for k, v in expected["rejects"].items()}  # type: ignore[attr-defined]
    mine = rejects.filter(pl.col("file") == label).sort("line")
    assert dict(zip(mine.get_column("line"), mine.get_column("reason"), strict=True)) == want
    assert report.rows_loaded == report.rows_read - len(want)
    raw_lines = physical_lines((CORPUS / name).read_bytes())
    for row in mine.iter_rows(named=True):
        # The raw text is the line as read (lossy-decoded, its CR line end dropped).
        assert row["raw"] == lossy(raw_lines[row["line"] - 1]).removesuffix("\r")
        kind = "ie" if is_ie else "pipe"
        if row["reason"] in {"bad amount", "bad date"}:
            assert row["column"] == REJECT_COLUMN[(row["reason"], kind)]
        elif row["reason"] == "missing id":
            assert row["column"] in {"CMTE_ID", "CAND_ID"}
        else:
            assert row["column"] is None


def test_specific_rejects_keep_file_line_reason_and_text(broken: Dataset) -> None:
    rejects = broken.rejects.collect()

    def one(file: str, line: int) -> dict[str, object]:
        hit = rejects.filter((pl.col("file") == file) & (pl.col("line") == line))
        assert hit.height == 1, (file, line)
        return hit.row(0, named=True)

    comma = one("itcont.txt", 3)
    assert (comma["reason"], comma["column"]) == ("bad amount", "TRANSACTION_AMT")
    assert "|12,50|" in str(comma["raw"])
    assert one("itcont.txt", 10)["reason"] == "bad date"
    assert "|02302016|" in str(one("itcont.txt", 10)["raw"])
    assert one("itcont.txt", 21) == {
        "file": "itcont.txt",
        "line": 21,
        "column": None,
        "reason": "wrong field count",
        "raw": "",
    }
    assert one("itcont.txt", 34)["reason"] == "bad date"  # year 0
    assert one("itcont.txt", 35)["reason"] == "bad amount"  # fullwidth digits
    truncated = one("itcont.txt", 36)
    assert truncated["reason"] == "wrong field count" and len(str(truncated["raw"])) == 60
    assert one("itoth.txt", 4)["raw"] == lossy(
        physical_lines((CORPUS / "broken16/itoth.txt").read_bytes())[3]
    ).removesuffix("\r")
    assert one("cm.txt", 3)["column"] == "CMTE_ID"
    assert one("ccl.txt", 4)["column"] == "CAND_ID"
    assert one("oppexp.txt", 3)["column"] == "TRANSACTION_DT"
    unclosed = one("independent_expenditure_2016.csv", 10)
    assert unclosed["reason"] == "wrong field count" and "NEVER CLOSED" in str(unclosed["raw"])
    assert one("independent_expenditure_2016.csv", 12)["reason"] == "bad csv line"
    assert one("independent_expenditure_2016.csv", 7)["column"] == "exp_amo"


def _good_amounts(name: str) -> list[tuple[int, int, bool, bool]]:
    """(line, cents as filed, memo, refund) of the lines of a transaction file expected to load.

    Plain Python over the raw bytes: split on `|` (or the csv module), take the amount field.
    """
    expected = EXPECTED[name]
    rejected = {int(k) for k in expected["rejects"]}  # type: ignore[attr-defined]
    lines = physical_lines((CORPUS / name).read_bytes())
    out = []
    if name.endswith(".csv"):
        header = lossy(lines[0]).split(",")
        for number, line in enumerate(lines[1:], 2):
            if number not in rejected:
                fields = next(csv.reader([lossy(line).removesuffix("\r")]))
                row = dict(zip(header, fields, strict=True))
                out.append((number, cents(row["exp_amo"]), False, False))
        return out
    kind = Path(name).stem
    layout = LAYOUTS[kind]
    for number, line in enumerate(lines, 1):
        if number in rejected:
            continue
        fields = lossy(line).removesuffix("\r").split("|")
        memo = fields[layout.index("MEMO_CD")].upper() == "X"
        tp = fields[layout.index("TRANSACTION_TP")] if "TRANSACTION_TP" in layout else ""
        out.append((number, cents(fields[AMOUNT_FIELD[kind]]), memo, tp in REFUNDS))
    return out


TX_FILES = [
    n
    for n in EXPECTED
    if n.startswith("broken16/") and Path(n).stem in {"itcont", "itoth", "itpas2", "oppexp"}
] + ["broken16/independent_expenditure_2016.csv"]


@pytest.mark.parametrize("name", TX_FILES)
def test_loaded_dollars_equal_a_plain_python_sum(broken: Dataset, name: str) -> None:
    label = name.split("/", 1)[1]
    good = _good_amounts(name)
    rows = broken.transactions.filter(pl.col("fec_file") == label).collect().sort("fec_line")
    assert rows.get_column("fec_line").to_list() == [g[0] for g in good]
    assert rows.get_column("fec_amount_cents").to_list() == [g[1] for g in good]
    assert rows.get_column("fec_amount_cents").sum() == sum(g[1] for g in good)


def test_counted_total_equals_plain_python_and_nothing_vanishes(broken: Dataset) -> None:
    expected = 0
    for name in TX_FILES:
        for _, amount, memo, refund in _good_amounts(name):
            expected += 0 if memo else (-amount if refund else amount)
    counted = broken.transactions.filter(~pl.col("memo")).select(pl.col("amount_cents").sum())
    assert counted.collect().item() == expected
    # The largest accepted amount is exact to the cent (no float anywhere).
    itcont = broken.transactions.filter(pl.col("fec_file") == "itcont.txt").collect()
    assert 99_999_999_999_999_999 in itcont.get_column("amount_cents").to_list()


def test_unlisted_committees_and_candidates_load_and_keep_their_money(broken: Dataset) -> None:
    pane = committees(broken, Filters()).collect()
    by_id = {r["committee_id"]: r for r in pane.iter_rows(named=True)}
    assert by_id["C99999999"]["receipts_cents"] == 1500_00  # itcont to an unlisted recipient
    assert by_id["C88888888"]["receipts_cents"] == 5000_00  # itoth 24K to an unlisted committee
    # Its gift, reported only by the recipient (18G), is the unlisted giver's transfer out.
    assert by_id["C77777777"]["transfers_out_cents"] == 6000_00
    assert by_id["C00000001"]["receipts_cents"] >= 6000_00
    assert by_id["C66666666"]["expenditures_cents"] == 700_00  # oppexp by an unlisted filer
    assert by_id["C55555555"]["ie_support_cents"] == 5000_00  # IE csv by an unlisted spender
    listed = broken.committees.collect()
    inferred = set(listed.filter(pl.col("inferred")).get_column("committee_id").to_list())
    assert {"C99999999", "C88888888", "C77777777", "C66666666", "C55555555"} <= inferred
    assert listed.get_column("committee_id").is_duplicated().sum() == 0  # C00000001 listed twice
    cands = broken.candidates.collect()
    assert {"H9ZZ99999", "H9ZZ99998"} <= set(
        cands.filter(pl.col("inferred")).get_column("candidate_id").to_list()
    )
    assert cands.get_column("candidate_id").is_duplicated().sum() == 0  # H6AZ02001 twice in cn
    ie_for_unlisted = broken.transactions.filter(pl.col("candidate_id") == "H9ZZ99999").collect()
    assert ie_for_unlisted.get_column("amount_cents").sum() == 1000_00 + 1600_00
    assert broken.report.created["committees"] >= 5
    assert broken.report.created["candidates"] >= 2


def test_odd_but_possible_values_load_as_filed(broken: Dataset) -> None:
    tx = broken.transactions.collect()
    itcont = {r["fec_line"]: r for r in tx.filter(pl.col("fec_file") == "itcont.txt").iter_rows(
        named=True)}  # fmt: skip
    assert str(itcont[11]["date"]) == "1918-01-01"
    assert str(itcont[12]["date"]) == "2099-12-31"
    assert itcont[33]["date"] is None
    assert itcont[8]["amount_cents"] == -3550
    assert itcont[24]["amount_cents"] == 7500 and itcont[25]["amount_cents"] == 75
    assert itcont[32]["amount_cents"] == -3200 and itcont[32]["fec_amount_cents"] == 3200
    assert itcont[31]["memo"] is True
    assert itcont[16]["source_name"] == "NUL\x00BYTE, A"
    assert itcont[17]["source_name"] == "MUÑOZ, JOSÉ"  # Latin-1 bytes read as cp1252
    assert itcont[22]["source_name"] == make_corpus.HOSTILE_NAME
    # Repeated SUB_IDs and TRAN_IDs are all loaded and all counted (same filing).
    assert itcont[13]["transaction_id"] == itcont[1]["transaction_id"]
    assert not itcont[1]["memo"] and not itcont[13]["memo"] and not itcont[14]["memo"]
    ie = {r["fec_line"]: r for r in tx.filter(pl.col("fec_kind") == "ie").iter_rows(named=True)}
    assert str(ie[20]["date"]) == "1918-01-01" and str(ie[21]["date"]) == "2099-12-31"
    assert ie[19]["amount_cents"] == -500_00
    assert ie[11]["amount_cents"] == 4000_00  # the line after an unclosed quote
    replaced = {f.path: f.bytes_replaced for f in broken.report.files}
    assert replaced == {
        "itcont.txt": 5,
        "cm.txt": 2,
        "independent_expenditure_2016.csv": 2,
        "itoth.txt": 0,
        "itpas2.txt": 0,
        "cn.txt": 0,
        "ccl.txt": 0,
        "oppexp.txt": 0,
    }


def test_empty_itcont_and_header_only_csv_load_nothing() -> None:
    for folder in ("empty16", "header_only"):
        ds = load(CORPUS / folder)
        assert_balanced(ds)
        (report,) = ds.report.files
        assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (0, 0, 0)
        assert ds.transactions.collect().height == 0


def test_through_the_cache_the_corpus_gives_the_same_result(
    tmp_path: Path, broken: Dataset
) -> None:
    source = tmp_path / "broken16"
    shutil.copytree(CORPUS / "broken16", source)
    before = fingerprint(source)
    cached = open_dataset(source, cache_dir=tmp_path / "cache")
    again = open_dataset(source, cache_dir=tmp_path / "cache")
    assert fingerprint(source) == before
    assert again.report.from_cache
    for ds in (cached, again):
        assert_balanced(ds)
        assert ds.report.files == broken.report.files
        assert (
            ds.rejects.collect()
            .sort("file", "line")
            .equals(broken.rejects.collect().sort("file", "line"))
        )
        names = ds.transactions.select("source_name").collect().get_column("source_name")
        assert make_corpus.HOSTILE_NAME in names.to_list()


# --- built in tmp: a 100k-character field, zips, whole-file problems --------------------------


def test_a_100k_character_field_loads_whole(tmp_path: Path) -> None:
    long_name = "X" * 100_000
    folder = tmp_path / "long16"
    folder.mkdir()
    (folder / "itcont.txt").write_bytes(
        make_corpus.gift("5", "1") + b"\n" + make_corpus.gift("6", "2", NAME=long_name) + b"\n"
    )
    too_long = "Y" * 200_000  # beyond the csv module's field limit
    ie = [
        ",".join(IE_COLUMNS).encode(),
        make_corpus._ie_row(pay=long_name),
        make_corpus._ie_row(pay=too_long, tran_id="IE2"),
    ]
    (folder / "independent_expenditure_2016.csv").write_bytes(b"\n".join(ie) + b"\n")
    ds = load(folder)
    rejects = assert_balanced(ds)
    tx = ds.transactions.collect()
    assert tx.filter(pl.col("fec_line") == 2).get_column("fec_name").to_list() == [
        long_name,
        long_name,
    ]
    assert rejects.rows(named=True) == [
        {
            "file": "independent_expenditure_2016.csv",
            "line": 3,
            "column": None,
            "reason": "bad csv line",
            "raw": ie[2].decode(),
        }
    ]
    record("fec input: generated cases", 2)


def _zip(
    path: Path,
    members: dict[str, bytes] | list[tuple[str, bytes]],
    method: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """Write a zip of `members` (a list may name a member twice)."""
    pairs = list(members.items()) if isinstance(members, dict) else members
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Duplicate name", UserWarning)
        with zipfile.ZipFile(path, "w", method) as zf:
            for name, data in pairs:
                zf.writestr(name, data)
    return path


def _patch_headers(path: Path, local: tuple[int, int], central: tuple[int, int]) -> None:
    """Overwrite one 16-bit field (offset, value) in the first local and central header."""
    data = bytearray(path.read_bytes())
    for signature, (offset, value) in ((b"PK\x03\x04", local), (b"PK\x01\x02", central)):
        at = data.find(signature)
        struct.pack_into("<H", data, at + offset, value)
    path.write_bytes(bytes(data))


def _encrypted(folder: Path) -> None:
    """A member flagged as encrypted (general-purpose flag bit 0)."""
    path = _zip(folder / "indiv16.zip", {"itcont.txt": _good_itcont()})
    _patch_headers(path, (6, 0x1), (8, 0x1))


def _deflate64(folder: Path) -> None:
    """A member compressed with method 9 (deflate64, which zipfile cannot read)."""
    path = _zip(folder / "indiv16.zip", {"itcont.txt": _good_itcont()})
    _patch_headers(path, (8, 9), (10, 9))


def test_the_corpus_zipped_gives_the_same_rejects(tmp_path: Path, broken: Dataset) -> None:
    itcont = (CORPUS / "broken16/itcont.txt").read_bytes()
    folder = tmp_path / "zips"
    folder.mkdir()
    _zip(folder / "indiv16.zip", {"itcont.txt": itcont})
    _zip(folder / "oth16.zip", {"by_date/itoth_2016_1.txt": (CORPUS / "broken16/itoth.txt")
         .read_bytes(), "README.md": b"not data"})  # fmt: skip
    ds = load(folder)  # also checks both zips are unchanged
    rejects = assert_balanced(ds)
    zipped = rejects.filter(pl.col("file") == "indiv16.zip:itcont.txt").drop("file")
    loose = broken.rejects.collect().filter(pl.col("file") == "itcont.txt").drop("file")
    assert zipped.sort("line").equals(loose.sort("line"))
    by_date = rejects.filter(pl.col("file") == "oth16.zip:by_date/itoth_2016_1.txt")
    assert by_date.get_column("line").sort().to_list() == [3, 4, 5]
    record("fec input: generated cases", 2)


def _good_itcont() -> bytes:
    return b"\n".join(make_corpus.gift(str(n), str(n)) for n in range(1, 400)) + b"\n"


def _corrupt_deflate(folder: Path) -> None:
    data = bytearray(_zip(folder / "indiv16.zip", {"itcont.txt": _good_itcont()}).read_bytes())
    for i in range(80, 200):  # inside the compressed member, well after its local header
        data[i] ^= 0xA5
    (folder / "indiv16.zip").write_bytes(bytes(data))


def _bad_crc(folder: Path) -> None:
    path = _zip(folder / "indiv16.zip", {"itcont.txt": _good_itcont()}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    data[200] ^= 0x01
    path.write_bytes(bytes(data))


def _truncated_zip(folder: Path) -> None:
    data = _zip(folder / "indiv16.zip", {"itcont.txt": _good_itcont()}).read_bytes()
    (folder / "indiv16.zip").write_bytes(data[: len(data) // 2])


def _two_levels_down(folder: Path) -> None:
    (folder / "a" / "b").mkdir(parents=True)
    (folder / "a" / "b" / "itcont.txt").write_bytes(_good_itcont())


def _member_cut_short(folder: Path) -> None:
    """A zip whose directory says the member's compressed data is half its real length."""
    data = bytearray(_zip(folder / "indiv16.zip", {"itcont.txt": _good_itcont()}).read_bytes())
    entry = data.rfind(b"PK\x01\x02")  # the central directory entry; compressed size at +20
    size = struct.unpack_from("<I", data, entry + 20)[0]
    struct.pack_into("<I", data, entry + 20, size // 2)
    (folder / "indiv16.zip").write_bytes(bytes(data))


def _ie(folder: Path, data: bytes) -> None:
    (folder / "independent_expenditure_2016.csv").write_bytes(data)


WHOLE_FILE_CASES = {
    "zip truncated": (_truncated_zip, "indiv16.zip"),
    "zip of garbage": (lambda d: (d / "cm16.zip").write_bytes(b"PK\x03\x04 garbage"), "cm16.zip"),
    "zip empty (0 bytes)": (lambda d: (d / "cn16.zip").write_bytes(b""), "cn16.zip"),
    "zip without its member": (
        lambda d: _zip(d / "indiv16.zip", {"readme.txt": b"hello", "cm.txt": b"x"}),
        "indiv16.zip",
    ),
    "zip member with a bad CRC": (_bad_crc, "indiv16.zip"),
    "zip member cut short": (_member_cut_short, "indiv16.zip"),
    "zip member encrypted": (_encrypted, "indiv16.zip"),
    "zip member in deflate64": (_deflate64, "indiv16.zip"),
    "zip holding its member twice": (
        lambda d: _zip(d / "indiv16.zip", [("itcont.txt", _good_itcont())] * 2),
        "indiv16.zip",
    ),
    "zip holding its member in two letter cases": (
        lambda d: _zip(d / "oth16.zip", {"itoth.txt": b"", "ITOTH.TXT": b""}),
        "oth16.zip",
    ),
    "zip member not a pipe file": (
        lambda d: _zip(d / "ccl16.zip", {"ccl.txt": b"a,b,c\n" * 200}),
        "ccl16.zip",
    ),
    "no recognisable file": (
        lambda d: [(d / "notes.txt").write_text("x"), (d / "cm_header_file.csv").write_text("a")],
        None,
    ),
    "empty directory": (lambda d: None, None),
    "recognisable files two levels down": (_two_levels_down, None),
    "first 100 lines all wrong": (
        lambda d: (d / "itcont.txt").write_bytes(b"a|b|c\n" * 100 + _good_itcont()),
        "itcont.txt",
    ),
    "blank lines only": (lambda d: (d / "cm.txt").write_bytes(b"\n\r\n\n"), "cm.txt"),
    "NUL bytes only": (lambda d: (d / "cn.txt").write_bytes(b"\x00" * 4096), "cn.txt"),
    "the same kind twice": (
        lambda d: [
            _zip(d / "indiv16.zip", {"itcont.txt": _good_itcont()}),
            (d / "indiv16").mkdir(),
            (d / "indiv16/itcont.txt").write_bytes(_good_itcont()),
        ],
        None,
    ),
    "ie csv empty": (lambda d: _ie(d, b""), "independent_expenditure_2016.csv"),
    "ie csv BOM only": (lambda d: _ie(d, b"\xef\xbb\xbf"), "independent_expenditure_2016.csv"),
    "ie csv without the amount column": (
        lambda d: _ie(d, b"cand_id,spe_id,exp_date,sup_opp\nH1,C1,15-JAN-16,S\n"),
        "independent_expenditure_2016.csv",
    ),
    "ie csv naming a column twice": (
        lambda d: _ie(d, b"cand_id,spe_id,exp_amo,exp_date,sup_opp,exp_amo\nH1,C1,5,,S,6\n"),
        "independent_expenditure_2016.csv",
    ),
    "ie csv with CR-only line ends": (
        lambda d: _ie(d, b"cand_id,spe_id,exp_amo,exp_date,sup_opp\rH1,C1,5,,S\r"),
        "independent_expenditure_2016.csv",
    ),
    "ie csv a pipe file": (lambda d: _ie(d, _good_itcont()), "independent_expenditure_2016.csv"),
}


def _assert_whole_file_error(folder: Path, name: str | None) -> None:
    before = fingerprint(folder)
    with pytest.raises(DataError) as caught:
        open_dataset(folder, cache=False)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert (name or folder.name) in message
    assert caught.value.path is not None and (name or folder.name) in caught.value.path
    assert fingerprint(folder) == before


def _assert_cli_says_one_line(
    folder: Path, name: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    """`moneytrail import --no-cache` exits 1 with one line naming the file, no traceback."""
    capsys.readouterr()
    code = cli_main(["import", str(folder), "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 1, (out, err)
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("moneytrail: ") and (name or folder.name) in err
    assert "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("case", list(WHOLE_FILE_CASES))
def test_whole_file_problems_are_one_line_data_errors(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make, name = WHOLE_FILE_CASES[case]
    folder = tmp_path / "input16"
    folder.mkdir()
    make(folder)
    _assert_whole_file_error(folder, name)
    before = fingerprint(folder)
    _assert_cli_says_one_line(folder, name, capsys)
    assert fingerprint(folder) == before
    record("fec input: whole-file cases", 1)


def test_the_cli_imports_the_broken_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    before = fingerprint(CORPUS / "broken16")
    assert cli_main(["import", str(CORPUS / "broken16"), "--no-cache"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    files = {n: e for n, e in EXPECTED.items() if n.startswith("broken16/")}
    read = sum(int(e["lines"]) - n.endswith(".csv") for n, e in files.items())  # type: ignore[call-overload]
    rejected = sum(len(e["rejects"]) for e in files.values())  # type: ignore[arg-type]
    total = rf"^total\s+{read}\s+{read - rejected}\s+{rejected}\s+9$"  # 9 bytes replaced
    assert re.search(total, out, re.MULTILINE), out
    assert fingerprint(CORPUS / "broken16") == before


def test_a_corrupt_deflate_stream_is_a_data_error(tmp_path: Path) -> None:
    folder = tmp_path / "input16"
    folder.mkdir()
    _corrupt_deflate(folder)
    _assert_whole_file_error(folder, "indiv16.zip")


def test_a_line_holding_only_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "itcont.txt"
    path.write_bytes(make_corpus.gift("100", "1") + b"\n\xef\xbb\xbf")
    ds = load(path)
    rejects = assert_balanced(ds)
    assert ds.report.files[0].rows_read == 2
    assert rejects.rows() == [("itcont.txt", 2, None, "wrong field count", "\ufeff")]


def test_a_missing_path_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="nowhere16"):
        open_dataset(tmp_path / "nowhere16", cache=False)


# --- property tests: random lines never break the readers ------------------------------------

_INTERESTING = [
    b"", b"|", b'"', b",", b"\r", b"\n", b"\r\n", b"\x00", b"\x1b[2J", b"\x85", b"\xff", b"\xe9",
    b"\xc3", b"\xef\xbb", b"100", b"-5.5", b".75", b"12,50", b"1e309", b"--5", b"00000000",
    b"02302016", b"01010000", b"0000-01-01", b"01011918", b"12312099", b"15-JAN-16", b"X",
    b"C00000001", b"H6AZ02001", b"22Y", b"24T", b"15E", b" ", b"\t", b"[red]",
    b"99999999999999999999", "\uff11\uff10\uff10".encode(), "\u0661\u0660".encode(),
    b"\xef\xbb\xbf",
]  # fmt: skip
FIELD = st.one_of(st.sampled_from(_INTERESTING), st.binary(max_size=12))


def _mutated(base: bytes, sep: bytes) -> st.SearchStrategy[bytes]:
    """`base` with one to three fields replaced by random fields."""
    parts = base.split(sep)
    edits = st.lists(st.tuples(st.integers(0, len(parts) - 1), FIELD), min_size=1, max_size=3)

    def apply(changes: list[tuple[int, bytes]]) -> bytes:
        out = list(parts)
        for index, value in changes:
            out[index] = value
        return sep.join(out)

    return edits.map(apply)


def _lines(base: bytes, sep: bytes) -> st.SearchStrategy[list[bytes]]:
    line = st.one_of(
        _mutated(base, sep),
        st.lists(FIELD, max_size=26).map(sep.join),  # random field counts
        st.binary(max_size=60),
        st.just(base),
    )
    return st.lists(line, max_size=12)


def _assemble(first: bytes, lines: list[bytes], crlf: bool, final_break: bool) -> bytes:
    end = b"\r\n" if crlf else b"\n"
    return end.join([first, *lines]) + (end if final_break else b"")


#: What Polars' `strip_chars()` strips (Unicode White_Space); Python's `str.strip()` also
#: strips \x1c-\x1f, so the oracle below names the characters itself.
_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_DATE_FORMATS = {
    "pipe": [(r"[0-9]{8}", "%m%d%Y")],
    "oppexp": [(r"[0-9]{2}/[0-9]{2}/[0-9]{4}", "%m/%d/%Y")],
    "ie": [
        (r"[0-9]{2}-[A-Za-z]{3}-[0-9]{2}", "%d-%b-%y"),
        (r"[0-9]{2}/[0-9]{2}/[0-9]{4}", "%m/%d/%Y"),
        (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "%Y-%m-%d"),
    ],
}


def _python_date(field: str, formats: list[tuple[str, str]]) -> date | None:
    """The date a loaded row must carry, parsed by the standard library."""
    text = field.strip(_WHITESPACE)
    if not text:
        return None
    for pattern, fmt in formats:
        if re.fullmatch(pattern, text):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise AssertionError(f"loaded a row whose date {field!r} is not a date")


def _check_random_file(path: Path, data: bytes, kind: str) -> None:
    """The shared property: no crash, every line accounted for, amounts and dates exact."""
    header = 1 if kind == "ie" else 0
    ds = load(path)
    rejects = assert_balanced(ds)
    (report,) = ds.report.files
    lines = physical_lines(data)
    assert report.rows_read == len(lines) - header
    assert report.rows_read == report.rows_loaded + report.rows_rejected
    tx = ds.transactions.collect()
    if kind in AMOUNT_FIELD or kind == "ie":
        seen = set(tx.get_column("fec_line").to_list()) | set(rejects.get_column("line").to_list())
        assert seen == set(range(1 + header, len(lines) + 1))
    for row in rejects.iter_rows(named=True):
        assert row["file"] == path.name and row["reason"] in REASONS
        assert 1 + header <= row["line"] <= len(lines)
        assert row["raw"].rstrip("\r") == lossy(lines[row["line"] - 1]).rstrip("\r")
    for row in tx.iter_rows(named=True):
        text = lossy(lines[row["fec_line"] - 1]).rstrip("\r")
        if kind == "ie":
            fields = next(csv.reader([text]))
            amount, when = fields[IE_COLUMNS.index("exp_amo")], fields[IE_COLUMNS.index("exp_date")]
        else:
            fields = text.split("|")
            amount = fields[AMOUNT_FIELD[kind]]
            when = fields[LAYOUTS[kind].index("TRANSACTION_DT")]
        assert _AMOUNT_RE.match(amount.strip(_WHITESPACE)), amount
        assert row["fec_amount_cents"] == cents(amount.strip(_WHITESPACE))
        formats = _DATE_FORMATS["ie" if kind == "ie" else "oppexp" if kind == "oppexp" else "pipe"]
        assert row["date"] == _python_date(when, formats)
    event(f"{kind}: rows loaded {'>1' if tx.height > 1 else tx.height}")
    event(f"{kind}: rejects {'yes' if rejects.height else 'none'}")
    record("fec input: hypothesis examples", 1)
    record("fec input: hypothesis lines", len(lines))


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    lines=_lines(make_corpus.gift("100", "1"), b"|"),
    crlf=st.booleans(),
    final_break=st.booleans(),
)
def test_random_itcont_lines_never_break_the_reader(
    lines: list[bytes], crlf: bool, final_break: bool
) -> None:
    data = _assemble(make_corpus.gift("100", "1"), lines, crlf, final_break)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "itcont.txt"
        path.write_bytes(data)
        _check_random_file(path, data, "itcont")


_IE_HEADER = ",".join(IE_COLUMNS).encode()


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(lines=_lines(make_corpus._ie_row(), b","), crlf=st.booleans(), final_break=st.booleans())
def test_random_ie_csv_lines_never_break_the_reader(
    lines: list[bytes], crlf: bool, final_break: bool
) -> None:
    data = _assemble(_IE_HEADER, [make_corpus._ie_row(), *lines], crlf, final_break)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "independent_expenditure_2016.csv"
        path.write_bytes(data)
        _check_random_file(path, data, "ie")


def test_zip_member_streams_like_the_loose_file(tmp_path: Path) -> None:
    """A zipped file with lines of every length across the reader's buffers reads the same."""
    lines = [make_corpus.gift(str(n), str(n), NAME="N" * (n * 37 % 5000)) for n in range(1, 600)]
    lines[100] = b"broken|line"
    data = b"\r\n".join(lines)
    loose = tmp_path / "loose16"
    loose.mkdir()
    (loose / "itcont.txt").write_bytes(data)
    zipped = tmp_path / "zipped"
    zipped.mkdir()
    _zip(zipped / "indiv16.zip", {"itcont.txt": data}, zipfile.ZIP_BZIP2)
    a, b = load(loose), load(zipped)
    assert_balanced(a)
    assert_balanced(b)
    cols = ["fec_line", "amount_cents", "source_name"]
    assert a.transactions.select(cols).collect().equals(b.transactions.select(cols).collect())
    assert a.report.files[0].rows_read == b.report.files[0].rows_read == 599
    assert b.rejects.collect().get_column("line").to_list() == [101]


OTHER_PIPE_KINDS = ["itoth", "itpas2", "cm", "cn", "ccl", "oppexp"]


def _first_good_line(kind: str) -> bytes:
    """The first (good) line of the corpus file of `kind`."""
    return make_corpus.corpus()[f"broken16/{kind}.txt"][0].data


@pytest.mark.parametrize("kind", OTHER_PIPE_KINDS)
@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_lines_never_break_the_other_pipe_readers(kind: str, data: st.DataObject) -> None:
    base = _first_good_line(kind)
    lines = data.draw(_lines(base, b"|"), label="lines")
    content = _assemble(base, lines, data.draw(st.booleans()), data.draw(st.booleans()))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{kind}.txt"
        path.write_bytes(content)
        _check_random_file(path, content, kind)
