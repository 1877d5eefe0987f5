"""`moneytrail links PATH`: the committees linked across filing systems, and why; confirm or
break a link.

Listing shows every name (as a filing writes it, with its state) that was linked to a committee
of another filing system, the committee, how many rows, why, and whether the rule or you made
it (`moneytrail.data.sources.links`). `--confirm NAME --state ST --to COMMITTEE_ID` makes a link
the rule did not; `--break` undoes one. Decisions are saved beside the data
(`moneytrail-links.csv` in PATH), never in the source files, and the next load (and trace)
follows them.
"""

from __future__ import annotations

import argparse

from moneytrail.cli import output
from moneytrail.cli.common import add_dataset_options, add_format_option, load
from moneytrail.data.errors import DataError
from moneytrail.data.sources.links import (
    DECISIONS_FILE,
    Decision,
    decisions_folder,
    links_table,
    save_decision,
)

COLUMNS = ("source", "name", "state", "committee_id", "rows", "status", "reason")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "links",
        help="list committees linked across filing systems, or confirm/break a link",
        description=(
            "List the names that were linked to a committee of another filing system (an "
            "IRS 527's payee that is a state PAC, a state PAC's contributor that is the 527), "
            "and why. With --confirm or --break, save your decision beside the data "
            f"({DECISIONS_FILE}); the next load follows it."
        ),
    )
    add_dataset_options(parser, path_required=True)
    decide = parser.add_mutually_exclusive_group()
    decide.add_argument("--confirm", metavar="NAME", help="link NAME (as the filing writes it)")
    decide.add_argument("--break", dest="break_", metavar="NAME", help="undo the link of NAME")
    parser.add_argument("--state", default="", help="the state the filing gives with NAME")
    parser.add_argument(
        "--to", metavar="COMMITTEE_ID", help="the committee NAME is (not) linked to"
    )
    add_format_option(parser, ("table", "csv", "json"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    name = args.confirm if args.confirm is not None else args.break_
    if name is not None:
        if not args.to:
            raise DataError("--to COMMITTEE_ID is needed with --confirm or --break")
        folder = decisions_folder(args.path)
        decision = Decision(
            name, args.state, args.to, "confirm" if args.confirm is not None else "break"
        )
        path = save_decision(folder, decision)
        verdict = decision.decision
        output.print_lines(
            [f"{verdict}: {name} ({args.state.upper()}) -> {args.to}: saved in {path}"]
        )
        return 0
    ds = load(args)
    frame = links_table(ds.transactions).collect()
    if args.format == "json":
        output.write_json(output.records(frame))
    elif args.format == "csv":
        output.write_csv(frame)
    else:
        title = f"{ds.name}: {frame.height:,} names linked across filing systems"
        output.console().print(output.table(frame, list(COLUMNS), title=title))
    return 0
