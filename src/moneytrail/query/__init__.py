"""The pure query layer: functions from a loaded `Dataset` and immutable `Filters` to results.

Polars and stdlib only; nothing here imports Textual or Rich. Money is Int64 cents throughout
(columns end in `_cents`); turning it into dollars is the present layer's job.
"""
