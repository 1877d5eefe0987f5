"""Rejected rows as text: one ``file:line: column: reason`` line each, the raw text below it.

Contract: `rejects_text(rows, total)` takes row mappings with the `data.schema.REJECTS` fields
(``file``, ``line``, ``column``, ``reason``, ``raw``) and how many rows were rejected in all, and
returns Rich `Text` in which every data value went through `present.sanitize` (a raw line may
hold anything: control characters, markup-like brackets). The one-line form is
`query.rejects.reject_label`, the same the CLI's `moneytrail import` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text

from moneytrail.present.money import format_count
from moneytrail.present.sanitize import safe_str
from moneytrail.query.rejects import reject_label


def rejects_text(rows: Iterable[Mapping[str, Any]], total: int) -> Text:
    """The rejected rows (see the module docstring); a note when only some are listed."""
    out = Text(no_wrap=True, overflow="ellipsis")
    noun = "row" if total == 1 else "rows"
    out.append(f"{format_count(total)} rejected {noun}", style="bold underline")
    out.append(" (never part of any figure)\n\n", style="italic")
    shown = 0
    for row in rows:
        shown += 1
        out.append(safe_str(reject_label(row)) + "\n", style="bold")
        raw = row.get("raw")
        if raw:
            out.append("  " + safe_str(raw) + "\n")
    if shown < total:
        out.append(
            f"\n… and {format_count(total - shown)} more: `moneytrail import PATH` lists all.\n"
        )
    if total == 0:
        out.append("Every row of this dataset was loaded.\n", style="italic")
    out.rstrip()
    return out
