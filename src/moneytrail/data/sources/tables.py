"""moneytrail tables as a source: `moneytrail.data.tables` behind the `Source` protocol.

Sniffing: a ``transactions.csv``/``.parquet`` whose header (CSV first line, Parquet schema)
holds ``transaction_id`` is `CERTAIN`; the name alone is `BY_NAME` (the reader then reports what
the header lacks). The other tables (``committees.csv``, ...) and the ``SYNTHETIC`` marker are
companions: read with their folder's transactions, and never a dataset on their own. Files of
one folder are read together, as one tables folder; several folders (a mixed folder with tables
one level down) are each read and their frames concatenated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby
from pathlib import Path

import polars as pl

from moneytrail.data import tables
from moneytrail.data.progress import ProgressCallback
from moneytrail.data.schema import REJECTS
from moneytrail.data.sources.base import (
    BY_NAME,
    CERTAIN,
    COMPANION,
    NOT_MINE,
    Option,
    SourceRead,
    dataset_read,
    header_names,
)


def _table_of(path: Path) -> str | None:
    if path.suffix not in tables.SUFFIXES:
        return None
    return path.stem if path.stem in tables.ID_COLUMN else None


class TablesSource:
    """moneytrail tables: `transactions`, `committees`, `candidates`, `races` (CSV or Parquet)."""

    name = "tables"
    title = "moneytrail tables (transactions.csv/.parquet)"
    options: tuple[Option, ...] = ()
    qualify_ids = False
    always_cache = False

    def sniff(self, path: Path) -> float:
        if path.name == tables.SYNTHETIC_MARKER:
            return COMPANION
        table = _table_of(path)
        if table is None:
            return NOT_MINE
        if table != "transactions":
            return COMPANION
        id_column = tables.ID_COLUMN[table]
        names: set[str]
        if path.suffix == ".parquet":
            try:
                names = set(pl.read_parquet_schema(path))
            except Exception:  # a damaged file: the reader reports it
                return BY_NAME
        else:
            names = set(header_names(path))
        return CERTAIN if id_column in names else BY_NAME

    def read(
        self,
        files: Sequence[Path],
        root: Path,
        options: Mapping[str, str],
        progress: ProgressCallback | None,
    ) -> SourceRead:
        if root.is_file():
            return dataset_read(tables.load_tables(root))
        reads: list[SourceRead] = []
        skipped: list[str] = []
        for folder, group in groupby(sorted(files, key=lambda p: p.parent), key=lambda p: p.parent):
            members = list(group)
            if not any(_table_of(p) == "transactions" for p in members):
                names = ", ".join(str(p.relative_to(root)) for p in members)
                skipped.append(f"ignored (moneytrail tables without transactions): {names}")
                continue
            reads.append(dataset_read(tables.load_tables(folder)))
        if len(reads) == 1 and not skipped:
            return reads[0]
        return SourceRead(
            transactions=pl.concat([r.transactions for r in reads], how="diagonal_relaxed"),
            committees=pl.concat([r.committees for r in reads], how="diagonal_relaxed"),
            candidates=pl.concat([r.candidates for r in reads], how="diagonal_relaxed"),
            races=pl.concat([r.races for r in reads], how="diagonal_relaxed"),
            rejects=pl.concat([r.rejects for r in reads]).cast(REJECTS),  # type: ignore[arg-type]
            files=tuple(f for r in reads for f in r.files),
            warnings=(*(w for r in reads for w in r.warnings), *skipped),
            created={
                k: sum(r.created.get(k, 0) for r in reads)
                for k in ("committees", "candidates", "races")
            },
            synthetic=any(r.synthetic for r in reads),
            finalized=True,
        )
