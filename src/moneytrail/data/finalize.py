"""`finalize_transactions`: the last step every transactions reader shares.

Readers (moneytrail tables, FEC bulk files) parse and validate their input into the loaded
column names and dtypes of `moneytrail.data.schema.TRANSACTIONS`, then hand the result here,
which makes the frame complete and uniform:

* loaded columns the reader did not produce are added as nulls (`memo` as false);
* a null `memo` becomes false (memo rows are the exception and must be marked);
* `donor_key` is (re)computed with `moneytrail.data.names.with_donor_keys`, so every reader
  derives donor identity by the one rule;
* the loaded columns come first, in schema order and dtypes, extra input columns after them in
  their original order.

Lazy in, lazy out: nothing is collected.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.names import plain_donor_keys, split_donor_keys
from moneytrail.data.schema import TRANSACTIONS


def finalize_transactions(lf: pl.LazyFrame) -> pl.LazyFrame:
    """`lf` completed to the loaded transactions schema, with `donor_key` derived.

    Args:
        lf: transactions in loaded column names; any subset of the loaded columns (already of
            the loaded dtypes or castable to them), plus any extra columns.

    Returns:
        The loaded columns in schema order, then the extra columns.
    """
    return finish_donor_keys(finalize_plain(lf))


def finalize_plain(lf: pl.LazyFrame) -> pl.LazyFrame:
    """The row-by-row half of `finalize_transactions`: typed, completed, plain donor keys.

    It streams (no step looks at other rows). `finish_donor_keys` is the other half, which
    needs every row of each plain key at once; a reader too large for memory runs it per
    bucket of plain keys (the FEC import).
    """
    present = lf.collect_schema().names()
    missing = [
        (pl.lit(False) if name == "memo" else pl.lit(None, dtype=dtype)).alias(name)
        for name, dtype in TRANSACTIONS.items()
        if name not in present and name != "donor_key"
    ]
    completed = lf.with_columns(missing) if missing else lf
    typed = completed.with_columns(
        [
            pl.col(name).cast(dtype)
            for name, dtype in TRANSACTIONS.items()
            if name in present and name != "donor_key"
        ]
    ).with_columns(pl.col("memo").fill_null(False))
    return plain_donor_keys(typed)


def finish_donor_keys(plain: pl.LazyFrame) -> pl.LazyFrame:
    """`finalize_plain` output with people split apart (`split_donor_keys`), columns in order."""
    split = split_donor_keys(plain)
    names = split.collect_schema().names()
    return split.select([*TRANSACTIONS, *(n for n in names if n not in TRANSACTIONS)])
