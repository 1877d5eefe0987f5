"""A file written by the benchmarks' generator, imported through the cache, against a plain count.

`bench/gen_fec.py` writes the FEC layout the scale benchmarks import (Zipf donors and
committees, memo rows, refunds, earmarks, amendments, a few malformed lines). A small one is
imported here as the CLI and the app import it (`open_dataset` into a cache, with the pane
aggregates), and its figures are compared with the snapshot tests' plain-Python computation of
the FEC rules (`test_snapshot.plain_receipts`) over the same file read with `str.split`.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.fec.layouts import LAYOUTS
from moneytrail.data.open import open_dataset
from moneytrail.query.committees import committees
from moneytrail.query.filters import Filters
from moneytrail.query.panes import pane_aggregates
from tests.data.fec.test_snapshot import cents, plain_receipts, plain_signed

ROWS = 20_000
GEN_FEC = Path(__file__).resolve().parents[3] / "bench" / "gen_fec.py"


def _gen_fec() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_fec", GEN_FEC)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain_date_ok(text: str) -> bool:
    if text == "":
        return True
    try:
        day = dt.datetime.strptime(text, "%m%d%Y")
    except ValueError:
        return False
    return day.year > 0


def _plain_amount_ok(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def plain_itcont(path: Path) -> tuple[list[dict[str, str]], int]:
    """The file's loadable rows as dicts of FEC fields, and how many lines were rejected: a
    wrong field count, an amount that is not a number, an impossible date (docs/fec.md)."""
    layout = LAYOUTS["itcont"]
    rows, rejected = [], 0
    for line in path.read_text(encoding="utf-8").split("\n")[:-1]:
        fields = line.split("|")
        if len(fields) != len(layout):
            rejected += 1
            continue
        r = dict(zip(layout, fields, strict=True))
        if not _plain_amount_ok(r["TRANSACTION_AMT"]) or not _plain_date_ok(r["TRANSACTION_DT"]):
            rejected += 1
            continue
        rows.append(r)
    return rows, rejected


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gen") / "fec-20k"
    _gen_fec().generate(ROWS, folder / "itcont.txt", seed=11)
    return folder


@pytest.fixture(scope="module")
def ds(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    cache = tmp_path_factory.mktemp("cache")
    dataset = open_dataset(generated, cache_dir=cache, aggregates=pane_aggregates)
    assert not dataset.report.from_cache
    return dataset


def test_rows_read_loaded_and_rejected_match_a_plain_count(generated: Path, ds: Dataset) -> None:
    rows, rejected = plain_itcont(generated / "itcont.txt")
    (report,) = [f for f in ds.report.files if f.path.endswith("itcont.txt")]
    assert rejected == 3  # the generator's three malformed lines
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (
        len(rows) + rejected,
        len(rows),
        rejected,
    )
    tx = ds.transactions.filter(pl.col("fec_kind") == "itcont")
    filed = tx.select(pl.col("fec_amount_cents").sum()).collect().item()
    assert filed == sum(cents(r["TRANSACTION_AMT"]) for r in rows)


def test_every_committees_receipts_equal_the_plain_computation(
    generated: Path, ds: Dataset
) -> None:
    rows, _ = plain_itcont(generated / "itcont.txt")
    expected = {k: v for k, v in plain_receipts(files={"itcont.txt": rows}).items() if v}
    table = committees(ds, Filters()).filter(pl.col("receipts_cents") != 0).collect()
    got = dict(table.select("committee_id", "receipts_cents").iter_rows())
    assert len(expected) >= 90  # every generated committee receives money
    assert got == expected


def test_counted_total_equals_the_plain_sum(generated: Path, ds: Dataset) -> None:
    """Memo rows left out, refunds (22Y) negated: the dataset's counted money to the cent."""
    rows, _ = plain_itcont(generated / "itcont.txt")
    kinds = Counter(r["TRANSACTION_TP"] for r in rows)
    assert kinds["22Y"] > 0 and kinds["15E"] > 0 and sum(r["MEMO_CD"] == "X" for r in rows) > 0
    expected = sum(plain_signed(r) for r in rows if r["MEMO_CD"] != "X")
    counted = ds.transactions.filter(~pl.col("memo")).select(pl.col("amount_cents").sum())
    assert counted.collect().item() == expected
