"""`moneytrail mapping init FILE.csv`: a starting TOML mapping for a CSV moneytrail does not know.

The mapping (documented in docs/sources.md, read by `moneytrail.data.sources.mapping`) says
which column of the CSV is which model column. `init` lists every column of the file and
guesses the usual ones from their header names and values (date format, money style); the user
checks the guesses and fills in the rest. Written to stdout, or to `--output FILE` (an existing
file is never overwritten).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from moneytrail.data.errors import DataError
from moneytrail.data.sources.mapping import init_mapping


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "mapping",
        help="write a starting mapping (TOML) for a CSV in another layout",
        description=(
            "Write a starting mapping for FILE: which of its columns is the date, the amount, "
            "the contributor... Check the guesses, then read the file with the mapping."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="guess a mapping from FILE's header and values")
    init.add_argument("file", metavar="FILE", type=Path, help="the CSV file")
    init.add_argument("--output", "-o", type=Path, default=None, help="write to this file")
    init.add_argument(
        "--delimiter", default=None, help="the field separator (default: guessed from line 1)"
    )
    init.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise DataError("no such file", path=str(args.file))
    delimiter = args.delimiter.replace("\\t", "\t") if args.delimiter else None
    text = init_mapping(args.file, delimiter=delimiter)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        with args.output.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise DataError("already exists: not overwritten", path=str(args.output)) from None
    print(f"mapping written to {args.output}", file=sys.stderr)
    return 0
