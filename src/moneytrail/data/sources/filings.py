"""The filing systems of the story as sources of the seam (`moneytrail.data.sources.base`).

Each format module (`irs8872`, `florida`, `louisiana`, `texas`, `mapping`) reads its files into a
`FilingRead`; `FilingSource` puts it behind the `Source` protocol so the registry offers it like
the FEC and tables sources: files are recognised by content, ids are qualified per source
(`irs:990000001`), and a folder may mix them with FEC files. Because these systems name each
other's committees only by name, a plan holding any of them is linked across systems after it
is combined (`links_across`; `moneytrail.data.sources.links.link_dataset`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from moneytrail.data.errors import DataError
from moneytrail.data.progress import ProgressCallback
from moneytrail.data.sources import florida, irs8872, louisiana, mapping, texas
from moneytrail.data.sources.base import BY_NAME, CERTAIN, COMPANION, NOT_MINE, Option, SourceRead
from moneytrail.data.sources.links import DECISIONS_FILE
from moneytrail.data.sources.read import FilingRead, concat_reads


def as_source_read(read: FilingRead) -> SourceRead:
    """A `FilingRead` in the seam's terms (the common tail is applied by the seam)."""
    return SourceRead(
        transactions=read.transactions.lazy(),
        files=read.reports,
        committees=read.committees.lazy(),
        candidates=read.candidates.lazy(),
        rejects=read.rejects.lazy(),
    )


@dataclass
class FilingSource:
    """One filing system's format behind the `Source` protocol."""

    name: str
    title: str
    sniffer: Callable[[Path], float]
    reader: Callable[[list[Path], Mapping[str, str]], FilingRead]
    options: tuple[Option, ...] = ()
    qualify_ids: bool = True
    always_cache: bool = False
    #: Its committees are named by other systems' filings (and name theirs) only by name, so
    #: a dataset holding it is linked across systems.
    links_across: bool = True
    #: How to recognise a file when the source's options are given (a CSV by its mapping).
    option_sniffer: Callable[[Path, Mapping[str, str]], float] | None = None

    def sniff(self, path: Path) -> float:
        if path.name == DECISIONS_FILE:
            return COMPANION  # the user's link decisions: read when linking, not as data
        return self.sniffer(path)

    def sniff_with_options(self, path: Path, options: Mapping[str, str]) -> float:
        if self.option_sniffer is None:
            return self.sniff(path)
        return self.option_sniffer(path, options)

    def read(
        self,
        files: Sequence[Path],
        root: Path,
        options: Mapping[str, str],
        progress: ProgressCallback | None,
    ) -> SourceRead:
        data = [f for f in files if f.name != DECISIONS_FILE]
        return as_source_read(self.reader(data, options))


def _irs(files: list[Path], options: Mapping[str, str]) -> FilingRead:
    return concat_reads(irs8872.SOURCE, [irs8872.read_irs(f) for f in files])


def _csv_sniff(path: Path, options: Mapping[str, str]) -> float:
    """With a mapping (`-o csv.mapping=FILE`, `--mapping FILE`), a file whose header holds
    the columns it names is the mapping source's. A mapping that cannot be read claims the
    CSV files anyway (`BY_NAME`), so reading them reports what is wrong with it."""
    given = options.get("mapping")
    if not given:
        return NOT_MINE
    try:
        spec = mapping.load_mapping(Path(given))
    except DataError:
        return BY_NAME if path.suffix.lower() in (".csv", ".tsv", ".txt") else NOT_MINE
    return CERTAIN if mapping.header_fits(path, spec) else NOT_MINE


def _csv(files: list[Path], options: Mapping[str, str]) -> FilingRead:
    given = options.get("mapping")
    if not given:
        raise DataError("a CSV needs a mapping: -o csv.mapping=FILE (see moneytrail mapping init)")
    return mapping.read_mapped(files, mapping.load_mapping(Path(given)))


IRS = FilingSource(
    irs8872.SOURCE,
    "IRS 527 bulk data (Form 8871/8872)",
    irs8872.sniff,
    _irs,
    always_cache=True,
)
FLORIDA = FilingSource(
    florida.SOURCE,
    "Florida Division of Elections exports",
    florida.sniff,
    lambda files, _: florida.read_florida(files),
)
LOUISIANA = FilingSource(
    louisiana.SOURCE,
    "Louisiana Ethics Administration exports",
    louisiana.sniff,
    lambda files, _: louisiana.read_louisiana(files),
)
TEXAS = FilingSource(
    texas.SOURCE,
    "Texas Ethics Commission CSVs",
    texas.sniff,
    lambda files, _: texas.read_texas(files),
    always_cache=True,
)
CSV = FilingSource(
    mapping.SOURCE,
    "a CSV read by a mapping (--mapping FILE)",
    lambda path: NOT_MINE,
    _csv,
    options=(Option("mapping", "a TOML mapping of the CSV's columns", is_path=True),),
    links_across=False,
    option_sniffer=_csv_sniff,
)

#: In the order that breaks sniffing ties (after the tables and FEC sources).
FILING_SOURCES: tuple[FilingSource, ...] = (IRS, FLORIDA, LOUISIANA, TEXAS, CSV)
