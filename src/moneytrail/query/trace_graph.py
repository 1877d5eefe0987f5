"""The committee money graph the tracer walks, built once per (dataset, filters) and cached.

`flow_graph(ds, filters)` scans the counted rows (`selection.counted`: filtered, memo rows
excluded, refunds negative) once and keeps, in plain dicts keyed by committee id:

* ``receipts[c]``: net receipts of ``c`` (counted ``contribution`` rows whose
  ``recipient_committee_id`` is ``c``), present only for committees with at least one receipt row;
* ``payments[c]``: everything ``c`` paid (``source_kind == "committee"``, ``source_id == c``):
  contributions to committees, independent expenditures, other expenditures;
* ``in_committees[c]`` / ``out_committees[c]``: committee-to-committee contributions, net, in
  both directions;
* ``terminal[c]``: what ``c`` paid that leaves the committee graph (independent expenditures by
  candidate and support/oppose, other expenditures);
* ``top_sources[c]`` / ``top_outflows[c]``: the largest few sources and outflows of each
  committee, for the flow tree and the top paths.

Receipts from donors (individuals and organizations, by ``donor_key``) are the bulk of the rows,
so they stay in a Polars frame sorted by recipient (``donor_edges``: recipient, ``d``, cents) with
each committee's row range in ``donor_ranges``: a trace gathers only the ranges of the committees
it reaches and sums by ``d``, the donor's row number in ``donor_labels`` (donor_key, name, state,
kind), an integer, far cheaper to group on than the key strings.

Joint fundraising (FEC data): a committee that got a transfer from a joint fundraising committee
(CMTE_DSGN ``J``) often itemizes its share of it in memo rows (``15J``, ``18J``, ... see
`JOINT_FUNDRAISING_MEMOS`) naming the original givers. Those memo rows never add to a total, but
the upstream view uses them (`_joint_fundraising`): up to the amount the committee received from
JFCs, the JFC edges into it are replaced by edges from the named givers (people and organizations
as donor edges, committees as committee edges), so a trace to sources reaches the named people
instead of the JFC's pro-rata mix. The committee's receipts are unchanged; when the memos name
more than the JFC transfers, their amounts are scaled down to the transfers. Only
``in_committees``, ``upstream``, ``top_sources`` and the donor edges change: the JFC's own
outflows (a forward trace from the JFC's donors) stay as filed.

The cache holds a few graphs (LRU) keyed on ``(id(ds), filters)``; an entry also keeps the dataset
object itself, so a recycled ``id`` can never return another dataset's graph.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.data.fec.transactions import JOINT_FUNDRAISING_MEMOS
from moneytrail.query.filters import Filters
from moneytrail.query.selection import counted, visible
from moneytrail.query.trace_result import apportion

#: How many sources/outflows per committee the flow tree and top paths consider.
TOP_EDGES = 12
#: Graphs kept in the cache.
CACHE_SIZE = 4

#: CMTE_DSGN of a joint fundraising committee.
JOINT_FUNDRAISER = "J"

#: Destination kinds of money leaving the committee graph.
DEST_IE = "independent_expenditure"
DEST_EXPENDITURE = "expenditure"


@dataclass(frozen=True, slots=True)
class CommitteeInfo:
    """What the tracer shows about a committee."""

    name: str
    kind: str | None
    state: str | None
    candidate_id: str | None


@dataclass(frozen=True, slots=True)
class CandidateInfo:
    """A candidate and the race they ran in."""

    name: str
    race_id: str | None


@dataclass(frozen=True, slots=True)
class RaceInfo:
    """A race and its context figures."""

    name: str
    state: str | None
    median_household_income: int | None
    population: int | None


@dataclass(frozen=True, slots=True)
class DonorInfo:
    """A donor identity's display name, state and kind (individual / organization)."""

    name: str
    state: str | None
    kind: str


#: A terminal outflow: (kind, candidate_id or None, support_oppose or None).
DestKey = tuple[str, str | None, str | None]


@dataclass(slots=True)
class FlowGraph:
    """The committee graph of one (dataset, filters); see the module docstring."""

    committees: dict[str, CommitteeInfo]
    candidates: dict[str, CandidateInfo]
    races: dict[str, RaceInfo]
    receipts: dict[str, int]
    payments: dict[str, int]
    in_committees: dict[str, list[tuple[str, int]]]
    out_committees: dict[str, list[tuple[str, int]]]
    terminal: dict[str, list[tuple[DestKey, int]]]
    #: (kind, id, cents) with kind "committee" or "donor", largest |cents| first.
    top_sources: dict[str, list[tuple[str, str, int]]]
    #: (kind, key, cents) with kind "committee" or "dest"; key a committee id or a DestKey.
    top_outflows: dict[str, list[tuple[str, str | DestKey, int]]]
    donor_edges: pl.DataFrame
    donor_ranges: dict[str, tuple[int, int]]
    #: The same edges sorted by donor (``d``) with the recipient as an integer (``ci``, its
    #: position in `recipient_index`): a trace that reaches many committees weights every edge
    #: at once and groups on the already-sorted ``d``.
    donor_major: pl.DataFrame
    recipient_index: dict[str, int]
    donor_labels: pl.DataFrame
    donor_info: dict[str, DonorInfo]
    #: Per donor (non-committee source): direct flows (kind, recipient, candidate, s/o, cents).
    donor_flows: pl.DataFrame
    #: race_id -> candidate committees; candidate_id -> IEs (payer kind, payer id, s/o, cents).
    race_committees: dict[str, list[str]] = field(default_factory=dict)
    race_ies: dict[str, list[tuple[str, str, str, str | None, int]]] = field(default_factory=dict)
    #: c -> [(source committee, receipts(c from s) / denominator(c))]: the upstream shares.
    upstream: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def denominator(self, committee_id: str) -> int | None:
        """``max(receipts, payments)`` when the committee has positive net receipts, else None.

        Every dollar paid carries ``receipts(c from s) / denominator`` of source ``s``; when
        payments exceed receipts the rest of each dollar is the committee's own funds.
        """
        r = self.receipts.get(committee_id)
        if r is None or r <= 0:
            return None
        return max(r, self.payments.get(committee_id, 0))

    def committee_name(self, committee_id: str) -> str:
        info = self.committees.get(committee_id)
        return info.name if info is not None else committee_id

    def donor(self, key: str) -> DonorInfo:
        info = self.donor_info.get(key)
        if info is not None:
            return info
        row = _label_rows(self.donor_labels, [key]).get(key)
        return row if row is not None else DonorInfo(name=key, state=None, kind="individual")


def _label_rows(labels: pl.DataFrame, keys: list[str]) -> dict[str, DonorInfo]:
    if not keys or labels.height == 0:
        return {}
    part = labels.filter(pl.col("donor_key").is_in(keys)).select(
        "donor_key", "name", "state", "kind"
    )
    return {
        k: DonorInfo(name=n or k, state=s, kind=kd or "individual")
        for k, n, s, kd in part.iter_rows()
    }


def donor_infos(graph: FlowGraph, keys: list[str]) -> dict[str, DonorInfo]:
    """Display info for many donors at once (one gather over the labels frame)."""
    out = {k: graph.donor_info[k] for k in keys if k in graph.donor_info}
    missing = [k for k in keys if k not in out]
    out.update(_label_rows(graph.donor_labels, missing))
    for k in missing:
        out.setdefault(k, DonorInfo(name=k, state=None, kind="individual"))
    return out


def _grouped_lists(frame: pl.DataFrame, key: str, *cols: str) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    out: dict[str, list[tuple]] = {}  # type: ignore[type-arg]
    for row in frame.select(key, *cols).iter_rows():
        out.setdefault(row[0], []).append(tuple(row[1:]))
    return out


def build_flow_graph(ds: Dataset, filters: Filters) -> FlowGraph:
    """Scan the counted rows once and build the graph (see the module docstring)."""
    rows = _graph_rows(counted(ds, filters))
    is_receipt = (pl.col("kind") == "contribution") & pl.col("recipient_committee_id").is_not_null()
    receipts_rows = rows.filter(is_receipt)
    jf_rows = _joint_fundraising_memos(ds, filters)
    receipts = dict(
        receipts_rows.group_by("recipient_committee_id")
        .agg(pl.col("amount_cents").sum())
        .iter_rows()
    )
    paid = rows.filter(pl.col("from_committee"))
    payments = dict(paid.group_by("source_id").agg(pl.col("amount_cents").sum()).iter_rows())

    c2c_filed = (
        receipts_rows.filter(pl.col("from_committee"))
        .group_by("recipient_committee_id", "source_id")
        .agg(pl.col("amount_cents").sum())
        .sort("recipient_committee_id", "source_id")
    )
    out_committees = _grouped_lists(
        c2c_filed.sort("source_id", "recipient_committee_id"),
        "source_id",
        "recipient_committee_id",
        "amount_cents",
    )
    c2c, jf_donor_rows = _joint_fundraising(c2c_filed, jf_rows, _joint_fundraisers(ds))
    in_committees = _grouped_lists(c2c, "recipient_committee_id", "source_id", "amount_cents")

    term = (
        paid.filter(~is_receipt)
        .with_columns(
            dest=pl.when(pl.col("kind") == DEST_IE)
            .then(pl.lit(DEST_IE))
            .otherwise(pl.lit(DEST_EXPENDITURE)),
            cand=pl.when(pl.col("kind") == DEST_IE).then(pl.col("candidate_id")),
            so=pl.when(pl.col("kind") == DEST_IE).then(pl.col("support_oppose")),
        )
        .group_by("source_id", "dest", "cand", "so")
        .agg(pl.col("amount_cents").sum())
        .sort("source_id", "dest", "cand", "so", nulls_last=True)
    )
    terminal: dict[str, list[tuple[DestKey, int]]] = {}
    for src, dest, cand, so, cents in term.iter_rows():
        terminal.setdefault(src, []).append(((dest, cand, so), cents))

    # Donors are numbered (``d``: row of `donor_labels`) so traces group on integers.
    donor_rows = rows.filter(~pl.col("from_committee"))
    donor_labels = (
        pl.concat([donor_rows, jf_rows.filter(~pl.col("from_committee"))], how="vertical_relaxed")
        .group_by("donor_key")
        .agg(
            name=pl.col("source_name").drop_nulls().first(),
            state=pl.col("source_state").drop_nulls().first(),
            kind=pl.col("source_kind").drop_nulls().first(),
        )
        .sort("donor_key")
        .with_row_index("d")
    )
    donor_edges = (
        pl.concat(
            [
                receipts_rows.filter(~pl.col("from_committee")).select(jf_donor_rows.columns),
                jf_donor_rows,
            ],
            how="vertical_relaxed",
        )
        .group_by("recipient_committee_id", "donor_key")
        .agg(pl.col("amount_cents").sum())
        .join(donor_labels.select("donor_key", "d"), on="donor_key")
        .select(recipient="recipient_committee_id", d="d", amount_cents="amount_cents")
        .sort("recipient", "d")
    )
    ranges = (
        donor_edges.with_row_index("i")
        .group_by("recipient")
        .agg(start=pl.col("i").min(), n=pl.len())
    )
    donor_ranges = {r: (int(s), int(n)) for r, s, n in ranges.iter_rows()}
    recipient_index = {r: i for i, r in enumerate(sorted(donor_ranges))}
    donor_major = (
        donor_edges.with_columns(
            ci=pl.col("recipient").replace_strict(recipient_index, return_dtype=pl.UInt32())
        )
        .select("d", "ci", "amount_cents")
        .sort("d")
    )

    donor_flows = (
        donor_rows.group_by(
            "donor_key", "kind", "recipient_committee_id", "candidate_id", "support_oppose"
        )
        .agg(pl.col("amount_cents").sum())
        .sort("donor_key", "kind", "recipient_committee_id", "candidate_id", nulls_last=True)
    )

    committees = _committee_infos(ds, rows)
    candidates = {
        cid: CandidateInfo(name=name or cid, race_id=race)
        for cid, name, race in ds.candidates.select("candidate_id", "name", "race_id")
        .unique("candidate_id", keep="first", maintain_order=True)
        .collect()
        .iter_rows()
        if cid is not None
    }
    races = {
        rid: RaceInfo(name=name or rid, state=state, median_household_income=mhi, population=pop)
        for rid, name, state, mhi, pop in ds.races.select(
            "race_id", "name", "state", "median_household_income", "population"
        )
        .unique("race_id", keep="first", maintain_order=True)
        .collect()
        .iter_rows()
        if rid is not None
    }

    # The largest few sources of each committee (committees and donors), for tree and paths.
    rank = pl.col("amount_cents").abs().rank("ordinal", descending=True).over("recipient")
    top_donors = (
        donor_edges.filter(rank <= TOP_EDGES)
        .join(donor_labels.select("d", "donor_key"), on="d")
        .select("recipient", "donor_key", "amount_cents")
    )
    top_sources: dict[str, list[tuple[str, str, int]]] = {}
    for rec, src, cents in c2c.iter_rows():
        top_sources.setdefault(rec, []).append(("committee", src, cents))
    for rec, key, cents in top_donors.iter_rows():
        top_sources.setdefault(rec, []).append(("donor", key, cents))
    for edges in top_sources.values():
        edges.sort(key=lambda e: (-abs(e[2]), e[0], e[1]))
        del edges[TOP_EDGES:]
    donor_info = _label_rows(donor_labels, top_donors.get_column("donor_key").unique().to_list())

    top_outflows: dict[str, list[tuple[str, str | DestKey, int]]] = {}
    for c in set(out_committees) | set(terminal):
        flows: list[tuple[str, str | DestKey, int]] = [
            ("committee", r, a) for r, a in out_committees.get(c, [])
        ]
        flows += [("dest", d, a) for d, a in terminal.get(c, [])]
        flows.sort(key=lambda f: -abs(f[2]))
        top_outflows[c] = flows[:TOP_EDGES]

    race_committees: dict[str, list[str]] = {}
    for cid, info in sorted(committees.items()):
        cand = candidates.get(info.candidate_id) if info.candidate_id else None
        if cand is not None and cand.race_id is not None:
            race_committees.setdefault(cand.race_id, []).append(cid)
    race_ies: dict[str, list[tuple[str, str, str, str | None, int]]] = {}
    ies = (
        rows.filter((pl.col("kind") == DEST_IE) & pl.col("candidate_id").is_not_null())
        .with_columns(
            payer_kind=pl.when(pl.col("from_committee"))
            .then(pl.lit("committee"))
            .otherwise(pl.lit("donor")),
            payer=pl.when(pl.col("from_committee"))
            .then(pl.col("source_id"))
            .otherwise(pl.col("donor_key")),
        )
        .group_by("candidate_id", "payer_kind", "payer", "support_oppose")
        .agg(pl.col("amount_cents").sum())
        .sort("candidate_id", "payer_kind", "payer", "support_oppose", nulls_last=True)
    )
    for cand_id, pk, payer, so, cents in ies.iter_rows():
        cand = candidates.get(cand_id)
        if cand is None or cand.race_id is None:
            continue
        race_ies.setdefault(cand.race_id, []).append((cand_id, pk, payer, so, cents))

    upstream: dict[str, list[tuple[str, float]]] = {}
    for c, sources in in_committees.items():
        r = receipts.get(c, 0)
        if r > 0:
            den = max(r, payments.get(c, 0))
            upstream[c] = [(src, cents / den) for src, cents in sources]
    return FlowGraph(
        upstream=upstream,
        committees=committees,
        candidates=candidates,
        races=races,
        receipts=receipts,
        payments=payments,
        in_committees=in_committees,
        out_committees=out_committees,
        terminal=terminal,
        top_sources=top_sources,
        top_outflows=top_outflows,
        donor_edges=donor_edges,
        donor_ranges=donor_ranges,
        donor_major=donor_major,
        recipient_index=recipient_index,
        donor_labels=donor_labels,
        donor_info=donor_info,
        donor_flows=donor_flows,
        race_committees=race_committees,
        race_ies=race_ies,
    )


_ROW_COLUMNS: tuple[str, ...] = (
    "kind",
    "source_kind",
    "source_id",
    "source_name",
    "source_state",
    "recipient_committee_id",
    "candidate_id",
    "support_oppose",
    "amount_cents",
)


def _graph_rows(rows: pl.LazyFrame) -> pl.DataFrame:
    """The graph's row columns of `rows`, with a `donor_key` for every row (a name-keyed one
    when the row has none) and `from_committee` (the giver is a committee), collected."""
    is_committee_source = (pl.col("source_kind") == "committee") & pl.col("source_id").is_not_null()
    return rows.select(
        *_ROW_COLUMNS,
        pl.coalesce("donor_key", pl.lit("?|") + pl.col("source_name").fill_null("")).alias(
            "donor_key"
        ),
        is_committee_source.alias("from_committee"),
    ).collect()


def _joint_fundraising_memos(ds: Dataset, filters: Filters) -> pl.DataFrame:
    """The visible JF memo rows to a committee (the graph's row columns), empty off FEC data."""
    columns = ds.transactions.collect_schema().names()
    # The memo rows are wanted whatever the memo filter says (they never add to a total).
    rows = visible(ds, replace(filters, include_memo=True))
    if "fec_transaction_type" not in columns:
        rows = rows.filter(pl.lit(False))
    else:
        rows = rows.filter(
            pl.col("memo")
            & pl.col("fec_transaction_type").is_in(JOINT_FUNDRAISING_MEMOS)
            & (pl.col("kind") == "contribution")
            & pl.col("recipient_committee_id").is_not_null()
        )
    return _graph_rows(rows)


def _joint_fundraisers(ds: Dataset) -> set[str]:
    """Committees designated joint fundraisers (FEC CMTE_DSGN ``J``); empty without the column."""
    if "fec_designation" not in ds.committees.collect_schema().names():
        return set()
    found = ds.committees.filter(pl.col("fec_designation") == JOINT_FUNDRAISER).select(
        "committee_id"
    )
    return set(found.collect().get_column("committee_id").drop_nulls().to_list())


def _joint_fundraising(
    c2c: pl.DataFrame, jf_rows: pl.DataFrame, jfcs: set[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Committee edges with JFC transfers replaced by the givers their memos name (docstring).

    Returns the upstream committee edges (recipient, source, cents) and the extra donor edges
    (`recipient_committee_id`, `donor_key`, `amount_cents`). Amounts stay whole cents: the cut
    from each JFC edge and the share of each named giver are apportioned exactly.
    """
    empty = pl.DataFrame(
        schema={
            "recipient_committee_id": pl.String,
            "donor_key": pl.String,
            "amount_cents": pl.Int64,
        }
    )
    if jf_rows.height == 0 or not jfcs:
        return c2c, empty
    from_jfc: dict[str, list[tuple[str, int]]] = {}
    for rec, src, cents in c2c.iter_rows():
        if src in jfcs and cents > 0:
            from_jfc.setdefault(rec, []).append((src, cents))
    named = (
        jf_rows.with_columns(
            giver=pl.when(pl.col("from_committee"))
            .then(pl.col("source_id"))
            .otherwise(pl.col("donor_key"))
        )
        .group_by("recipient_committee_id", "from_committee", "giver")
        .agg(pl.col("amount_cents").sum())
        .filter(pl.col("amount_cents") > 0)
        .sort("recipient_committee_id", "from_committee", "giver")
    )
    memos: dict[str, list[tuple[bool, str, int]]] = {}
    for rec, is_committee, giver, cents in named.iter_rows():
        if rec in from_jfc:
            memos.setdefault(rec, []).append((is_committee, giver, cents))
    cuts: list[tuple[str, str, int]] = []
    committee_adds: list[tuple[str, str, int]] = []
    donor_adds: list[tuple[str, str, int]] = []
    for rec, givers in memos.items():
        transfers = from_jfc[rec]
        received = sum(c for _, c in transfers)
        named_total = sum(c for _, _, c in givers)
        moved = min(received, named_total)
        for (src, _cents), cut in zip(
            transfers, apportion([c * moved / received for _, c in transfers], moved), strict=True
        ):
            cuts.append((rec, src, -cut))
        shares = apportion([c * moved / named_total for _, _, c in givers], moved)
        for (is_committee, giver, _), share in zip(givers, shares, strict=True):
            (committee_adds if is_committee else donor_adds).append((rec, giver, share))
    schema = {"recipient_committee_id": pl.String, "source_id": pl.String, "amount_cents": pl.Int64}
    edges = (
        pl.concat(
            [c2c, pl.DataFrame(cuts + committee_adds, schema=schema, orient="row")],
            how="vertical_relaxed",
        )
        .group_by("recipient_committee_id", "source_id")
        .agg(pl.col("amount_cents").sum())
        .filter(pl.col("amount_cents") != 0)
        .sort("recipient_committee_id", "source_id")
    )
    donors = pl.DataFrame(
        donor_adds,
        schema={
            "recipient_committee_id": pl.String,
            "donor_key": pl.String,
            "amount_cents": pl.Int64,
        },
        orient="row",
    )
    return edges, donors


def _committee_infos(ds: Dataset, rows: pl.DataFrame) -> dict[str, CommitteeInfo]:
    """Committees from the committees table, plus payers only named in transactions."""
    table = (
        ds.committees.select("committee_id", "name", "kind", "state", "candidate_id")
        .unique("committee_id", keep="first", maintain_order=True)
        .collect()
    )
    out = {
        cid: CommitteeInfo(name=name or cid, kind=kind, state=state, candidate_id=cand)
        for cid, name, kind, state, cand in table.iter_rows()
        if cid is not None
    }
    named = (
        rows.filter(pl.col("from_committee"))
        .group_by("source_id")
        .agg(
            pl.col("source_name").drop_nulls().first(), pl.col("source_state").drop_nulls().first()
        )
    )
    for cid, name, state in named.iter_rows():
        if cid not in out:
            out[cid] = CommitteeInfo(name=name or cid, kind=None, state=state, candidate_id=None)
    return out


_CACHE: OrderedDict[tuple[int, Filters], tuple[Dataset, FlowGraph]] = OrderedDict()
_LOCK = threading.Lock()


def flow_graph(ds: Dataset, filters: Filters) -> FlowGraph:
    """The graph of (ds, filters), from the small LRU cache or freshly built."""
    key = (id(ds), filters)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is ds:
            _CACHE.move_to_end(key)
            return hit[1]
    graph = build_flow_graph(ds, filters)
    with _LOCK:
        _CACHE[key] = (ds, graph)
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return graph


def clear_cache() -> None:
    """Forget every cached graph (tests, and after a dataset is reloaded)."""
    with _LOCK:
        _CACHE.clear()
