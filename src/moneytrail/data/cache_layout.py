"""What a cache entry holds on disk, table by table: the facts another engine needs to read it.

`moneytrail cache info` prints this so a team can point DuckDB, Spark or Polars at the cache
(docs/performance.md, "Reading the cache with other engines"). For each table of an entry:

* `path`: where it is, relative to the entry: a file (`committees.parquet`) or a folder of
  hive-partitioned parts (`transactions/cycle=2016/part-00007.parquet`), with the glob that reads
  all of it (`transactions/*/*.parquet`);
* `partitioning`: the hive keys (`cycle`), and the partitions found (`cycle=2016`);
* `clustered_by`: the columns the rows are sorted by within each file, so row-group statistics
  let a filter on them skip most of the file;
* per file: rows, row groups and bytes, read from the Parquet footer (no data page is read).

Where it comes from: the manifest's `"layout"` dict, one record per table::

    "layout": {"transactions": {"path": "transactions", "partitioning": ["cycle"],
                                "clustered_by": ["donor_key"], "row_group_rows": 65536}, ...}

(`partitioning` and `clustered_by` may also be a single string; `row_group_size` is read as
`row_group_rows`; `path` may end with `/` or be a glob, whose folder is the table's). Tables
the manifest does not describe, or every table of an entry written before the manifest had a
layout, are found by listing the entry's Parquet files: a top-level
`<name>.parquet` is table `<name>`, a top-level folder holding Parquet files is a table whose
`key=value` subfolders are its hive partitions, and the clustering comes from the footer's
`sorting_columns` when the writer recorded them.

The footer is decoded here (Thrift compact protocol, the few fields needed) because Polars
exposes a file's row count but not its row groups. Pure data layer: the standard library only.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PARQUET_MAGIC = b"PAR1"


# --- Parquet footer ---------------------------------------------------------------------------

_BOOL_TRUE, _BOOL_FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY = 1, 2, 3, 4, 5, 6, 7, 8
_LIST, _SET, _MAP, _STRUCT = 9, 10, 11, 12
_FLOAT = 13  # newer Thrift versions; 4 bytes


class FooterError(ValueError):
    """The file is not a readable Parquet file (no magic, truncated or garbled footer)."""


class _Compact:
    """A reader of Thrift's compact protocol over one buffer (what Parquet footers are)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise FooterError("footer ends early")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        out = shift = 0
        while True:
            b = self.byte()
            out |= (b & 0x7F) << shift
            if not b & 0x80:
                return out
            shift += 7
            if shift > 70:
                raise FooterError("varint too long")

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, kind: int) -> Any:
        if kind == _BOOL_TRUE:
            return True
        if kind == _BOOL_FALSE:
            return False
        if kind == _BYTE:
            b = self.byte()
            return b - 256 if b > 127 else b
        if kind in (_I16, _I32, _I64):
            return self.zigzag()
        if kind in (_DOUBLE, _FLOAT):
            width = 8 if kind == _DOUBLE else 4
            raw = self.data[self.pos : self.pos + width]
            self.pos += width
            return struct.unpack("<d" if width == 8 else "<f", raw)[0]
        if kind == _BINARY:
            n = self.varint()
            raw = self.data[self.pos : self.pos + n]
            self.pos += n
            return raw
        if kind in (_LIST, _SET):
            n, element = self.list_header()
            return [self.element(element) for _ in range(n)]
        if kind == _MAP:
            n = self.varint()
            if n == 0:
                return {}
            types = self.byte()
            return dict((self.value(types >> 4), self.value(types & 0x0F)) for _ in range(n))
        if kind == _STRUCT:
            return self.struct()
        raise FooterError(f"unknown Thrift type {kind}")

    def element(self, kind: int) -> Any:
        """A list element: booleans are a byte each there (1 = true)."""
        if kind in (_BOOL_TRUE, _BOOL_FALSE):
            return self.byte() == 1
        return self.value(kind)

    def list_header(self) -> tuple[int, int]:
        head = self.byte()
        n = head >> 4
        if n == 15:
            n = self.varint()
        return n, head & 0x0F

    def field(self, last: int) -> tuple[int, int]:
        """The next field's (id, type); type 0 ends the struct."""
        head = self.byte()
        kind = head & 0x0F
        if kind == 0:
            return 0, 0
        delta = head >> 4
        return (last + delta if delta else self.zigzag()), kind

    def struct(self) -> dict[int, Any]:
        out: dict[int, Any] = {}
        last = 0
        while True:
            fid, kind = self.field(last)
            if kind == 0:
                return out
            out[fid] = self.value(kind)
            last = fid


@dataclass(frozen=True, slots=True)
class Footer:
    """What a Parquet footer says about its file."""

    rows: int
    row_groups: int
    #: Columns each row group is sorted by (`sorting_columns` of the first row group), if any.
    sorted_by: tuple[str, ...]


def read_footer(path: Path) -> Footer:
    """Rows, row groups and recorded sort columns of one Parquet file, from its footer alone.

    FileMetaData is read field by field up to the row-group list, whose header gives the
    count; only the first row group is decoded (for its `sorting_columns`).

    Raises:
        FooterError: not a Parquet file, or its footer cannot be decoded.
        OSError: the file cannot be read.
    """
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size < 12:
            raise FooterError("too small to be Parquet")
        fh.seek(size - 8)
        tail = fh.read(8)
        if tail[4:] != PARQUET_MAGIC:
            raise FooterError("no Parquet magic at the end")
        length = int.from_bytes(tail[:4], "little")
        if length <= 0 or length > size - 12:
            raise FooterError("footer length out of range")
        fh.seek(size - 8 - length)
        data = fh.read(length)
    reader = _Compact(data)
    rows = 0
    row_groups = 0
    leaves: list[str] = []
    sorted_by: tuple[str, ...] = ()
    last = 0
    while True:
        fid, kind = reader.field(last)
        if kind == 0:
            break
        last = fid
        if fid == 2 and kind == _LIST:  # schema: the leaf columns, in column order
            n, element = reader.list_header()
            for _ in range(n):
                node = reader.element(element)
                if not node.get(5):  # no num_children: a leaf (a column chunk per group)
                    leaves.append(bytes(node.get(4, b"")).decode("utf-8", "replace"))
        elif fid == 3:
            rows = int(reader.value(kind))
        elif fid == 4 and kind == _LIST:  # row groups: count them, read the first one
            row_groups, element = reader.list_header()
            if row_groups:
                first = reader.element(element)
                sorting = first.get(4) or []
                sorted_by = tuple(
                    leaves[c[1]]
                    for c in sorting
                    if isinstance(c.get(1), int) and c[1] < len(leaves)
                )
            break  # everything after (more groups, key/value metadata) is not needed
        else:
            reader.value(kind)
    return Footer(rows=rows, row_groups=row_groups, sorted_by=sorted_by)


# --- tables -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartFile:
    """One Parquet file of a table."""

    path: str  #: relative to the entry, `/`-separated
    partition: tuple[tuple[str, str], ...]  #: hive `key=value` folders above the file
    rows: int
    row_groups: int
    size_bytes: int
    sorted_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TableLayout:
    """One table of a cache entry as stored."""

    name: str
    path: str  #: relative to the entry: a `.parquet` file or a folder of parts
    partitioning: tuple[str, ...]  #: hive keys
    clustered_by: tuple[str, ...]  #: sort columns within each file ("" when not recorded)
    row_group_rows: int | None  #: rows per row group the writer was told (None: unknown)
    files: tuple[PartFile, ...]
    from_manifest: bool  #: described by the manifest's layout (else found on disk)

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def row_groups(self) -> int:
        return sum(f.row_groups for f in self.files)

    @property
    def size_bytes(self) -> int:
        return sum(f.size_bytes for f in self.files)

    @property
    def partitions(self) -> tuple[str, ...]:
        """Distinct partitions, `cycle=2016` (nested keys joined by `/`), sorted."""
        found = {"/".join(f"{k}={v}" for k, v in f.partition) for f in self.files}
        return tuple(sorted(p for p in found if p))

    @property
    def glob(self) -> str:
        """The pattern, relative to the entry, that matches every file of the table."""
        if self.path.endswith(".parquet"):
            return self.path
        depths = {f.path.count("/") - self.path.count("/") - 1 for f in self.files}
        if len(depths) == 1:
            (depth,) = depths
            return "/".join([self.path, *["*"] * depth, "*.parquet"])
        return f"{self.path}/**/*.parquet"


def _names(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    if isinstance(value, Mapping):  # {"key": "cycle", ...} or {"cycle": ...}
        keys = value.get("keys", value.get("key", value.get("columns")))
        return _names(keys) if keys is not None else tuple(str(k) for k in value)
    return (str(value),)


def _partition_of(relative: Path) -> tuple[tuple[str, str], ...]:
    return tuple(
        tuple(part.split("=", 1))  # type: ignore[misc]
        for part in relative.parent.parts
        if "=" in part
    )


def _part_files(entry: Path, table_path: str) -> tuple[PartFile, ...]:
    where = entry / table_path
    if where.is_file():
        candidates = [where]
    elif where.is_dir():
        candidates = sorted(
            p
            for p in where.rglob("*.parquet")
            if p.is_file() and not any(s.startswith(".") for s in p.relative_to(where).parts)
        )
    else:
        return ()
    out: list[PartFile] = []
    for p in candidates:
        footer = read_footer(p)
        rel = p.relative_to(entry)
        out.append(
            PartFile(
                path=rel.as_posix(),
                partition=_partition_of(p.relative_to(where)) if where.is_dir() else (),
                rows=footer.rows,
                row_groups=footer.row_groups,
                size_bytes=p.stat().st_size,
                sorted_by=footer.sorted_by,
            )
        )
    return tuple(out)


def _found(name: str, path: str, files: tuple[PartFile, ...]) -> TableLayout:
    keys: list[str] = []
    for f in files:
        for k, _ in f.partition:
            if k not in keys:
                keys.append(k)
    sorts = {f.sorted_by for f in files}
    return TableLayout(
        name=name,
        path=path,
        partitioning=tuple(keys),
        clustered_by=sorts.pop() if len(sorts) == 1 else (),
        row_group_rows=None,
        files=files,
        from_manifest=False,
    )


def _table_path(written: str) -> str:
    """A manifest's table path as a path relative to the entry: `transactions/`,
    `./transactions` and `transactions/*/*.parquet` all name the folder `transactions`."""
    parts = [p for p in Path(written).parts if p not in (".", "/")]
    kept: list[str] = []
    for part in parts:
        if any(c in part for c in "*?["):
            break
        kept.append(part)
    return "/".join(kept) or written


#: Tables listed first when found on disk (the rest follow by name, aggregates last).
_FIRST = ("transactions", "by_recipient")


def _table_order(child: Path) -> tuple[bool, int, str]:
    stem = child.name.removesuffix(".parquet")
    first = _FIRST.index(stem) if stem in _FIRST else len(_FIRST)
    return (stem.startswith("agg-"), first, stem)


def entry_layout(entry: Path, manifest: Mapping[str, Any] | None = None) -> list[TableLayout]:
    """Every table of the entry at `entry` (manifest-described ones first, then the others).

    Raises:
        FooterError: a Parquet file of the entry cannot be decoded.
        OSError: a file of the entry cannot be read.
    """
    described = (manifest or {}).get("layout") or {}
    tables: list[TableLayout] = []
    covered: set[str] = set()
    if isinstance(described, Mapping):
        for name, record in described.items():
            rec = record if isinstance(record, Mapping) else {}
            path = _table_path(str(rec.get("path") or name))
            if not (entry / path).exists() and (entry / f"{path}.parquet").is_file():
                path = f"{path}.parquet"
            files = _part_files(entry, path)
            found = _found(str(name), path, files)
            group = rec.get("row_group_rows", rec.get("row_group_size"))
            tables.append(
                TableLayout(
                    name=str(name),
                    path=path,
                    partitioning=_names(rec.get("partitioning")) or found.partitioning,
                    clustered_by=_names(rec.get("clustered_by")) or found.clustered_by,
                    row_group_rows=int(group) if isinstance(group, int | str) else None,
                    files=files,
                    from_manifest=True,
                )
            )
            covered.add(path.split("/")[0])
    for child in sorted(entry.iterdir(), key=_table_order):
        if child.name.startswith(".") or child.name in covered:
            continue
        if child.is_file() and child.suffix == ".parquet":
            tables.append(_found(child.stem, child.name, _part_files(entry, child.name)))
        elif child.is_dir():
            files = _part_files(entry, child.name)
            if files:
                tables.append(_found(child.name, child.name, files))
    return tables
