"""Where the FEC import keeps rows between its steps: in memory, or in Parquet parts on disk.

`Parts` is a list of frames written one at a time and read back as one lazy frame. Without a
folder it holds them in memory (small inputs, `--no-cache`); with one, each frame goes to its
own Parquet file, so an import of any size holds one chunk of mapped rows at a time.

The out-of-core layout an import writes under its work folder (the cache's build folder)::

    .stage/<cycle>/donors/b=<b>/      mapped chunks (+ row id, amendment hash), by donor bucket
    .stage/recipients/b=<b>/          finished rows, by bucket of recipient committees
    transactions/cycle=<C>/part-<b>.parquet   one donor bucket, sorted by donor_key
    by_recipient/part-<b>.parquet             one recipient bucket (all cycles), sorted by
                                              recipient id; a race's committees in one part

The `cycle=<C>` folders are hive-style names (``cycle=unknown`` when the file names no cycle);
the rows also carry `cycle` as a column, so readers scan with hive partitioning off.

Pure data layer: Polars and the standard library only.
"""

from __future__ import annotations

import heapq
from pathlib import Path
from typing import Any

import polars as pl

#: Rows per Parquet row group of stored transactions: small enough that a key filter skips
#: most of a multi-million-row file.
ROW_GROUP = 65_536
#: Parquet options for every file the import writes. zstd level 1: at 1M FEC rows it writes in
#: 0.74 s instead of 1.17 s (level 3) for a file under 1% larger.
PARQUET: dict[str, Any] = {"compression": "zstd", "compression_level": 1}
#: Rows per bucket the import aims at: a bucket is finished in memory (about 0.5 KB a row,
#: plus the sort), so this bounds the import's peak.
BUCKET_ROWS = 400_000
#: Bytes of FEC text per row, to size buckets before the rows are counted (itcont: ~170).
BYTES_PER_ROW = 170
#: Bytes of rows `Parts` buffers before writing them out.
BUFFER_BYTES = 128 * 1024 * 1024

#: Bump when what an import stores per cycle changes (a stored cycle is reused only when equal).
STORED_LAYOUT_VERSION = 1
STAGE = ".stage"
TRANSACTIONS_DIR = "transactions"
BY_RECIPIENT_DIR = "by_recipient"


def cycle_folder(cycle: int | None) -> str:
    """The hive-style folder name of a cycle's partition: ``cycle=2016`` (``cycle=unknown``)."""
    return f"cycle={cycle if cycle is not None else 'unknown'}"


def buckets_for(rows: int) -> int:
    """How many buckets of `BUCKET_ROWS` `rows` rows are split into (1 for anything that fits)."""
    return buckets_for_target(rows, BUCKET_ROWS)


def write_parquet(frame: pl.DataFrame | pl.LazyFrame, path: Path) -> None:
    """`frame` to `path` in `ROW_GROUP`-row groups (a lazy frame streams)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(frame, pl.DataFrame):
        frame.write_parquet(path, row_group_size=ROW_GROUP, **PARQUET)
    else:
        frame.sink_parquet(path, row_group_size=ROW_GROUP, **PARQUET)


def scan_folder(folder: Path) -> pl.LazyFrame:
    """Every Parquet file under `folder` (any depth) as one lazy frame, in path order."""
    return pl.scan_parquet(sorted(folder.rglob("*.parquet")), hive_partitioning=False)


class Parts:
    """Frames added one at a time, read back as one lazy frame or bucket by bucket.

    Without a folder they are held in memory as they are. With one, each added frame is split
    by `bucket` (an expression giving each row a bucket number) and the pieces are buffered
    per bucket until `budget` bytes are held, then written, one file per bucket
    (``b=<bucket>/<flush>.parquet``): memory stays within the budget plus one frame, and files
    stay few (each flush writes at most one file per bucket).
    """

    def __init__(
        self,
        folder: Path | None,
        schema: pl.Schema | dict[str, pl.DataType],
        *,
        bucket: pl.Expr | None = None,
        budget: int | None = None,
    ) -> None:
        self.folder = folder
        self.schema = pl.Schema(schema)
        self.rows = 0
        self._bucket = bucket
        self._budget = BUFFER_BYTES if budget is None else budget
        self._frames: list[pl.DataFrame] = []
        self._buffer: dict[int, list[pl.DataFrame]] = {}
        self._buffered = 0
        self._flushes = 0
        self._files: dict[int, list[Path]] = {}

    def add(self, frame: pl.DataFrame) -> None:
        self.rows += frame.height
        if self.folder is None:
            self._frames.append(frame)
            return
        if self._bucket is None:
            pieces = {0: frame}
        else:
            split = frame.with_columns(self._bucket.alias("_bucket")).partition_by(
                "_bucket", as_dict=True, include_key=False
            )
            pieces = {int(k[0]): piece for k, piece in split.items()}  # type: ignore[call-overload]
        for number, piece in pieces.items():
            self._buffer.setdefault(number, []).append(piece)
            self._buffered += piece.estimated_size()
        if self._buffered >= self._budget:
            self.flush()

    def flush(self) -> None:
        """Write what is buffered (one file per bucket)."""
        if self.folder is None or not self._buffer:
            return
        for number, pieces in sorted(self._buffer.items()):
            path = self.folder / f"b={number:05d}" / f"{self._flushes:05d}.parquet"
            write_parquet(pl.concat(pieces), path)
            self._files.setdefault(number, []).append(path)
        self._buffer.clear()
        self._buffered = 0
        self._flushes += 1

    @property
    def buckets(self) -> list[int]:
        """The bucket numbers holding rows, in order."""
        self.flush()
        return sorted(self._files)

    def bucket(self, number: int) -> pl.LazyFrame:
        """The rows of one bucket."""
        self.flush()
        return pl.scan_parquet(self._files[number], hive_partitioning=False)

    def drop(self, number: int) -> None:
        """Delete a bucket's files once it is finished with (frees the disk as the import goes)."""
        for path in self._files.pop(number, []):
            path.unlink(missing_ok=True)

    def scan(self) -> pl.LazyFrame:
        if self.folder is None:
            if not self._frames:
                return pl.LazyFrame(schema=self.schema)
            return pl.concat(self._frames, rechunk=False).lazy()
        self.flush()
        files = [f for number in sorted(self._files) for f in self._files[number]]
        if not files:
            return pl.LazyFrame(schema=self.schema)
        return pl.scan_parquet(files, hive_partitioning=False)


def recipient_buckets(
    counts: pl.DataFrame, target: int | None = None, *, groups: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Recipients (`recipient_committee_id`, `len`) packed into buckets of about `target` rows
    (default `BUCKET_ROWS`).

    `groups` (`recipient_committee_id`, `group`) keeps recipients of one group in one bucket
    (a race's committees); others are groups of their own. Largest group first, each into the
    emptiest bucket (longest-processing-time packing), so buckets are even and a group larger
    than `target` has a bucket of its own. Returns `recipient_committee_id`, `len`, `bucket`
    (null ids included, as their own recipient).
    """
    target = BUCKET_ROWS if target is None else target
    keyed = counts.with_columns(pl.col("recipient_committee_id").alias("group"))
    if groups is not None:
        keyed = counts.join(groups, on="recipient_committee_id", how="left").with_columns(
            pl.coalesce("group", "recipient_committee_id").alias("group")
        )
    sizes = (
        keyed.group_by("group")
        .agg(rows=pl.col("len").sum())
        .sort(["rows", "group"], descending=[True, False], nulls_last=True)
    )
    n = buckets_for_target(int(sizes.get_column("rows").sum() or 0), target)
    heap = [(0, b) for b in range(n)]
    heapq.heapify(heap)
    assigned: list[int] = []
    for size in sizes.get_column("rows").to_list():
        load, b = heapq.heappop(heap)
        assigned.append(b)
        heapq.heappush(heap, (load + size, b))
    placed = sizes.select("group").with_columns(bucket=pl.Series(assigned, dtype=pl.UInt32))
    return keyed.join(placed, on="group", how="left", nulls_equal=True).select(
        "recipient_committee_id", "len", "bucket"
    )


def buckets_for_target(rows: int, target: int) -> int:
    """How many buckets of `target` rows `rows` rows are split into (at least 1)."""
    return max(1, -(-rows // target))
