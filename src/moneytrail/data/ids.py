"""Ids unique per source, shown as each filing system writes them.

Two filing systems may use the same id for different things (an FEC committee ``C00401224``
and a state filer numbered the same way), so inside a dataset every id of a source whose
`qualify_ids` is true is *qualified*: ``<source>:<written id>`` (``irs:52-1234567``,
``fl:70275``). The FEC and moneytrail tables share one id space (the federal ids) and are not
qualified, so datasets made of them alone look exactly as before.

Users never see or type the qualifier: displays and exports show `written_id` next to the
row's `source`, and lookups match the written id (an id found in two sources lists both).
This module is that one rule; the columns it applies to are `schema.ID_COLUMNS`.
Pure: Polars and the standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeVar

import polars as pl

from moneytrail.data.schema import ID_COLUMNS, SOURCE_COLUMN

SEPARATOR: Final = ":"

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


def qualified(source: str, written: str) -> str:
    """``irs`` + ``52-1234567`` -> ``irs:52-1234567``."""
    return f"{source}{SEPARATOR}{written}"


def qualify_expr(column: str, source: str) -> pl.Expr:
    """`column` qualified for `source` (null and blank ids stay as they are)."""
    col = pl.col(column)
    has_id = col.is_not_null() & (col != "")
    return (
        pl.when(has_id)
        .then(pl.lit(qualified(source, ""), dtype=pl.String()) + col)
        .otherwise(col)
        .alias(column)
    )


def qualified_sources() -> frozenset[str]:
    """The names of the sources whose ids are qualified."""
    from moneytrail.data.sources.registry import sources

    return frozenset(s.name for s in sources() if s.qualify_ids)


def written_id_expr(column: str, source_column: str = SOURCE_COLUMN) -> pl.Expr:
    """`column` as its filing system writes it (the ``<source>:`` qualifier removed).

    Needs the row's `source_column`; rows of unqualified sources are returned unchanged.
    """
    col = pl.col(column)
    names = sorted(qualified_sources())
    if not names:
        return col.alias(column)
    prefix = pl.col(source_column) + pl.lit(SEPARATOR)
    return (
        pl.when(pl.col(source_column).is_in(names))
        .then(col.str.strip_prefix(prefix))
        .otherwise(col)
        .alias(column)
    )


def written_id(value: str, source: str | None) -> str:
    """`value` without its qualifier, for one id of a row from `source`."""
    if source is not None and source in qualified_sources():
        return value.removeprefix(qualified(source, ""))
    return value


def split_qualified(value: str, known: Iterable[str] | None = None) -> tuple[str | None, str]:
    """(source, written id) of a possibly qualified id; (None, value) when unqualified."""
    names = qualified_sources() if known is None else frozenset(known)
    head, sep, tail = value.partition(SEPARATOR)
    if sep and head in names:
        return head, tail
    return None, value


#: The names under which an id appears in results and records: the loaded id columns, plus
#: the generic ``id`` of search results.
ID_KEYS: Final = frozenset({c for cols in ID_COLUMNS.values() for c in cols} | {"id"})


def _prefix_re(names: Iterable[str]) -> str | None:
    ordered = sorted(names)
    if not ordered:
        return None
    return "^(?:" + "|".join(re.escape(n) for n in ordered) + ")" + re.escape(SEPARATOR)


def unqualified_expr(column: str) -> pl.Expr:
    """`column` with any qualifier removed, for frames that carry no `source` column (query
    results listing ids of several sources)."""
    pattern = _prefix_re(qualified_sources())
    col = pl.col(column)
    return (col if pattern is None else col.str.replace(pattern, "")).alias(column)


def written_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """`record` with each id (`ID_KEYS`) as written and, when one was qualified, its `source`.

    How JSON and other record output keep ``committee_id`` as the filing system writes it and
    say which source it belongs to.
    """
    out = dict(record)
    known = qualified_sources()
    for key, value in record.items():
        if key in ID_KEYS and isinstance(value, str):
            source, written = split_qualified(value, known)
            if source is not None:
                out[key] = written
                out.setdefault(SOURCE_COLUMN, source)
    return out


def written_ids(frame: FrameT) -> FrameT:
    """`frame` with every id column (`ID_KEYS`, strings) as its filing system writes it.

    What exports and CSV output write: the ids a user can look up in the filings. A `source`
    column, where the frame has one, says whose each id is.
    """
    schema = frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema
    columns = [c for c, t in schema.items() if c in ID_KEYS and t == pl.String]
    if not columns or not qualified_sources():
        return frame
    return frame.with_columns(unqualified_expr(c) for c in columns)
