"""Whole-word, case-insensitive name search, and finding one entity by id or name.

Matching rules (`word_match`):

* The query is split on whitespace into words; punctuation at either end of a word is dropped
  (``"SOROS,"`` is the word ``SOROS``). Punctuation inside a word is kept literally (``AT&T``).
* A name matches when it contains *every* query word as a whole word, in any order, ignoring
  case. A word boundary is the start or end of the name or any character that is not a letter or
  digit, so punctuation in the data separates words: ``SOROS`` matches ``SOROS, GEORGE`` and
  ``George Soros`` but not ``SOROSIAK``.
* Regex metacharacters in the query are escaped: the query is always literal text.
* A query with no words matches every non-null name. A null name never matches.

`find` resolves what a user typed (CLI ``show``, the UI's palette) to entities: an exact id match
wins (case-insensitive; the id as its filing system writes it, so an id two sources share finds
both, or the qualified ``source:id`` that names one: `moneytrail.data.ids`); otherwise every
whole-word name match is returned, biggest total first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.data.ids import unqualified_expr
from moneytrail.query.figures import HEADLINE
from moneytrail.query.filters import Filters
from moneytrail.query.kinds import ENTITY_NAMES, EntityName, kind

#: Characters the Rust regex engine treats as meta; each is escaped with a backslash.
_META = frozenset(r"\.+*?()|[]{}^$#&-~")
#: A word boundary: edge of the text or any character that is not a letter or digit.
_EDGE_BEFORE = r"(?:^|[^\p{L}\p{N}])"
_EDGE_AFTER = r"(?:$|[^\p{L}\p{N}])"
_TRIM = re.compile(r"^[\W_]+|[\W_]+$")

FindEntity = EntityName


def query_words(query: str) -> list[str]:
    """The words of a query: whitespace-separated, end punctuation trimmed, empties dropped."""
    words = (_TRIM.sub("", chunk) for chunk in query.split())
    return [w for w in words if w]


def _escape(word: str) -> str:
    return "".join("\\" + ch if ch in _META else ch for ch in word)


def word_match(expr: pl.Expr, query: str) -> pl.Expr:
    """A boolean expression: `expr` (a string) contains every word of `query` as a whole word."""
    words = query_words(query)
    if not words:
        return expr.is_not_null()
    conds = [
        expr.str.contains(f"(?i){_EDGE_BEFORE}{_escape(word)}{_EDGE_AFTER}").fill_null(False)
        for word in words
    ]
    return pl.all_horizontal(conds)


def text_match(columns: Sequence[str | pl.Expr], term: str) -> pl.Expr:
    """True where `term` occurs as a whole word (any case) in one of the text `columns`
    (names, or string expressions).

    The grid's `/` filter, one rule wherever it runs: over a table model's display strings
    (`present.table`) and over a pane's listing in the query layer (`panes.pane_listing`).
    """
    pattern = rf"(?i)\b{re.escape(term)}\b"
    if not columns:
        return pl.lit(False)
    exprs = (pl.col(c) if isinstance(c, str) else c for c in columns)
    return pl.any_horizontal(e.str.contains(pattern) for e in exprs)


def apply_search(frame: pl.LazyFrame, column: str, search: str | None) -> pl.LazyFrame:
    """`frame` restricted to rows whose `column` matches `search` (unchanged for None/blank)."""
    if search is None or not search.strip():
        return frame
    return frame.filter(word_match(pl.col(column), search))


def find(
    ds: Dataset, entity: FindEntity, query: str, *, filters: Filters | None = None
) -> pl.DataFrame:
    """Entities matching what a user typed: columns ``id``, ``name``, ``total_cents``.

    ``total_cents`` is the entity's headline figure (`figures.HEADLINE`: a donor's total, a
    committee's receipts, a race's or candidate's raised money). An exact id match
    (case-insensitive, surrounding spaces ignored) returns that one entity. Otherwise every
    whole-word name match is returned, sorted by that figure descending, then name, then id.
    Zero rows means nothing matched; more than one means the query is ambiguous.
    """
    k = kind(entity)
    filters = filters or Filters()

    def shaped(listing: pl.LazyFrame) -> pl.LazyFrame:
        return listing.select(
            pl.col(k.id_column).alias("id"),
            pl.col(k.name_column).alias("name"),
            pl.col(k.total_column).alias("total_cents"),
        )

    def ordered(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.sort(["total_cents", "name", "id"], descending=[True, False, False])

    wanted = query.strip()
    # The id first: the filter reaches the rows, so only that entity's figures are computed.
    written = unqualified_expr("id").str.to_lowercase()
    exact = shaped(k.listing(ds, filters)).filter(
        (written == wanted.lower()) | (pl.col("id").str.to_lowercase() == wanted.lower())
    )
    found = exact.collect()
    if found.height or not query_words(wanted):
        return ordered(found)
    # Then the names: the listing narrows its rows to matching names before its figures.
    return ordered(shaped(k.listing(ds, filters, search=wanted)).collect())


@dataclass(frozen=True, slots=True)
class Match:
    """One entity a free-text query found: what it is, its id, its name, its headline figure."""

    entity: FindEntity
    entity_id: str
    name: str
    #: The headline figure (`figures.HEADLINE`), in cents; `figure` names it.
    total_cents: int | None

    @property
    def figure(self) -> str:
        """The headline figure's label: ``total``, ``receipts`` or ``raised``."""
        return HEADLINE[self.entity][1]


#: Every kind of entity `find_all` looks through, in the order their matches are listed.
ALL_ENTITIES: tuple[FindEntity, ...] = ENTITY_NAMES


def find_all(
    ds: Dataset, query: str, *, filters: Filters | None = None, per_entity: int = 5
) -> list[Match]:
    """The `per_entity` biggest `find` matches of each entity kind, as plain values.

    For a picker such as the UI's command palette: a kind whose lookup fails (a malformed
    dataset, a query Polars cannot run) contributes nothing instead of failing the others.
    """
    out: list[Match] = []
    for entity in ALL_ENTITIES:
        try:
            frame = find(ds, entity, query, filters=filters)
        except (LookupError, ValueError, pl.exceptions.PolarsError):
            continue
        for row in frame.head(per_entity).iter_rows(named=True):
            name = row["name"] or row["id"]
            out.append(Match(entity, str(row["id"]), str(name), row["total_cents"]))
    return out
