"""`moneytrail summary {donors,committees,races}`: the pane tables, for scripts."""

from __future__ import annotations

import argparse
import sys

import polars as pl

from moneytrail.cli import output
from moneytrail.cli.common import (
    add_dataset_options,
    add_filter_options,
    add_format_option,
    filters_from_args,
    load,
    non_negative_int,
)
from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters

#: Columns shown in `--format table` (JSON and CSV carry every column).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "donors": (
        "name",
        "source_kind",
        "state",
        "total_cents",
        "count",
        "median_cents",
        "first_date",
        "last_date",
        "recipients",
    ),
    "committees": (
        "committee_id",
        "name",
        "kind",
        "state",
        "receipts_cents",
        "donors",
        "disbursements_cents",
        "ie_support_cents",
        "ie_oppose_cents",
    ),
    "races": (
        "race_id",
        "name",
        "state",
        "year",
        "candidates",
        "raised_cents",
        "ie_support_cents",
        "ie_oppose_cents",
    ),
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "summary",
        help="print the donors, committees or races table",
        description=(
            "Print one pane's table: donors (by donor identity), committees (receipts and "
            "disbursements) or races (money raised and outside spending). Amounts are dollars, "
            "exact to the cent; memo rows are never added into totals."
        ),
    )
    parser.add_argument("table", choices=tuple(TABLE_COLUMNS), help="which table")
    add_dataset_options(parser)
    parser.add_argument(
        "--top", type=non_negative_int, default=None, metavar="N", help="only the first N rows"
    )
    parser.add_argument("--search", default=None, help="whole-word name filter")
    add_format_option(parser, ("table", "csv", "json"))
    add_filter_options(parser)
    parser.set_defaults(func=run)


def query(ds: Dataset, table: str, filters: Filters, search: str | None) -> pl.LazyFrame:
    """The LazyFrame behind one summary table.

    Under an active filter, committees and races with no money under it are left out (the
    donors table only ever lists donors with counted gifts).
    """
    if table == "donors":
        from moneytrail.query.donors import donors

        return donors(ds, filters, search=search)
    if table == "committees":
        from moneytrail.query import committees

        rows = committees.committees(ds, filters, search=search)
        return rows if filters.is_default else rows.filter(committees.HAS_MONEY)
    from moneytrail.query import races

    rows = races.races(ds, filters, search=search)
    return rows if filters.is_default else rows.filter(races.HAS_MONEY)


def held_cycles(ds: Dataset) -> str:
    """`` · holds cycles 2016, 2018``: which cycles the dataset's rows fall in ("" for none)."""
    from moneytrail.query.cycles import dataset_cycles, describe_cycles

    found = dataset_cycles(ds)
    return f" · holds {describe_cycles(found)}" if found else ""


def run(args: argparse.Namespace) -> int:
    ds = load(args)
    lazy = query(ds, args.table, filters_from_args(args), args.search)
    if args.top is not None:
        lazy = lazy.head(args.top)
    frame = lazy.collect()
    if args.format == "json":
        output.write_json(output.records(frame))
    elif args.format == "csv":
        output.write_csv(frame)
    else:
        cols = [c for c in TABLE_COLUMNS[args.table] if c in frame.columns]
        title = f"{ds.name}: {args.table} ({frame.height:,} rows shown){held_cycles(ds)}"
        output.console().print(output.table(frame, cols, title=title))
        if ds.synthetic:
            sys.stdout.write("Synthetic, illustrative sample data (see sample_data/README.md).\n")
    return 0
