"""Follow the money: trace a committee, a race or a donor to ultimate sources or destinations.

The method (docs/tracing.md has the full statement and a worked example):

* **Pro-rata attribution.** Every dollar committee ``c`` pays out carries ``c``'s source mix:
  source ``s`` contributes ``receipts(c from s) / max(receipts(c), payments(c))`` of it. When
  payments exceed receipts, the rest of each dollar is *unattributed (own funds)* of ``c``; a
  committee whose net receipts are ≤ 0 pays entirely from own funds, and a committee with no
  receipt rows at all is its own ultimate source.
* **Recursion with cycles.** Money reaching a committee that was itself funded by committees is
  pushed on to their sources, round after round (``x_{k+1} = D + T x_k`` over sparse dicts),
  until what is still in flight is below ``1e-9`` of the amount traced. Whatever a closed cycle
  keeps in flight after `MAX_ROUNDS` is reported as own funds of the committees holding it
  (``TraceResult.untraced_share``).
* **Donor forward trace** runs the same shares the other way: of each dollar ``c`` holds, the part
  paid to recipient ``r`` is ``payment(c to r) / max(receipts(c), payments(c))``; what ``c`` did
  not pay out is still held by it.

All three functions use the cached committee graph of (dataset, filters) (`trace_graph`): on a
cached dataset under the default filters it comes from the parts stored at import, and a trace
reads the donor edges of only the committees it reaches; otherwise the first trace under new
filters scans the transactions.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.figures import shown_share_of
from moneytrail.query.filters import Filters
from moneytrail.query.trace_graph import (
    DEST_EXPENDITURE,
    DEST_IE,
    TOP_EDGES,
    DestKey,
    DonorSide,
    DonorState,
    FlowGraph,
    flow_graph,
    largest,
)
from moneytrail.query.trace_result import (
    IE_NOTE_PREFIX,
    FlowEntry,
    FlowNode,
    FlowPath,
    PathStep,
    RaceContext,
    TraceResult,
    apportion,
)

#: Stop iterating when the money still in flight is below this fraction of the amount traced.
TOLERANCE = 1e-9
#: Rounds of propagation before a closed cycle's remainder is declared own funds.
MAX_ROUNDS = 10_000
#: Default number of entries listed before the rest is grouped as "other".
DEFAULT_LIMIT = 200
#: Top paths reported.
PATH_COUNT = 10
#: Flow-tree bounds: depth, children per node (the rest grouped), nodes in all.
TREE_DEPTH = 8
TREE_CHILDREN = 8
TREE_NODES = 1500

#: Sources or destinations smaller than this (in cents) are float noise and are not listed.
MIN_AMOUNT = 0.005

OWN_FUNDS = "own_funds"
SUPPORT_WORDS = {"S": "supporting", "O": "opposing"}


class TraceError(LookupError):
    """The entity to trace is not in the dataset."""


@dataclass(slots=True)
class _Convergence:
    """Decides when to stop pushing money round the graph.

    Stops when the money in flight is below `tol`, or when it has stopped shrinking (a closed
    cycle with no outside receipts keeps the same money circulating forever) or after
    `MAX_ROUNDS`; `stuck` tells the two apart.
    """

    tol: float
    rounds: int = 0
    checkpoint: float = float("inf")
    stuck: bool = False

    def going(self, frontier: dict[str, float]) -> bool:
        mass = sum(abs(q) for q in frontier.values())
        if mass <= self.tol:
            return False
        self.rounds += 1
        if self.rounds % 64 == 0:
            if mass > (1.0 - 1e-6) * self.checkpoint:
                self.stuck = True
            self.checkpoint = mass
        if self.rounds > MAX_ROUNDS:
            self.stuck = True
        return not self.stuck


# --- backward propagation ----------------------------------------------------------------


@dataclass(slots=True)
class _Sources:
    """Ultimate sources of a backward trace, before naming and rounding."""

    donors: pl.DataFrame  # d (the row number), donor_key, amount (float)
    #: The donor side whose edges the donors come from, and the committees whose receipts
    #: from donors the traced money reaches (their edges label the donors: `labels_for`).
    side: DonorSide | None = None
    reached: list[str] = field(default_factory=list)
    selfs: dict[str, float] = field(default_factory=dict)  # committees with no receipts
    own: dict[str, float] = field(default_factory=dict)  # own funds, by committee
    untraced: float = 0.0
    #: committee -> the part of its receipts from donors that the traced money reaches
    factors: dict[str, float] = field(default_factory=dict)

    @property
    def labels(self) -> pl.DataFrame:
        """d, donor_key, name, state, kind of every donor (row ``d``): all of them read, for
        figures over every donor; a trace labels only the donors it lists."""
        keys = self.donors.select("d", "donor_key")
        if self.side is None or keys.height == 0:
            return keys.with_columns(
                pl.lit(None, pl.String()).alias(c) for c in ("name", "state", "kind")
            )
        found = self.side.labels_for(keys.get_column("donor_key").to_list(), self.reached)
        return keys.join(found, on="donor_key", how="left", maintain_order="left")

    @property
    def unattributed(self) -> float:
        """Money with no recorded source: own funds plus committees with no receipt rows."""
        return sum(self.selfs.values()) + sum(self.own.values())

    def total(self) -> float:
        """Everything traced: donors plus unattributed money."""
        return float(self.donors.get_column("amount").sum()) + self.unattributed


@dataclass(frozen=True, slots=True)
class _Graphs:
    """The graphs a trace under `filters` walks.

    ``hops`` is built with the hop filters only (dates, memo), so every committee's shares are
    its whole receipts'; ``donors`` is built with every filter and supplies the gifts of the
    donors the donor-side filters select. Without donor-side filters both are the same graph.
    """

    hops: FlowGraph
    donors: FlowGraph
    filters: Filters

    @property
    def filtered(self) -> bool:
        """True when a donor-side filter selects among the ultimate sources."""
        return self.donors is not self.hops


def _graphs(ds: Dataset, filters: Filters) -> _Graphs:
    if not filters.donor_side:
        g = flow_graph(ds, filters)
        return _Graphs(g, g, filters)
    return _Graphs(flow_graph(ds, filters.hops()), flow_graph(ds, filters), filters)


@dataclass(slots=True)
class _Match:
    """For a donor-filtered trace: the share of each committee's money from matching sources.

    ``per_dollar[c]`` is the part of each dollar ``c`` pays that traces to a source matching
    the donor-side filters (the same pro-rata shares as the trace, solved round by round);
    ``receipts[c]`` is the part of ``c``'s net receipts that does.
    """

    per_dollar: dict[str, float]
    receipts: dict[str, float]


def _match(gs: _Graphs) -> _Match:
    """The donor-match shares of `gs`, solved once per pair of graphs (every trace over the
    same filters reuses them: the graphs are cached, and neither changes once built)."""
    g, dg = gs.hops, gs.donors
    key = ("match", id(dg))
    hit = g.derived.get(key)
    if isinstance(hit, tuple) and hit[0] is dg:
        found: _Match = hit[1]
        return found
    solved = _solve_match(g, dg)
    g.derived[key] = (dg, solved)
    return solved


def _solve_match(g: FlowGraph, dg: FlowGraph) -> _Match:
    direct = dg.donors.totals()
    dens = {c: d for c in g.receipts if (d := g.denominator(c)) is not None}
    m: dict[str, float] = {c: direct.get(c, 0.0) / d for c, d in dens.items()}
    for _ in range(MAX_ROUNDS):
        change = 0.0
        nxt: dict[str, float] = {}
        for c, d in dens.items():
            v = direct.get(c, 0.0) + sum(
                cents * m.get(src, 0.0) for src, cents in g.in_committees.get(c, ())
            )
            nxt[c] = v / d
            change = max(change, abs(nxt[c] - m[c]))
        m = nxt
        if change <= TOLERANCE:
            break
    receipts = {c: m[c] * d for c, d in dens.items()}
    return _Match(per_dollar=m, receipts=receipts)


def _back(
    gs: _Graphs,
    receipt_roots: Iterable[str],
    payer_seed: dict[str, float],
    direct_donors: dict[str, float],
    scale: float,
) -> _Sources:
    """Trace receipts of `receipt_roots` (split exactly) plus payer money in `payer_seed`.

    Shares come from the hop graph; the donors reached are the donor graph's (only those the
    donor-side filters select), and a donor-filtered trace lists no unattributed money (it
    matches no donor filter).
    """
    out = _reach(gs, receipt_roots, payer_seed, scale)
    donors = _expand_donors(gs.donors, out.factors)
    if direct_donors:
        # Donors paying directly count when rows name them (a label), as every edge's donor.
        labels = gs.donors.donors.ensure_labels(list(direct_donors)).labels
        named = set(labels.filter(pl.col("donor_key").is_in(list(direct_donors)))["donor_key"])
        direct = pl.DataFrame(
            {
                "donor_key": [k for k in direct_donors if k in named],
                "amount": [v for k, v in direct_donors.items() if k in named],
            },
            schema={"donor_key": pl.String(), "amount": pl.Float64()},
        )
        donors = pl.concat([donors, direct]).group_by("donor_key").agg(pl.col("amount").sum())
    out.donors = donors.with_row_index("d")
    out.side = gs.donors.donors
    return out


def _reach(
    gs: _Graphs, receipt_roots: Iterable[str], payer_seed: dict[str, float], scale: float
) -> _Sources:
    """`_back` up to the donors: how much of each committee's receipts from donors the traced
    money reaches (``factors``), and the unattributed money; no donor edge is read."""
    g = gs.hops
    donor_factor: dict[str, float] = defaultdict(float)
    frontier: dict[str, float] = defaultdict(float)
    for root in receipt_roots:
        donor_factor[root] += 1.0
        for src, cents in g.in_committees.get(root, ()):
            frontier[src] += cents
    for c, q in payer_seed.items():
        frontier[c] += q
    acc: dict[str, float] = defaultdict(float)
    upstream = g.upstream
    tol = TOLERANCE * max(abs(scale), 1.0)
    watch = _Convergence(tol)
    while watch.going(frontier):
        nxt: dict[str, float] = defaultdict(float)
        for c, q in frontier.items():
            acc[c] += q
            for src, w in upstream.get(c, ()):
                nxt[src] += q * w
        frontier = nxt
    out = _Sources(donors=_empty_donors())
    # Still in flight: each committee's own split is settled. What it would pass further up is
    # below tolerance (dropped: the shares are renormalised over what was traced), unless a
    # closed cycle kept it circulating for MAX_ROUNDS: then it is that committee's own funds.
    for c, q in frontier.items():
        acc[c] += q
        den = g.denominator(c)
        if den is None or not watch.stuck:
            continue
        up = sum(cents for _, cents in g.in_committees.get(c, ())) * q / den
        if up:
            out.own[c] = out.own.get(c, 0.0) + up
            out.untraced += up
    for c, q in acc.items():
        if not q:
            continue
        if c not in g.receipts:
            out.selfs[c] = out.selfs.get(c, 0.0) + q
            continue
        den = g.denominator(c)
        if den is None:
            out.own[c] = out.own.get(c, 0.0) + q
            continue
        own = q * (1.0 - g.receipts[c] / den)
        if own:
            out.own[c] = out.own.get(c, 0.0) + own
        donor_factor[c] += q / den
    if gs.filtered:
        out.selfs.clear()
        out.own.clear()
    out.factors = dict(donor_factor)
    out.reached = sorted(c for c, f in out.factors.items() if f)
    return out


def _empty_donors() -> pl.DataFrame:
    return pl.DataFrame(schema={"d": pl.UInt32(), "donor_key": pl.String(), "amount": pl.Float64()})


def _expand_donors(g: FlowGraph, factors: dict[str, float]) -> pl.DataFrame:
    """Σ over committees of factor × receipts from each donor, as (donor_key, amount).

    Many donor edges not loaded yet (`DonorSide.loads`): read the reached committees' keys and
    amounts only (`DonorSide.weighted`). Else load them (a graph built in memory has them
    all): weight them by number, then name the numbers.
    """
    if not g.donors.loads([c for c, f in factors.items() if f]):
        return g.donors.weighted(factors)
    state = g.donors.ensure(c for c, f in factors.items() if f)
    summed = _numbered_sums(state, g, factors)
    keys = state.labels.get_column("donor_key").gather(summed.get_column("d"))
    return summed.select(keys.alias("donor_key"), "amount")


def _numbered_sums(state: DonorState, g: FlowGraph, factors: dict[str, float]) -> pl.DataFrame:
    """`_expand_donors` over loaded edges, as (d, amount).

    Few committees: gather their row ranges of the loaded edges. Many: weight every edge of
    the donor-major copy at once (one gather of factors), then sum over the sorted ``d``.
    """
    spans = [(state.ranges[c], f) for c, f in factors.items() if f and c in state.ranges]
    if not spans:
        return pl.DataFrame(schema={"d": pl.UInt32(), "amount": pl.Float64()})
    if len(spans) == 1:
        # One committee: its edges name each donor once, so no grouping is needed.
        (start, n), f = spans[0]
        one = state.edges.slice(start, n)
        return one.select("d", (pl.col("amount_cents") * f).alias("amount"))
    reached = sum(span[1] for span, _ in spans)
    if reached * 4 > state.edges.height:
        major, index = g.donors.major(state)
        dense = [0.0] * len(index)
        for c, f in factors.items():
            i = index.get(c)
            if i is not None:
                dense[i] += f
        weights = pl.Series("w", dense, dtype=pl.Float64()).gather(major.get_column("ci"))
        summed = (
            major.select("d", (pl.col("amount_cents") * weights).alias("amount"))
            .filter(pl.col("amount") != 0)
            .group_by("d", maintain_order=True)
            .agg(pl.col("amount").sum())
        )
        return summed
    sel = (
        pl.DataFrame(
            {
                "start": [span[0] for span, _ in spans],
                "n": [span[1] for span, _ in spans],
                "f": [f for _, f in spans],
            },
            schema={"start": pl.Int64(), "n": pl.Int64(), "f": pl.Float64()},
        )
        .select(idx=pl.int_ranges("start", pl.col("start") + pl.col("n")), f="f")
        .explode("idx")
    )
    idx = sel.get_column("idx")
    part = state.edges.select(
        pl.col("d").gather(idx),
        (pl.col("amount_cents").gather(idx) * sel.get_column("f")).alias("amount"),
    )
    return part.group_by("d").agg(pl.col("amount").sum())


def _labelled(donors: pl.DataFrame, labels: pl.DataFrame) -> pl.DataFrame:
    """`donors` (d, ...) with the label columns of each ``d`` (its row in `labels`)."""
    picked = labels.drop("d").select(pl.all().gather(donors.get_column("d")))
    return pl.concat([donors, picked], how="horizontal")


def _source_entries(
    g: FlowGraph, src: _Sources, total_cents: int, limit: int | None
) -> tuple[list[FlowEntry], int]:
    """Named, rounded source entries (largest first, rest grouped) and how many there were."""
    donors = src.donors.filter(pl.col("amount").abs() >= MIN_AMOUNT)
    # Ties at the limit go to the first donor keys, so the listing never depends on how
    # donors were read. Only the listed donors are labelled.
    keep = donors
    if limit is not None and donors.height > limit:
        size = pl.col("amount").abs()
        keep = donors.filter(size >= donors.select(size.top_k(limit).min()).item())
    if limit is not None:
        keep = largest(keep, limit, "amount")
    labels = g.donors.labels_for(keep.get_column("donor_key").to_list(), src.reached)
    keep = keep.join(labels, on="donor_key", how="left", maintain_order="left")
    raw: list[tuple[str, str, str, float, str | None]] = []  # kind, id, name, amount, state
    for key, amount, name, state, kind in keep.select(
        "donor_key", "amount", "name", "state", "kind"
    ).iter_rows():
        raw.append((kind or "individual", key, name or key, amount, state))
    # Unattributed money has no state: it is never inside or outside by a committee's address.
    for c, amount in src.selfs.items():
        name = f"Unattributed (no recorded receipts: {g.committee_name(c)})"
        raw.append((OWN_FUNDS, c, name, amount, None))
    for c, amount in src.own.items():
        name = f"Unattributed (own funds of {g.committee_name(c)})"
        raw.append((OWN_FUNDS, c, name, amount, None))
    raw = [r for r in raw if abs(r[3]) >= MIN_AMOUNT]
    raw.sort(key=lambda r: (-abs(r[3]), r[0], r[1]))
    count = donors.height + len(raw) - keep.height
    rest_amount = float(donors.get_column("amount").sum()) - float(keep.get_column("amount").sum())
    if limit is not None and len(raw) > limit:
        rest_amount += sum(r[3] for r in raw[limit:])
        raw = raw[:limit]
    rest_n = count - len(raw)
    if rest_n > 0:
        raw.append(("other", "", f"{rest_n:,} other sources", rest_amount, None))
    return _entries(raw, total_cents), count


def _entries(
    raw: list[tuple[str, str, str, float, str | None]], total_cents: int
) -> list[FlowEntry]:
    amounts = [r[3] for r in raw]
    denom = sum(amounts)
    cents = apportion(amounts, total_cents)
    return [
        FlowEntry(
            name=r[2],
            kind=r[0],
            id=r[1],
            amount_cents=c,
            share=(r[3] / denom) if denom else 0.0,
            state=r[4],
        )
        for r, c in zip(raw, cents, strict=True)
    ]


# --- tree and paths ------------------------------------------------------------------------

#: A child in the flow tree or a path: (kind, id, name, note, amount, expand-mode or None).
_Child = tuple[str, str, str, str, float, str | None]


def _donor_child(g: FlowGraph, key: str, amount: float) -> _Child:
    info = g.donor(key)
    return (info.kind, key, info.name, "", amount, None)


def _back_children(g: FlowGraph, c: str, mode: str, q: float) -> list[_Child]:
    """Children of committee `c` holding `q` in a backward tree ("receipts" or "payer" mode)."""
    if c not in g.receipts:
        return []
    den = g.denominator(c)
    if mode == "payer" and den is None:
        return [(OWN_FUNDS, c, "Unattributed (own funds)", "", q, None)]
    r = g.receipts[c]
    f = 1.0 if mode == "receipts" else q / den  # type: ignore[operator]
    out: list[_Child] = []
    for kind, key, cents in g.top_sources(c):
        if kind == "committee":
            out.append(("committee", key, g.committee_name(key), "", cents * f, "payer"))
        else:
            out.append(_donor_child(g, key, cents * f))
    shown = sum(ch[4] for ch in out)
    rest = r * f - shown
    if abs(rest) >= 0.005:
        n = g.n_sources(c) - len(out)
        out.append(("other", c, f"{n:,} other sources", "", rest, None))
    if mode == "payer":
        own = q - r * f
        if abs(own) >= 0.005:
            out.append((OWN_FUNDS, c, "Unattributed (own funds)", "", own, None))
    out.sort(key=lambda ch: -abs(ch[4]))
    return out


def _matched_children(gs: _Graphs, m: _Match, c: str, mode: str, q: float) -> list[_Child]:
    """Like `_back_children` when `q` is the money of matching sources only.

    `c`'s whole money on this branch is ``q / per_dollar[c]``; its committee sources carry
    their own matching share, its donors are the donor graph's (matching ones only).
    """
    g, dg = gs.hops, gs.donors
    den = g.denominator(c)
    if den is None:
        return []
    if mode == "receipts":
        f = 1.0
    else:
        per = m.per_dollar.get(c, 0.0)
        if not per:
            return []
        f = q / per / den
    out: list[_Child] = []
    for kind, key, cents in g.top_sources(c):
        if kind == "committee":
            amount = cents * f * m.per_dollar.get(key, 0.0)
            out.append(("committee", key, g.committee_name(key), "", amount, "payer"))
    for kind, key, cents in dg.top_sources(c):
        if kind == "donor":
            out.append(_donor_child(dg, key, cents * f))
    out = [ch for ch in out if abs(ch[4]) >= MIN_AMOUNT]
    out.sort(key=lambda ch: -abs(ch[4]))
    del out[TOP_EDGES:]
    rest = m.receipts.get(c, 0.0) * f - sum(ch[4] for ch in out)
    if abs(rest) >= 0.005:
        out.append(("other", c, "other matching sources", "", rest, None))
    out.sort(key=lambda ch: -abs(ch[4]))
    return out


def _dest_name(g: FlowGraph, dest: DestKey, payer: str | None) -> tuple[str, str, str]:
    """(kind, id, name) of a destination leaving the committee graph."""
    kind, cand, so = dest
    if kind == DEST_IE:
        word = SUPPORT_WORDS.get(so or "", "independent expenditures on")
        if cand is None:
            return DEST_IE, f"?|{so or ''}", f"independent expenditures {word} (no candidate)"
        info = g.candidates.get(cand)
        who = info.name if info else cand
        race = g.races.get(info.race_id) if info and info.race_id else None
        where = f" ({race.name})" if race else ""
        return DEST_IE, f"{cand}|{so or ''}", f"{word.capitalize()} {who}{where}"
    if payer is None:
        return DEST_EXPENDITURE, "", "Spent directly"
    return _kept_by(g, payer, "spent")


def _kept_by(g: FlowGraph, c: str, verb: str) -> tuple[str, str, str]:
    """Money that stayed with committee `c` (spent or held): a candidate's, or `c`'s own."""
    info = g.committees.get(c)
    cand = g.candidates.get(info.candidate_id) if info and info.candidate_id else None
    if info is not None and info.candidate_id and cand is not None:
        race = g.races.get(cand.race_id) if cand.race_id else None
        where = f" ({race.name})" if race else ""
        return "candidate", info.candidate_id, f"{cand.name}{where}"
    kind = "expenditure" if verb == "spent" else "held"
    return kind, c, f"{verb.capitalize()} by {g.committee_name(c)}"


def _fwd_children(g: FlowGraph, c: str, q: float) -> list[_Child]:
    """Children of committee `c` holding `q` of the donor's money in a forward tree."""
    den = g.denominator(c)
    if den is None:
        kind, key, name = _kept_by(g, c, "held")
        return [(kind, key, name, "", q, None)]
    f = q / den
    out: list[_Child] = []
    for _kind, target, cents in g.top_outflows.get(c, ()):
        if isinstance(target, str):
            out.append(("committee", target, g.committee_name(target), "", cents * f, "forward"))
        else:
            dk, did, dname = _dest_name(g, target, c)
            out.append((dk, did, dname, "", cents * f, None))
    paid = g.payments.get(c, 0) * f
    rest = paid - sum(ch[4] for ch in out)
    if abs(rest) >= 0.005:
        out.append(("other", c, "other payments", "", rest, None))
    held = q - paid
    if abs(held) >= 0.005:
        kind, key, name = _kept_by(g, c, "held")
        out.append((kind, key, name, "", held, None))
    out.sort(key=lambda ch: -abs(ch[4]))
    return out


Expander = Callable[[str, str, float], list[_Child]]


def _expander(g: FlowGraph) -> Expander:
    def expand(c: str, mode: str, q: float) -> list[_Child]:
        if mode == "forward":
            return _fwd_children(g, c, q)
        return _back_children(g, c, mode, q)

    return expand


def _back_expander(gs: _Graphs, m: _Match | None) -> Expander:
    """The backward tree's expander: every source, or only matching ones when filtered."""
    if m is None:
        return _expander(gs.hops)

    def expand(c: str, mode: str, q: float) -> list[_Child]:
        return _matched_children(gs, m, c, mode, q)

    return expand


@dataclass(slots=True)
class _Build:
    kind: str
    id: str
    name: str
    note: str
    amount: float
    children: list[_Build] = field(default_factory=list)


def _tree(
    root: _Build,
    first: list[_Child],
    expand: Expander,
    total: float,
    total_cents: int,
    root_committees: frozenset[str] = frozenset(),
) -> FlowNode:
    """Breadth-first flow tree under `root`, bounded by depth, children per node and size."""
    queue: deque[tuple[_Build, list[_Child], int, frozenset[str]]] = deque(
        [(root, first, 1, root_committees)]
    )
    budget = TREE_NODES
    while queue:
        node, kids, depth, seen = queue.popleft()
        kids = [k for k in kids if abs(k[4]) >= 0.005]
        if len(kids) > TREE_CHILDREN:
            head, tail = kids[: TREE_CHILDREN - 1], kids[TREE_CHILDREN - 1 :]
            kids = [*head, ("other", "", f"{len(tail):,} more", "", sum(k[4] for k in tail), None)]
        for kind, key, name, note, amount, mode in kids:
            if budget <= 0:
                node.note = node.note or "more not shown"
                break
            budget -= 1
            child = _Build(kind, key, name, note, amount)
            node.children.append(child)
            if mode is None:
                if kind == "committee" and not child.note:
                    child.note = "unattributed: no recorded receipts"
                continue
            if key in seen:
                child.note = "cycle: funded again by a committee above"
                continue
            if depth >= TREE_DEPTH:
                child.note = "deeper levels not shown"
                continue
            sub = expand(key, mode, amount)
            if not sub and mode != "forward":
                child.note = "unattributed: no recorded receipts"
                continue
            queue.append((child, sub, depth + 1, seen | {key}))
    return _freeze(root, total_cents, total)


def _freeze(node: _Build, cents: int, total: float) -> FlowNode:
    kids: tuple[FlowNode, ...] = ()
    if node.children:
        amounts = [ch.amount for ch in node.children]
        whole = sum(amounts)
        # Children that account for all of the parent share its rounded cents exactly.
        target = cents if abs(whole - node.amount) < 0.5 else round(whole)
        parts = apportion(amounts, target)
        kids = tuple(_freeze(ch, c, total) for ch, c in zip(node.children, parts, strict=True))
    return FlowNode(
        kind=node.kind,
        id=node.id,
        name=node.name,
        amount_cents=cents,
        share=(node.amount / total) if total else 0.0,
        children=kids,
        note=node.note,
    )


def _paths(
    root: PathStep,
    first: list[_Child],
    expand: Expander,
    total: float,
    *,
    backward: bool,
    root_committees: frozenset[str] = frozenset(),
) -> tuple[FlowPath, ...]:
    """The largest complete paths, best-first (amounts only shrink along a path)."""
    tie = itertools.count()
    heap: list[tuple[float, int, tuple[PathStep, ...], str | None, float, frozenset[str]]] = []

    def push(prefix: tuple[PathStep, ...], kids: list[_Child], seen: frozenset[str]) -> None:
        for kind, key, name, _note, amount, mode in kids:
            if abs(amount) < 0.005 or kind == "other":
                continue
            if mode is not None and key in seen:
                continue  # a cycle back to a committee already on the path
            step = PathStep(kind, key, name)
            heapq.heappush(
                heap, (-abs(amount), next(tie), (*prefix, step), mode, amount, seen | {key})
            )

    push((root,), first, root_committees)
    found: list[FlowPath] = []
    pops = 0
    while heap and len(found) < PATH_COUNT and pops < 20_000:
        pops += 1
        _, _, steps, mode, amount, seen = heapq.heappop(heap)
        kids = expand(steps[-1].id, mode, amount) if mode is not None else []
        if not kids:
            ordered = tuple(reversed(steps)) if backward else steps
            found.append(FlowPath(ordered, round(amount), (amount / total) if total else 0.0))
            continue
        push(steps, kids, seen)
    return tuple(found)


# --- public API ----------------------------------------------------------------------------


def _ultimate_outside(
    gs: _Graphs, src: _Sources, direct_donors: dict[str, float], state: str | None
) -> tuple[float | None, float]:
    """(ultimate out-of-state share, unattributed share) of traced sources (docs/figures.md).

    The out-of-state share is over donors whose state is known; unattributed money is in
    neither part and is reported as its own share of everything traced. Each donor's state is
    the one on its edge into the committee reached (`trace_graph.DonorSide.state_sums`), so
    the figure needs each reached committee's receipts by state, not every donor.
    """
    by_state = _donor_states(gs, src.factors, direct_donors)
    everything = sum(by_state.values()) + src.unattributed
    unattributed = src.unattributed / everything if everything else 0.0
    home = (state or "").upper() or None
    if home is None or not by_state:
        return None, unattributed
    known = sum(amount for st, amount in by_state.items() if st is not None)
    if known <= 0:
        return None, unattributed
    outside = sum(
        amount for st, amount in by_state.items() if st is not None and st.upper() != home
    )
    return outside / known, unattributed


def _donor_states(
    gs: _Graphs, factors: dict[str, float], direct_donors: dict[str, float]
) -> dict[str | None, float]:
    """The traced money from donors by donor state: each reached committee's receipts from
    donors by state times its factor, plus the donors paid directly (by their label's state;
    a donor no row names is left out, as in `_back`)."""
    reached = [c for c, f in factors.items() if f]
    by_state: dict[str | None, float] = defaultdict(float)
    for c, sums in gs.donors.donors.state_sums(reached).items():
        f = factors[c]
        for st, cents in sums:
            by_state[st] += cents * f
    if direct_donors:
        labels = gs.donors.donors.ensure_labels(list(direct_donors)).labels
        named = labels.filter(pl.col("donor_key").is_in(list(direct_donors)))
        for key, st in named.select("donor_key", "state").iter_rows():
            by_state[st] += direct_donors[key]
    return dict(by_state)


def _shown(gs: _Graphs, src: _Sources, whole_cents: int) -> tuple[int, float | None, str | None]:
    """(total traced, share of the whole shown, filter note) for a trace's header."""
    if not gs.filtered:
        return whole_cents, None, None
    matched = round(src.total())
    note = "; ".join(gs.filters.describe_donor_side())
    return matched, shown_share_of(matched, whole_cents), note


def trace_committee(
    ds: Dataset, filters: Filters, committee_id: str, *, limit: int | None = DEFAULT_LIMIT
) -> TraceResult:
    """Where committee `committee_id`'s net receipts ultimately came from.

    Donor-side filters select which ultimate sources are counted (docs/figures.md): the
    total is then the matching sources' part of the receipts, and ``shown_share`` says how much
    of the whole that is.

    Raises:
        TraceError: the committee is not in the dataset.
    """
    gs = _graphs(ds, filters)
    g = gs.hops
    if committee_id not in g.committees and committee_id not in g.receipts:
        raise TraceError(f"no committee with id {committee_id!r}")
    whole_cents = g.receipts.get(committee_id, 0)
    src = _back(gs, [committee_id], {}, {}, float(whole_cents))
    total_cents, shown_share, note = _shown(gs, src, whole_cents)
    entries, count = _source_entries(g, src, total_cents, limit)
    match = _match(gs) if gs.filtered else None
    expand = _back_expander(gs, match)
    name = g.committee_name(committee_id)
    first = expand(committee_id, "receipts", float(whole_cents))
    roots = frozenset({committee_id})
    tree = _tree(
        _Build("committee", committee_id, name, "", float(total_cents)),
        first,
        expand,
        float(total_cents),
        total_cents,
        roots,
    )
    paths = _paths(
        PathStep("committee", committee_id, name),
        first,
        expand,
        float(total_cents),
        backward=True,
        root_committees=roots,
    )
    info = g.committees.get(committee_id)
    home = info.state if info is not None else None
    outside, unattributed = _ultimate_outside(gs, src, {}, home)
    return TraceResult(
        entity="committee",
        entity_id=committee_id,
        name=name,
        direction="sources",
        total_cents=total_cents,
        entries=tuple(entries),
        entry_count=count,
        paths=paths,
        tree=tree,
        untraced_share=(src.untraced / total_cents) if total_cents else 0.0,
        home_state=home,
        outside_share=outside,
        unattributed_share=unattributed,
        filter_note=note,
        filter_labels=tuple(gs.filters.describe()),
        shown_share=shown_share,
    )


def candidate_race(ds: Dataset, candidate_id: str) -> str | None:
    """The race candidate `candidate_id` ran in (None when unknown): tracing a candidate means
    tracing their race."""
    races = (
        ds.candidates.filter(pl.col("candidate_id") == candidate_id)
        .select("race_id")
        .drop_nulls()
        .head(1)
        .collect()
    )
    return str(races.item()) if races.height else None


@dataclass(slots=True)
class _Contest:
    """The money into a race or around one candidate, ready to trace."""

    committees: list[str]
    payer_seed: dict[str, float]
    direct: dict[str, float]
    whole_cents: int
    first: list[_Child]


def _contest(gs: _Graphs, race_id: str, candidate_id: str | None, m: _Match | None) -> _Contest:
    """Its candidates' own committees' receipts plus the IEs on them (one candidate's if given).

    IEs paid by committees are traced with the payer's mix; IEs paid directly by a donor are
    that donor's (the donor graph's, so a donor filter selects them like any gift).
    """
    g = gs.hops
    own = [
        c
        for c in g.race_committees.get(race_id, [])
        if candidate_id is None or g.committees[c].candidate_id == candidate_id
    ]
    payer_seed: dict[str, float] = defaultdict(float)
    direct: dict[str, float] = defaultdict(float)
    whole: int = sum(g.receipts.get(c, 0) for c in own)
    first: list[_Child] = []
    for c in own:
        if c in g.receipts:
            cand = g.candidates.get(g.committees[c].candidate_id or "")
            note = f"{cand.name}'s committee" if cand else ""
            amount = float(g.receipts[c]) if m is None else m.receipts.get(c, 0.0)
            first.append(("committee", c, g.committee_name(c), note, amount, "receipts"))
    ie_groups: dict[tuple[str, str, str | None, str], float] = defaultdict(float)
    for cand_id, payer_kind, payer, so, cents in g.race_ies.get(race_id, []):
        if candidate_id is not None and cand_id != candidate_id:
            continue
        whole += cents
        if payer_kind == "committee":
            payer_seed[payer] += cents
            weight = 1.0 if m is None else m.per_dollar.get(payer, 0.0)
            ie_groups[(payer_kind, payer, so, cand_id)] += cents * weight
    for cand_id, payer_kind, payer, so, cents in gs.donors.race_ies.get(race_id, []):
        if payer_kind == "committee" or (candidate_id is not None and cand_id != candidate_id):
            continue
        direct[payer] += cents
        ie_groups[(payer_kind, payer, so, cand_id)] += cents
    for (payer_kind, payer, so, cand_id), amount in ie_groups.items():
        cand = g.candidates.get(cand_id)
        note = f"{IE_NOTE_PREFIX}{SUPPORT_WORDS.get(so or '', 'on')} " + (
            cand.name if cand else cand_id
        )
        if payer_kind == "committee":
            first.append(("committee", payer, g.committee_name(payer), note, amount, "payer"))
        else:
            kind, key, name, _, _, _ = _donor_child(gs.donors, payer, amount)
            first.append((kind, key, name, note, amount, None))
    first.sort(key=lambda ch: -abs(ch[4]))
    return _Contest(own, dict(payer_seed), dict(direct), whole, first)


def trace_race(
    ds: Dataset, filters: Filters, race_id: str, *, limit: int | None = DEFAULT_LIMIT
) -> TraceResult:
    """Where the money into race `race_id` ultimately came from.

    The race's money is its candidates' own committees' net receipts plus the independent
    expenditures supporting or opposing its candidates, each part traced the same way.
    Donor-side filters select the ultimate sources counted, as for `trace_committee`.

    Raises:
        TraceError: the race is not in the dataset.
    """
    gs = _graphs(ds, filters)
    g = gs.hops
    race = g.races.get(race_id)
    if race is None:
        raise TraceError(f"no race with id {race_id!r}")
    match = _match(gs) if gs.filtered else None
    contest = _contest(gs, race_id, None, match)
    src = _back(
        gs, contest.committees, contest.payer_seed, contest.direct, float(contest.whole_cents)
    )
    total_cents, shown_share, note = _shown(gs, src, contest.whole_cents)
    entries, count = _source_entries(g, src, total_cents, limit)
    expand = _back_expander(gs, match)
    tree = _tree(
        _Build("race", race_id, race.name, "", float(total_cents)),
        contest.first,
        expand,
        float(total_cents),
        total_cents,
    )
    paths = _paths(
        PathStep("race", race_id, race.name),
        contest.first,
        expand,
        float(total_cents),
        backward=True,
    )
    outside, unattributed = _ultimate_outside(gs, src, contest.direct, race.state)
    context = _race_context(g, race_id, entries, outside, unattributed)
    return TraceResult(
        entity="race",
        entity_id=race_id,
        name=race.name,
        direction="sources",
        total_cents=total_cents,
        entries=tuple(entries),
        entry_count=count,
        paths=paths,
        tree=tree,
        race_context=context,
        untraced_share=(src.untraced / total_cents) if total_cents else 0.0,
        home_state=race.state,
        outside_share=outside,
        unattributed_share=unattributed,
        filter_note=note,
        filter_labels=tuple(gs.filters.describe()),
        shown_share=shown_share,
    )


def ultimate_outside(
    ds: Dataset, filters: Filters, entity: str, entity_id: str
) -> tuple[str | None, float | None, float]:
    """(home state, ultimate out-of-state share, unattributed share) of an entity's money.

    A committee's receipts; a race's money (its candidates' receipts and the IEs on them); a
    candidate's (its committees' receipts and the IEs naming it), traced to ultimate sources
    without building a tree. The same figures a trace of the entity reports.

    Raises:
        TraceError: the entity is not in the dataset.
    """
    gs = _graphs(ds, filters)
    g = gs.hops
    if entity == "committee":
        info = g.committees.get(entity_id)
        if info is None and entity_id not in g.receipts:
            raise TraceError(f"no committee with id {entity_id!r}")
        home = info.state if info is not None else None
        src = _reach(gs, [entity_id], {}, float(g.receipts.get(entity_id, 0)))
        return (home, *_ultimate_outside(gs, src, {}, home))
    race_id = entity_id if entity == "race" else candidate_race(ds, entity_id)
    race = g.races.get(race_id or "")
    if race is None or race_id is None:
        if entity == "race":
            raise TraceError(f"no race with id {entity_id!r}")
        return None, None, 0.0
    contest = _contest(gs, race_id, None if entity == "race" else entity_id, None)
    src = _reach(gs, contest.committees, contest.payer_seed, float(contest.whole_cents))
    return (race.state, *_ultimate_outside(gs, src, contest.direct, race.state))


def _race_context(
    g: FlowGraph,
    race_id: str,
    entries: list[FlowEntry],
    outside: float | None,
    unattributed: float,
) -> RaceContext:
    race = g.races[race_id]
    # The largest source is a donor: never the grouped rest, never unattributed money.
    largest = next((e for e in entries if e.kind not in ("other", OWN_FUNDS)), None)
    mhi = race.median_household_income
    multiple = largest.amount_cents / (mhi * 100) if largest is not None and mhi else None
    return RaceContext(
        race_id=race_id,
        name=race.name,
        state=race.state,
        outside_share=outside,
        largest_source=largest,
        largest_share=largest.share if largest is not None else 0.0,
        median_household_income=mhi,
        income_multiple=multiple,
        unattributed_share=unattributed,
    )


def trace_donor_forward(
    ds: Dataset, filters: Filters, donor_key: str, *, limit: int | None = DEFAULT_LIMIT
) -> TraceResult:
    """Where donor `donor_key`'s money ended up, using the same pro-rata shares.

    Destinations: candidates (money that reached a candidate's own committee and stayed there,
    spent or held), independent expenditures supporting or opposing a candidate, other
    expenditures of non-candidate committees, and money still held by an intermediary.

    Donor-side filters select which of the donor's gifts are followed (an amount range, say);
    they never cut a hop further on (docs/figures.md): the committees' shares are those of the
    hop filters. ``shown_share`` is then the followed gifts over all the donor's gifts.

    Raises:
        TraceError: the donor has no counted rows under these filters.
    """
    gs = _graphs(ds, filters)
    g = gs.hops
    flows = gs.donors.donors.flows(donor_key)
    if flows.height == 0:
        raise TraceError(f"no donor with key {donor_key!r}")
    info = gs.donors.donor(donor_key)
    total_cents = int(flows.get_column("amount_cents").sum())
    shown: float | None = None
    note: str | None = None
    if gs.filtered:
        # The donor's gifts the donor-side filters select, over all its gifts (hop filters only).
        every = g.donors.flows(donor_key)
        shown = shown_share_of(total_cents, int(every.get_column("amount_cents").sum()))
        note = "; ".join(gs.filters.describe_donor_side())
    seed: dict[str, float] = defaultdict(float)
    dest: dict[tuple[str, str, str], float] = defaultdict(float)
    first: list[_Child] = []
    for _, kind, recipient, cand, so, cents in flows.iter_rows():
        if kind == "contribution" and recipient is not None:
            seed[recipient] += cents
            first.append(
                ("committee", recipient, g.committee_name(recipient), "", cents, "forward")
            )
        else:
            key = (DEST_IE, cand, so) if kind == DEST_IE else (DEST_EXPENDITURE, None, None)
            d = _dest_name(g, key, None)
            dest[d] += cents
            first.append((d[0], d[1], d[2], "", cents, None))
    untraced = _forward(g, seed, dest, float(total_cents))
    raw: list[tuple[str, str, str, float, str | None]] = [
        (kind, key, name, amount, None)
        for (kind, key, name), amount in dest.items()
        if abs(amount) >= MIN_AMOUNT
    ]
    raw.sort(key=lambda r: (-abs(r[3]), r[0], r[1]))
    count = len(raw)
    if limit is not None and len(raw) > limit:
        rest = sum(r[3] for r in raw[limit:])
        raw = [*raw[:limit], ("other", "", f"{count - limit:,} other destinations", rest, None)]
    entries = [_with_race(g, e) for e in _entries(raw, total_cents)]
    expand = _expander(g)
    first.sort(key=lambda ch: -abs(ch[4]))
    tree = _tree(
        _Build("donor", donor_key, info.name, "", float(total_cents)),
        first,
        expand,
        float(total_cents),
        total_cents,
    )
    paths = _paths(
        PathStep(info.kind, donor_key, info.name),
        first,
        expand,
        float(total_cents),
        backward=False,
    )
    return TraceResult(
        entity="donor",
        entity_id=donor_key,
        name=info.name,
        direction="destinations",
        total_cents=total_cents,
        entries=tuple(entries),
        entry_count=count,
        paths=paths,
        tree=tree,
        untraced_share=(untraced / total_cents) if total_cents else 0.0,
        filter_note=note,
        shown_share=shown,
        filter_labels=tuple(gs.filters.describe()),
    )


def _forward(
    g: FlowGraph,
    seed: dict[str, float],
    dest: dict[tuple[str, str, str], float],
    scale: float,
) -> float:
    """Push the donor's money through the committees into `dest`; returns the untraced part."""
    frontier = dict(seed)
    tol = TOLERANCE * max(abs(scale), 1.0)
    watch = _Convergence(tol)
    while watch.going(frontier):
        nxt: dict[str, float] = defaultdict(float)
        for c, q in frontier.items():
            den = g.denominator(c)
            if den is None:
                dest[_kept_by(g, c, "held")] += q
                continue
            f = q / den
            for r, cents in g.out_committees.get(c, ()):
                nxt[r] += cents * f
            for key, cents in g.terminal.get(c, ()):
                dest[_dest_name(g, key, c)] += cents * f
            held = q - g.payments.get(c, 0) * f
            if held:
                dest[_kept_by(g, c, "held")] += held
        frontier = nxt
    untraced = 0.0
    for c, q in frontier.items():
        # Below tolerance, or a closed cycle: the money stays with the committee holding it.
        dest[_kept_by(g, c, "held")] += q
        if watch.stuck:
            untraced += q
    return untraced


def _with_race(g: FlowGraph, entry: FlowEntry) -> FlowEntry:
    """Fill race, candidate and support/oppose on a destination entry."""
    cand_id: str | None = None
    so: str | None = None
    if entry.kind == DEST_IE:
        cand_part, _, so_part = entry.id.partition("|")
        cand_id = None if cand_part == "?" else cand_part
        so = so_part or None
    elif entry.kind == "candidate":
        cand_id, so = entry.id, "S"
    cand = g.candidates.get(cand_id) if cand_id else None
    return FlowEntry(
        name=entry.name,
        kind=entry.kind,
        id=entry.id,
        amount_cents=entry.amount_cents,
        share=entry.share,
        state=entry.state,
        race_id=cand.race_id if cand else None,
        candidate_id=cand_id,
        support_oppose=so,
    )


def race_context(ds: Dataset, filters: Filters, race_id: str) -> RaceContext:
    """How race `race_id`'s money compares with where it was run (the trace's context line).

    Raises:
        TraceError: the race is not in the dataset.
    """
    context = trace_race(ds, filters, race_id).race_context
    assert context is not None  # a race trace always carries it
    return context


def tree_frame(result: TraceResult) -> pl.DataFrame:
    """The flow tree as rows, depth first as the flow view shows it: one row per node with its
    depth (0 = the traced entity), its path of names from the root (`` › ``), and its figures."""
    rows: list[tuple[object, ...]] = []
    stack: list[tuple[FlowNode, int, str]] = [(result.tree, 0, "")]
    while stack:
        node, depth, above = stack.pop()
        path = f"{above} › {node.name}" if above else node.name
        rows.append(
            (depth, path, node.kind, node.id, node.name, node.amount_cents, node.share, node.note)
        )
        stack.extend((child, depth + 1, path) for child in reversed(node.children))
    schema = {
        "depth": pl.Int32(),
        "path": pl.String(),
        "kind": pl.String(),
        "id": pl.String(),
        "name": pl.String(),
        "amount_cents": pl.Int64(),
        "share": pl.Float64(),
        "note": pl.String(),
    }
    return pl.DataFrame(rows, schema=schema, orient="row")
