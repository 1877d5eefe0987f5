"""The header line and its filter status (present.header)."""

from __future__ import annotations

from moneytrail.present.header import filter_status, filters_text, header_line, rows_status
from moneytrail.query.filters import Filters

NY = "filtered: donor state NY · 12.5% of the total shown"


def test_filter_status_words_every_filter_and_the_share() -> None:
    assert filter_status([]) == "no filters"
    assert filter_status(["donor state NY"], 0.125) == NY
    assert filter_status(["date 2016-01-01–…", "donor state NY"]) == (
        "filtered: date 2016-01-01–…; donor state NY"
    )
    # A label with markup or control characters is shown literally, made safe.
    assert filter_status(["donor state [bold]\x1b"]) == "filtered: donor state [bold]␛"
    ny = Filters(states=frozenset({"NY"}))
    assert filters_text(ny, 0.125) == NY
    assert filters_text(Filters()) == "no filters"


def test_the_name_and_note_give_way_to_the_filter_status() -> None:
    def line(width: int) -> str:
        return header_line(
            "Safety & Justice: a synthetic campaign-finance sample",
            synthetic=True,
            rows="19 rows",
            status=NY,
            loading=False,
            width=width,
        ).plain

    wide = line(100)
    assert len(wide) <= 100 and "\n" not in wide
    assert wide.endswith(" │ 19 rows │ " + NY)
    assert "(synthetic)" in wide  # the note shortens before it would go
    assert "…" in wide.split(" │ ")[0]  # the name gave way
    # At 80 columns there is no room left for the name: the status gets its own line.
    first, second = line(80).split("\n")
    assert first.endswith(" │ 19 rows") and second == NY


def test_header_shortens_the_row_hint_then_gives_the_status_its_own_line() -> None:
    # A filtered line always keeps room for the loading marker (11 cells): it never switches
    # between one and two lines as queries start and end.
    status = "filtered: donor state NY · 12.5% of the total shown"
    line = header_line(
        "sample",
        synthetic=False,
        rows="12,345 rows (first 1,000 shown: sort or / to narrow)",
        rows_short="12,345 rows (first 1,000 shown)",
        status=status,
        loading=False,
        width=106,
    )
    assert line.plain == "sample │ 12,345 rows (first 1,000 shown) │ " + status
    many = filter_status(
        ["date 2016-01-01–2016-06-30", "donor state CA,NY", "amount $200.00–…"], 0.123
    )
    line = header_line("sample", synthetic=True, rows="9 rows", status=many, loading=True, width=80)
    first, second = line.plain.split("\n")
    assert first == "sample (synthetic sample, illustrative) │ 9 rows │ loading…"
    assert second == many


def test_header_is_unchanged_when_everything_fits() -> None:
    line = header_line(
        "sample", synthetic=True, rows="3 rows", status="no filters", loading=True, width=120
    )
    assert line.plain == "sample (synthetic sample, illustrative) │ 3 rows │ no filters │ loading…"


def test_header_sanitises_the_dataset_name() -> None:
    line = header_line(
        "evil [/bold]\x1b[31m",
        synthetic=False,
        rows=None,
        status="no filters",
        loading=False,
        width=120,
    )
    assert "\x1b" not in line.plain and "[/bold]" in line.plain


def test_an_unfiltered_header_shortens_its_words_keeps_the_name_and_is_cut_at_its_end() -> None:
    def line(width: int) -> str:
        return header_line(
            "safety-and-justice",
            synthetic=True,
            rows="12,299 rows matching “roe” by Total ↓",
            rows_short="12,299 rows /roe ↓Total",
            status=filter_status([]),
            loading=False,
            width=width,
        ).plain

    assert line(120) == (
        "safety-and-justice (synthetic sample, illustrative) │ 12,299 rows matching “roe” "
        "by Total ↓ │ no filters"
    )
    # The note shortens first, then the row part; the name is never elided.
    assert line(80) == "safety-and-justice (synthetic) │ 12,299 rows /roe ↓Total │ no filters"
    assert line(48).startswith("safety-and-justice (synthetic) │ 12,299 rows /roe")


def test_rows_status_words_the_count_word_sort_and_first_page() -> None:
    assert rows_status(1, 1) == ("1 row", "1 row")
    assert rows_status(12_345, 1_000, "roe", ("Total", True)) == (
        "12,345 rows matching “roe” by Total ↓ (first 1,000 shown: sort or / to narrow)",
        "12,345 rows /roe ↓Total (first 1,000 shown)",
    )
    assert rows_status(3, 3, None, ("Name", False)) == ("3 rows by Name ↑", "3 rows ↑Name")
    # The `/` word comes from the user and a sort label from the data's columns: made safe.
    long, short = rows_status(2, 2, "[b]\x1b")
    assert "\x1b" not in long + short and "[b]␛" in short


def test_the_loading_marker_never_changes_the_layout() -> None:
    def lines(loading: bool) -> list[str]:
        return header_line(
            "fec-2016-early",
            synthetic=False,
            rows="2,359 rows",
            status=NY,
            loading=loading,
            width=100,
        ).plain.split("\n")

    assert len(lines(True)) == len(lines(False)) == 1
    assert lines(True)[0] == lines(False)[0] + " │ loading…"
