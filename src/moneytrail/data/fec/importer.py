"""`import_fec`: FEC bulk files (folder, zip or member file) into one `Dataset`.

Steps, each in its own module:

1. find the inputs and their kinds and cycles (`files`);
2. read each one: pipe files by `bulk` (decode, split, field-count rejects), the IE csv by
   `independent`; then parse values and map rows to the loaded model (`transactions`,
   `independent`), rejecting bad amounts and dates. Transaction pipe files (itcont, itoth,
   itpas2, oppexp) go through this chunk by chunk (`bulk.iter_bulk`): each chunk is split,
   checked and mapped before the next is read, and only its mapped rows and its rejects (with
   their raw line) are kept, so the raw text of the whole file is never held at once;
3. mark repeated money as memo so every dollar counts once (`duplicates`);
4. build committees with decoded kinds (`committees`, using the earmark forwarding seen in
   step 2), candidates and races (`candidates`), each with the total receipts its summary file
   reports (`summaries`: webk, weball, webl; null without one); re-source lump receipts from
   conduits (`earmarks`);
5. finish with the shared steps every reader uses: `finalize_transactions` (schema order,
   `donor_key`) and `complete_entities` (committees/candidates/races referenced but unlisted).

The result holds in-memory frames (lazy views over collected DataFrames), so a cache can
collect and write them to Parquet as they are. Every transaction row carries `cycle` and the
`fec_*` provenance columns after the loaded ones (`transactions.EXTRA_COLUMNS`); the load report
has one `FileReport` per input with rows read = loaded + rejected.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.data.entities import complete_entities
from moneytrail.data.fec.bulk import BulkRead, compact, iter_bulk, read_bulk
from moneytrail.data.fec.candidates import map_candidates, race_stages, with_stages
from moneytrail.data.fec.committees import conduit_ids, map_committees
from moneytrail.data.fec.duplicates import count_once
from moneytrail.data.fec.earmarks import attribute_conduit_receipts
from moneytrail.data.fec.files import FecFile, fec_files_in, find_fec_files
from moneytrail.data.fec.independent import map_ie, read_ie
from moneytrail.data.fec.layouts import LAYOUTS
from moneytrail.data.fec.summaries import (
    SUMMARY_KINDS,
    empty_summary,
    summary_rows,
    with_reported_totals,
)
from moneytrail.data.fec.transactions import EXTRA_COLUMNS, map_itemized, map_oppexp, value_rejects
from moneytrail.data.finalize import finalize_transactions
from moneytrail.data.progress import ProgressCallback, report_stage
from moneytrail.data.report import FileReport, LoadReport
from moneytrail.data.schema import REJECTS, TRANSACTIONS

MISSING_ID = "missing id"
_ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "cm": ("CMTE_ID",),
    "cn": ("CAND_ID",),
    "ccl": ("CAND_ID", "CMTE_ID"),
}
_TX_COLUMNS = [c for c in TRANSACTIONS if c != "donor_key"]


def _conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Loaded columns (minus donor_key) then `EXTRA_COLUMNS`, all present and typed."""
    schema = {**{c: TRANSACTIONS[c] for c in _TX_COLUMNS}, **EXTRA_COLUMNS}
    return frame.select(
        [
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in schema.items()
        ]
    )


def _empty_tx() -> pl.DataFrame:
    return _conform(pl.DataFrame(schema={"memo": pl.Boolean}))


def _empty_rows(kind: str) -> pl.DataFrame:
    return pl.DataFrame(
        schema={"line": pl.Int64, "raw": pl.String, **dict.fromkeys(LAYOUTS[kind], pl.String)}
    ).with_columns(pl.lit(None, dtype=pl.Int32).alias("cycle"))


def _entity_rows(read: BulkRead) -> tuple[pl.DataFrame, pl.DataFrame]:
    """cm/cn/ccl rows with their ids present (plus `cycle`), and `missing id` rejects."""
    checks = [(c, pl.col(c).is_not_null(), MISSING_ID) for c in _ID_COLUMNS[read.file.kind]]
    good, rejects = value_rejects(read, checks)
    return good.with_columns(pl.lit(read.file.cycle, dtype=pl.Int32).alias("cycle")), rejects


_MAPPERS = {
    "itcont": map_itemized,
    "itoth": map_itemized,
    "itpas2": map_itemized,
    "oppexp": map_oppexp,
}


@dataclass(slots=True)
class _FileResult:
    """One input's outcome: its mapped rows, its rejects and its counts for the `FileReport`."""

    mapped: pl.DataFrame
    rejects: pl.DataFrame
    rows_read: int
    bytes_replaced: int


def _read_streamed(file: FecFile, progress: ProgressCallback | None) -> _FileResult:
    """A transaction pipe file mapped chunk by chunk.

    Each chunk is split, value-checked and mapped before the next is read; only its mapped rows
    (conformed, no raw text) and its rejects (copied out, with their raw text) are kept.
    """
    mapper = _MAPPERS[file.kind]
    parts: list[pl.DataFrame] = []
    rejects: list[pl.DataFrame] = []
    rows_read = replaced = 0
    for chunk in iter_bulk(file, progress):
        mapped, value_rejected = mapper(chunk)
        parts.append(_conform(mapped))
        rejects.extend([chunk.rejects, compact(value_rejected)])
        rows_read += chunk.rows_read
        replaced += chunk.bytes_replaced
        del chunk, mapped, value_rejected
    return _FileResult(
        mapped=pl.concat(parts, rechunk=False) if parts else _empty_tx(),
        rejects=pl.concat(rejects) if rejects else pl.DataFrame(schema=REJECTS),
        rows_read=rows_read,
        bytes_replaced=replaced,
    )


def _read(file: FecFile, progress: ProgressCallback | None) -> _FileResult:
    """The mapped rows, every reject and the counts of one input."""
    if file.kind in _MAPPERS:
        return _read_streamed(file, progress)
    if file.kind == "ie":
        read = read_ie(file, progress)
        mapped, rejects = map_ie(read)
        mapped = _conform(mapped)
    else:
        read = read_bulk(file, progress)
        mapped, rejects = summary_rows(read) if file.kind in SUMMARY_KINDS else _entity_rows(read)
    return _FileResult(
        mapped=mapped,
        rejects=pl.concat([read.rejects, compact(rejects)]),
        rows_read=read.rows_read,
        bytes_replaced=read.bytes_replaced,
    )


def _report(file: FecFile, result: _FileResult) -> FileReport:
    reasons = Counter(result.rejects.get_column("reason").to_list())
    return FileReport(
        path=file.label,
        kind=f"fec:{file.kind}",
        rows_read=result.rows_read,
        rows_loaded=result.mapped.height,
        rejected=dict(sorted(reasons.items())),
        bytes_replaced=result.bytes_replaced,
    )


#: The columns `attribute_conduit_receipts` reads, and those of them it may change.
_CONDUIT_READS = [
    "source_id",
    "kind",
    "source_kind",
    "fec_committee_id",
    "recipient_committee_id",
    "conduit_committee_id",
    "source_name",
    "fec_other_id",
    "fec_entity_type",
]
_CONDUIT_WRITES = ["conduit_committee_id", "source_name", "source_kind", "source_id"]


def _attribute_conduits(tx: pl.DataFrame, committees: pl.DataFrame) -> pl.DataFrame:
    """`attribute_conduit_receipts` run on the columns it reads only, its changes put back.

    The full-frame call joins (so copies) every column of every row; on the narrow frame only
    the four columns it rewrites are new, the others stay shared with `tx`.
    """
    narrow = attribute_conduit_receipts(tx.select(_CONDUIT_READS), committees)
    if narrow.height != tx.height:  # a committee listed twice: let the join decide as before
        return attribute_conduit_receipts(tx, committees)
    return tx.with_columns(narrow.select(_CONDUIT_WRITES).get_columns())


def _with_committee_names(tx: pl.LazyFrame, committees: pl.DataFrame) -> pl.LazyFrame:
    """Committee-paid rows get the paying committee's name as `source_name` when blank.

    The name is looked up by `source_id` (`replace_strict`, no join), so no column other than
    `source_name` is rewritten.
    """
    names = committees.select("committee_id", "name").unique(
        "committee_id", keep="first", maintain_order=True
    )
    committee_name = pl.col("source_id").replace_strict(
        names.get_column("committee_id"),
        names.get_column("name"),
        default=None,
        return_dtype=pl.String,
    )
    return tx.with_columns(
        source_name=pl.when(pl.col("source_kind") == "committee")
        .then(pl.coalesce(pl.col("source_name"), committee_name))
        .otherwise(pl.col("source_name"))
    )


def import_fec(
    path: Path,
    progress: ProgressCallback | None = None,
    *,
    files: list[Path] | None = None,
) -> Dataset:
    """Import the FEC bulk files at `path` (see the module docstring and docs/fec.md).

    Args:
        path: a folder, a zip as downloaded, a member file, or an IE csv.
        files: read only these files (found under the folder `path`) instead of searching it;
            how a folder that mixes sources hands the FEC reader its share.
        progress: called as `(input label, bytes done, bytes total)` while reading, then
            `("fec: counting once", 0, 0)` and `("fec: committees", 0, 0)`.

    Raises:
        DataError: no FEC files, an unreadable input, or a file that is not its kind.
    """
    inputs, ignored = find_fec_files(path) if files is None else fec_files_in(files, path)
    reports: list[FileReport] = []
    rejects: list[pl.DataFrame] = []
    tx_parts: list[pl.DataFrame] = []
    entity_parts: dict[str, list[pl.DataFrame]] = {"cm": [], "cn": [], "ccl": []}
    summary_parts: list[pl.DataFrame] = []
    for file in inputs:
        result = _read(file, progress)
        reports.append(_report(file, result))
        rejects.append(result.rejects)
        if file.kind in entity_parts:
            entity_parts[file.kind].append(result.mapped)
        elif file.kind in SUMMARY_KINDS:
            summary_parts.append(result.mapped)
        else:
            tx_parts.append(result.mapped)
        del result

    report_stage(progress, "fec: counting once", 0, 0)
    # concat without rechunking shares the parts' buffers; the list goes so they are not held twice.
    all_tx = pl.concat(tx_parts, rechunk=False) if tx_parts else _empty_tx()
    tx_parts.clear()
    tx = count_once(all_tx)
    del all_tx
    report_stage(progress, "fec: committees", 0, 0)
    cm, cn, ccl = (
        pl.concat(entity_parts[k]) if entity_parts[k] else _empty_rows(k)
        for k in ("cm", "cn", "ccl")
    )
    summaries = pl.concat(summary_parts) if summary_parts else empty_summary()
    committees = with_reported_totals(
        map_committees(cm, ccl, conduit_ids(tx.lazy()).collect()), summaries, "committee_id"
    )
    candidates, races = map_candidates(cn)
    candidates = with_reported_totals(candidates, summaries, "candidate_id")
    races = with_stages(races, race_stages(tx.lazy(), committees, candidates))
    tx = _attribute_conduits(tx, committees)
    finalized = finalize_transactions(_with_committee_names(tx.lazy(), committees)).collect()
    del tx
    transactions = finalized.lazy()
    del finalized
    cm_all, cn_all, races_all, created = complete_entities(
        transactions, committees.lazy(), candidates.lazy(), races.lazy()
    )
    warnings = tuple(f"ignored (not an FEC bulk file): {name}" for name in ignored)
    all_rejects = (
        pl.concat(rejects).sort("file", "line") if rejects else pl.DataFrame(schema=REJECTS)
    )
    return Dataset(
        name=path.name,
        source=path,
        transactions=transactions,
        committees=cm_all,
        candidates=cn_all,
        races=races_all,
        report=LoadReport(files=tuple(reports), created=created, warnings=warnings),
        rejects=all_rejects.lazy(),
    )
