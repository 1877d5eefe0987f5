"""A folder of filings from several systems (IRS 527 bulk data; Florida, Louisiana and Texas
state filings) as one dataset.

Contract:

* `filing_files(folder)` lists the files of `folder` (not its subfolders) that a filing reader
  recognises by content (`sniff`), whatever they are called, grouped by reader.
* `load_filings(folder)` reads them all, links committees across systems and counts money
  between them once (`moneytrail.data.sources.links`, with the user's saved decisions), and
  returns one `Dataset` in the loaded schemas. Every transaction carries its `source` (`irs`,
  `fl`, `la`, `tx`), `link_reason`, `linked_transaction_id`; `links.links_table` lists the
  links made.
* Problems with a file as a whole raise `DataError` naming it; bad rows are rejects.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.data.entities import complete_entities
from moneytrail.data.errors import DataError
from moneytrail.data.finalize import finalize_transactions
from moneytrail.data.report import LoadReport
from moneytrail.data.schema import CANDIDATES, COMMITTEES, RACES, REJECTS
from moneytrail.data.sources import florida, irs8872, louisiana, texas
from moneytrail.data.sources.links import DECISIONS_FILE, link, load_decisions
from moneytrail.data.sources.read import SourceRead

#: Reader name -> its content sniffer.
SNIFFERS: Final[dict[str, Callable[[Path], float]]] = {
    "irs": irs8872.sniff,
    "fl": florida.sniff,
    "la": louisiana.sniff,
    "tx": texas.sniff,
}


def filing_files(folder: Path) -> dict[str, list[Path]]:
    """The files of `folder` each reader recognises (reader name -> sorted paths)."""
    found: dict[str, list[Path]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if path.name == DECISIONS_FILE:
            continue
        scores = {name: sniff(path) for name, sniff in SNIFFERS.items()}
        best = max(scores, key=lambda name: scores[name])
        if scores[best] > 0:
            found.setdefault(best, []).append(path)
    return found


def is_filings_path(path: Path) -> bool:
    """True for a folder holding at least one recognised filing file."""
    return bool(filing_files(path))


def _read(name: str, paths: list[Path]) -> list[SourceRead]:
    if name == "irs":
        return [irs8872.read_irs(p) for p in paths]
    if name == "la":
        return [louisiana.read_louisiana(paths)]
    if name == "tx":
        return [texas.read_texas(paths)]
    return [florida.read_florida(paths)]


def load_filings(folder: Path) -> Dataset:
    """Load every recognised filing file in `folder` as one dataset (see the module docstring).

    Raises:
        DataError: `folder` holds no filing file, or a file is unreadable as a whole.
    """
    files = filing_files(folder)
    if not files:
        raise DataError(
            "no IRS 527 bulk data, Florida, Louisiana or Texas filings found", path=str(folder)
        )
    reads = [r for name, paths in files.items() for r in _read(name, paths)]
    transactions = pl.concat([r.transactions for r in reads], how="diagonal_relaxed")
    committees = pl.concat([r.committees for r in reads]).unique(
        "committee_id", keep="first", maintain_order=True
    )
    candidates = pl.concat([r.candidates for r in reads]).unique(
        "candidate_id", keep="first", maintain_order=True
    )
    linked = link(transactions, committees, load_decisions(folder))
    finalized = finalize_transactions(linked.lazy())
    cm, cn, rc, created = complete_entities(
        finalized,
        committees.lazy(),
        candidates.cast(CANDIDATES).lazy(),  # type: ignore[arg-type]
        pl.LazyFrame(schema=RACES),
    )
    rejects = pl.concat([r.rejects for r in reads]).cast(REJECTS)  # type: ignore[arg-type]
    return Dataset(
        name=folder.resolve().name,
        source=folder,
        transactions=finalized.collect().lazy(),
        committees=cm.cast(COMMITTEES).collect().lazy(),  # type: ignore[arg-type]
        candidates=cn,
        races=rc,
        report=LoadReport(files=tuple(f for r in reads for f in r.reports), created=created),
        rejects=rejects.lazy(),
    )
