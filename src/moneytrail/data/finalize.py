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

from moneytrail.data.names import with_donor_keys
from moneytrail.data.schema import TRANSACTIONS


def finalize_transactions(lf: pl.LazyFrame) -> pl.LazyFrame:
    """`lf` completed to the loaded transactions schema, with `donor_key` derived.

    Args:
        lf: transactions in loaded column names; any subset of the loaded columns (already of
            the loaded dtypes or castable to them), plus any extra columns.

    Returns:
        The loaded columns in schema order, then the extra columns.
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
    typed = with_donor_keys(typed)
    extras = [name for name in present if name not in TRANSACTIONS]
    return typed.select([*TRANSACTIONS, *extras])
