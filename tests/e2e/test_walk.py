"""A user's walk through the real program, in a real terminal, at 80x24 and 120x40.

Each walk starts the installed `moneytrail` console script (see tests/e2e/terminal.py) on the
bundled sample and on the FEC snapshot, waits for the first page, then goes through every kind of
view as a user would: panes (1/2/3), moving (j/k), drilling in (Enter), tracing (t), statistics
(i), backing out (Esc), the global filter form (f), export (e) and quit (Q). After every key the
expected text must appear on screen; at the end the exit status is 0 and nothing was printed
outside the app's screen (no traceback, no `internal error`).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from tests.e2e.conftest import FEC
from tests.e2e.terminal import Terminal

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
DATASETS = [
    pytest.param((), "safety-and-justice (synthetic sample", id="sample"),
    pytest.param((str(FEC),), "fec-2016-early │", id="fec"),
]


def breadcrumb(screen: str) -> str:
    """The breadcrumb line: below the header, whose filter status may have a line of its own."""
    lines = screen.splitlines()
    at = 2 if len(lines) > 2 and lines[1].startswith("filtered: ") else 1
    return lines[at].strip() if len(lines) > at else ""


def grid_rows(screen: str) -> list[str]:
    """The grid's data rows on screen (the stats panel beside it cut off)."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(" Name "))
    rows = []
    for line in lines[start + 1 :]:
        cell = line.split("▏")[0]
        if not re.search(r"\$\d", cell):
            break
        rows.append(cell)
    return rows


def row_name(row: str) -> str:
    """The Name cell of a grid row, without the ellipsis of a shortened name."""
    return row[1:32].strip().rstrip("…").strip()


def ready(screen: str, crumb: str) -> bool:
    """The view `crumb` is fully drawn: its grid has rows, nothing is loading, the footer is on."""
    lines = screen.splitlines()
    return (
        len(lines) > 2
        and breadcrumb(screen) == crumb
        and "loading" not in lines[0]
        and " Name " in screen
        and bool(grid_rows(screen))
        and "Q Quit" in lines[-1]
    )


def rows_shown(screen: str) -> int:
    """The row count the header announces (`12,303 rows`)."""
    found = re.search(r"│ ([\d,]+) rows", screen.splitlines()[0])
    assert found, screen
    return int(found.group(1).replace(",", ""))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("args", "title"), DATASETS)
def test_walk_every_view_and_quit(
    terminal, home: Path, size: tuple[int, int], args: tuple[str, ...], title: str
) -> None:
    cols, _ = size
    term: Terminal = terminal(*args, size=size)

    # Open: the first page of the Donors pane.
    screen = term.wait_until(lambda s: title in s and ready(s, "Donors"), "the first page")

    # Panes: 3 Races, 2 PACs.
    term.press("3")
    term.wait_until(lambda s: ready(s, "Races"), "the Races pane")
    term.press("2")
    screen = term.wait_until(lambda s: ready(s, "PACs") and "Receipts" in s, "the PACs pane")
    second = row_name(grid_rows(screen)[1])

    # j j k lands on the second row; Enter opens that committee.
    term.press("j", "j", "k", "enter")
    screen = term.wait_for(f"PACs › {second[:20]}", "Top donors", "committee id:")

    # t: where the committee's money came from; Esc returns to the committee.
    term.press("t")
    term.wait_for("Where the money came from:", "ultimate source")
    term.press("escape")
    term.wait_until(
        lambda s: breadcrumb(s).startswith(f"PACs › {second[:20]}") and "Where the money" not in s,
        "the committee again",
    )

    # i: statistics of the committee. Below 120 columns they replace the grid (Esc returns);
    # at 120 they sit beside it and i hides them.
    if cols < 120:
        term.press("i")
        term.wait_for("Top-1 share", "Median")
        term.press("escape")
        term.wait_until(lambda s: "Top-1 share" not in s and " Name " in s, "the grid again")
    else:
        term.wait_for("Top-1 share", "Median")
        term.press("i")
        term.wait_gone("Top-1 share")
        term.press("i")
        term.wait_for("Top-1 share")

    # Esc backs out to the pane, then 1 goes to Donors.
    term.press("escape")
    term.wait_until(lambda s: ready(s, "PACs"), "the PACs pane")
    term.press("1")
    screen = term.wait_until(lambda s: ready(s, "Donors"), "the Donors pane")
    unfiltered = rows_shown(screen)

    # f: the filter form; donors from California only.
    # Each key waits for the form to have taken the one before (focus moves asynchronously).
    term.press("f")
    term.wait_for("Filters (apply")
    term.settle()
    for _ in range(2):
        term.press("tab")
        term.settle()
    term.press("CA")
    term.wait_until(lambda s: re.search(r"states ▊\s+CA\s", s) is not None, "CA in states")
    term.press("enter")

    def filter_status_shown(s: str) -> bool:
        # The whole filter status, readable: at the end of the header line after the row count,
        # or (when the line has no room for it) alone on the header's second line.
        first, second = (line.rstrip() for line in s.splitlines()[:2])
        status = r"filtered: donor state CA · \d+\.\d% of the total shown$"
        if re.search(r"│ [\d,]+ rows │ " + status, first):
            return True
        return (
            re.search(r"│ [\d,]+ rows$", first) is not None and re.match(status, second) is not None
        )

    def filtered_page(s: str) -> bool:
        rows = grid_rows(s) if " Name " in s else []
        return (
            ready(s, "Donors")
            and "Filters (apply" not in s
            and filter_status_shown(s)
            and bool(rows)
            and all(re.search(r"\s CA \s", row) for row in rows)
        )

    screen = term.wait_until(filtered_page, "the Donors pane, California donors only")
    filtered = rows_shown(screen)
    assert 0 < filtered < unfiltered

    # e: export every filtered row into a file of ours.
    # The path is typed relative to the program's working directory (the test's home).
    out = home / "exports" / "ca-donors.csv"
    out.parent.mkdir()
    term.press("e")
    term.wait_for("Export", "donors.csv")
    term.settle()
    term.press("\x15")  # Ctrl+U: clear the suggested path
    term.wait_gone("donors.csv")
    term.press("exports/ca-donors.csv")
    term.wait_for("exports/ca-donors.csv")
    term.press("enter")
    term.wait_for("Exported")
    frame = pl.read_csv(out)
    assert frame.height == filtered
    assert set(frame["state"].to_list()) == {"CA"}

    # Q quits cleanly: status 0, nothing printed outside the app.
    term.press("Q")
    status = term.wait_exit()
    assert (status, term.outside_text()) == (0, "")
