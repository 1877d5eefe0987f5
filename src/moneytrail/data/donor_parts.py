"""`DonorParts`: which stored part files can hold one donor's rows.

A large FEC import stores each cycle's transactions as donor buckets
(``transactions/cycle=<C>/part-<b>.parquet``, bucket ``b`` of `names.donor_bucket_expr(n)`),
plus one extra part for the conduits' pseudo-donors (`moneytrail.data.fec.earmarks`), whose
rows come from several buckets. Every part spans the whole `donor_key` range, so a filter on one
key would open every part's footer; a donor's bucket follows from its key alone
(`names.donor_key_buckets`), so its rows are read from that part (and the pseudo-donors' part)
of each cycle only.

The import keeps, per cycle, a record of what the look-up needs (`DONOR_PARTS` in the cycle's
``cycle.json``); the cache copies the records into the manifest's ``layout`` of
``transactions`` and hands them to `DonorParts.from_layout` when it opens an entry. Anything
else (in-memory imports, other sources, entries without records, buckets hashed by another
Polars version) has no `DonorParts` and reads every row (`Dataset.donor_rows`).

Pure data layer: Polars and the standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from moneytrail.data.names import donor_key_buckets

#: A cycle record's field (and the key of ``layout.transactions`` in a cache manifest) telling
#: where a donor's rows are stored, per cycle folder: `buckets`, the number of donor buckets;
#: `pseudo_part`, the number of the extra part holding the conduits' pseudo-donors (or null);
#: `polars`, the version whose hash made the buckets (another version hashes differently).
DONOR_PARTS = "donor_parts"

_PART = re.compile(r"(?:^|/)(cycle=[^/]+)/part-(\d+)\.parquet$")


def donor_parts_record(buckets: int, pseudo_part: int | None) -> dict[str, Any]:
    """The `DONOR_PARTS` record of one cycle stored in `buckets` buckets."""
    return {"buckets": buckets, "pseudo_part": pseudo_part, "polars": pl.__version__}


@dataclass(frozen=True, slots=True)
class _Cycle:
    buckets: int
    pseudo_part: int | None
    parts: Mapping[int, Path]


@dataclass(frozen=True, slots=True)
class DonorParts:
    """Per stored cycle: its bucket count, its pseudo-donors' part and its part files.

    `of` is the scan of the stored transactions these parts are: a `Dataset` whose
    transactions were replaced by other rows (`dataclasses.replace`) no longer uses the parts.
    """

    of: pl.LazyFrame
    cycles: tuple[_Cycle, ...]

    @classmethod
    def from_layout(
        cls,
        of: pl.LazyFrame,
        entry: Path,
        records: Mapping[str, Any] | None,
        files: Iterable[str],
    ) -> DonorParts | None:
        """The look-up for a cache entry's stored transactions, or None when it cannot be made.

        Args:
            of: the scan of those transactions (every part file, in order).
            entry: the entry's folder.
            records: the `DONOR_PARTS` records by cycle folder (``cycle=2016``), or None.
            files: the entry's transaction part files, relative to `entry`.
        """
        if not isinstance(records, Mapping):
            return None
        parts: dict[str, dict[int, Path]] = {}
        for name in files:
            found = _PART.search(name)
            if found is None:
                return None
            parts.setdefault(found.group(1), {})[int(found.group(2))] = entry / name
        cycles = []
        for folder, numbered in sorted(parts.items()):
            record = records.get(folder)
            if not isinstance(record, Mapping) or record.get("polars") != pl.__version__:
                return None
            pseudo = record.get("pseudo_part")
            buckets = record.get("buckets")
            if not isinstance(buckets, int) or buckets < 1 or not isinstance(pseudo, int | None):
                return None
            cycles.append(_Cycle(buckets, pseudo, numbered))
        return cls(of, tuple(cycles))

    def files(self, donor_key: str) -> list[Path] | None:
        """The part files that can hold `donor_key`'s rows, in stored order; None for a key
        whose bucket cannot be told (its rows may be anywhere)."""
        found: list[Path] = []
        for cycle in self.cycles:
            numbers = donor_key_buckets(donor_key, cycle.buckets)
            if numbers is None:
                return None
            wanted = {*numbers, *(() if cycle.pseudo_part is None else (cycle.pseudo_part,))}
            found.extend(cycle.parts[n] for n in sorted(wanted) if n in cycle.parts)
        return sorted(found)
