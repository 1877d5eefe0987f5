"""Statistics rendered as text: figures, out-of-state shares, sections, gift-size bars, months.

Contract: `summary_text(stats, width)` returns a Rich `Text` no wider than `width` cells (≥ 30),
one fact per line, charts as block glyphs (see `present.charts`), every data value through
`present.sanitize`/`present.money`. `stats` is a `query.entity_stats.EntityStats` (the money of
a pane row or detail, with its labelled sections and out-of-state figures) or a bare
`query.stats.Summary`; both are read by attribute only. Every figure carries its one label from
`query.figures` (docs/figures.md).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from rich.text import Text

from moneytrail.present.charts import bar, resample, sparkline
from moneytrail.present.money import format_count, format_money, format_money_short, format_share
from moneytrail.present.sanitize import safe_str
from moneytrail.query.figures import UNATTRIBUTED, direct_outside_label, ultimate_outside_label

TOP_STATES = 5


def _line(out: Text, label: str, value: str, width: int) -> None:
    gap = max(1, width - len(label) - len(value))
    out.append(label, style="bold")
    out.append(" " * gap + value + "\n")


def _heading(out: Text, title: str) -> None:
    out.append("\n" + title + "\n", style="bold underline")


def outside_lines(outside: Any) -> list[tuple[str, str]]:
    """The out-of-state figures as ``(label, value)`` lines (empty without a home state)."""
    if outside is None or not outside.home_state:
        return []
    home = safe_str(outside.home_state)
    lines = [
        (direct_outside_label(home), format_share(outside.direct_share)),
        (ultimate_outside_label(home), format_share(outside.ultimate_share)),
    ]
    if outside.unattributed_share:
        lines.append((UNATTRIBUTED, format_share(outside.unattributed_share)))
    return lines


def summary_text(stats: Any, width: int = 38, title: str = "Statistics") -> Text:
    """The statistics of `stats` as lines of text at most `width` cells wide."""
    width = max(30, width)
    summary = getattr(stats, "summary", stats)
    money_label = getattr(stats, "money_label", "Total")
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(title + "\n", style="bold reverse")
    if not summary.count:
        out.append("No counted rows under the current filters.\n", style="italic")
    else:
        _figures(out, summary, money_label, width)
    for label, value in outside_lines(getattr(stats, "outside", None)):
        _line(out, label, value or "–", width)
    for section in getattr(stats, "sections", ()):
        _heading(out, section.title)
        for label, cents in section.lines:
            _line(out, label, format_money(cents), width)
    if summary.count:
        _charts(out, summary, width)
    out.rstrip()
    return out


def _figures(out: Text, summary: Any, money_label: str, width: int) -> None:
    mean = None if summary.mean_cents is None else round(summary.mean_cents)
    for label, value in (
        ("Rows", format_count(summary.count)),
        (money_label, format_money(summary.total_cents)),
        ("Mean", format_money(mean)),
        ("Median", format_money(summary.median_cents)),
        (
            "p10 / p90",
            f"{format_money_short(summary.p10_cents)} / {format_money_short(summary.p90_cents)}",
        ),
        (
            "Min / max",
            f"{format_money_short(summary.min_cents)} / {format_money_short(summary.max_cents)}",
        ),
        ("Donors", format_count(getattr(summary, "donors", None))),
        ("Top-1 share", format_share(summary.top1_share)),
        ("Top-10 share", format_share(summary.top10_share)),
    ):
        _line(out, label, value or "–", width)


def _charts(out: Text, summary: Any, width: int) -> None:
    _heading(out, "Gift size")
    buckets = list(summary.buckets)
    peak = max((b.count for b in buckets), default=0)
    bar_width = max(4, width - 26)
    for b in buckets:
        out.append(f"{b.label:<12}")
        out.append(bar(b.count, peak, bar_width))
        out.append(f" {format_count(b.count):>6} {format_money_short(b.total_cents):>6}\n")

    months: pl.DataFrame = summary.by_month
    if months.height:
        _heading(out, "By month (total)")
        totals = [float(v or 0) for v in months.get_column("total_cents").to_list()]
        labels = months.get_column("month").to_list()
        out.append(sparkline(resample(totals, width)) + "\n")
        first, last = labels[0], labels[-1]
        span = f"{first:%Y-%m} … {last:%Y-%m}" if first is not None and last is not None else ""
        peak_cents = max(totals)
        out.append(f"{span}  peak {format_money_short(int(peak_cents))}\n")

    states: pl.DataFrame = summary.by_state
    if states.height:
        _heading(out, "Top states")
        top = states.head(TOP_STATES)
        peak_state = max((v or 0) for v in top.get_column("total_cents").to_list())
        for state, total in zip(
            top.get_column("source_state").to_list(),
            top.get_column("total_cents").to_list(),
            strict=True,
        ):
            name = safe_str(state) if state else "?"
            out.append(f"{name[:4]:<5}")
            out.append(bar(total or 0, peak_state, max(4, width - 14)))
            out.append(f" {format_money_short(total):>7}\n")
