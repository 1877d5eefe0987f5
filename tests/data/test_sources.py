"""The sources seam: registry and plug-ins, content sniffing, mixed folders, per-source ids,
the cache key, and the shared parser a new format is written against.

`ToySource` is a plug-in format defined here, as a third-party package would write one: a
pipe-delimited file whose first line is ``TOYFILE|1`` (so it is recognised by content, whatever
its name), rows ``date|amount|donor|recipient``, US-style amounts and MM/DD/YYYY dates,
validated by the shared engine.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from importlib.metadata import EntryPoint
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data import ids
from moneytrail.data.errors import DataError
from moneytrail.data.open import cache_key, open_dataset
from moneytrail.data.progress import ProgressCallback
from moneytrail.data.report import FileReport
from moneytrail.data.sources import registry
from moneytrail.data.sources.base import (
    BY_NAME,
    CERTAIN,
    NOT_MINE,
    Option,
    Source,
    SourceRead,
    first_line,
)
from moneytrail.data.sources.combine import plan
from moneytrail.data.validate import LINE, RAW, Check, Column, split_rejects, validate

TOY_COLUMNS = (
    Column("date", "date", True, True, date_format="%-m/%-d/%Y"),
    Column("amount", "money", True, True, loaded_name="amount_cents", money_style="us"),
    Column("source_name", required_column=True, required_value=True),
    Column("recipient_committee_id", required_column=True, required_value=True),
)


class ToySource:
    """A plug-in source: see the module docstring."""

    name = "toy"
    title = "toy files"
    options = (
        Option("mapping", "a file describing the columns", is_path=True),
        Option("style", "amount style", default="us"),
    )
    qualify_ids = True
    always_cache = False

    def sniff(self, path: Path) -> float:
        return CERTAIN if first_line(path).startswith("TOYFILE|") else NOT_MINE

    def read(
        self,
        files: Sequence[Path],
        root: Path,
        options: Mapping[str, str],
        progress: ProgressCallback | None,
    ) -> SourceRead:
        frames, rejects, reports = [], [], []
        for path in files:
            lines = path.read_text().splitlines()[1:]
            rows = [
                {
                    "fields": line.split("|"),
                    LINE: n,
                    RAW: line,
                }
                for n, line in enumerate(lines, start=2)
            ]
            width = pl.DataFrame(
                {
                    LINE: [r[LINE] for r in rows],
                    RAW: [r[RAW] for r in rows],
                    "n": [len(r["fields"]) for r in rows],
                },
                schema={LINE: pl.Int64, RAW: pl.String, "n": pl.Int64},
            )
            shaped, bad_shape = split_rejects(
                width, [Check(pl.col("n") != 4, None, "expected 4 fields")], file=path.name
            )
            good_lines = set(shaped[LINE].to_list())
            names = [c.name for c in TOY_COLUMNS]
            strings = pl.DataFrame(
                {
                    **{
                        name: [r["fields"][i] for r in rows if r[LINE] in good_lines]
                        for i, name in enumerate(names)
                    },
                    LINE: [r[LINE] for r in rows if r[LINE] in good_lines],
                    RAW: [r[RAW] for r in rows if r[LINE] in good_lines],
                },
                schema={**dict.fromkeys(names, pl.String), LINE: pl.Int64, RAW: pl.String},
            )
            loaded, bad_values = validate(strings, TOY_COLUMNS, file=path.name)
            frames.append(
                loaded.with_columns(
                    pl.lit("contribution").alias("kind"),
                    pl.lit("individual").alias("source_kind"),
                    pl.format("{}-{}", pl.lit(path.stem), pl.int_range(pl.len())).alias(
                        "transaction_id"
                    ),
                )
            )
            all_rejects = pl.concat([bad_shape, bad_values])
            rejects.append(all_rejects)
            reports.append(
                FileReport(
                    path=path.name,
                    kind="toy",
                    rows_read=len(rows),
                    rows_loaded=loaded.height,
                    rejected=dict(all_rejects.group_by("reason").len().rows()),
                )
            )
        return SourceRead(
            transactions=pl.concat(frames).lazy(),
            rejects=pl.concat(rejects).lazy(),
            files=tuple(reports),
        )


class NotASource:
    name = "nope"


#: The built-in sources, in registry order (the filing systems after tables and FEC).
BUILTIN = ["tables", "fec", "irs", "fl", "la", "tx", "csv"]


def _entry_points(*values: tuple[str, str]) -> list[EntryPoint]:
    return [EntryPoint(name, value, registry.ENTRY_POINT_GROUP) for name, value in values]


@pytest.fixture()
def toy_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """ToySource installed as a plug-in package would install it: as an entry point."""
    points = _entry_points(("toy", "tests.data.test_sources:ToySource"))
    monkeypatch.setattr(registry, "entry_points", lambda group: points)
    registry.reload()
    yield
    registry.reload()


TABLES_HEADER = "transaction_id,date,amount,kind,source_kind,source_name,recipient_committee_id\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _toy(path: Path, *rows: str) -> Path:
    return _write(path, "TOYFILE|1\n" + "".join(f"{r}\n" for r in rows))


# --- registry --------------------------------------------------------------------------------


def test_builtins_come_first_and_satisfy_the_protocol() -> None:
    registry.reload()
    names = [s.name for s in registry.sources()]
    assert names[:2] == ["tables", "fec"]
    assert all(isinstance(s, Source) for s in registry.sources())
    assert registry.get_source("fec").always_cache
    with pytest.raises(KeyError):
        registry.get_source("no-such-source")


def test_an_entry_point_adds_a_source(toy_installed: None) -> None:
    assert [s.name for s in registry.sources()] == [*BUILTIN, "toy"]
    assert registry.get_source("toy").title == "toy files"
    assert registry.problems() == ()


def test_broken_plug_ins_are_left_out_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    points = _entry_points(
        ("gone", "no_such_package_xyz:Source"),
        ("nope", "tests.data.test_sources:NotASource"),
        ("twin", "moneytrail.data.sources.fec:FecSource"),
        ("toy", "tests.data.test_sources:ToySource"),
    )
    monkeypatch.setattr(registry, "entry_points", lambda group: points)
    registry.reload()
    try:
        assert [s.name for s in registry.sources()] == [*BUILTIN, "toy"]
        problems = registry.problems()
        assert len(problems) == 3
        assert "gone" in problems[0] and "failed to load" in problems[0]
        assert "nope" in problems[1] and "not a moneytrail Source" in problems[1]
        assert "twin" in problems[2] and "reuses the source name 'fec'" in problems[2]
    finally:
        registry.reload()


# --- sniffing by content ---------------------------------------------------------------------


def test_sniffing_reads_content_not_only_names(tmp_path: Path, toy_installed: None) -> None:
    fec = registry.get_source("fec")
    tables = registry.get_source("tables")
    toy = registry.get_source("toy")
    fields = "|".join(["C00000001", *[""] * 20])
    good = _write(tmp_path / "a" / "itcont.txt", fields + "\n")
    bad = _write(tmp_path / "b" / "itcont.txt", "only|three|fields\n")
    assert fec.sniff(good) == CERTAIN and fec.sniff(bad) == BY_NAME
    real = _write(tmp_path / "c" / "transactions.csv", TABLES_HEADER)
    renamed_header = _write(tmp_path / "d" / "transactions.csv", "a,b,c\n")
    assert tables.sniff(real) == CERTAIN and tables.sniff(renamed_header) == BY_NAME
    # A toy file is the toy's whatever it is called, and nobody else's.
    for name in ("contributions.txt", "transactions.csv", "itcont.txt"):
        path = _toy(tmp_path / "e" / name, "01/15/2016|$1,000.00|DOE, JANE|C1")
        assert toy.sniff(path) == CERTAIN
        assert plan(path).claims[0].source.name == "toy"
    assert toy.sniff(real) == NOT_MINE
    assert tables.sniff(tmp_path / "missing.csv") == NOT_MINE  # unreadable: not recognised


def test_a_folder_nothing_recognises_names_every_format(tmp_path: Path) -> None:
    registry.reload()
    _write(tmp_path / "notes.txt", "hello\n")
    with pytest.raises(DataError) as info:
        plan(tmp_path)
    assert str(info.value) == (
        f"{tmp_path}: no moneytrail tables (transactions.csv/.parquet), FEC bulk files, "
        "IRS 527 bulk data (Form 8871/8872), Florida Division of Elections exports, "
        "Louisiana Ethics Administration exports, Texas Ethics Commission CSVs "
        "or a CSV read by a mapping (--mapping FILE) found"
    )


# --- a plug-in source end to end, mixed folders, ids per source ------------------------------


def test_plug_in_rows_are_validated_by_the_shared_engine(
    tmp_path: Path, toy_installed: None
) -> None:
    path = _toy(
        tmp_path / "gifts.txt",
        "1/5/2016|$1,000.00|DOE, JANE|C1",
        "01/15/2016|($25.50)|ROE, RICH|C1",
        "02/30/2016|$5|BAD DAY|C1",
        "01/15/2016|1.005|TOO PRECISE|C1",
        "01/15/2016|$5",
    )
    ds = open_dataset(path, cache=False)
    tx = ds.transactions.collect()
    assert tx.select("amount_cents", "source").rows() == [(100_000, "toy"), (-2_550, "toy")]
    assert tx["date"].to_list()[0].isoformat() == "2016-01-05"
    rejects = ds.rejects.collect().select("file", "line", "column", "reason").rows()
    assert rejects == [
        ("gifts.txt", 6, None, "expected 4 fields"),
        ("gifts.txt", 4, "date", "no such date"),
        ("gifts.txt", 5, "amount", "more than 2 decimal places"),
    ]
    (report,) = ds.report.files
    assert report.rows_read == report.rows_loaded + report.rows_rejected == 5


def test_a_folder_may_mix_sources_and_ids_do_not_collide(
    tmp_path: Path, toy_installed: None
) -> None:
    folder = tmp_path / "mixed"
    # moneytrail tables one level down, listing a committee C1 ...
    _write(
        folder / "own" / "transactions.csv",
        TABLES_HEADER + "t1,2016-01-02,100,contribution,individual,SMITH,C1\n",
    )
    _write(folder / "own" / "committees.csv", "committee_id,name\nC1,Federal Friends\n")
    # ... a toy filing whose own committee is also numbered C1 ...
    _toy(folder / "state.txt", "01/15/2016|$250.00|DOE, JANE|C1")
    # ... and a file nobody reads.
    _write(folder / "README.md", "notes\n")
    ds = open_dataset(folder, cache=False)
    tx = ds.transactions.collect().sort("source")
    assert tx.select("source", "recipient_committee_id", "amount_cents").rows() == [
        ("tables", "C1", 10_000),
        ("toy", "toy:C1", 25_000),
    ]
    committees = ds.committees.collect().sort("committee_id")
    assert committees.select("committee_id", "source", "name", "inferred").rows() == [
        ("C1", "tables", "Federal Friends", False),
        ("toy:C1", "toy", "C1", True),  # an inferred name is the id as written
    ]
    # Shown and typed as written; the qualifier is the seam's business only.
    shown = committees.select(ids.written_id_expr("committee_id"))["committee_id"].to_list()
    assert shown == ["C1", "C1"]
    assert ids.split_qualified("toy:C1") == ("toy", "C1")
    assert ids.split_qualified("C1") == (None, "C1")
    assert ids.written_id("toy:C1", "toy") == "C1" and ids.written_id("C1", "tables") == "C1"
    # The donor of a qualified committee-paid row keys on the qualified id.
    assert [f.kind for f in ds.report.files] == ["transactions", "committees", "toy"]
    assert ds.report.warnings == ("ignored (no source reads it): README.md",)


def test_fec_and_tables_mix_in_one_folder(tmp_path: Path) -> None:
    registry.reload()
    folder = tmp_path / "both"
    gift = "|".join(
        [
            "C00000001", "N", "Q1", "P2016", "", "15", "IND", "DOE, JANE", "PHOENIX", "AZ",
            "85001", "", "", "01152016", "100", "", "T1", "1001", "", "", "4000000001",
        ]
    )  # fmt: skip
    _write(folder / "indiv16" / "itcont.txt", gift + "\n")
    _write(
        folder / "transactions.csv",
        TABLES_HEADER + "t1,2016-01-02,50,contribution,individual,SMITH,C00000001\n",
    )
    ds = open_dataset(folder, cache=False)
    tx = ds.transactions.collect().sort("source")
    assert tx.select("source", "recipient_committee_id", "amount_cents").rows() == [
        ("fec", "C00000001", 10_000),
        ("tables", "C00000001", 5_000),
    ]
    # Both name the same federal committee: it is one committee.
    assert ds.committees.collect()["committee_id"].to_list() == ["C00000001"]


# --- options and the cache key ---------------------------------------------------------------


def test_the_cache_key_covers_sources_options_and_mapping_files(
    tmp_path: Path, toy_installed: None
) -> None:
    data = _toy(tmp_path / "data" / "gifts.txt", "01/15/2016|$1|DOE, JANE|C1")
    mapping = _write(tmp_path / "map.toml", "[columns]\n")
    base = cache_key(data.parent)
    with_mapping = cache_key(data.parent, {"toy": {"mapping": str(mapping)}})
    other_style = cache_key(data.parent, {"toy": {"style": "plain"}})
    assert len({base, with_mapping, other_style}) == 3
    assert cache_key(data.parent, {"toy": {"mapping": str(mapping)}}) == with_mapping
    st = mapping.stat()
    os.utime(mapping, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert cache_key(data.parent, {"toy": {"mapping": str(mapping)}}) != with_mapping


def test_unknown_sources_and_options_are_one_line_errors(
    tmp_path: Path, toy_installed: None
) -> None:
    data = _toy(tmp_path / "gifts.txt", "01/15/2016|$1|DOE, JANE|C1")
    with pytest.raises(DataError, match="unknown source 'nv'"):
        open_dataset(data, cache=False, options={"nv": {"x": "1"}})
    with pytest.raises(DataError, match="source toy has no option 'colour'"):
        open_dataset(data, cache=False, options={"toy": {"colour": "red"}})


def test_a_source_read_stays_in_memory_when_small(tmp_path: Path, toy_installed: None) -> None:
    data = _toy(tmp_path / "gifts.txt", "01/15/2016|$1|DOE, JANE|C1")
    ds = open_dataset(data, cache_dir=tmp_path / "cache")
    assert not ds.report.from_cache
    assert not (tmp_path / "cache").exists()  # small and not always_cache: read directly


def test_source_is_derived_so_a_table_may_not_give_it(tmp_path: Path) -> None:
    registry.reload()
    header = TABLES_HEADER.rstrip("\n") + ",source\n"
    path = _write(
        tmp_path / "t" / "transactions.csv",
        header + "t1,2016-01-02,100,contribution,individual,SMITH,C1,fec\n",
    )
    with pytest.raises(DataError, match="column 'source' is derived by moneytrail"):
        open_dataset(path.parent, cache=False)


def test_an_entity_inferred_by_two_sources_is_kept_and_counted_once(tmp_path: Path) -> None:
    registry.reload()
    folder = tmp_path / "two"
    row = "t1,2016-01-02,100,contribution,individual,SMITH,C9\n"
    _write(folder / "a" / "transactions.csv", TABLES_HEADER + row)
    _write(folder / "b" / "transactions.csv", TABLES_HEADER + row.replace("t1", "t2"))
    ds = open_dataset(folder, cache=False)
    assert ds.committees.collect()["committee_id"].to_list() == ["C9"]
    assert ds.report.created == {"committees": 1, "candidates": 0, "races": 0}
    assert ds.transactions.collect().height == 2
