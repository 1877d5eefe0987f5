"""`moneytrail trace {committee,race,donor} QUERY [PATH]`: follow the money, for scripts and people.

A committee or race is traced back to its ultimate sources; a donor is traced forward to where
its money ended up (see docs/tracing.md for the method). QUERY resolves like `show`: an exact id
or a whole-word, case-insensitive name match; several matches are ambiguous (exit 2, listed).

JSON output: ``entity``, ``id``, ``name``, ``total`` (dollars), ``direction`` and
``sources`` or ``destinations``: ``[{name, kind, id, amount, share, state, ...}]`` largest first
(the rest past ``--top`` grouped in one ``other`` row, so amounts add up to ``total`` and shares
to 1), ``paths`` (the largest routes the money took), and for races ``race_context``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

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
from moneytrail.data.errors import DataError
from moneytrail.data.ids import written_record
from moneytrail.present.money import cents_to_dollars, format_money, format_share
from moneytrail.present.trace import trace_context_parts
from moneytrail.query.kinds import KINDS
from moneytrail.query.trace_result import FlowEntry, RaceContext, TraceResult

#: The kinds traced as themselves, committees and races first (backwards), then donors.
ENTITIES = tuple(
    sorted((n for n, k in KINDS.items() if k.traced_as == n), key=lambda n: n == "donor")
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "trace",
        help="trace a committee or race to its ultimate sources, or a donor forward",
        description=(
            "Follow the money through pass-through committees (pro-rata attribution). A "
            "committee or race is traced back to its ultimate sources; a donor forward to "
            "where its money ended up. QUERY is an exact id or a whole-word name match."
        ),
    )
    parser.add_argument("entity", choices=ENTITIES, help="what to trace")
    parser.add_argument("query", metavar="QUERY", help="an exact id or a name")
    add_dataset_options(parser)
    parser.add_argument(
        "--top",
        type=non_negative_int,
        default=20,
        metavar="N",
        help="sources/destinations listed before the rest is grouped (0 = all; default 20)",
    )
    add_format_option(parser, ("table", "json"))
    add_filter_options(parser)
    parser.set_defaults(func=run)


def trace(ds: Any, entity: str, entity_id: str, args: argparse.Namespace) -> TraceResult:
    """Run the trace the arguments ask for."""
    from moneytrail.query.kinds import kind

    return kind(entity).trace(ds, filters_from_args(args), entity_id, limit=args.top or None)


def entry_record(entry: FlowEntry) -> dict[str, Any]:
    """One source/destination as JSON-ready values (money in dollars)."""
    record: dict[str, Any] = {
        "name": entry.name,
        "kind": entry.kind,
        "id": entry.id,
        "amount": cents_to_dollars(entry.amount_cents),
        "share": entry.share,
        "state": entry.state,
    }
    if entry.race_id is not None or entry.candidate_id is not None:
        record.update(
            race_id=entry.race_id,
            candidate_id=entry.candidate_id,
            support_oppose=entry.support_oppose,
        )
    return written_record(record)


def context_record(ctx: RaceContext) -> dict[str, Any]:
    return written_record(
        {
            "race_id": ctx.race_id,
            "state": ctx.state,
            "ultimate_outside_share": ctx.outside_share,
            "unattributed_share": ctx.unattributed_share,
            "largest_source": None if ctx.largest_source is None else ctx.largest_source.name,
            "largest_amount": None
            if ctx.largest_source is None
            else cents_to_dollars(ctx.largest_source.amount_cents),
            "largest_share": ctx.largest_share,
            "median_household_income": ctx.median_household_income,
            "income_multiple": ctx.income_multiple,
        }
    )


def result_json(result: TraceResult) -> dict[str, Any]:
    """The whole result as a JSON-ready payload (see the module docstring)."""
    payload: dict[str, Any] = {
        "entity": result.entity,
        "id": result.entity_id,
        "name": result.name,
        "total": cents_to_dollars(result.total_cents),
        "direction": result.direction,
        result.direction: [entry_record(e) for e in result.entries],
        "count": result.entry_count,
        "paths": [
            {
                "path": [s.name for s in p.steps],
                "steps": [
                    written_record({"kind": s.kind, "id": s.id, "name": s.name}) for s in p.steps
                ],
                "amount": cents_to_dollars(p.amount_cents),
                "share": p.share,
            }
            for p in result.paths
        ],
        "untraced_share": result.untraced_share,
        "home_state": result.home_state,
        "ultimate_outside_share": result.outside_share,
        "unattributed_share": result.unattributed_share,
        "filtered": result.filter_note,
        "shown_share": result.shown_share,
    }
    if result.race_context is not None:
        payload["race_context"] = context_record(result.race_context)
    return written_record(payload)


def run(args: argparse.Namespace) -> int:
    from moneytrail.cli.show import resolve
    from moneytrail.query.trace import TraceError

    ds = load(args)
    entity_id, _name = resolve(ds, args.entity, args.query)
    try:
        result = trace(ds, args.entity, entity_id, args)
    except TraceError as exc:
        raise DataError(str(exc), path=str(ds.source)) from None
    if args.format == "json":
        output.write_json(result_json(result), sys.stdout)
        return 0
    console = output.console()
    verb = "Sources of" if result.direction == "sources" else "Where the money went:"
    console.print(
        output.safe_text(
            f"{verb} {args.entity} {result.name} ({result.entity_id}): "
            f"{format_money(result.total_cents)}"
        )
    )
    context = trace_context_parts(result)
    if context:
        console.print(output.safe_text("; ".join(context)))
    if result.untraced_share:
        console.print(
            f"{format_share(result.untraced_share)} circulates in a closed cycle of committees "
            "with no outside receipts; shown as their own funds."
        )
    entries = pl.DataFrame(
        {
            "name": [e.name for e in result.entries],
            "kind": [e.kind for e in result.entries],
            "state": [e.state for e in result.entries],
            "amount_cents": [e.amount_cents for e in result.entries],
            "share": [e.share for e in result.entries],
        },
        schema={
            "name": pl.String(),
            "kind": pl.String(),
            "state": pl.String(),
            "amount_cents": pl.Int64(),
            "share": pl.Float64(),
        },
    )
    title = "Ultimate sources" if result.direction == "sources" else "Destinations"
    if result.entry_count > len(result.entries):
        title += f" (largest of {result.entry_count:,})"
    cols = ["name", "kind", "state", "amount_cents", "share"]
    if result.direction == "destinations":
        cols.remove("state")
    console.print(output.table(entries, cols, title=title))
    if result.paths:
        paths = pl.DataFrame(
            {
                "path": [p.label() for p in result.paths],
                "amount_cents": [p.amount_cents for p in result.paths],
                "share": [p.share for p in result.paths],
            },
            schema={"path": pl.String(), "amount_cents": pl.Int64(), "share": pl.Float64()},
        )
        console.print(output.table(paths, title="Largest paths"))
    if ds.synthetic:
        sys.stdout.write("Synthetic, illustrative sample data (see sample_data/README.md).\n")
    return 0
