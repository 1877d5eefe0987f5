"""The committee money graph the tracer walks: built from the graph's parts, once per
(dataset, filters), and cached.

**Parts.** `graph_parts` turns the counted rows (`selection.counted`: filtered, memo rows
excluded, refunds negative) and the joint-fundraising memo rows into a few frames, each a plain
group-by (plus one join and one sort), so Polars' streaming engine can compute them over any
number of rows:

* `RECEIPTS` (``committee_id``, ``amount_cents``): each committee's net receipts (counted
  ``contribution`` rows whose ``recipient_committee_id`` it is), only for committees with at
  least one receipt row;
* `OUTFLOWS` (``source_id``, ``to``, ``dest``, ``cand``, ``so``, ``amount_cents``): everything a
  committee paid (``source_kind == "committee"``, ``source_id`` the committee), either to a
  committee (``to``) or leaving the committee graph (``dest``: an independent expenditure by
  candidate and support/oppose, or another expenditure);
* `PAYERS` (``source_id``, ``name``, ``state``): how transactions name the paying committees;
* `IES` (``candidate_id``, ``payer_kind``, ``payer``, ``support_oppose``, ``amount_cents``):
  independent expenditures naming a candidate, by payer;
* `DONOR_EDGES` (``recipient``, ``donor_key``, ``amount_cents``, ``name``, ``state``, ``kind``):
  receipts from donors (individuals and organizations), net per (recipient, donor), with the
  donor's label (its donors-pane name, a state and kind over its rows, else its JF
  memo rows; on a large import over its rows to the committees in the same recipient part),
  sorted by recipient within each part: the bulk of the graph, read only for the committees
  a trace reaches;
* `JF_GIVERS` (``recipient``, ``from_committee``, ``giver``, ``amount_cents``, labels) and
  `JF_NAMED` (``recipient``, ``named_cents``, ``committee_givers``): who the JF memo rows of each
  recipient name, and how much in all.

`pane_aggregates` stores these parts with a cache entry (`trace_aggregates`); they answer the
default filters (and ``include_memo``, which changes no counted row). `flow_graph` then reads the
small parts whole and the donor edges of the committees a trace reaches (`DonorSide`); any other
filters build the same parts in memory from the filtered rows. Either way the same code
(`_assemble`) makes the graph, so a trace is the same to the cent.

**The graph** (`FlowGraph`), in plain dicts keyed by committee id: ``receipts``, ``payments``,
``in_committees`` / ``out_committees`` (committee-to-committee contributions, net, both
directions), ``terminal`` (what leaves the committee graph), ``top_outflows``, and the largest
few sources of a committee (`FlowGraph.top_sources`). Receipts from donors stay in Polars
(`DonorSide`): a loaded block per set of committees, sorted by recipient with each committee's
row range, donors numbered (``d``, a row of the labels frame) so traces group on integers.

Joint fundraising (FEC data): a committee that got a transfer from a joint fundraising committee
(CMTE_DSGN ``J``) often itemizes its share of it in memo rows (``15J``, ``18J``, ... see
`JOINT_FUNDRAISING_MEMOS`) naming the original givers. Those memo rows never add to a total, but
the upstream view uses them: up to the amount the committee received from JFCs, the JFC edges
into it are replaced by edges from the named givers (people and organizations as donor edges,
committees as committee edges), so a trace to sources reaches the named people instead of the
JFC's pro-rata mix. The committee's receipts are unchanged; when the memos name more than the
JFC transfers, their amounts are scaled down to the transfers (`_jf_cuts`, `_jf_shares`). Only
``in_committees``, ``upstream``, the top sources and the donor edges change: the JFC's own
outflows (a forward trace from the JFC's donors) stay as filed. The cuts need only each
recipient's named total; the givers' shares are computed when a recipient's donor edges are
loaded (and at build time for the few recipients whose memos name committees).

The cache holds a few graphs (LRU) keyed on ``(id(ds), filters)``; an entry also keeps the dataset
object itself, so a recycled ``id`` can never return another dataset's graph.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.data.fec.transactions import JOINT_FUNDRAISING_MEMOS
from moneytrail.query.donors import display_names
from moneytrail.query.filters import Filters
from moneytrail.query.selection import counted, visible
from moneytrail.query.trace_result import apportion

#: How many sources/outflows per committee the flow tree and top paths consider.
TOP_EDGES = 12
#: Graphs kept in the cache.
CACHE_SIZE = 4
#: The most donor edges a trace loads (numbered, labelled, kept for the session) for the
#: committees it reaches; above, it reads only their keys and amounts (`DonorSide.weighted`).
LOAD_EDGES = 250_000

#: CMTE_DSGN of a joint fundraising committee.
JOINT_FUNDRAISER = "J"

#: Destination kinds of money leaving the committee graph.
DEST_IE = "independent_expenditure"
DEST_EXPENDITURE = "expenditure"

#: Names of the graph's parts, as stored with a cache entry (`trace_aggregates`).
RECEIPTS = "trace_receipts"
OUTFLOWS = "trace_outflows"
PAYERS = "trace_payers"
IES = "trace_ies"
DONOR_EDGES = "trace_donor_edges"
JF_GIVERS = "trace_jf_givers"
JF_NAMED = "trace_jf_named"
PARTS: tuple[str, ...] = (RECEIPTS, OUTFLOWS, PAYERS, IES, DONOR_EDGES, JF_GIVERS, JF_NAMED)
#: The parts read whole when a graph is assembled; the others are read per committee.
_SMALL_PARTS: tuple[str, ...] = (RECEIPTS, OUTFLOWS, PAYERS, IES, JF_NAMED)


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

#: A JF memo giver of a recipient: (named a committee, giver id or donor key, cents).
Giver = tuple[bool, str, int]
#: A donor's name, state and kind (any may be unknown).
Label = tuple[str | None, str | None, str | None]
#: A giver with its label (none for a committee).
LabelledGiver = tuple[bool, str, int, Label]

_IS_RECEIPT = (pl.col("kind") == "contribution") & pl.col("recipient_committee_id").is_not_null()
_IS_IE = pl.col("kind") == DEST_IE
_FROM_COMMITTEE = pl.col("from_committee")

_LABEL_COLUMNS: tuple[str, ...] = ("name", "state", "kind")
_EDGE_SCHEMA: dict[str, pl.DataType] = {
    "recipient": pl.String(),
    "donor_key": pl.String(),
    "amount_cents": pl.Int64(),
    "name": pl.String(),
    "state": pl.String(),
    "kind": pl.String(),
}
_LABEL_SCHEMA: dict[str, pl.DataType] = {
    "d": pl.UInt32(),
    "donor_key": pl.String(),
    "name": pl.String(),
    "state": pl.String(),
    "kind": pl.String(),
}


# --- the parts: plans over rows ------------------------------------------------------------

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


def _graph_rows(rows: pl.LazyFrame) -> pl.LazyFrame:
    """The graph's row columns of `rows`, with a `donor_key` for every row (a name-keyed one
    when the row has none) and `from_committee` (the giver is a committee)."""
    is_committee_source = (pl.col("source_kind") == "committee") & pl.col("source_id").is_not_null()
    return rows.select(
        *_ROW_COLUMNS,
        _donor_key().alias("donor_key"),
        is_committee_source.alias("from_committee"),
    )


def _donor_key() -> pl.Expr:
    return pl.coalesce("donor_key", pl.lit("?|") + pl.col("source_name").fill_null(""))


def _memo_rows(ds: Dataset, filters: Filters, where: pl.Expr | None = None) -> pl.LazyFrame:
    """The visible JF memo rows to a committee (the graph's row columns), none off FEC data."""
    columns = ds.transactions.collect_schema().names()
    # The memo rows are wanted whatever the memo filter says (they never add to a total).
    rows = visible(ds, replace(filters, include_memo=True))
    if where is not None:
        rows = rows.filter(where)
    if "fec_transaction_type" not in columns:
        rows = rows.filter(pl.lit(False))
    else:
        rows = rows.filter(
            pl.col("memo")
            & pl.col("fec_transaction_type").is_in(JOINT_FUNDRAISING_MEMOS)
            & _IS_RECEIPT
        )
    return _graph_rows(rows)


def _donor_labels(rows: pl.LazyFrame, memos: pl.LazyFrame) -> pl.LazyFrame:
    """Each donor's label over its rows (givers that are not committees), else over the JF
    memo rows naming it: the donors pane's name (most frequent raw name, ties alphabetical,
    `donors.display_names`), and the last state and kind in alphabetical order.

    Independent of how the rows are stored, so a large import can compute the donor edges one
    recipient part at a time (the label is then over the donor's rows in that part).
    """

    def pick(frame: pl.LazyFrame) -> pl.LazyFrame:
        givers = frame.filter(~_FROM_COMMITTEE)
        facts = givers.group_by("donor_key").agg(
            state=pl.col("source_state").max(), kind=pl.col("source_kind").max()
        )
        names = display_names(givers).select("donor_key", "name")
        return facts.join(names, on="donor_key", how="left")

    own, named = pick(rows), pick(memos)
    keys = pl.concat([own.select("donor_key"), named.select("donor_key")]).unique()
    return (
        keys.join(own, on="donor_key", how="left")
        .join(named, on="donor_key", how="left", suffix="_memo")
        .select(
            "donor_key",
            *(pl.coalesce(c, f"{c}_memo").alias(c) for c in ("name", "state", "kind")),
        )
    )


def _donor_flows(rows: pl.LazyFrame) -> pl.LazyFrame:
    """Per donor (a giver that is not a committee): its direct flows, (``donor_key``, ``kind``,
    recipient, candidate, support/oppose, cents): the first hop of a forward trace."""
    return (
        rows.filter(~_FROM_COMMITTEE)
        .group_by("donor_key", "kind", "recipient_committee_id", "candidate_id", "support_oppose")
        .agg(pl.col("amount_cents").sum())
        .sort("donor_key", "kind", "recipient_committee_id", "candidate_id", nulls_last=True)
    )


def graph_parts(rows: pl.LazyFrame, memos: pl.LazyFrame) -> dict[str, pl.LazyFrame]:
    """The graph's parts (module docstring) over graph rows and JF memo rows (`_graph_rows`).

    Each is a group-by, so the streaming engine computes it in memory bounded by its result;
    the donor edges add a join with the donor labels and a sort by recipient (so a filter on
    the recipient reads a few row groups of the stored file).
    """
    labels = _donor_labels(rows, memos)
    # The givers' labels come from their rows only (few donors), not from a second pass
    # over every donor. Their keys are collected first (as many as the JF memo rows at most):
    # a semi-join made the streaming engine hold the rows while it looked for the givers
    # (1.2 GB at 60M rows, with no giver at all).
    givers = memos.filter(~_FROM_COMMITTEE).select(pl.col("donor_key").unique()).collect()
    giver_rows = rows.filter(pl.col("donor_key").is_in(givers.get_column("donor_key").implode()))
    giver_labels = _donor_labels(giver_rows, memos)
    paid = rows.filter(_FROM_COMMITTEE).with_columns(
        to=pl.when(_IS_RECEIPT).then(pl.col("recipient_committee_id")),
        dest=pl.when(_IS_RECEIPT)
        .then(pl.lit(None, dtype=pl.String()))
        .when(_IS_IE)
        .then(pl.lit(DEST_IE))
        .otherwise(pl.lit(DEST_EXPENDITURE)),
        cand=pl.when(_IS_IE).then(pl.col("candidate_id")),
        so=pl.when(_IS_IE).then(pl.col("support_oppose")),
    )
    named = (
        memos.with_columns(
            giver=pl.when(_FROM_COMMITTEE).then(pl.col("source_id")).otherwise(pl.col("donor_key"))
        )
        .group_by(pl.col("recipient_committee_id").alias("recipient"), "from_committee", "giver")
        .agg(pl.col("amount_cents").sum())
        .filter(pl.col("amount_cents") > 0)
    )
    donor_labels = [pl.when(~_FROM_COMMITTEE).then(pl.col(c)).alias(c) for c in _LABEL_COLUMNS]
    return {
        RECEIPTS: rows.filter(_IS_RECEIPT)
        .group_by(pl.col("recipient_committee_id").alias("committee_id"))
        .agg(pl.col("amount_cents").sum())
        .sort("committee_id"),
        OUTFLOWS: paid.group_by("source_id", "to", "dest", "cand", "so")
        .agg(pl.col("amount_cents").sum())
        .sort("source_id", "to", "dest", "cand", "so", nulls_last=True),
        PAYERS: rows.filter(_FROM_COMMITTEE)
        .group_by("source_id")
        .agg(
            name=pl.col("source_name").drop_nulls().first(),
            state=pl.col("source_state").drop_nulls().first(),
        )
        .sort("source_id"),
        IES: rows.filter(_IS_IE & pl.col("candidate_id").is_not_null())
        .with_columns(
            payer_kind=pl.when(_FROM_COMMITTEE)
            .then(pl.lit("committee"))
            .otherwise(pl.lit("donor")),
            payer=pl.when(_FROM_COMMITTEE).then(pl.col("source_id")).otherwise(pl.col("donor_key")),
        )
        .group_by("candidate_id", "payer_kind", "payer", "support_oppose")
        .agg(pl.col("amount_cents").sum())
        .sort("candidate_id", "payer_kind", "payer", "support_oppose", nulls_last=True),
        DONOR_EDGES: _donor_edges(rows, labels),
        JF_GIVERS: named.join(giver_labels, left_on="giver", right_on="donor_key", how="left")
        .select("recipient", "from_committee", "giver", "amount_cents", *donor_labels)
        .sort("recipient", "from_committee", "giver"),
        JF_NAMED: named.group_by("recipient")
        .agg(
            named_cents=pl.col("amount_cents").sum(),
            committee_givers=pl.col("from_committee").any(),
        )
        .sort("recipient"),
    }


def _donor_edges(rows: pl.LazyFrame, labels: pl.LazyFrame) -> pl.LazyFrame:
    """The `DONOR_EDGES` part over graph rows, given the donors' `_donor_labels`."""
    return (
        rows.filter(_IS_RECEIPT & ~_FROM_COMMITTEE)
        .group_by(pl.col("recipient_committee_id").alias("recipient"), "donor_key")
        .agg(pl.col("amount_cents").sum())
        .join(labels, on="donor_key", how="left")
        .select(*_EDGE_SCHEMA)
        .sort("recipient", "donor_key")
    )


def trace_aggregates(ds: Dataset) -> dict[str, pl.LazyFrame]:
    """The graph's parts under the default filters, to store with a cache entry
    (`moneytrail.query.panes.pane_aggregates`): traces then read them instead of every row."""
    everything = Filters()
    return graph_parts(_graph_rows(counted(ds, everything)), _memo_rows(ds, everything))


def trace_donor_edges(ds: Dataset) -> pl.LazyFrame:
    """`trace_aggregates(ds)[DONOR_EDGES]` alone (a large import computes it part by part),
    without the other parts' plans (the JF givers' keys are collected to build theirs)."""
    everything = Filters()
    rows, memos = _graph_rows(counted(ds, everything)), _memo_rows(ds, everything)
    return _donor_edges(rows, _donor_labels(rows, memos))


def _answered_by_store(ds: Dataset, filters: Filters) -> bool:
    """True when the stored parts answer `filters`: the default ones, or only memo rows shown
    (which changes no counted row)."""
    return replace(filters, include_memo=False).is_default and all(
        name in ds.aggregates for name in PARTS
    )


# --- joint fundraising ---------------------------------------------------------------------


def _jf_cuts(transfers: list[tuple[str, int]], named_cents: int) -> list[int]:
    """How much of each JFC transfer into a recipient its memos re-attribute (whole cents)."""
    received = sum(c for _, c in transfers)
    moved = min(received, named_cents)
    return apportion([c * moved / received for _, c in transfers], moved)


def _jf_shares(transfers: list[tuple[str, int]], givers: list[Giver]) -> list[int]:
    """Each named giver's share of what the memos re-attribute (whole cents)."""
    received = sum(c for _, c in transfers)
    named_total = sum(c for _, _, c in givers)
    moved = min(received, named_total)
    return apportion([c * moved / named_total for _, _, c in givers], moved)


# --- donor edges, loaded per committee -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class DonorState:
    """The donor edges loaded so far, one consistent snapshot (later loads only append)."""

    #: recipient, d, amount_cents: each loaded recipient's edges in one run, by donor key.
    edges: pl.DataFrame
    #: recipient -> (first row in `edges`, edge count).
    ranges: dict[str, tuple[int, int]]
    #: d (the row number), donor_key, name, state, kind.
    labels: pl.DataFrame
    #: Recipients whose edges are loaded (with or without edges), unless `complete`.
    loaded: frozenset[str]
    complete: bool
    #: recipient -> its largest donor edges (donor_key, cents), at most `TOP_EDGES`.
    tops: dict[str, list[tuple[str, int]]]
    #: Labels of the donors in `tops`, for the tree.
    info: dict[str, DonorInfo]

    def has(self, committee_id: str) -> bool:
        return self.complete or committee_id in self.loaded


def _empty_state(labels: pl.DataFrame | None = None) -> DonorState:
    return DonorState(
        edges=pl.DataFrame(
            schema={"recipient": pl.String(), "d": pl.UInt32(), "amount_cents": pl.Int64()}
        ),
        ranges={},
        labels=labels if labels is not None else pl.DataFrame(schema=_LABEL_SCHEMA),
        loaded=frozenset(),
        complete=False,
        tops={},
        info={},
    )


class DonorSide:
    """Receipts from donors: read per recipient committee from the donor-edges part, the JF
    memo givers' shares added, the donors numbered (``d``) in one growing labels frame.

    A trace asks for the committees it reaches (`ensure`); only those are read. The graph is
    shared by the UI's worker threads: loads are serialised and publish a new `DonorState`,
    so a reader's snapshot never changes under it.
    """

    def __init__(
        self,
        edges: pl.LazyFrame,
        givers: pl.LazyFrame,
        labels_of: Callable[[list[str]], pl.DataFrame],
        flows_of: Callable[[str], pl.DataFrame],
        labels: pl.DataFrame | None = None,
    ) -> None:
        self._edges = edges
        self._givers = givers
        self._labels_of = labels_of
        self._flows_of = flows_of
        #: recipient -> its positive transfers from JFCs, for recipients whose memos name givers.
        self.jf_transfers: dict[str, list[tuple[str, int]]] = {}
        self._state = _empty_state(labels)
        self._major: tuple[DonorState, pl.DataFrame, dict[str, int]] | None = None
        #: recipient -> its donor edges' cents by donor state (`state_sums`).
        self._state_sums: dict[str, list[tuple[str | None, int]]] = {}
        self._lock = threading.Lock()
        #: recipient -> its donor edge count and largest edges, and the labels of the donors
        #: in those, for recipients a trace weighted without loading their edges (`weighted`).
        self._counts: dict[str, int] = {}
        self._tops: dict[str, list[tuple[str, int]]] = {}
        self._info: dict[str, DonorInfo] = {}
        #: donor key -> a recipient whose kept top edges name it, for donors not labelled yet.
        self._unlabelled: dict[str, str] = {}

    @property
    def state(self) -> DonorState:
        return self._state

    def ensure(self, committees: Iterable[str]) -> DonorState:
        """The state with the donor edges of `committees` loaded."""
        wanted = list(committees)
        state = self._state
        if state.complete or all(state.has(c) for c in wanted):
            return state
        with self._lock:
            state = self._state
            missing = sorted({c for c in wanted if not state.has(c)})
            if missing:
                state = self._state = self._load(state, missing)
        return state

    def ensure_all(self) -> DonorState:
        """The state with every recipient's donor edges loaded."""
        state = self._state
        if state.complete:
            return state
        with self._lock:
            if not self._state.complete:
                self._state = self._load(self._state, None)
            return self._state

    def givers(self, recipients: list[str]) -> dict[str, list[LabelledGiver]]:
        """The JF memo givers of `recipients`, in order: (is committee, giver, cents, label)."""
        if not recipients:
            return {}
        part = (
            self._givers.filter(pl.col("recipient").is_in(recipients))
            .collect()
            .sort("recipient", "from_committee", "giver")
        )
        out: dict[str, list[LabelledGiver]] = {}
        for rec, is_committee, giver, cents, name, state, kind in part.iter_rows():
            out.setdefault(rec, []).append((is_committee, giver, cents, (name, state, kind)))
        return out

    def _jf_donor_adds(self, recipients: list[str]) -> pl.DataFrame:
        """Donor edges the JF memos add to `recipients` (their share of the JFC transfers)."""
        rows: list[tuple[object, ...]] = []
        for rec, givers in self.givers(recipients).items():
            shares = _jf_shares(self.jf_transfers[rec], [(c, g, a) for c, g, a, _ in givers])
            for (is_committee, giver, _, label), share in zip(givers, shares, strict=True):
                if not is_committee:
                    rows.append((rec, giver, share, *label))
        return pl.DataFrame(rows, schema=_EDGE_SCHEMA, orient="row")

    def _block(
        self, wanted: list[str] | None, columns: tuple[str, ...] = tuple(_EDGE_SCHEMA)
    ) -> pl.DataFrame:
        """The donor edges of `wanted` (every recipient's when None), the JF memo givers'
        shares added (`_jf_donor_adds`); only `columns` (recipient, donor_key, amount_cents and
        any label columns) are read."""
        edges = self._edges
        jf = list(self.jf_transfers)
        if wanted is not None:
            edges = edges.filter(pl.col("recipient").is_in(wanted))
            jf = [c for c in wanted if c in self.jf_transfers]
        block = edges.select(columns).collect()
        adds = self._jf_donor_adds(jf)
        if adds.height:
            labels = [c for c in _LABEL_COLUMNS if c in columns]
            block = (
                pl.concat([block, adds.select(columns)])
                .group_by("recipient", "donor_key")
                .agg(pl.col("amount_cents").sum(), *(pl.col(c).first() for c in labels))
            )
        return block

    def _keyed_block(self, wanted: list[str]) -> pl.DataFrame:
        """recipient, donor_key, amount_cents of the donor edges of `wanted` as `_block` has
        them, each recipient's edges in one or more runs (the stored order): no label read."""
        columns = ("recipient", "donor_key", "amount_cents")
        named = [c for c in wanted if c in self.jf_transfers]
        plain = [c for c in wanted if c not in self.jf_transfers]
        frames = [pl.DataFrame(schema={c: _EDGE_SCHEMA[c] for c in columns})]
        if plain:
            frames.append(
                self._edges.filter(pl.col("recipient").is_in(plain)).select(columns).collect()
            )
        if named:
            frames.append(_by_recipient(self._block(named, columns)))
        return pl.concat(frames)

    def weighted(self, factors: dict[str, float]) -> pl.DataFrame:
        """``donor_key``, ``amount``: Σ over the committees in `factors` of its factor × its
        receipts from each donor (the JF memo givers' shares included).

        Read from the edges' recipient, key and amount columns only: no donor is numbered nor
        labelled (the caller labels the few it lists, `labels_for`). Each recipient's edges
        come in runs sorted by key (the stored order), so the donors are summed by merging the
        runs, not by hashing millions of keys. The top edges and edge counts of these
        committees (the flow tree's) come free and are kept.
        """
        wanted = sorted(c for c, f in factors.items() if f)
        if not wanted:
            return pl.DataFrame(schema={"donor_key": pl.String(), "amount": pl.Float64()})
        block = self._keyed_block(wanted)
        runs = block.select(pl.col("recipient").rle()).unnest("recipient")
        block = block.drop("recipient")  # the runs say whose each row is
        key = pl.col("donor_key")
        pieces: list[pl.DataFrame] = []
        tops: list[pl.DataFrame] = []
        counts: dict[str, int] = {}
        start = 0
        for recipient, n in runs.select("value", "len").iter_rows():
            run = block.slice(start, n)
            start += n
            if recipient not in self._counts:
                counts[recipient] = counts.get(recipient, 0) + n
                tops.append(_near_top(run).with_columns(recipient=pl.lit(recipient)))
            piece = run.select(
                "donor_key", (pl.col("amount_cents") * factors[recipient]).alias("amount")
            )
            if (
                len(wanted) > 1
                and not piece.select((key >= key.shift()).fill_null(True).all()).item()
            ):
                piece = piece.sort("donor_key")
            pieces.append(piece)
        del block
        self._keep_tops(tops, counts)
        if len(wanted) == 1:
            # One committee: its edges name each donor once, so no grouping is needed.
            return pl.concat(pieces)
        while len(pieces) > 1:
            pairs = zip(pieces[::2], pieces[1::2], strict=False)
            merged = [a.merge_sorted(b, "donor_key") for a, b in pairs]
            if len(pieces) % 2:
                merged.append(pieces[-1])
            pieces = merged
        ordered = pieces[0]
        # A donor's rows are now together: its first row names it, and its run sums it (a
        # group-by on the sorted run numbers, which Polars does by slices, in row order).
        first = (key != key.shift()).fill_null(True)
        sums = (
            ordered.lazy()
            .select(first.cum_sum().cast(pl.UInt32()).set_sorted().alias("g"), "amount")
            .group_by("g", maintain_order=True)
            .agg(pl.col("amount").sum())
            .collect()
        )
        return ordered.filter(first).select("donor_key", sums.get_column("amount"))

    def _keep_tops(self, near: list[pl.DataFrame], counts: dict[str, int]) -> None:
        """Keep the edge counts and largest edges (`TOP_EDGES`, ties to the first donor keys)
        of recipients from their runs' edges near the top (`_near_top`); the labels of the
        donors in them are read with the next labels a trace asks for (`labels_for`)."""
        if not counts:
            return
        size = pl.col("amount_cents").abs()
        top = (
            pl.concat(near)
            .sort("recipient", size, "donor_key", descending=[False, True, False])
            .group_by("recipient", maintain_order=True)
            .head(TOP_EDGES)
        )
        tops: dict[str, list[tuple[str, int]]] = {r: [] for r in counts}
        for rec, key, cents in top.select("recipient", "donor_key", "amount_cents").iter_rows():
            tops[rec].append((key, cents))
        with self._lock:
            for r, n in counts.items():
                self._tops[r] = tops[r]
                self._counts[r] = n
                self._unlabelled.update((k, r) for k, _ in tops[r] if k not in self._info)

    def labels_for(self, keys: list[str], recipients: list[str]) -> pl.DataFrame:
        """donor_key, name, state, kind of `keys`: a label the session has already (`state`)
        or else the one on the donor's edge into the first of `recipients` (by id) that names
        it, as a load of those recipients' edges would number it. The top edges' donors kept
        without a label (`_keep_tops`) are labelled in the same read."""
        known = self._state.labels.filter(pl.col("donor_key").is_in(keys)).select(
            "donor_key", *_LABEL_COLUMNS
        )
        missing = sorted(set(keys) - set(known.get_column("donor_key").to_list()))
        pending = dict(self._unlabelled)
        if not pending and (not missing or not recipients):
            return known
        where_keys = set(missing) | set(pending)
        where_recipients = sorted(set(recipients) | set(pending.values()))
        where = pl.col("recipient").is_in(where_recipients) & pl.col("donor_key").is_in(
            sorted(where_keys)
        )
        found = (
            self._edges.filter(where).select("recipient", "donor_key", *_LABEL_COLUMNS).collect()
        )
        adds = self._jf_donor_adds([r for r in where_recipients if r in self.jf_transfers])
        if adds.height:
            found = pl.concat([found, adds.filter(where).select(found.columns)])
        found = found.sort("recipient", maintain_order=True)
        if pending:
            # A top edge's donor: the label on its edge into the first recipient kept it.
            tops = found.filter(pl.col("donor_key").is_in(list(pending)))
            tops = tops.unique("donor_key", keep="first", maintain_order=True)
            info = _label_rows(tops, tops.get_column("donor_key").to_list())
            with self._lock:
                for k in pending:
                    self._unlabelled.pop(k, None)
                    if k in info:
                        self._info.setdefault(k, info[k])
        mine = found.filter(
            pl.col("recipient").is_in(sorted(recipients)) & pl.col("donor_key").is_in(missing)
        ).unique("donor_key", keep="first", maintain_order=True)
        return pl.concat([known, mine.drop("recipient")])

    def _state_block(self, wanted: list[str]) -> pl.DataFrame:
        """recipient, state, amount_cents of the donor edges of `wanted` as `_block` has them:
        only those three columns read, except for recipients with JF givers' shares added."""
        named = [c for c in wanted if c in self.jf_transfers]
        plain = [c for c in wanted if c not in self.jf_transfers]
        columns = ("recipient", "state", "amount_cents")
        frames = [pl.DataFrame(schema={c: _EDGE_SCHEMA[c] for c in columns})]
        if plain:
            frames.append(
                self._edges.filter(pl.col("recipient").is_in(plain)).select(columns).collect()
            )
        if named:
            frames.append(self._block(named).select(columns))
        return pl.concat(frames)

    def state_sums(self, committees: Iterable[str]) -> dict[str, list[tuple[str | None, int]]]:
        """Each of `committees`' receipts from donors by donor state, ``(state, cents)``: the
        state on each donor edge (its label), the JF memo givers' shares included. Read from
        the edges' recipient, state and amount columns only, or summed when a trace loads the
        edges; kept per recipient."""
        wanted = sorted(set(committees))
        sums = self._state_sums
        missing = [c for c in wanted if c not in sums]
        if missing:
            found = _summed_by_state(self._state_block(missing))
            with self._lock:
                for c in missing:
                    sums.setdefault(c, found.get(c, []))
        return {c: sums[c] for c in wanted}

    def _load(self, state: DonorState, wanted: list[str] | None) -> DonorState:
        block = self._block(wanted)
        if wanted is not None:  # the state sums of these recipients come free with the block
            found = _summed_by_state(block)
            for c in wanted:
                self._state_sums.setdefault(c, found.get(c, []))
        if state.complete:  # loaded by another path meanwhile
            return state
        if wanted is None and state.loaded:
            # Only what is not loaded yet: every recipient's edges must be one run.
            block = block.filter(~pl.col("recipient").is_in(sorted(state.loaded)))
        one_recipient = wanted is not None and len(wanted) == 1
        if not one_recipient:
            block = _by_recipient(block)
        labels, d = _numbered(state.labels, block, unique=one_recipient)
        numbered = block.select("recipient", d.alias("d"), "amount_cents")
        offset = state.edges.height
        ranges = dict(state.ranges)
        spans = (
            numbered.with_row_index("i", offset=offset)
            .group_by("recipient")
            .agg(start=pl.col("i").min(), n=pl.len())
        )
        ranges.update({r: (int(s), int(n)) for r, s, n in spans.iter_rows()})
        # The largest edges of each recipient; ties go to the first donor keys.
        if one_recipient:
            top = largest(block, TOP_EDGES, "amount_cents")
        else:
            # Rows with fewer than TOP_EDGES larger ones in their recipient (ties at the cut
            # included), then the first TOP_EDGES of each by size and key.
            size = pl.col("amount_cents").abs()
            keep = block.select(
                size.rank("min", descending=True).over("recipient") <= TOP_EDGES
            ).to_series()
            # `d` joins the few rows kept (added to the whole block it would rechunk it).
            near = block.filter(keep).with_columns(d.filter(keep).alias("d"))
            top = (
                near.sort("recipient", size, "donor_key", descending=[False, True, False])
                .group_by("recipient", maintain_order=True)
                .head(TOP_EDGES)
            )
        tops = dict(state.tops)
        for rec, key, cents in top.select("recipient", "donor_key", "amount_cents").iter_rows():
            tops.setdefault(rec, []).append((key, cents))
        info = dict(state.info)
        if one_recipient:
            info.update(_label_rows(labels, top.get_column("donor_key").unique().to_list()))
        else:  # a gather by number, not a search of millions of labels
            info.update(_labels_at(labels, top.get_column("d").unique()))
        return DonorState(
            edges=pl.concat([state.edges, numbered]) if offset else numbered,
            ranges=ranges,
            labels=labels,
            loaded=state.loaded | frozenset(wanted or ()),
            complete=wanted is None,
            tops=tops,
            info=info,
        )

    def major(self, state: DonorState) -> tuple[pl.DataFrame, dict[str, int]]:
        """`state`'s edges sorted by donor (``d``, ``ci``, cents), ``ci`` a recipient's number in
        the returned index: a trace reaching many committees weights every edge at once."""
        cached = self._major
        if cached is not None and cached[0] is state:
            return cached[1], cached[2]
        index = {r: i for i, r in enumerate(sorted(state.ranges))}
        # Each recipient's edges are one run (`ranges`): its number repeated over the run.
        runs = sorted(state.ranges.items(), key=lambda item: item[1][0])
        ci = (
            pl.DataFrame(
                {"ci": [index[r] for r, _ in runs], "n": [n for _, (_, n) in runs]},
                schema={"ci": pl.UInt32(), "n": pl.UInt32()},
            )
            .select(pl.col("ci").repeat_by("n"))
            .explode("ci")
            .get_column("ci")
        )
        major = state.edges.select("d", ci.alias("ci"), "amount_cents").sort("d")
        self._major = (state, major, index)
        return major, index

    def ensure_labels(self, keys: list[str]) -> DonorState:
        """The state with `keys` in its labels (those the rows name; others stay unknown)."""
        state = self._state
        known = set(state.labels.filter(pl.col("donor_key").is_in(keys)).get_column("donor_key"))
        missing = sorted(set(keys) - known)
        if not missing:
            return state
        found = self._labels_of(missing)
        with self._lock:
            state = self._state
            labels = _with_labels(state.labels, found.select("donor_key", *_LABEL_COLUMNS))
            if labels.height != state.labels.height:
                state = self._state = replace(state, labels=labels)
        return state

    def donor(self, key: str) -> DonorInfo:
        if key in self._unlabelled:
            self.labels_for([], [])
        info = self._state.info.get(key) or self._info.get(key)
        if info is not None:
            return info
        return self.infos([key])[key]

    def infos(self, keys: list[str]) -> dict[str, DonorInfo]:
        """Display info for many donors at once (one gather over the labels frame)."""
        if any(k in self._unlabelled for k in keys):
            self.labels_for([], [])
        state = self._state
        out = {k: state.info[k] for k in keys if k in state.info}
        out.update({k: self._info[k] for k in keys if k not in out and k in self._info})
        missing = [k for k in keys if k not in out]
        if missing:
            out.update(_label_rows(self.ensure_labels(missing).labels, missing))
        for k in missing:
            out.setdefault(k, DonorInfo(name=k, state=None, kind="individual"))
        return out

    def flows(self, key: str) -> pl.DataFrame:
        """The donor's direct flows (`_donor_flows`); empty when it has none."""
        return self._flows_of(key)

    def loads(self, committees: list[str]) -> bool:
        """True when the donor edges of `committees` are loaded, or few enough to load
        (`LOAD_EDGES`); else a trace weighs them by key (`weighted`) without keeping them."""
        state = self._state
        missing = [c for c in committees if not state.has(c)]
        if not missing:
            return True
        if any(c in self._counts for c in missing):
            return False
        found = self._edges.filter(pl.col("recipient").is_in(missing)).select(pl.len())
        return int(found.collect().item()) <= LOAD_EDGES

    def top(self, committee_id: str) -> list[tuple[str, int]]:
        if not self.loads([committee_id]):
            self._kept(committee_id)
            return self._tops[committee_id]
        return self.ensure([committee_id]).tops.get(committee_id, [])

    def count(self, committee_id: str) -> int:
        if not self.loads([committee_id]):
            self._kept(committee_id)
            return self._counts[committee_id]
        span = self.ensure([committee_id]).ranges.get(committee_id)
        return span[1] if span else 0

    def _kept(self, committee_id: str) -> None:
        """Keep `committee_id`'s edge count and top edges (`_keep_tops`) if not kept yet."""
        if committee_id not in self._counts:
            block = self._keyed_block([committee_id])
            near = [_near_top(block)] if block.height else []
            self._keep_tops(near, {committee_id: block.height})

    def totals(self) -> dict[str, float]:
        """Each recipient's receipts from donors (loads every edge)."""
        state = self.ensure_all()
        sums = state.edges.group_by("recipient").agg(pl.col("amount_cents").sum())
        return {r: float(v) for r, v in sums.iter_rows()}


def _near_top(run: pl.DataFrame) -> pl.DataFrame:
    """The edges of `run` (one recipient's) among its `TOP_EDGES` largest, ties at the cut
    included: a superset of the recipient's top edges in this run."""
    size = pl.col("amount_cents").abs()
    if run.height <= TOP_EDGES:
        return run
    return run.filter(size >= run.select(size.top_k(TOP_EDGES).min()).item())


def _summed_by_state(block: pl.DataFrame) -> dict[str, list[tuple[str | None, int]]]:
    """recipient -> [(state, cents)] of donor edges (recipient, state, amount_cents)."""
    sums = block.group_by("recipient", "state").agg(pl.col("amount_cents").sum())
    out: dict[str, list[tuple[str | None, int]]] = {}
    for rec, state, cents in sums.sort("recipient", "state", nulls_last=True).iter_rows():
        out.setdefault(rec, []).append((state, cents))
    return out


def _by_recipient(block: pl.DataFrame) -> pl.DataFrame:
    """`block` with each recipient's rows in one run: the stored part's order (sorted by
    recipient), checked in one pass; a block with JF memo shares added is sorted."""
    r = pl.col("recipient")
    if block.height < 2 or block.select((r >= r.shift()).fill_null(True).all()).item():
        return block
    return block.sort("recipient", "donor_key")


def largest(frame: pl.DataFrame, k: int, amount: str, key: str = "donor_key") -> pl.DataFrame:
    """The `k` rows of `frame` largest by ``|amount|``, largest first, ties to the first `key`.

    The cut is found on the amounts alone; only rows at or above it are sorted, so a frame of
    millions of rows costs one numeric top-k.
    """
    size = pl.col(amount).abs()
    if frame.height > k:
        cut = frame.select(size.top_k(k).min()).item()
        frame = frame.filter(size >= cut)
    return frame.sort(size, key, descending=[True, False]).head(k)


def _numbered(
    labels: pl.DataFrame, block: pl.DataFrame, *, unique: bool
) -> tuple[pl.DataFrame, pl.Series]:
    """`labels` with the donors of `block` it lacks appended (``d`` = row number), and the
    ``d`` of each row of `block`. `unique`: each donor is on one row of `block` (one
    recipient's edges), so a first load numbers the rows as they are."""
    found = block.select("donor_key", *_LABEL_COLUMNS)
    if labels.height == 0 and not unique:
        # A first load of several recipients: number the donors in key order (a sort of
        # the keys) rather than by a hash join of every edge with the new labels.
        d = block.select(
            (pl.col("donor_key").rank("dense") - 1).cast(pl.UInt32()).alias("d")
        ).to_series()
        first = d.arg_unique()  # a row of each donor (its label is the same on each)
        fresh = (
            found.gather(first)
            .with_columns(d.gather(first))
            .sort("d")
            .select(pl.col(c).cast(t) for c, t in _LABEL_SCHEMA.items())
        )
        return fresh, d
    if not unique:
        # A donor's label is the same on each of its rows: any one will do.
        found = found.unique("donor_key", keep="any")
    fresh = found
    if labels.height:
        fresh = found.join(labels.select("donor_key"), on="donor_key", how="anti")
    fresh = fresh.with_row_index("d", offset=labels.height).select(
        pl.col(c).cast(t) for c, t in _LABEL_SCHEMA.items()
    )
    if labels.height == 0 and unique:
        return fresh, fresh.get_column("d")
    merged = pl.concat([labels, fresh]) if labels.height else fresh
    d = block.select("donor_key").join(
        merged.select("donor_key", "d"), on="donor_key", how="left", maintain_order="left"
    )
    return merged, d.get_column("d")


def _with_labels(labels: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """`labels` plus the donors of `found` (donor_key + label columns) it lacks, numbered on."""
    return _numbered(labels, found, unique=False)[0]


def _labels_at(labels: pl.DataFrame, ds: pl.Series) -> dict[str, DonorInfo]:
    """`_label_rows` of the donors numbered `ds` (rows of `labels`): a gather, no search."""
    part = labels.select("donor_key", "name", "state", "kind").gather(ds.sort())
    return {
        k: DonorInfo(name=n or k, state=s, kind=kd or "individual")
        for k, n, s, kd in part.iter_rows()
    }


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


# --- the graph -----------------------------------------------------------------------------


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
    #: (kind, key, cents) with kind "committee" or "dest"; key a committee id or a DestKey.
    top_outflows: dict[str, list[tuple[str, str | DestKey, int]]]
    #: Receipts from donors, loaded for the committees a trace reaches.
    donors: DonorSide
    #: race_id -> candidate committees; candidate_id -> IEs (payer kind, payer id, s/o, cents).
    race_committees: dict[str, list[str]] = field(default_factory=dict)
    race_ies: dict[str, list[tuple[str, str, str, str | None, int]]] = field(default_factory=dict)
    #: c -> [(source committee, receipts(c from s) / denominator(c))]: the upstream shares.
    upstream: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    _tops: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    #: Figures derived from this graph once and reused by every trace over it, keyed by their
    #: maker (trace.py's donor-match shares, per donor-side graph).
    derived: dict[object, object] = field(default_factory=dict)

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
        return self.donors.donor(key)

    def top_sources(self, committee_id: str) -> list[tuple[str, str, int]]:
        """The committee's largest sources, (kind, id, cents) with kind "committee" or "donor",
        largest |cents| first, at most `TOP_EDGES` (for the flow tree and the top paths)."""
        found = self._tops.get(committee_id)
        if found is None:
            found = [("committee", s, c) for s, c in self.in_committees.get(committee_id, ())]
            found += [("donor", k, c) for k, c in self.donors.top(committee_id)]
            found.sort(key=lambda e: (-abs(e[2]), e[0], e[1]))
            del found[TOP_EDGES:]
            self._tops[committee_id] = found
        return found

    def n_sources(self, committee_id: str) -> int:
        """How many sources (committees and donors) the committee has."""
        return len(self.in_committees.get(committee_id, ())) + self.donors.count(committee_id)


def donor_infos(graph: FlowGraph, keys: list[str]) -> dict[str, DonorInfo]:
    """Display info for many donors at once."""
    return graph.donors.infos(keys)


def _grouped_lists(frame: pl.DataFrame, key: str, *cols: str) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    out: dict[str, list[tuple]] = {}  # type: ignore[type-arg]
    for row in frame.select(key, *cols).iter_rows():
        out.setdefault(row[0], []).append(tuple(row[1:]))
    return out


def _assemble(ds: Dataset, parts: Mapping[str, pl.DataFrame], donors: DonorSide) -> FlowGraph:
    """The graph from its small parts (collected) and its donor side (module docstring)."""
    receipts: dict[str, int] = dict(parts[RECEIPTS].iter_rows())
    outflows = parts[OUTFLOWS]
    payments: dict[str, int] = dict(
        outflows.group_by("source_id").agg(pl.col("amount_cents").sum()).iter_rows()
    )
    c2c_filed = (
        outflows.filter(pl.col("to").is_not_null())
        .select(pl.col("to").alias("recipient_committee_id"), "source_id", "amount_cents")
        .sort("recipient_committee_id", "source_id")
    )
    out_committees = _grouped_lists(
        c2c_filed.sort("source_id", "recipient_committee_id"),
        "source_id",
        "recipient_committee_id",
        "amount_cents",
    )
    terminal: dict[str, list[tuple[DestKey, int]]] = {}
    for src, _to, dest, cand, so, cents in (
        outflows.filter(pl.col("dest").is_not_null())
        .sort("source_id", "dest", "cand", "so", nulls_last=True)
        .iter_rows()
    ):
        terminal.setdefault(src, []).append(((dest, cand, so), cents))

    c2c = _joint_fundraising(c2c_filed, parts[JF_NAMED], _joint_fundraisers(ds), donors)
    in_committees = _grouped_lists(c2c, "recipient_committee_id", "source_id", "amount_cents")

    committees = _committee_infos(ds, parts[PAYERS])
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
    for cand_id, pk, payer, so, cents in parts[IES].iter_rows():
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
        top_outflows=top_outflows,
        donors=donors,
        race_committees=race_committees,
        race_ies=race_ies,
    )


def build_flow_graph(ds: Dataset, filters: Filters) -> FlowGraph:
    """Scan the counted rows under `filters` once and build the graph in memory."""
    rows, memos = pl.collect_all([_graph_rows(counted(ds, filters)), _memo_rows(ds, filters)])
    plans = graph_parts(rows.lazy(), memos.lazy())
    names = [*_SMALL_PARTS, DONOR_EDGES, JF_GIVERS]
    *frames, labels, flows = pl.collect_all(
        [
            *(plans[n] for n in names),
            _donor_labels(rows.lazy(), memos.lazy()).sort("donor_key").with_row_index("d"),
            _donor_flows(rows.lazy()),
        ]
    )
    parts = dict(zip(names, frames, strict=True))
    donors = DonorSide(
        parts[DONOR_EDGES].lazy(),
        parts[JF_GIVERS].lazy(),
        labels_of=lambda keys: labels.clear(),  # every donor is labelled already
        flows_of=lambda key: flows.filter(pl.col("donor_key") == key),
        labels=labels.select(pl.col(c).cast(t) for c, t in _LABEL_SCHEMA.items()),
    )
    graph = _assemble(ds, parts, donors)
    donors.ensure_all()
    return graph


def _key_filter(keys: list[str]) -> pl.Expr:
    """Rows whose (graph) donor key is one of `keys`, written so stored row-group statistics
    on ``donor_key`` can skip the rest."""
    named = [k for k in keys if not k.startswith("?|")]
    cond = pl.col("donor_key").is_in(named)
    nameless = [k for k in keys if k.startswith("?|")]
    if nameless:
        cond = cond | (pl.col("donor_key").is_null() & _donor_key().is_in(nameless))
    return cond


def stored_flow_graph(ds: Dataset) -> FlowGraph:
    """The graph of the default filters from the parts stored with `ds` (`trace_aggregates`):
    the small parts read whole, donor edges per reached committee, single donors' labels and
    flows from their rows (clustered by donor, so a few row groups)."""
    everything = Filters()
    parts = dict(
        zip(_SMALL_PARTS, pl.collect_all([ds.aggregates[n] for n in _SMALL_PARTS]), strict=True)
    )

    def labels_of(keys: list[str]) -> pl.DataFrame:
        where = _key_filter(keys)
        rows = _graph_rows(counted(ds, everything).filter(where))
        return _donor_labels(rows, _memo_rows(ds, everything, where)).collect()

    def flows_of(key: str) -> pl.DataFrame:
        # A named donor's rows come from its stored part only (`Dataset.donor_rows`).
        mine = ds if key.startswith("?|") else replace(ds, transactions=ds.donor_rows(key))
        rows = _graph_rows(counted(mine, everything).filter(_key_filter([key])))
        return _donor_flows(rows).collect()

    donors = DonorSide(ds.aggregates[DONOR_EDGES], ds.aggregates[JF_GIVERS], labels_of, flows_of)
    return _assemble(ds, parts, donors)


def _joint_fundraisers(ds: Dataset) -> set[str]:
    """Committees designated joint fundraisers (FEC CMTE_DSGN ``J``); empty without the column."""
    if "fec_designation" not in ds.committees.collect_schema().names():
        return set()
    found = ds.committees.filter(pl.col("fec_designation") == JOINT_FUNDRAISER).select(
        "committee_id"
    )
    return set(found.collect().get_column("committee_id").drop_nulls().to_list())


def _joint_fundraising(
    c2c: pl.DataFrame, named: pl.DataFrame, jfcs: set[str], donors: DonorSide
) -> pl.DataFrame:
    """Committee edges with JFC transfers replaced by the givers their memos name (docstring).

    Returns the upstream committee edges (recipient, source, cents), and tells `donors` which
    recipients' memos add donor edges. Amounts stay whole cents: the cut from each JFC edge
    and the share of each named giver are apportioned exactly.
    """
    if named.height == 0 or not jfcs:
        return c2c
    from_jfc: dict[str, list[tuple[str, int]]] = {}
    for rec, src, cents in c2c.iter_rows():
        if src in jfcs and cents > 0:
            from_jfc.setdefault(rec, []).append((src, cents))
    totals = {
        rec: (cents, with_committees)
        for rec, cents, with_committees in named.iter_rows()
        if rec in from_jfc
    }
    donors.jf_transfers = {rec: from_jfc[rec] for rec in totals}
    # A share of a committee giver depends on every giver of its recipient (largest remainder).
    givers = donors.givers(sorted(rec for rec, (_, with_c) in totals.items() if with_c))
    changes: list[tuple[str, str, int]] = []
    for rec, (named_cents, _) in totals.items():
        transfers = from_jfc[rec]
        for (src, _cents), cut in zip(transfers, _jf_cuts(transfers, named_cents), strict=True):
            changes.append((rec, src, -cut))
        if rec in givers:
            listed = [(c, g, a) for c, g, a, _ in givers[rec]]
            for (is_committee, giver, _), share in zip(
                listed, _jf_shares(transfers, listed), strict=True
            ):
                if is_committee:
                    changes.append((rec, giver, share))
    schema = {"recipient_committee_id": pl.String, "source_id": pl.String, "amount_cents": pl.Int64}
    return (
        pl.concat(
            [c2c, pl.DataFrame(changes, schema=schema, orient="row")],
            how="vertical_relaxed",
        )
        .group_by("recipient_committee_id", "source_id")
        .agg(pl.col("amount_cents").sum())
        .filter(pl.col("amount_cents") != 0)
        .sort("recipient_committee_id", "source_id")
    )


def _committee_infos(ds: Dataset, payers: pl.DataFrame) -> dict[str, CommitteeInfo]:
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
    for cid, name, state in payers.iter_rows():
        if cid not in out:
            out[cid] = CommitteeInfo(name=name or cid, kind=None, state=state, candidate_id=None)
    return out


_CACHE: OrderedDict[tuple[int, Filters], tuple[Dataset, FlowGraph]] = OrderedDict()
_LOCK = threading.Lock()


def flow_graph(ds: Dataset, filters: Filters) -> FlowGraph:
    """The graph of (ds, filters), from the small LRU cache, the stored parts when they
    answer the filters (`trace_aggregates`), or freshly built from the rows."""
    key = (id(ds), filters)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is ds:
            _CACHE.move_to_end(key)
            return hit[1]
    if _answered_by_store(ds, filters):
        graph = stored_flow_graph(ds)
    else:
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
