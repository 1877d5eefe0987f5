"""`moneytrail show {donor,committee,race} QUERY`: one entity's detail, for scripts and people.

QUERY is an exact id or a whole-word, case-insensitive name match. Several matches are ambiguous
(exit 2, the matches listed) unless exactly one name equals QUERY. The entity's raw rows are not
read: only their count is printed (``row_count`` in JSON).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import polars as pl

from moneytrail.cli import UsageError, output
from moneytrail.cli.common import (
    add_dataset_options,
    add_filter_options,
    add_format_option,
    filters_from_args,
    load,
    non_negative_int,
)
from moneytrail.data.dataset import Dataset
from moneytrail.data.errors import DataError
from moneytrail.data.ids import unqualified_expr
from moneytrail.present.money import format_count, format_money, format_share
from moneytrail.query.kinds import ENTITY_NAMES, entity_sources, kind
from moneytrail.query.stats import Summary
from moneytrail.query.trace_result import RaceContext

ENTITIES = ENTITY_NAMES


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "show",
        help="show one donor, committee, race or candidate in detail",
        description=(
            "Show one entity in detail. QUERY is an exact id (committee id, race id, candidate "
            "id or donor key) or a whole-word, case-insensitive name match."
        ),
    )
    parser.add_argument("entity", choices=ENTITIES, help="what to show")
    parser.add_argument("query", metavar="QUERY", help="an exact id or a name")
    add_dataset_options(parser)
    parser.add_argument(
        "--top", type=non_negative_int, default=10, metavar="N", help="rows per list (default 10)"
    )
    add_format_option(parser, ("table", "json"))
    add_filter_options(parser)
    parser.set_defaults(func=run)


def resolve(ds: Dataset, entity: str, query: str) -> tuple[str, str | None]:
    """The (id, name) QUERY names, or an error a user can act on."""
    from moneytrail.query.search import find

    matches = find(ds, entity, query)  # type: ignore[arg-type]
    if matches.height == 0:
        raise DataError(f"no {entity} matches {query!r}", path=str(ds.source))
    if matches.height > 1:
        # Several matches by id (one id in two sources) stay ambiguous: the list shows each
        # as `source:id`, which names one. Several by name: a name equal to QUERY wins.
        by_id = matches.filter(
            unqualified_expr("id").str.to_lowercase() == query.strip().lower()
        ).height
        exact = matches.filter(pl.col("name").str.to_lowercase() == query.strip().lower())
        if exact.height == 1 and not by_id:
            matches = exact
        else:
            lines = [f"{query!r} matches {matches.height:,} {entity}s; give one of these ids:"]
            for row in matches.head(20).iter_rows(named=True):
                total = format_money(row["total_cents"])
                lines.append(f"  {row['id']}  {row['name']}  {total}")
            if matches.height > 20:
                lines.append(f"  … and {matches.height - 20:,} more")
            raise UsageError("\n".join(output.safe_str(line) for line in lines))
    row = matches.row(0, named=True)
    return str(row["id"]), row["name"]


def summary_record(summary: Summary) -> dict[str, Any]:
    """A `Summary` as JSON-ready values (money in dollars)."""
    return {
        **output.record(
            {
                "count": summary.count,
                "total_cents": summary.total_cents,
                "median_cents": summary.median_cents,
                "p10_cents": summary.p10_cents,
                "p90_cents": summary.p90_cents,
                "min_cents": summary.min_cents,
                "max_cents": summary.max_cents,
            }
        ),
        "mean": None if summary.mean_cents is None else round(summary.mean_cents / 100, 2),
        "buckets": [
            {"label": b.label, "count": b.count, "total": b.total_cents / 100}
            for b in summary.buckets
        ],
        "sources": summary.sources,
        "top1_share": summary.top1_share,
        "top10_share": summary.top10_share,
        "hhi": summary.hhi,
        "home_state": summary.home_state,
        "out_of_state_share": summary.out_of_state_share,
    }


def _summary_lines(summary: Summary) -> list[str]:
    lines = [
        f"{format_count(summary.count)} rows, total {format_money(summary.total_cents)}",
    ]
    if summary.count:
        lines.append(
            f"median {format_money(summary.median_cents)}, "
            f"p10 {format_money(summary.p10_cents)}, p90 {format_money(summary.p90_cents)}, "
            f"min {format_money(summary.min_cents)}, max {format_money(summary.max_cents)}"
        )
        share = [
            f"top source {format_share(summary.top1_share)}",
            f"top 10 {format_share(summary.top10_share)}",
        ]
        if summary.out_of_state_share is not None:
            share.append(
                f"from outside {summary.home_state}: {format_share(summary.out_of_state_share)}"
            )
        lines.append(", ".join(share))
    return lines


def _detail(ds: Dataset, entity: str, entity_id: str, args: argparse.Namespace) -> Any:
    return kind(entity).detail(ds, filters_from_args(args), entity_id)


def _race_context(ds: Dataset, race_id: str, args: argparse.Namespace) -> RaceContext:
    """The race's money in context: outside share, largest source, its income multiple."""
    from moneytrail.query.trace import race_context

    return race_context(ds, filters_from_args(args), race_id)


#: (title, attribute, columns for the table view) of each entity's lists.
SECTIONS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "donor": (
        (
            "Recipients",
            "recipients",
            ("committee_id", "name", "kind", "candidate_name", "race_name", "total_cents", "count"),
        ),
    ),
    "committee": (
        ("Top donors", "top_donors", ("name", "source_kind", "state", "total_cents", "count")),
        ("Money to other committees", "transfers_out", ("committee_id", "name", "total_cents")),
        (
            "Independent expenditures",
            "independent_expenditures",
            ("candidate_name", "race_name", "support_oppose", "total_cents", "count"),
        ),
        ("Other expenditures", "expenditures", ("description", "total_cents", "count")),
    ),
    "race": (
        (
            "Candidates",
            "candidates",
            ("name", "party", "incumbent", "won", "raised_cents", "ie_support_cents"),
        ),
        (
            "Outside spenders",
            "spenders",
            ("name", "candidate_name", "support_oppose", "total_cents"),
        ),
    ),
    "candidate": (
        ("Committees", "committees", ("committee_id", "name", "receipts_cents")),
        ("Top funders", "top_funders", ("name", "source_kind", "state", "total_cents", "count")),
        ("Outside spenders", "outside_spenders", ("name", "support_oppose", "total_cents")),
    ),
}

#: The one-row frame holding the entity itself, per entity.
HEAD = {"committee": "committee", "race": "race", "candidate": "candidate"}


def _json(ds: Dataset, entity: str, entity_id: str, detail: Any, top: int) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    if entity == "donor":
        payload.update(
            {
                "donor_key": entity_id,
                "name": detail.name,
                "variants": list(detail.variants),
                "cities": list(detail.cities),
                "states": list(detail.states),
                "employers": list(detail.employers),
                "occupations": list(detail.occupations),
            }
        )
    else:
        head: pl.DataFrame = getattr(detail, HEAD[entity])
        payload.update(output.record(head.row(0, named=True)))
    sources = entity_sources(ds, entity, entity_id)
    if entity == "donor":
        payload["sources"] = list(sources)
    elif sources:
        payload["source"] = sources[0]
    payload["summary"] = summary_record(detail.summary)
    payload["row_count"] = detail.row_count
    if entity == "committee":
        payload["receipts"] = detail.summary.total_cents / 100
        payload["receipts_count"] = detail.summary.count
    for _title, attr, _cols in SECTIONS[entity]:
        frame: pl.DataFrame = getattr(detail, attr)
        payload[attr] = output.records(frame.head(top) if top else frame)
    return payload


def run(args: argparse.Namespace) -> int:
    ds = load(args)
    entity_id, name = resolve(ds, args.entity, args.query)
    try:
        detail = _detail(ds, args.entity, entity_id, args)
    except LookupError as exc:
        raise DataError(str(exc), path=str(ds.source)) from None
    context = _race_context(ds, entity_id, args) if args.entity == "race" else None
    if args.format == "json":
        payload = _json(ds, args.entity, entity_id, detail, args.top)
        if context is not None:
            from moneytrail.cli.trace import context_record

            payload["race_context"] = context_record(context)
        output.write_json(payload)
        return 0
    console = output.console()
    console.print(output.safe_text(f"{args.entity.title()}: {name or entity_id} ({entity_id})"))
    if args.entity == "donor":
        for label, values in (
            ("Name variants", detail.variants),
            ("Cities", detail.cities),
            ("States", detail.states),
            ("Employers", detail.employers),
        ):
            if values:
                console.print(output.safe_text(f"{label}: " + "; ".join(values[:8])))
    for line in _summary_lines(detail.summary):
        console.print(line)
    if context is not None:
        from moneytrail.present.trace import context_text

        console.print(context_text(context))
    console.print(f"{format_count(detail.row_count)} transactions listed (the explorer shows them)")
    for title, attr, cols in SECTIONS[args.entity]:
        frame = getattr(detail, attr)
        if frame.height == 0:
            continue
        shown = frame.head(args.top) if args.top else frame
        columns = [c for c in cols if c in shown.columns]
        more = (
            f" (first {shown.height:,} of {frame.height:,})" if shown.height < frame.height else ""
        )
        console.print(output.table(shown, columns, title=f"{title}{more}"))
    if ds.synthetic:
        sys.stdout.write("Synthetic, illustrative sample data (see sample_data/README.md).\n")
    return 0
