"""The command line: `moneytrail [PATH]` opens the explorer; subcommands serve scripts.

Each subcommand lives in its own module (`moneytrail.cli.<name>`) exposing
`register(subparsers)`; the module is imported only when its command runs, so `moneytrail --help`
and the CLI stay fast and the UI (Textual) is never imported by script commands.

Every user-facing error is one line on stderr and a non-zero exit, never a traceback:
exit 1 for bad input (`DataError`, unreadable files), exit 2 for usage errors and ambiguous queries.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from moneytrail import __version__
from moneytrail.data.errors import DataError

#: Subcommand name -> module implementing it.
SUBCOMMANDS: dict[str, str] = {
    "summary": "moneytrail.cli.summary",
    "show": "moneytrail.cli.show",
    "trace": "moneytrail.cli.trace",
    "import": "moneytrail.cli.importer",
    "cache": "moneytrail.cli.cache",
    "links": "moneytrail.cli.links",
    "mapping": "moneytrail.cli.mapping",
}


class UsageError(Exception):
    """A usage problem found after parsing (e.g. an ambiguous query): exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one sanitised line on stderr (exit 2), not the usage block.

    Subparsers inherit the class, so every subcommand behaves the same. The offending value is
    shown with controls as visible stand-ins, so a hostile argument cannot drive the terminal.
    """

    def error(self, message: str) -> NoReturn:
        _error(f"{self.prog}: {message} (see: {self.prog} --help)", prefix=False)
        raise SystemExit(2)


def _available_subcommands() -> dict[str, str]:
    out = {}
    for name, module in SUBCOMMANDS.items():
        if importlib.util.find_spec(module) is not None:
            out[name] = module
    return out


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available subcommand registered."""
    from moneytrail.cli.common import add_dataset_options

    parser = _Parser(
        prog="moneytrail",
        description=(
            "Explore campaign-finance money in the terminal: donors, PACs and races, and where "
            "the money really came from. With no PATH, opens the bundled sample dataset."
        ),
    )
    parser.add_argument("--version", action="version", version=f"moneytrail {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    explore = sub.add_parser(
        "open",
        help="open the explorer on PATH (the default command)",
        description="Open the explorer on PATH (the bundled sample when PATH is omitted).",
    )
    add_dataset_options(explore)
    explore.set_defaults(func=_run_explore)
    for module in _available_subcommands().values():
        importlib.import_module(module).register(sub)
    return parser


def _run_explore(args: argparse.Namespace) -> int:
    from moneytrail.cli.common import source_options
    from moneytrail.cli.explore import run
    from moneytrail.data.open import check_path

    # A PATH that holds no dataset is refused here, in one line, before Textual takes over the
    # terminal (its exit message would be drawn after the screen is restored, wrapped).
    check_path(args.path, source_options(args))
    return run(args)


def _error(message: str, *, prefix: bool = True, one_line: bool = True) -> None:
    """Print an error for the user; data in the message cannot drive the terminal.

    With `one_line` (every error but a usage error listing choices) a newline in the message
    (a file name can hold one) is shown as a visible stand-in, so the error stays one line.
    """
    from moneytrail.present.sanitize import safe_str

    lead = "moneytrail: " if prefix else ""
    lines = [message] if one_line else (message.splitlines() or [""])
    print(
        "\n".join(
            f"{lead}{safe_str(line)}" if i == 0 else safe_str(line) for i, line in enumerate(lines)
        ),
        file=sys.stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `moneytrail` console script. Returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # `moneytrail data/` and bare `moneytrail` mean `moneytrail open ...`.
    first = next((a for a in args_list if not a.startswith("-")), None)
    wants_help = any(a in ("-h", "--help", "--version") for a in args_list)
    if (first is None and not wants_help) or (
        first is not None and first not in _available_subcommands() and first != "open"
    ):
        args_list = ["open", *args_list]
    args = parser.parse_args(args_list)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 0
    try:
        return int(args.func(args))
    except SystemExit:
        raise
    except DataError as exc:
        _error(str(exc))
        return 1
    except UsageError as exc:
        _error(str(exc), one_line=False)
        return 2
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}{exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as exc:
        # Last resort: a bug, not bad input. One line for the user; the traceback on request.
        if os.environ.get("MONEYTRAIL_DEBUG"):
            raise
        _error(
            f"internal error: {type(exc).__name__}: {exc} "
            "(set MONEYTRAIL_DEBUG=1 for the traceback)"
        )
        return 70
