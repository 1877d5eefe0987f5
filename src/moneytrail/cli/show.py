"""`moneytrail show {donor,committee,race} QUERY`: one entity's detail, for scripts and people.

QUERY is an exact id or a whole-word, case-insensitive name match. Several matches are ambiguous
(exit 2, the matches listed) unless exactly one name equals QUERY. The entity's raw rows are not
read: only their count is printed (``row_count`` in JSON).

JSON: the entity's pane row (money in dollars under the column's public name, e.g. ``receipts``),
``summary`` (the statistics of its headline money, docs/figures.md), ``outside`` (the direct and
ultimate out-of-state and unattributed shares; committees, races, candidates), ``row_count`` and
``sections`` (each list, e.g. ``top_donors``, by name).
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
from moneytrail.data.ids import split_qualified, unqualified_expr
from moneytrail.present.money import format_count, format_money, format_share
from moneytrail.present.summary import outside_lines
from moneytrail.present.trace import largest_source_part
from moneytrail.query.entity_stats import EntityStats, OutsideShares
from moneytrail.query.figures import FIGURE_LABELS
from moneytrail.query.kinds import ENTITY_NAMES, entity_sources, kind
from moneytrail.query.reconcile import GIVER_ONLY_LABEL, RECONCILIATION_COLUMNS
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
    parser.add_argument(
        "--all-candidates",
        action="store_true",
        help="race: list every candidate, also those with no money (left out by default)",
    )
    add_format_option(parser, ("table", "json"))
    add_filter_options(parser)
    parser.set_defaults(func=run)


def resolve(ds: Dataset, entity: str, query: str) -> tuple[str, str | None]:
    """The (id, name) QUERY names, or an error a user can act on."""
    from moneytrail.query.figures import HEADLINE
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
                figure = HEADLINE[entity][1]  # type: ignore[index]
                lines.append(f"  {row['id']}  {row['name']}  {total} {figure}")
            if matches.height > 20:
                lines.append(f"  … and {matches.height - 20:,} more")
            raise UsageError("\n".join(output.safe_str(line) for line in lines))
    row = matches.row(0, named=True)
    return str(row["id"]), row["name"]


def outside_record(outside: OutsideShares | None) -> dict[str, Any] | None:
    """The out-of-state figures as JSON-ready values (docs/figures.md)."""
    if outside is None:
        return None
    return {
        "home_state": outside.home_state,
        "direct_outside_share": outside.direct_share,
        "ultimate_outside_share": outside.ultimate_share,
        "unattributed_share": outside.unattributed_share,
    }


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
        "donors": summary.donors,
        "top1_share": summary.top1_share,
        "top10_share": summary.top10_share,
        "hhi": summary.hhi,
    }


def _summary_lines(stats: EntityStats) -> list[str]:
    summary = stats.summary
    lines = [
        f"{stats.money_label}: {format_money(summary.total_cents)} "
        f"({format_count(summary.count)} rows, {format_count(summary.donors)} donors)",
    ]
    if summary.count:
        lines.append(
            f"median {format_money(summary.median_cents)}, "
            f"p10 {format_money(summary.p10_cents)}, p90 {format_money(summary.p90_cents)}, "
            f"min {format_money(summary.min_cents)}, max {format_money(summary.max_cents)}"
        )
        lines.append(
            f"top-1 share {format_share(summary.top1_share)}, "
            f"top-10 share {format_share(summary.top10_share)}"
        )
    outside = outside_lines(stats.outside)
    if outside:
        lines.append(", ".join(f"{label}: {value}" for label, value in outside))
    for section in stats.sections:
        figures = ", ".join(f"{label} {format_money(cents)}" for label, cents in section.lines)
        lines.append(f"{section.title}: {figures}")
    return lines


def _reconciliation_lines(row: dict[str, Any]) -> list[str]:
    """The receipts beside giver-only money and the filer's reported total (FEC data)."""
    label = {c: FIGURE_LABELS[c].lower() for c in RECONCILIATION_COLUMNS if c in FIGURE_LABELS}
    lines = [
        f"receipts {format_money(row['receipts_cents'])}: "
        f"{label['filed_by_recipient_cents']} {format_money(row['filed_by_recipient_cents'])}, "
        f"{GIVER_ONLY_LABEL} {format_money(row['giver_only_cents'])}"
    ]
    if row["reported_receipts_cents"] is None:
        lines.append(
            f"{label['reported_receipts_cents']}: unknown (no FEC summary file webk/weball/webl)"
        )
    else:
        through = row["reported_through"]
        lines.append(
            f"{label['reported_receipts_cents']} {format_money(row['reported_receipts_cents'])}"
            + (f" through {through.isoformat()}" if through else "")
            + f", {label['coverage_share']} {format_share(row['coverage_share'])}"
            + " itemized and counted here"
        )
    return lines


def _detail(ds: Dataset, entity: str, entity_id: str, args: argparse.Namespace) -> Any:
    # A race lists only its candidates with money unless asked (`races.race_candidates`).
    options = {"all_candidates": True} if entity == "race" and args.all_candidates else {}
    return kind(entity).detail(ds, filters_from_args(args), entity_id, **options)


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
            (
                "name",
                "party",
                "incumbent",
                "won",
                "raised_cents",
                "ie_support_cents",
                "ie_oppose_cents",
            ),
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


def _with_money(frame: pl.DataFrame, attr: str, args: argparse.Namespace) -> pl.DataFrame:
    """A section without its candidates or committees that have no money under the filters.

    `--all-candidates` keeps a race's candidates with no money, filtered or not.
    """
    if filters_from_args(args).is_default:
        return frame
    from moneytrail.query import races

    if attr == "candidates":
        return frame if args.all_candidates else frame.filter(races.HAS_MONEY)
    if attr == "committees":
        return frame.filter(pl.col("receipts_count") > 0)
    return frame


def _json(
    ds: Dataset, entity: str, entity_id: str, detail: Any, top: int, args: argparse.Namespace
) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    head_field = kind(entity).head
    if head_field is None:
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
        head: pl.DataFrame = getattr(detail, head_field)
        payload.update(output.record(head.row(0, named=True)))
    sources = entity_sources(ds, entity, entity_id)
    if entity == "donor":
        payload["sources"] = list(sources)
    elif sources:
        payload["source"] = sources[0]
    payload["summary"] = summary_record(detail.summary)
    if detail.stats.outside is not None:
        payload["outside"] = outside_record(detail.stats.outside)
    payload["row_count"] = detail.row_count
    # The lists go under their own key: a list named like a figure (a committee's
    # "transfers_out", a race's "candidates") must never hide the figure itself.
    lists: dict[str, Any] = {}
    for _title, attr, _cols in SECTIONS[entity]:
        frame: pl.DataFrame = _with_money(getattr(detail, attr), attr, args)
        lists[attr] = output.records(frame.head(top) if top else frame)
    payload["sections"] = lists
    reconciliation: pl.DataFrame | None = getattr(detail, "reconciliation", None)
    if reconciliation is not None:
        payload["reconciliation"] = output.record(reconciliation.row(0, named=True))
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
        payload = _json(ds, args.entity, entity_id, detail, args.top, args)
        if context is not None:
            from moneytrail.cli.trace import context_record

            payload["race_context"] = context_record(context)
        output.write_json(payload)
        return 0
    console = output.console()
    source, written = split_qualified(entity_id)  # users see ids as their filing writes them
    shown_id = written if source is None else f"{written}, {source}"
    console.print(output.safe_text(f"{args.entity.title()}: {name or written} ({shown_id})"))
    filters = filters_from_args(args)
    if not filters.is_default:  # a filtered detail says so, as the explorer's header does
        from moneytrail.present.header import filters_text
        from moneytrail.query.panes import shown_share

        share = shown_share(ds, filters, args.entity, entity_id)
        console.print(output.safe_text(filters_text(filters, share)))
    if args.entity == "donor":
        for label, values in (
            ("Name variants", detail.variants),
            ("Cities", detail.cities),
            ("States", detail.states),
            ("Employers", detail.employers),
        ):
            if values:
                console.print(output.safe_text(f"{label}: " + "; ".join(values[:8])))
    for line in _summary_lines(detail.stats):
        console.print(line)
    largest = largest_source_part(context)
    if largest is not None:  # a race: its largest ultimate source and the local income ratio
        console.print(largest[:1].upper() + largest[1:])
    reconciliation: pl.DataFrame | None = getattr(detail, "reconciliation", None)
    if reconciliation is not None:
        for line in _reconciliation_lines(reconciliation.row(0, named=True)):
            console.print(line)
    console.print(f"{format_count(detail.row_count)} transactions listed (the explorer shows them)")
    for title, attr, cols in SECTIONS[args.entity]:
        frame = _with_money(getattr(detail, attr), attr, args)
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
