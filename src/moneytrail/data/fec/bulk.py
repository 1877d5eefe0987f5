"""Reading one pipe-delimited FEC bulk file into string columns, with rejects for bad lines.

Contract (`read_bulk`):

* The file (or zip member, streamed: nothing is extracted to disk, the source is only read) is
  read in chunks of about `CHUNK_BYTES`, each ending on a line break.
* Bytes are decoded as UTF-8; a byte that is not part of valid UTF-8 is read as Windows-1252
  (cp1252, the superset of Latin-1 the FEC's filers' software writes: ``MU\\xd1OZ`` is
  ``MUÑOZ``), one character per byte, and counted (`bytes_replaced`); the five bytes cp1252
  leaves undefined become U+FFFD. A trailing ``\\r`` (CRLF files) is dropped.
* Every physical line is a row read, numbered from 1 (`line`). A line with exactly the kind's
  field count (see `moneytrail.data.fec.layouts`) is split on ``|`` (no quoting: names hold
  literal ``"``) into one String column per field, empty fields as null; any other line,
  including a blank one, is a reject with reason ``wrong field count``.
* The raw line is kept next to the fields (`raw`) so later checks (amounts, dates) can reject a
  row with its text; callers drop it once they are done.
* `iter_bulk` yields the file one chunk at a time (rows, rejects, counts per chunk), so a caller
  can map each chunk and keep only its result and its rejects; `read_bulk` is the whole file at
  once (small files: cm, cn, ccl). Rejects are copied out of their chunk (`compact`), so they
  never keep a chunk's text alive.

Parsing is done by Polars: each chunk is read as a single column of lines (the separator is a
byte absent from the chunk), then `str.split_exact` splits the fields, all native.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

import polars as pl

from moneytrail.data.errors import DataError
from moneytrail.data.fec.files import FecFile
from moneytrail.data.fec.layouts import LAYOUTS, TRAILING_SEPARATOR, accepted_separator_counts
from moneytrail.data.progress import ProgressCallback, report_stage
from moneytrail.data.schema import REJECTS

CHUNK_BYTES = 64 * 1024 * 1024
WRONG_FIELD_COUNT = "wrong field count"
#: Lines checked before deciding a whole file is not of its kind at all.
_PROBE_LINES = 100
_BOM = b"\xef\xbb\xbf"
#: A lone surrogate: how `surrogateescape` carries a byte that is not valid UTF-8.
SURROGATE_RE = re.compile("[\udc80-\udcff]")
#: Bytes that may stand in as a "never matches" column separator when reading whole lines.
_SEPARATOR_CANDIDATES = bytes([0x1F, 0x1E, 0x1D, 0x1C, *range(0x01, 0x09), 0x0B, 0x0C])


@dataclass(frozen=True, slots=True)
class BulkRead:
    """One file's rows split into fields, its rejects and its counts.

    Attributes:
        file: what was read.
        rows: `line` (Int64), `raw`, then one String column per field of the kind's layout.
        rejects: lines with the wrong field count, in the `REJECTS` schema.
        rows_read: physical lines read (= rows.height + rejects.height).
        bytes_replaced: invalid UTF-8 bytes replaced by U+FFFD.
    """

    file: FecFile
    rows: pl.DataFrame
    rejects: pl.DataFrame
    rows_read: int
    bytes_replaced: int


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in cp1252
        return "\ufffd"


#: Lone surrogate (how `surrogateescape` carries an invalid byte) -> that byte read as cp1252.
CP1252_OF_SURROGATE: dict[str, str] = {chr(0xDC00 + b): _cp1252_char(b) for b in range(0x80, 0x100)}


def decode_lossy(data: bytes) -> tuple[bytes, int]:
    """`data` as valid UTF-8 bytes, and how many bytes were not UTF-8 (read as cp1252).

    Valid UTF-8 stays as it is; each other byte is read as Windows-1252 (U+FFFD for the five
    bytes cp1252 leaves undefined), so a Latin-1 ``\\xd1`` in ``MU\\xd1OZ`` arrives as ``Ñ``.
    """
    if data.isascii():
        return data, 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return data, 0
    # surrogateescape maps each invalid byte to one lone surrogate: count and decode them.
    text, replaced = SURROGATE_RE.subn(
        lambda m: CP1252_OF_SURROGATE[m.group()], data.decode("utf-8", "surrogateescape")
    )
    return text.encode("utf-8"), replaced


@contextmanager
def open_binary(file: FecFile) -> Iterator[tuple[IO[bytes], int]]:
    """The input as a binary stream (a zip member is streamed) and its uncompressed size."""
    try:
        if file.member is None:
            with file.path.open("rb") as fh:
                yield fh, file.path.stat().st_size
        else:
            with zipfile.ZipFile(file.path) as zf:
                info = zf.getinfo(file.member)
                with zf.open(info) as fh:
                    yield fh, info.file_size
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        # zlib.error / EOFError: a zip member whose compressed data is corrupt or cut short
        # (raised by the reads in the caller, which run inside this `with`).
        raise DataError(f"cannot read ({exc})", path=file.label) from exc


def iter_chunks(stream: IO[bytes], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Blocks of about `size` bytes that each end with a whole line (the last may lack `\\n`)."""
    rest = b""
    while True:
        block = stream.read(size)
        if not block:
            if rest:
                yield rest
            return
        data = rest + block
        cut = data.rfind(b"\n")
        if cut < 0:
            rest = data
            continue
        rest = data[cut + 1 :]
        yield data[: cut + 1]


def _absent_byte(data: bytes) -> str | None:
    for b in _SEPARATOR_CANDIDATES:
        if data.find(bytes([b])) < 0:
            return chr(b)
    return None


def split_lines(data: bytes) -> pl.Series:
    """The lines of `data` (valid UTF-8) as a String series; a blank line is an empty string."""
    if not data:
        return pl.Series("raw", [], dtype=pl.String)
    # Polars' CSV reader drops a leading byte order mark, which here would be data: a chunk
    # that starts with one (a line of a later chunk, or a line holding nothing else) is split in
    # Python. The file's own leading BOM is removed once by `iter_bulk`.
    separator = None if data.startswith(_BOM) else _absent_byte(data)
    if separator is None:  # also when every candidate byte occurs (never seen in practice)
        text = data.decode("utf-8")
        lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
        series = pl.Series("raw", lines, dtype=pl.String)
    else:
        series = pl.read_csv(
            data,
            separator=separator,
            has_header=False,
            quote_char=None,
            infer_schema=False,
            new_columns=["raw"],
            schema_overrides={"raw": pl.String},
        ).get_column("raw")
    return series.fill_null("").str.strip_suffix("\r")


def _split_fields(lines: pl.DataFrame, kind: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`lines` (line, raw) split into (wrong field count, fields split out)."""
    layout = LAYOUTS[kind]
    n_parts = len(layout) + (1 if kind in TRAILING_SEPARATOR else 0)
    names = [*layout, "_trailing"] if kind in TRAILING_SEPARATOR else list(layout)
    counted = lines.with_columns(
        _seps=pl.col("raw").str.count_matches("|", literal=True).cast(pl.Int64)
    )
    ok = pl.col("_seps").is_in(list(accepted_separator_counts(kind)))
    good = (
        counted.filter(ok)
        .with_columns(
            pl.col("raw")
            .str.split_exact("|", n_parts - 1)
            .struct.rename_fields(names)
            .alias("_fields")
        )
        .unnest("_fields")
        .with_columns(
            [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in layout]
        )
        .select("line", "raw", *layout)
    )
    return counted.filter(~ok).select("line", "raw"), good


def _check_kind(file: FecFile, bad: pl.DataFrame, good: pl.DataFrame) -> None:
    """DataError when none of the first `_PROBE_LINES` lines has the kind's field count."""
    if good.filter(pl.col("line") <= _PROBE_LINES).height > 0:
        return
    found = bad.get_column("raw")[0].count("|") + 1
    raise DataError(
        f"not an FEC {file.kind} file: expected {len(LAYOUTS[file.kind])} "
        f"|-separated fields, the first line has {found}",
        path=file.label,
    )


def iter_bulk(file: FecFile, progress: ProgressCallback | None = None) -> Iterator[BulkRead]:
    """Read one pipe-delimited FEC input chunk by chunk (see the module docstring).

    Each yielded `BulkRead` covers one chunk of about `CHUNK_BYTES`: its rows (with `raw`), its
    wrong-field-count rejects, its line count (`rows_read`) and replaced bytes; line numbers run
    on across chunks. A caller that maps and checks each chunk before asking for the next one
    holds one chunk's raw text at a time instead of the whole file's. `progress` hears
    `(file label, bytes read, bytes in all, lines read)` at the start and after each chunk.

    Raises:
        DataError: the input cannot be read, or none of its first lines has the kind's field
            count (it is not the file its name says).
    """
    offset = 0
    done = 0
    with open_binary(file) as (stream, total):
        report_stage(progress, file.label, 0, total, 0)
        for chunk in iter_chunks(stream):
            if done == 0:
                chunk = chunk.removeprefix(_BOM)  # a file's byte order mark is not data
            done += len(chunk)
            data, n_replaced = decode_lossy(chunk)
            raw = split_lines(data)
            del chunk, data
            lines = pl.DataFrame(
                {
                    "line": pl.int_range(offset + 1, offset + 1 + raw.len(), eager=True).cast(
                        pl.Int64
                    ),
                    "raw": raw,
                }
            )
            offset += raw.len()
            bad, good = _split_fields(lines, file.kind)
            if offset == raw.len() and raw.len() > 0:
                _check_kind(file, bad, good)
            yield BulkRead(file, good, _rejects(file, bad), raw.len(), n_replaced)
            report_stage(progress, file.label, done, total, offset)


def _rejects(file: FecFile, bad_lines: pl.DataFrame) -> pl.DataFrame:
    """Wrong-field-count lines (`line`, `raw`) as compact `REJECTS` rows.

    The rows are copied out of the chunk (`compact`), so a few rejects never keep a whole
    chunk's text alive.
    """
    return compact(
        bad_lines.select(
            pl.lit(file.label, dtype=pl.String).alias("file"),
            "line",
            pl.lit(None, dtype=pl.String).alias("column"),
            pl.lit(WRONG_FIELD_COUNT, dtype=pl.String).alias("reason"),
            "raw",
        ).cast(REJECTS)  # type: ignore[arg-type]
    )


def compact(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its own copy of its string data.

    Polars string columns are views into shared buffers: a filtered frame of three rows can keep
    a 64 MB chunk's buffers alive. The Arrow round trip copies only the bytes still referenced.
    """
    if frame.height == 0:
        return frame.clear()
    return pl.DataFrame(pl.from_arrow(frame.to_arrow()))


def read_bulk(file: FecFile, progress: ProgressCallback | None = None) -> BulkRead:
    """Read one pipe-delimited FEC input whole (see the module docstring and `iter_bulk`).

    Raises:
        DataError: the input cannot be read, or none of its first lines has the kind's field
            count (it is not the file its name says).
    """
    parts = list(iter_bulk(file, progress))
    rows = (
        pl.concat([p.rows for p in parts])
        if parts
        else pl.DataFrame(
            schema={
                "line": pl.Int64,
                "raw": pl.String,
                **dict.fromkeys(LAYOUTS[file.kind], pl.String),
            }
        )
    )
    rejects = pl.concat([p.rejects for p in parts]) if parts else pl.DataFrame(schema=REJECTS)
    return BulkRead(
        file,
        rows,
        rejects,
        sum(p.rows_read for p in parts),
        sum(p.bytes_replaced for p in parts),
    )
