"""Input sources: the seam every input format plugs into (docs/sources.md).

* `base`: the `Source` protocol, `Option`, `SourceRead` and the sniff scores;
* `registry`: the built-in sources and the plug-ins of the ``moneytrail.sources`` entry points;
* `combine`: PATH -> plan (which source reads which file) -> one `Dataset`;
* `tables`, `fec`: the built-in sources, wrapping `moneytrail.data.tables` and
  `moneytrail.data.fec`.

Pure data layer: Polars and the standard library only.
"""

from __future__ import annotations

from moneytrail.data.sources.base import (
    BY_NAME,
    CERTAIN,
    COMPANION,
    NOT_MINE,
    Option,
    Source,
    SourceRead,
)
from moneytrail.data.sources.registry import ENTRY_POINT_GROUP, get_source, sources

__all__ = [
    "BY_NAME",
    "CERTAIN",
    "COMPANION",
    "ENTRY_POINT_GROUP",
    "NOT_MINE",
    "Option",
    "Source",
    "SourceRead",
    "get_source",
    "sources",
]
