"""The pure data layer: schema, readers, importers, cache. Polars and stdlib only.

Nothing under `moneytrail.data` may import Textual or Rich (see tests/test_architecture.py).
"""
