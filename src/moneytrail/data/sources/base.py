"""The `Source` protocol: what one input format must provide to become part of a dataset.

A source is one filing system's format (FEC bulk files, moneytrail tables, IRS 8872, a state
export, a CSV described by a mapping). moneytrail finds the files under PATH, asks every source
how likely each file is its own (`sniff`, by *content*: headers, record types, a zip's members;
a name alone is only a hint), gives each file to the source that scores it highest, and calls
each source's `read` once with its files. The sources' results are then joined into one
`Dataset` by `moneytrail.data.sources.combine` (ids qualified per source, the common tail:
finalize, complete entities, load report).

A source's `read` returns a `SourceRead`:

* frames in the loaded schemas of `moneytrail.data.schema` (any subset of the loaded columns,
  of the loaded dtypes or castable to them; extra input columns are kept after them). Ids are
  as the filing system writes them (``C00401224``, an EIN): the seam qualifies them;
* rejects in the `REJECTS` schema: every row read and not loaded, with its file and line;
* one `FileReport` per file read, with rows read = loaded + rejected.

It parses amounts and dates with `moneytrail.data.values` and validates rows with
`moneytrail.data.validate`, so every source obeys the same rules. Whole-input problems raise
`DataError` (one line naming the file). Pure: Polars and the standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol, runtime_checkable

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.data.progress import ProgressCallback
from moneytrail.data.report import FileReport
from moneytrail.data.schema import CANDIDATES, COMMITTEES, RACES, REJECTS, empty_frame

#: `sniff` results. Anything in between is allowed; the highest score wins a file.
NOT_MINE: Final = 0.0
#: Claimed so the reader can skip it quietly (e.g. the FEC's header files, a marker file).
COMPANION: Final = 0.1
#: The name fits the format but the content was not (or could not be) confirmed.
BY_NAME: Final = 0.5
#: The content is the format's (header, record types or layout confirmed).
CERTAIN: Final = 1.0


@dataclass(frozen=True, slots=True)
class Option:
    """One setting a source takes (e.g. a mapping file), given as ``SOURCE.NAME=VALUE``.

    Attributes:
        name: the option's name (``mapping``).
        help: one line for `--help` and the docs.
        default: the value when not given (None: no value).
        is_path: the value names a file whose content the cache key covers (size and mtime), so
            editing a mapping file re-imports.
    """

    name: str
    help: str
    default: str | None = None
    is_path: bool = False


@dataclass(frozen=True, slots=True)
class SourceRead:
    """What one source read from its files (see the module docstring)."""

    transactions: pl.LazyFrame
    files: tuple[FileReport, ...]
    committees: pl.LazyFrame = field(default_factory=lambda: empty_frame(COMMITTEES))
    candidates: pl.LazyFrame = field(default_factory=lambda: empty_frame(CANDIDATES))
    races: pl.LazyFrame = field(default_factory=lambda: empty_frame(RACES))
    rejects: pl.LazyFrame = field(default_factory=lambda: empty_frame(REJECTS))
    #: Non-fatal notes for the user (files skipped, assumptions made).
    warnings: tuple[str, ...] = ()
    #: Entities the reader itself inferred (already marked `inferred=True` in its frames).
    created: Mapping[str, int] = field(default_factory=dict)
    #: The input is marked illustrative (moneytrail tables' `SYNTHETIC` file).
    synthetic: bool = False
    #: The transactions are already finalized (`finalize_transactions`) and entities completed.
    finalized: bool = False
    #: The transactions already carry the `source` column in its place (a reader that stored
    #: them in the cache's build folder, finished: nothing may be added to them).
    tagged: bool = False
    #: The same rows clustered by recipient committee, when the reader stored such a copy.
    by_recipient: pl.LazyFrame | None = None


def dataset_read(ds: Dataset) -> SourceRead:
    """A `Dataset` a loader has already finalized (the FEC importer, moneytrail tables) as a
    `SourceRead`: its frames, its load report's files, warnings and created counts."""
    return SourceRead(
        transactions=ds.transactions,
        committees=ds.committees,
        candidates=ds.candidates,
        races=ds.races,
        rejects=ds.rejects,
        files=ds.report.files,
        warnings=ds.report.warnings,
        created=ds.report.created,
        synthetic=ds.synthetic,
        finalized=True,
        by_recipient=ds.by_recipient,
    )


@runtime_checkable
class Source(Protocol):
    """An input format. Implementations are small objects; a plug-in package exposes one
    through the ``moneytrail.sources`` entry point group (see `moneytrail.data.sources.registry`).

    Attributes:
        name: short lower-case id (``fec``, ``tables``, ``irs``, ``fl``): also the value of every
            row's and entity's `source` column and the prefix of its qualified ids.
        title: what a person calls the format (``FEC bulk files``), used in messages.
        options: the settings `read` accepts.
        qualify_ids: True (the rule) when ids get the ``<name>:`` prefix so they cannot collide
            with another source's. False only for the FEC and moneytrail tables, which share the
            federal id space (a table may name an FEC committee by its id).
        always_cache: True when reading is slow enough that a Parquet cache always pays.
    """

    name: str
    title: str
    options: tuple[Option, ...]
    qualify_ids: bool
    always_cache: bool

    def sniff(self, path: Path) -> float:
        """How likely the file `path` is this format's, from 0 (`NOT_MINE`) to 1 (`CERTAIN`).

        Reads at most the file's first few kilobytes (or a zip's member list); never raises
        for an unreadable or odd file (it is simply not recognised).
        """
        ...

    def read(
        self,
        files: Sequence[Path],
        root: Path,
        options: Mapping[str, str],
        progress: ProgressCallback | None,
    ) -> SourceRead:
        """Read `files` (all claimed by this source; found under `root`, a folder or the one
        file given) into a `SourceRead`.

        Args:
            files: the files to read, sorted.
            root: the folder the user named (or the file itself), for relative names.
            options: this source's option values, every declared option present (defaults
                filled in).
            progress: called as reading goes (`moneytrail.data.progress`).

        Raises:
            DataError: a whole-input problem, one line naming the file.
        """
        ...


def head(path: Path, size: int = 8192) -> bytes:
    """The first `size` bytes of `path`, or b"" when it cannot be read (for `sniff`)."""
    try:
        with path.open("rb") as f:
            return f.read(size)
    except OSError:
        return b""


def first_line(path: Path, size: int = 8192, encoding: str = "utf-8") -> str:
    """The first line within the first `size` bytes of `path`, decoded leniently from
    `encoding` (BOM dropped), or "" when it cannot be read (for `sniff`)."""
    data = head(path, size).removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r")
    return data.decode(encoding, errors="replace")


def header_names(path: Path, size: int = 8192, encoding: str = "utf-8") -> list[str]:
    """The comma-separated names of `path`'s first line (see `first_line`), each trimmed of
    spaces and then of quotes (for `sniff`)."""
    return [n.strip().strip('"') for n in first_line(path, size, encoding).split(",")]
