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

Each cycle's files are imported on their own (counting rules, conduits and committees are a
cycle's), then the cycles' entities are merged: one row per id, from the latest cycle that
lists it.

Two ways to hold the rows (one code path, `moneytrail.data.fec.staging`):

* **in memory** (no `workdir`): the result holds in-memory frames (lazy views over collected
  DataFrames), as small inputs and `--no-cache` want;
* **out of core** (`workdir`, the cache's private build folder): mapped chunks go to Parquet
  parts as they are read, the counting rules run over key columns (`duplicates.memo_marks`),
  and the rows are streamed on into hash buckets of plain donor keys, each finished (donor
  identity split, sorted by `donor_key`) and written as
  ``transactions/cycle=<C>/part-<b>.parquet``, then copied once more into buckets of recipient
  committees (``by_recipient/…``, sorted by `recipient_committee_id`). No step holds more than
  one bucket (about `BUCKET_ROWS` rows) of whole rows, so memory stays flat in the file's size.

Every transaction row carries `cycle` and the `fec_*` provenance columns after the loaded ones
(`transactions.EXTRA_COLUMNS`); the load report has one
`FileReport` per input with rows read = loaded + rejected.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.data.donor_parts import DONOR_PARTS, donor_parts_record
from moneytrail.data.entities import complete_entities
from moneytrail.data.fec import staging
from moneytrail.data.fec.bulk import BulkRead, compact, iter_bulk, read_bulk
from moneytrail.data.fec.candidates import map_candidates, race_stages, with_stages
from moneytrail.data.fec.committees import conduit_ids, map_committees
from moneytrail.data.fec.duplicates import AMEND_HASH, RID, amend_hash, apply_marks, memo_marks
from moneytrail.data.fec.earmarks import UNITEMIZED_PREFIX, attribute_conduit_receipts
from moneytrail.data.fec.files import FecFile, fec_files_in, find_fec_files
from moneytrail.data.fec.independent import map_ie, read_ie
from moneytrail.data.fec.layouts import LAYOUTS
from moneytrail.data.fec.staging import (
    BY_RECIPIENT_DIR,
    BYTES_PER_ROW,
    STAGE,
    STORED_LAYOUT_VERSION,
    TRANSACTIONS_DIR,
    Parts,
    buckets_for,
    cycle_folder,
    recipient_buckets,
    scan_folder,
    write_parquet,
)
from moneytrail.data.fec.summaries import (
    SUMMARY_KINDS,
    empty_summary,
    summary_rows,
    with_reported_totals,
)
from moneytrail.data.fec.transactions import EXTRA_COLUMNS, map_itemized, map_oppexp, value_rejects
from moneytrail.data.finalize import finalize_plain, finish_donor_keys
from moneytrail.data.names import donor_bucket_expr
from moneytrail.data.progress import ProgressCallback, report_stage
from moneytrail.data.report import (
    FileReport,
    LoadReport,
    file_report_from_json,
    file_report_to_json,
)
from moneytrail.data.schema import REJECTS, SOURCE_COLUMN, TRANSACTIONS

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


#: Rows the amendment rule groups at once (`duplicates.memo_marks` passes).
_HASH_SLICE_ROWS = 4_000_000
#: A mapped chunk's columns as staged: the row's columns, its row id and amendment hash.
_TX_SCHEMA = {
    **{c: TRANSACTIONS[c] for c in _TX_COLUMNS},
    **EXTRA_COLUMNS,
    RID: pl.get_index_type(),
    AMEND_HASH: pl.UInt64(),
}


@dataclass(slots=True)
class _FileResult:
    """One input's outcome: its rows (entities and summaries; transactions go to the cycle's
    `Parts`), its rejects and its counts for the `FileReport`."""

    mapped: pl.DataFrame | None
    rows_loaded: int
    rejects: pl.DataFrame
    rows_read: int
    bytes_replaced: int


def _stage(frame: pl.DataFrame, parts: Parts) -> int:
    """Add mapped rows to `parts` (conformed, numbered, amendment-hashed); how many."""
    staged = (
        _conform(frame)
        .with_row_index(RID, offset=parts.rows)
        .with_columns(amend_hash())
        .select(list(_TX_SCHEMA))
    )
    parts.add(staged)
    return staged.height


def _read_streamed(file: FecFile, progress: ProgressCallback | None, parts: Parts) -> _FileResult:
    """A transaction pipe file mapped chunk by chunk into `parts`.

    Each chunk is split, value-checked and mapped before the next is read; only its rejects
    (copied out, with their raw text) are kept here.
    """
    mapper = _MAPPERS[file.kind]
    rejects: list[pl.DataFrame] = []
    rows_read = replaced = loaded = 0
    for chunk in iter_bulk(file, progress):
        mapped, value_rejected = mapper(chunk)
        loaded += _stage(mapped, parts)
        rejects.extend([chunk.rejects, compact(value_rejected)])
        rows_read += chunk.rows_read
        replaced += chunk.bytes_replaced
        del chunk, mapped, value_rejected
    return _FileResult(
        mapped=None,
        rows_loaded=loaded,
        rejects=pl.concat(rejects) if rejects else pl.DataFrame(schema=REJECTS),
        rows_read=rows_read,
        bytes_replaced=replaced,
    )


def _read(file: FecFile, progress: ProgressCallback | None, parts: Parts) -> _FileResult:
    """Every reject and the counts of one input; transaction rows go to `parts`."""
    if file.kind in _MAPPERS:
        return _read_streamed(file, progress, parts)
    if file.kind == "ie":
        read = read_ie(file, progress)
        mapped, rejects = map_ie(read)
        loaded = _stage(mapped, parts)
        kept = None
    else:
        read = read_bulk(file, progress)
        kept, rejects = summary_rows(read) if file.kind in SUMMARY_KINDS else _entity_rows(read)
        loaded = kept.height
    return _FileResult(
        mapped=kept,
        rows_loaded=loaded,
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
        rows_loaded=result.rows_loaded,
        rejected=dict(sorted(reasons.items())),
        bytes_replaced=result.bytes_replaced,
    )


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


@dataclass(slots=True)
class _Cycle:
    """One cycle's import: its finished rows (or where they were written) and its entities.

    Out of core, `donor_parts` says which stored part holds a donor's rows
    (`moneytrail.data.donor_parts`).
    """

    transactions: pl.LazyFrame
    committees: pl.DataFrame
    candidates: pl.DataFrame
    races: pl.DataFrame
    donor_parts: dict[str, Any] | None = None


def _merge_latest(frames: list[pl.DataFrame], key: str) -> pl.DataFrame:
    """The cycles' entity tables as one, each id once: from the latest cycle listing it.

    `frames` are in cycle order (oldest first); within a cycle the first row of an id wins,
    as in one cycle's mapping.
    """
    tagged = [
        f.with_columns(pl.lit(i, dtype=pl.Int32).alias("_cycle_order"))
        for i, f in enumerate(frames)
    ]
    both = pl.concat(tagged, how="diagonal_relaxed")
    return (
        both.with_row_index("_order")
        .sort(["_cycle_order", "_order"], descending=[True, False])
        .unique(key, keep="first", maintain_order=True)
        .sort("_order")
        .drop("_order", "_cycle_order")
    )


def _by_cycle(inputs: list[FecFile]) -> list[list[FecFile]]:
    """`inputs` grouped by cycle, oldest cycle first.

    Files whose names give no cycle (a loose ``itcont.txt``) belong to the one cycle the other
    files name, or form a group of their own when those name several (or none).
    """
    known = sorted({f.cycle for f in inputs if f.cycle is not None})
    if len(known) <= 1:
        return [inputs] if inputs else []
    groups = [[f for f in inputs if f.cycle == c] for c in known]
    unknown = [f for f in inputs if f.cycle is None]
    return [*groups, unknown] if unknown else groups


def _finish_rows(tx: pl.LazyFrame, tag: str | None, *, sort: bool = False) -> pl.LazyFrame:
    """Rows after `finalize_plain`: donor keys split, helper columns gone, `source` if tagged.

    `sort` orders them by `donor_key`, ties in input order (how the cache stores them).
    """
    done = finish_donor_keys(tx)
    if sort:
        done = done.sort("donor_key", RID)
    done = done.drop(RID, AMEND_HASH)
    if tag is None:
        return done
    names = done.collect_schema().names()
    extras = [n for n in names if n not in TRANSACTIONS]
    return done.with_columns(pl.lit(tag, dtype=pl.String()).alias(SOURCE_COLUMN)).select(
        [*TRANSACTIONS, SOURCE_COLUMN, *extras]
    )


def _input_bytes(file: FecFile) -> int:
    """Uncompressed bytes of one input (a zip member's size from the zip's directory)."""
    if file.member is None:
        return file.path.stat().st_size
    with zipfile.ZipFile(file.path) as zf:
        return zf.getinfo(file.member).file_size


def _recipient_bucket(assigned: pl.DataFrame) -> pl.Expr:
    """Each row's bucket from `staging.recipient_buckets` output (null ids have their own)."""
    recipient = pl.col("recipient_committee_id")
    listed = assigned.filter(recipient.is_not_null())
    unnamed = assigned.filter(recipient.is_null()).get_column("bucket")
    return (
        pl.when(recipient.is_null())
        .then(pl.lit(unnamed[0] if unnamed.len() else 0, dtype=pl.UInt32))
        .otherwise(
            recipient.replace_strict(
                listed.get_column("recipient_committee_id"),
                listed.get_column("bucket"),
                default=0,
                return_dtype=pl.UInt32,
            )
        )
    )


def _write_by_donor(
    mapped: Parts,
    finish: Callable[[pl.LazyFrame], pl.LazyFrame],
    cycle: int | None,
    workdir: Path,
    progress: ProgressCallback | None,
) -> int | None:
    """Finish a cycle's rows bucket by bucket and store them by donor (module docstring).

    `mapped` holds the rows in donor buckets; `finish` turns a bucket's mapped rows into
    finished, tagged rows sorted by `donor_key`. Returns the number of the part holding the
    conduits' pseudo-donors, None when there are none.
    """
    tx_dir = workdir / TRANSACTIONS_DIR / cycle_folder(cycle)
    buckets = mapped.buckets
    if not buckets:  # no rows: one empty part keeps the table's columns
        write_parquet(finish(mapped.scan()).collect(), tx_dir / "part-00000.parquet")
        return None
    # Lump receipts from a conduit become one pseudo-donor per conduit (`earmarks`) whose rows
    # may come from several buckets: they are kept aside and stored as a part of their own, so
    # that every donor's rows are in exactly one part.
    pseudo = pl.col("source_name").str.starts_with(UNITEMIZED_PREFIX).fill_null(False)
    aside: list[pl.DataFrame] = []
    for i, number in enumerate(buckets):
        report_stage(progress, "fec: donor identities", i, len(buckets))
        finished = finish(mapped.bucket(number)).collect()
        aside.append(finished.filter(pseudo))
        write_parquet(finished.filter(~pseudo), tx_dir / f"part-{number:05d}.parquet")
        mapped.drop(number)
        del finished
    late = pl.concat(aside).sort("donor_key", maintain_order=True)
    if not late.height:
        return None
    write_parquet(late, tx_dir / f"part-{max(buckets) + 1:05d}.parquet")
    return max(buckets) + 1


def _recipient_groups(committees: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    """`recipient_committee_id`, `group`: a candidate's committees share their race as group,
    so a race's receipts are stored in one part; any other committee is its own group."""
    races = candidates.filter(pl.col("race_id").is_not_null()).select("candidate_id", "race_id")
    return (
        committees.select("committee_id", "candidate_id")
        .unique("committee_id", keep="first", maintain_order=True)
        .join(races, on="candidate_id", how="left")
        .select(
            pl.col("committee_id").alias("recipient_committee_id"),
            pl.coalesce(pl.concat_str(pl.lit("race|"), "race_id"), "committee_id").alias("group"),
        )
    )


def _write_by_recipient(
    workdir: Path, groups: pl.DataFrame, progress: ProgressCallback | None
) -> None:
    """Copy every cycle's stored rows into `by_recipient/`, clustered by recipient committee.

    Recipients are packed into buckets of about `BUCKET_ROWS` rows (`recipient_buckets`), a
    race's committees together; the stored parts are read one at a time and buffered into the
    buckets; each bucket is sorted by `recipient_committee_id`. A bucket holding one committee
    streams as it is (its rows share the key); one larger than a bucket holding several
    committees streams committee by committee, so no bucket is ever sorted whole in memory.
    Built over all cycles at once, so every committee's and race's receipts are in one part.
    """
    tx_dir = workdir / TRANSACTIONS_DIR
    rc_dir = workdir / BY_RECIPIENT_DIR
    stage = workdir / STAGE / "recipients"
    report_stage(progress, "fec: counting rows by recipient", 0, 0)
    counts = (
        scan_folder(tx_dir).group_by("recipient_committee_id").len().collect(engine="streaming")
    )
    assigned = recipient_buckets(counts, groups=groups)
    by_recipient = Parts(stage, {}, bucket=_recipient_bucket(assigned))
    files = sorted(tx_dir.rglob("*.parquet"))
    for i, part in enumerate(files):
        report_stage(progress, "fec: clustering by recipient", i, len(files))
        by_recipient.add(pl.read_parquet(part))
    members = assigned.group_by("bucket").agg(
        pl.col("recipient_committee_id").sort(nulls_last=True), rows=pl.col("len").sum()
    )
    plan = {row["bucket"]: row for row in members.iter_rows(named=True)}
    recipient = pl.col("recipient_committee_id")
    buckets = by_recipient.buckets
    for i, number in enumerate(buckets):
        report_stage(progress, "fec: sorting by recipient", i, len(buckets))
        rows = by_recipient.bucket(number)
        target = rc_dir / f"part-{number:05d}.parquet"
        ids = plan[number]["recipient_committee_id"]
        if len(ids) == 1:
            write_parquet(rows, target)
        elif plan[number]["rows"] > staging.BUCKET_ROWS:
            each = [
                rows.filter(recipient == r if r is not None else recipient.is_null()) for r in ids
            ]
            write_parquet(pl.concat(each), target)
        else:
            write_parquet(
                rows.collect().sort("recipient_committee_id", maintain_order=True), target
            )
        by_recipient.drop(number)


#: Asked, per cycle of an out-of-core import, for an earlier import of the same files:
#: `(cycle folder name, fingerprint)` -> the folder (a cache entry) holding that cycle as
#: `_store_cycle` left it, or None.
ReuseFn = Callable[[str, str], Path | None]
#: Where a stored cycle keeps what the rows alone do not give back.
CYCLES_DIR = "cycles"
CYCLE_RECORD = "cycle.json"
_CYCLE_TABLES = ("committees", "candidates", "races", "rejects")


def _fingerprint(group: list[FecFile], tag: str | None) -> str:
    """What a cycle's import depends on: its files (path, member, size, mtime) and the tag."""
    files = sorted(
        (str(f.path.resolve()), f.member or "", f.path.stat().st_size, f.path.stat().st_mtime_ns)
        for f in group
    )
    blob = json.dumps({"files": files, "tag": tag, "layout": STORED_LAYOUT_VERSION})
    return hashlib.sha256(blob.encode()).hexdigest()


def _store_cycle(
    done: _Cycle,
    cycle: int | None,
    fingerprint: str,
    reports: list[FileReport],
    rejects: list[pl.DataFrame],
    workdir: Path,
) -> None:
    """Keep a cycle's entities, rejects and reports beside its rows, so a later import of a
    dataset holding the same cycle's files can take the cycle as it is (`_link_cycle`)."""
    folder = workdir / CYCLES_DIR / cycle_folder(cycle)
    folder.mkdir(parents=True, exist_ok=True)
    frames = {
        "committees": done.committees,
        "candidates": done.candidates,
        "races": done.races,
        "rejects": pl.concat(rejects) if rejects else pl.DataFrame(schema=REJECTS),
    }
    for table, frame in frames.items():
        write_parquet(frame, folder / f"{table}.parquet")
    record = {
        "fingerprint": fingerprint,
        "reports": [file_report_to_json(r) for r in reports],
        DONOR_PARTS: done.donor_parts,
    }
    (folder / CYCLE_RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)  # same disk: no copy, and the earlier entry stays untouched
    except OSError:
        shutil.copy2(source, target)


def _link_cycle(
    entry: Path,
    cycle: int | None,
    workdir: Path,
    reports: list[FileReport],
    rejects: list[pl.DataFrame],
) -> _Cycle:
    """A cycle taken from an earlier import's `entry`: its stored parts linked into
    `workdir`, its entities, rejects and reports read back."""
    name = cycle_folder(cycle)
    for table in (TRANSACTIONS_DIR, CYCLES_DIR):
        for path in sorted((entry / table / name).glob("*")):
            _link(path, workdir / table / name / path.name)
    folder = workdir / CYCLES_DIR / name
    record = json.loads((folder / CYCLE_RECORD).read_text(encoding="utf-8"))
    reports.extend(file_report_from_json(r) for r in record["reports"])
    frames = {t: pl.read_parquet(folder / f"{t}.parquet") for t in _CYCLE_TABLES}
    rejects.append(frames["rejects"])
    return _Cycle(pl.LazyFrame(), frames["committees"], frames["candidates"], frames["races"])


def import_fec(
    path: Path,
    progress: ProgressCallback | None = None,
    *,
    files: list[Path] | None = None,
    workdir: Path | None = None,
    tag: str | None = None,
    reuse: ReuseFn | None = None,
) -> Dataset:
    """Import the FEC bulk files at `path` (see the module docstring and docs/fec.md).

    Args:
        path: a folder, a zip as downloaded, a member file, or an IE csv.
        files: read only these files (found under the folder `path`) instead of searching it;
            how a folder that mixes sources hands the FEC reader its share.
        progress: called as `(input label, bytes done, bytes total)` while reading, then
            with the named stages that follow (`fec: counting once`, ...).
        workdir: import out of core, writing the rows under this folder (module docstring);
            None holds them in memory.
        tag: the `source` value each row gets (after the loaded columns), or None for none.
        reuse: out of core, asked for each cycle whether an earlier import stored that cycle
            from the same files (`ReuseFn`); its stored cycle is then linked, not read again.

    Raises:
        DataError: no FEC files, an unreadable input, or a file that is not its kind.
    """
    inputs, ignored = find_fec_files(path) if files is None else fec_files_in(files, path)
    reports: list[FileReport] = []
    rejects: list[pl.DataFrame] = []
    cycles: list[_Cycle] = []
    for group in _by_cycle(inputs):
        cycle = next((f.cycle for f in group if f.cycle is not None), None)
        if workdir is None:
            cycles.append(_import_cycle(group, reports, rejects, progress, workdir, tag))
            continue
        fingerprint = _fingerprint(group, tag)
        found = reuse(cycle_folder(cycle), fingerprint) if reuse is not None else None
        if found is not None:
            report_stage(progress, f"fec: cycle {cycle or 'unknown'} already imported", 0, 0)
            cycles.append(_link_cycle(found, cycle, workdir, reports, rejects))
            continue
        n_reports, n_rejects = len(reports), len(rejects)
        done = _import_cycle(group, reports, rejects, progress, workdir, tag)
        cycles.append(done)
        _store_cycle(done, cycle, fingerprint, reports[n_reports:], rejects[n_rejects:], workdir)
    committees = _merge_latest([c.committees for c in cycles], "committee_id")
    candidates = _merge_latest([c.candidates for c in cycles], "candidate_id")
    races = _merge_latest([c.races for c in cycles], "race_id")
    if workdir is None:
        transactions = pl.concat([c.transactions for c in cycles], how="diagonal_relaxed")
        by_recipient = None
    else:
        _write_by_recipient(workdir, _recipient_groups(committees, candidates), progress)
        transactions = scan_folder(workdir / TRANSACTIONS_DIR)
        by_recipient = scan_folder(workdir / BY_RECIPIENT_DIR)
        shutil.rmtree(workdir / STAGE, ignore_errors=True)
    report_stage(progress, "fec: entities", 0, 0)
    cm_all, cn_all, races_all, created = complete_entities(
        transactions, committees.lazy(), candidates.lazy(), races.lazy()
    )
    cm_all, cn_all, races_all = (
        f.lazy() for f in pl.collect_all([cm_all, cn_all, races_all], engine="streaming")
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
        by_recipient=by_recipient,
    )


def _import_cycle(
    inputs: list[FecFile],
    reports: list[FileReport],
    rejects: list[pl.DataFrame],
    progress: ProgressCallback | None,
    workdir: Path | None,
    tag: str | None,
) -> _Cycle:
    """One cycle's files: read, count once, map entities, finish the rows (module docstring).

    Appends each input's `FileReport` to `reports` and its rejects to `rejects`.
    """
    cycle = next((f.cycle for f in inputs if f.cycle is not None), None)
    stage = None if workdir is None else workdir / STAGE / cycle_folder(cycle)
    expected = sum(_input_bytes(f) for f in inputs if f.kind in _MAPPERS or f.kind == "ie")
    buckets = buckets_for(expected // BYTES_PER_ROW)
    mapped = Parts(
        None if stage is None else stage / "donors", _TX_SCHEMA, bucket=donor_bucket_expr(buckets)
    )
    entity_parts: dict[str, list[pl.DataFrame]] = {"cm": [], "cn": [], "ccl": []}
    summary_parts: list[pl.DataFrame] = []
    # Small files first (entities, summaries), then the transaction files chunk by chunk.
    for file in sorted(inputs, key=lambda f: f.kind in _MAPPERS or f.kind == "ie"):
        result = _read(file, progress, mapped)
        reports.append(_report(file, result))
        rejects.append(result.rejects)
        if result.mapped is not None and file.kind in entity_parts:
            entity_parts[file.kind].append(result.mapped)
        elif result.mapped is not None and file.kind in SUMMARY_KINDS:
            summary_parts.append(result.mapped)
        del result

    report_stage(progress, "fec: counting once", 0, 0)
    rows = mapped.rows
    passes = max(1, -(-rows // _HASH_SLICE_ROWS))
    marks = memo_marks(mapped.scan(), passes=passes)
    tx = apply_marks(mapped.scan(), marks)  # for the cycle's entity figures, read lazily
    report_stage(progress, "fec: committees", 0, 0)
    cm, cn, ccl = (
        pl.concat(entity_parts[k]) if entity_parts[k] else _empty_rows(k)
        for k in ("cm", "cn", "ccl")
    )
    summaries = pl.concat(summary_parts) if summary_parts else empty_summary()
    forwarders = conduit_ids(tx).collect(engine="streaming")
    committees = with_reported_totals(
        map_committees(cm, ccl, forwarders), summaries, "committee_id"
    )
    candidates, races = map_candidates(cn)
    candidates = with_reported_totals(candidates, summaries, "candidate_id")
    report_stage(progress, "fec: race stages", 0, 0)
    races = with_stages(races, race_stages(tx, committees, candidates))

    def finish(rows: pl.LazyFrame, *, sort: bool = True) -> pl.LazyFrame:
        named = _with_committee_names(
            attribute_conduit_receipts(apply_marks(rows, marks), committees), committees
        )
        return _finish_rows(finalize_plain(named), tag, sort=sort)

    if workdir is None:
        finished = finish(mapped.scan(), sort=False).collect()
        return _Cycle(finished.lazy(), committees, candidates, races)
    pseudo_part = _write_by_donor(mapped, finish, cycle, workdir, progress)
    donor_parts = donor_parts_record(buckets, pseudo_part)
    return _Cycle(pl.LazyFrame(), committees, candidates, races, donor_parts)
