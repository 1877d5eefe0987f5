"""The one validation engine: text columns in, loaded values and rejects out.

Every source describes its input columns as `Column` specs (what kind of value, required or
not, the date format and money style) and hands a frame of *strings* to `validate`, or builds
its own `Check`s and calls `split_rejects`. Either way one rule decides what a row is:

* each check is a predicate (True = the row is bad) with the column it names and a reason;
* a row's reject names the **first** failing check, in the order given (one reject per row);
* rows failing no check are loaded; every other row lands in the rejects (the `REJECTS`
  schema: file, 1-based line, column, reason, raw text), so read = loaded + rejected.

Values are parsed by `moneytrail.data.values` (money, dates), so every source accepts the same
amounts and dates. Pure: Polars and the standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

import polars as pl

from moneytrail.data import values
from moneytrail.data.schema import REJECTS

ColumnKind = Literal["string", "date", "money", "enum", "bool", "int"]

#: The names of the line-number and raw-text columns a frame handed to the engine carries.
LINE: Final = "__moneytrail_line"
RAW: Final = "__moneytrail_raw"

_INT_RE: Final = r"^[+-]?[0-9]{1,18}$"
TRUE_WORDS: Final = ("true", "t", "yes", "y", "1", "x")
FALSE_WORDS: Final = ("false", "f", "no", "n", "0")


class Check(NamedTuple):
    """One rule: rows where `bad` is True are rejected as `column: reason`."""

    bad: pl.Expr
    column: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Column:
    """One input column: how it is validated and converted to its loaded value.

    Attributes:
        name: the column's name in the input frame.
        kind: "string", "date", "money", "enum", "bool" or "int".
        required_column: the input must have this column (else the caller raises DataError).
        required_value: a blank value is rejected as ``missing value``.
        choices: the allowed values of an enum (compared case-insensitively).
        loaded_name: the loaded column it becomes (e.g. ``amount`` -> ``amount_cents``).
        default: bool columns: the value when blank.
        date_format: strptime format(s) of a date column (see `moneytrail.data.values`).
        money_style: ``plain`` or ``us`` (see `moneytrail.data.values`).
        upper: enum values are loaded upper-case (else lower-case).
        year: an int column holding a year: checked against the date year range, loaded Int32.
    """

    name: str
    kind: ColumnKind = "string"
    required_column: bool = False
    required_value: bool = False
    choices: tuple[str, ...] = ()
    loaded_name: str | None = None
    default: bool | None = None
    date_format: str | tuple[str, ...] = "%Y-%m-%d"
    money_style: values.MoneyStyle = "plain"
    upper: bool = False
    year: bool = False

    @property
    def target(self) -> str:
        return self.loaded_name or self.name


def _clean(c: Column) -> pl.Expr:
    """The stripped value for typed columns (`None` when blank), the value for strings."""
    v = pl.col(c.name)
    if c.kind == "string":
        return v
    s = v.str.strip_chars()
    return pl.when(s != "").then(s)


def _normalized_enum(c: Column) -> pl.Expr:
    v = _clean(c)
    return v.str.to_uppercase() if c.upper else v.str.to_lowercase()


def column_checks(c: Column) -> list[Check]:
    """The checks of one present column, in reporting order."""
    raw = pl.col(c.name)
    v = _clean(c)
    checks: list[Check] = [nul_check(c.name)]
    if c.required_value:
        blank = raw.is_null() | (raw.str.strip_chars() == "")
        checks.append(Check(blank, c.name, "missing value"))
    present = v.is_not_null()
    if c.kind == "date":
        problem = values.date_problem(raw, c.date_format)
        # One check per reason, so the reason is a literal (cheap to coalesce).
        fmt = c.date_format
        for reason in (
            values.not_a_date_reason(fmt),
            values.NO_SUCH_DATE,
            values.YEAR_OUT_OF_RANGE,
        ):
            checks.append(Check(problem == reason, c.name, reason))
    elif c.kind == "money":
        problem = values.money_problem(raw, c.money_style)
        for reason in (values.NOT_MONEY, values.TOO_MANY_DECIMALS):
            checks.append(Check(problem == reason, c.name, reason))
    elif c.kind == "int":
        checks.append(Check(present & ~v.str.contains(_INT_RE), c.name, "not a whole number"))
        if c.year:
            n = v.cast(pl.Int64(), strict=False)
            bad_year = (n < values.MIN_YEAR) | (n > values.MAX_YEAR)
            checks.append(Check(present & bad_year, c.name, "implausible year"))
    elif c.kind == "enum":
        allowed = "|".join(c.choices)
        checks.append(
            Check(present & ~_normalized_enum(c).is_in(c.choices), c.name, f"not one of {allowed}")
        )
    elif c.kind == "bool":
        word = v.str.to_lowercase()
        checks.append(
            Check(
                present & ~word.is_in([*TRUE_WORDS, *FALSE_WORDS]),
                c.name,
                "not a boolean (true/false)",
            )
        )
    return checks


def converted(c: Column) -> pl.Expr:
    """The loaded value of a (validated) column, named `c.target`."""
    v = _clean(c)
    if c.kind == "date":
        out = values.parse_date(pl.col(c.name), c.date_format)
    elif c.kind == "money":
        out = values.money_cents(pl.col(c.name), c.money_style)
    elif c.kind == "int":
        out = v.cast(pl.Int64(), strict=False)
        if c.year:
            out = out.cast(pl.Int32())
    elif c.kind == "enum":
        out = _normalized_enum(c)
    elif c.kind == "bool":
        out = pl.when(v.is_not_null()).then(v.str.to_lowercase().is_in(TRUE_WORDS))
        if c.default is not None:
            out = out.fill_null(c.default)
    else:
        out = v
    return out.alias(c.target)


def nul_check(name: str) -> Check:
    """No column may hold NUL bytes: a described column's first check, an extra's only one."""
    return Check(pl.col(name).str.contains("\x00", literal=True), name, "NUL byte")


def split_rejects(
    frame: pl.DataFrame,
    checks: Sequence[Check],
    *,
    file: str,
    line: str = LINE,
    raw: str = RAW,
    unique: str | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows failing no check, rejects in the `REJECTS` schema).

    Args:
        frame: the rows, with their 1-based line in column `line` and raw text in `raw`.
        checks: tried in order; the first failing one names a row's reject.
        file: how rejects name the file.
        unique: a column whose value must be unique among the valid rows: a later repeat is
            rejected as ``duplicate <column>`` (the first one wins).

    Returns:
        The good rows (all their columns, minus none) and the rejects sorted by line.
    """
    # Each predicate is evaluated once into its own flag column; the first failing one wins.
    flags = [f"__check_{i}" for i in range(len(checks))]
    flagged = frame.with_columns(
        c.bad.fill_null(False).alias(flag) for c, flag in zip(checks, flags, strict=True)
    )
    no_reason = pl.lit(None, dtype=pl.String())
    reason_exprs = [
        pl.when(pl.col(flag)).then(pl.lit(c.reason)) for c, flag in zip(checks, flags, strict=True)
    ]
    column_exprs = [
        pl.when(pl.col(flag)).then(pl.lit(c.column, dtype=pl.String()))
        for c, flag in zip(checks, flags, strict=True)
    ]
    checked = flagged.with_columns(
        pl.coalesce([*reason_exprs, no_reason]).cast(pl.String()).alias("__reason"),
        pl.coalesce([*column_exprs, no_reason]).cast(pl.String()).alias("__column"),
    ).drop(flags)
    if unique is not None:
        valid_id = pl.when(pl.col("__reason").is_null()).then(pl.col(unique))
        duplicate = pl.col("__reason").is_null() & ~valid_id.is_first_distinct()
        checked = checked.with_columns(
            pl.when(duplicate)
            .then(pl.lit(f"duplicate {unique}"))
            .otherwise("__reason")
            .alias("__reason"),
            pl.when(duplicate).then(pl.lit(unique)).otherwise("__column").alias("__column"),
        )
    bad = checked.filter(pl.col("__reason").is_not_null()).select(
        pl.lit(file).alias("file"),
        pl.col(line).alias("line"),
        pl.col("__column").alias("column"),
        pl.col("__reason").alias("reason"),
        pl.col(raw).alias("raw"),
    )
    good = checked.filter(pl.col("__reason").is_null()).drop("__reason", "__column")
    return good, bad.cast(REJECTS)  # type: ignore[arg-type]


def validate(
    frame: pl.DataFrame,
    columns: Sequence[Column],
    *,
    file: str,
    extra_checks: Sequence[Check] = (),
    unique: str | None = None,
    line: str = LINE,
    raw: str = RAW,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validate a frame of strings against `columns` and convert it to loaded values.

    Columns of the frame that `columns` does not describe (other than `line`/`raw`) are
    extras: checked for NUL bytes only and kept, after the described ones, as they are.
    Described columns absent from the frame are skipped (the caller decides whether a missing
    column is an error: see `Column.required_column`).

    Args:
        frame: string columns plus the `line` and `raw` columns.
        columns: the specs of the columns this format knows, in reporting order.
        file: how rejects name the file.
        extra_checks: row rules across columns, tried after the column checks.
        unique: the id column whose repeats are rejected (first one wins).

    Returns:
        (loaded rows: converted described columns then extras, rejects in `REJECTS`).
    """
    names = [n for n in frame.columns if n not in (line, raw)]
    present = [c for c in columns if c.name in names]
    known = {c.name for c in columns}
    extras = [n for n in names if n not in known]
    checks = [chk for c in present for chk in column_checks(c)]
    checks.extend(nul_check(n) for n in extras)
    checks.extend(extra_checks)
    good, rejects = split_rejects(frame, checks, file=file, line=line, raw=raw, unique=unique)
    loaded = good.select([*(converted(c) for c in present), *(pl.col(n) for n in extras)])
    return loaded, rejects
