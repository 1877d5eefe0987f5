"""From PATH to one `Dataset`: find the files, give each to a source, read, combine.

1. **Plan** (`plan`): PATH is one file, or a folder searched at its top level and one level down
   (hidden files and folders skipped). Every registered source sniffs every file; a file goes
   to the source that scores it highest (ties: registry order), files no source recognises are
   listed as ignored. A source is read only when it scored at least one of its files
   `BY_NAME` or higher (companions alone, such as the FEC's header files, are skipped). Options
   are checked against each source's declared `Option`s and defaults filled in.
2. **Read** (`read_plan`): each source reads its files. A reader that did not finalize its rows
   gets the common tail here (`finalize_transactions`, `complete_entities`).
3. **Combine**: ids of sources with `qualify_ids` are qualified (`moneytrail.data.ids`) and
   `donor_key` rederived from them (a linked source's once, after step 4); every row and
   entity gets its `source`; the frames are concatenated (columns one source lacks are null
   for the others); an entity listed by two sources sharing an id space is kept once (a
   listed row wins over an inferred one, then the first source). The load report holds every
   source's files, counts and warnings.
4. **Link**: when a source read says its committees are named by other filing systems only by
   name (`links_across`: the IRS and state filings), names are linked to committees across
   the combined dataset and money reported by both sides is counted once
   (`moneytrail.data.sources.links.link_dataset`).

`plan_key` is what the cache key adds for a plan: each source used, its option values and the
size and mtime of every file an option names (a mapping file), so changing any of them
re-imports. Pure: Polars and the standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from moneytrail.data import ids
from moneytrail.data.dataset import Dataset
from moneytrail.data.entities import complete_entities
from moneytrail.data.errors import DataError
from moneytrail.data.finalize import finalize_transactions
from moneytrail.data.names import with_donor_keys
from moneytrail.data.progress import ProgressCallback
from moneytrail.data.report import LoadReport
from moneytrail.data.schema import (
    CANDIDATES,
    COMMITTEES,
    ENTITY_ID,
    ID_COLUMNS,
    RACES,
    REJECTS,
    SOURCE_COLUMN,
    TRANSACTIONS,
)
from moneytrail.data.sources.base import BY_NAME, NOT_MINE, Source, SourceRead
from moneytrail.data.sources.registry import problems, sources

#: `{source name: {option name: value}}` as given by the user (CLI ``-o SOURCE.NAME=VALUE``).
SourceOptions = Mapping[str, Mapping[str, str]]

_LOADED = {"committees": COMMITTEES, "candidates": CANDIDATES, "races": RACES}


@dataclass(frozen=True, slots=True)
class Claim:
    """One source's share of PATH: its files and its option values (defaults filled in)."""

    source: Source
    files: tuple[Path, ...]
    options: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Plan:
    """What reading PATH will do: which source reads which files, and what is ignored."""

    root: Path
    claims: tuple[Claim, ...]
    ignored: tuple[str, ...]


def candidate_files(path: Path) -> list[Path]:
    """`path` itself, or the files at the top of the folder and one level down, sorted."""
    if path.is_file():
        return [path]
    out: list[Path] = []
    for entry in sorted(path.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_file():
            out.append(entry)
        elif entry.is_dir():
            out.extend(
                sorted(p for p in entry.iterdir() if p.is_file() and not p.name.startswith("."))
            )
    return out


def nothing_found(path: Path) -> DataError:
    """The error for a PATH no source recognises: names every format looked for."""
    titles = [s.title for s in sources()]
    listed = titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} or {titles[-1]}"
    return DataError(f"no {listed} found", path=str(path))


def _options(source: Source, given: Mapping[str, str]) -> dict[str, str]:
    declared = {o.name: o for o in source.options}
    for name in given:
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise DataError(f"source {source.name} has no option {name!r} (options: {known})")
    out = {o.name: o.default for o in source.options if o.default is not None}
    out.update(given)
    return out


def _sniff(source: Source, file: Path, options: Mapping[str, str] | None) -> float:
    """`source.sniff(file)`, or, when options were given to a source that can sniff with them
    (`sniff_with_options`: a CSV by mapping recognises the mapping's columns), that."""
    with_options = getattr(source, "sniff_with_options", None)
    if options and with_options is not None:
        return float(with_options(file, options))
    return source.sniff(file)


def plan(path: Path, options: SourceOptions | None = None) -> Plan:
    """Decide which source reads which file under `path` (see the module docstring).

    Raises:
        DataError: no source recognises any file, or an option names an unknown source or
            option.
    """
    given = dict(options or {})
    registered = sources()
    names = {s.name for s in registered}
    for name in given:
        if name not in names:
            raise DataError(f"unknown source {name!r} (sources: {', '.join(sorted(names))})")
    shares: dict[str, list[Path]] = {s.name: [] for s in registered}
    strong: set[str] = set()
    ignored: list[str] = []
    for file in candidate_files(path):
        best, score = None, NOT_MINE
        for source in registered:
            s = _sniff(source, file, given.get(source.name))
            if s > score:
                best, score = source, s
        if best is None:
            ignored.append(file.name if file == path else str(file.relative_to(path)))
            continue
        shares[best.name].append(file)
        if score >= BY_NAME:
            strong.add(best.name)
    claims = tuple(
        Claim(s, tuple(shares[s.name]), _options(s, given.get(s.name, {})))
        for s in registered
        if s.name in strong
    )
    if not claims:
        raise nothing_found(path)
    return Plan(root=path, claims=claims, ignored=tuple(ignored))


def plan_key(p: Plan) -> list[Any]:
    """What the cache key covers besides the input files: sources, options, option files."""
    out: list[Any] = []
    for claim in p.claims:
        files: dict[str, list[int] | None] = {}
        for option in claim.source.options:
            value = claim.options.get(option.name)
            if option.is_path and value:
                try:
                    st = Path(value).stat()
                    files[option.name] = [st.st_size, st.st_mtime_ns]
                except OSError:
                    files[option.name] = None
        version = getattr(claim.source, "version", None)
        out.append([claim.source.name, str(version), dict(sorted(claim.options.items())), files])
    return out


def _finished(read: SourceRead) -> SourceRead:
    """`read` with the common tail applied when its reader did not apply it."""
    if read.finalized:
        return read
    tx = finalize_transactions(read.transactions)
    cm, cn, rc, created = complete_entities(tx, read.committees, read.candidates, read.races)
    merged = {k: created.get(k, 0) + read.created.get(k, 0) for k in created}
    return SourceRead(
        transactions=tx,
        committees=cm,
        candidates=cn,
        races=rc,
        rejects=read.rejects,
        files=read.files,
        warnings=read.warnings,
        created=merged,
        synthetic=read.synthetic,
        finalized=True,
    )


def _tagged(frame: pl.LazyFrame, table: str, source: Source, loaded: list[str]) -> pl.LazyFrame:
    """`frame` with its ids qualified (when the source qualifies) and `source` after `loaded`."""
    names = frame.collect_schema().names()
    if source.qualify_ids:
        frame = frame.with_columns(ids.qualify_expr(c, source.name) for c in ID_COLUMNS[table])
        # Linked sources' keys are derived after linking, over all their rows (`link_dataset`).
        if table == "transactions" and not getattr(source, "links_across", False):
            frame = with_donor_keys(frame)
    tagged = frame.with_columns(pl.lit(source.name, dtype=pl.String()).alias(SOURCE_COLUMN))
    extras = [n for n in names if n not in loaded and n != SOURCE_COLUMN]
    return tagged.select([*loaded, SOURCE_COLUMN, *extras])


def _once(frame: pl.LazyFrame, table: str) -> pl.LazyFrame:
    """The sources' entities of one table, each id once: listed before inferred, then first."""
    key = ENTITY_ID[table]
    return (
        frame.with_row_index("__order")
        .sort(["inferred", "__order"], nulls_last=True)
        .unique(key, keep="first", maintain_order=True)
        .sort("__order")
        .drop("__order")
    )


def _location(p: Plan, read: list[Source]) -> Path:
    """What the dataset is named after: the folder of a lone tables file, else PATH."""
    if p.root.is_file() and [s.name for s in read] == ["tables"]:
        return p.root.parent
    return p.root


def streams(p: Plan) -> bool:
    """True when the plan is one source that can store its rows out of core (`read_plan`)."""
    return len(p.claims) == 1 and bool(getattr(p.claims[0].source, "streams", False))


def _read(
    claim: Claim,
    p: Plan,
    progress: ProgressCallback | None,
    workdir: Path | None,
    reuse: Callable[[str, str], Path | None] | None,
) -> SourceRead:
    if workdir is not None and streams(p):
        read = claim.source.read  # a streaming source's `read` takes the folder
        return read(  # type: ignore[call-arg]
            claim.files, p.root, claim.options, progress, workdir=workdir, reuse=reuse
        )
    return claim.source.read(claim.files, p.root, claim.options, progress)


def read_plan(
    p: Plan,
    progress: ProgressCallback | None = None,
    *,
    workdir: Path | None = None,
    reuse: Callable[[str, str], Path | None] | None = None,
) -> Dataset:
    """Read and combine the plan's sources into one `Dataset`.

    Args:
        workdir: a folder a lone source that `streams` (FEC bulk files) may store its rows in
            out of core, as the cache lays them out (the cache's build folder); ignored by other
            plans.
        reuse: handed to such a source with `workdir` (`cache.earlier_cycles`).

    Raises:
        DataError: a source rejected its input as a whole.
    """
    reads = [(c.source, _finished(_read(c, p, progress, workdir, reuse))) for c in p.claims]
    tx_loaded = list(TRANSACTIONS)
    tx = [
        r.transactions if r.tagged else _tagged(r.transactions, "transactions", s, tx_loaded)
        for s, r in reads
    ]
    entities = {
        table: [_tagged(getattr(r, table), table, s, list(schema)) for s, r in reads]
        for table, schema in _LOADED.items()
    }
    # Entity tables are small: each is collected once here (its size before and after
    # deduplication read from that), so no query repeats the work. When deduplication removes
    # an entity (listed or inferred by two sources, or two tables folders), `created` counts
    # the inferred entities kept; otherwise it is what the readers reported.
    tables = list(_LOADED)
    listed = pl.collect_all([pl.concat(entities[t], how="diagonal_relaxed") for t in tables])
    collected = [_once(frame.lazy(), t).collect() for frame, t in zip(listed, tables, strict=True)]
    kept = {t: frame.lazy() for t, frame in zip(tables, collected, strict=True)}
    removed = any(a.height != f.height for a, f in zip(listed, collected, strict=True))
    if removed:
        created = {
            t: int(frame.get_column("inferred").sum())
            for t, frame in zip(tables, collected, strict=True)
        }
    else:
        created = {}
        for _, r in reads:
            for k, v in r.created.items():
                created[k] = created.get(k, 0) + v
    warnings = [
        *(w for _, r in reads for w in r.warnings),
        *(f"ignored (no source reads it): {name}" for name in p.ignored),
        *problems(),
    ]
    rejects = [r.rejects for _, r in reads]
    where = _location(p, [s for s, _ in reads])
    transactions = tx[0] if len(tx) == 1 else pl.concat(tx, how="diagonal_relaxed")
    committees = kept["committees"]
    linking = [s.name for s, _ in reads if getattr(s, "links_across", False)]
    if linking:
        from moneytrail.data.sources.links import decisions_folder, link_dataset

        transactions = link_dataset(transactions, committees, decisions_folder(p.root), linking)
    return Dataset(
        name=where.name if where.is_file() else where.resolve().name,
        source=where,
        transactions=transactions,
        committees=committees,
        candidates=kept["candidates"],
        races=kept["races"],
        report=LoadReport(
            files=tuple(f for _, r in reads for f in r.files),
            created=created,
            warnings=tuple(warnings),
        ),
        rejects=(
            rejects[0] if len(rejects) == 1 else pl.concat([r.cast(REJECTS) for r in rejects])  # type: ignore[arg-type]
        ),
        synthetic=any(r.synthetic for _, r in reads),
        by_recipient=reads[0][1].by_recipient if len(reads) == 1 else None,
    )
