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

All three functions use the cached committee graph of (dataset, filters) (`trace_graph`), so only
the first trace under new filters scans the transactions.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.query.trace_graph import (
    DEST_EXPENDITURE,
    DEST_IE,
    DestKey,
    FlowGraph,
    flow_graph,
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

    donors: pl.DataFrame  # d (row of FlowGraph.donor_labels), amount (float)
    selfs: dict[str, float] = field(default_factory=dict)  # committees with no receipts
    own: dict[str, float] = field(default_factory=dict)  # own funds, by committee
    untraced: float = 0.0


def _back(
    g: FlowGraph,
    receipt_roots: Iterable[str],
    payer_seed: dict[str, float],
    direct_donors: dict[str, float],
    scale: float,
) -> _Sources:
    """Trace receipts of `receipt_roots` (split exactly) plus payer money in `payer_seed`."""
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
    donors = _expand_donors(g, donor_factor)
    if direct_donors:
        direct = (
            pl.DataFrame(
                {"donor_key": list(direct_donors), "amount": list(direct_donors.values())},
                schema={"donor_key": pl.String(), "amount": pl.Float64()},
            )
            .join(g.donor_labels.select("donor_key", "d"), on="donor_key")
            .select("d", "amount")
        )
        donors = pl.concat([donors, direct]).group_by("d").agg(pl.col("amount").sum())
    out.donors = donors
    return out


def _empty_donors() -> pl.DataFrame:
    return pl.DataFrame(schema={"d": pl.UInt32(), "amount": pl.Float64()})


def _expand_donors(g: FlowGraph, factors: dict[str, float]) -> pl.DataFrame:
    """Σ over committees of factor × receipts from each donor, as (d, amount).

    Few committees: gather their row ranges of `donor_edges`. Many: weight every edge of the
    donor-major copy at once (one gather of factors), then sum over the sorted ``d``.
    """
    spans = [(g.donor_ranges[c], f) for c, f in factors.items() if f and c in g.donor_ranges]
    if not spans:
        return _empty_donors()
    reached = sum(span[1] for span, _ in spans)
    if reached * 4 > g.donor_edges.height:
        dense = [0.0] * len(g.recipient_index)
        for c, f in factors.items():
            i = g.recipient_index.get(c)
            if i is not None:
                dense[i] += f
        weights = pl.Series("w", dense, dtype=pl.Float64()).gather(g.donor_major.get_column("ci"))
        return (
            g.donor_major.select("d", (pl.col("amount_cents") * weights).alias("amount"))
            .filter(pl.col("amount") != 0)
            .group_by("d", maintain_order=True)
            .agg(pl.col("amount").sum())
        )
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
    part = g.donor_edges.select(
        pl.col("d").gather(idx),
        (pl.col("amount_cents").gather(idx) * sel.get_column("f")).alias("amount"),
    )
    return part.group_by("d").agg(pl.col("amount").sum())


def _source_entries(
    g: FlowGraph, src: _Sources, total_cents: int, limit: int | None
) -> tuple[list[FlowEntry], int]:
    """Named, rounded source entries (largest first, rest grouped) and how many there were."""
    donors = src.donors.filter(pl.col("amount").abs() >= MIN_AMOUNT)
    keep = donors if limit is None else donors.top_k(limit, by=pl.col("amount").abs())
    named = keep.join(g.donor_labels, on="d", how="left")
    raw: list[tuple[str, str, str, float, str | None]] = []  # kind, id, name, amount, state
    for key, amount, name, state, kind in named.select(
        "donor_key", "amount", "name", "state", "kind"
    ).iter_rows():
        raw.append((kind or "individual", key, name or key, amount, state))
    for c, amount in src.selfs.items():
        raw.append(("committee", c, g.committee_name(c), amount, _committee_state(g, c)))
    for c, amount in src.own.items():
        name = f"Unattributed (own funds of {g.committee_name(c)})"
        raw.append((OWN_FUNDS, c, name, amount, _committee_state(g, c)))
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


def _committee_state(g: FlowGraph, c: str) -> str | None:
    info = g.committees.get(c)
    return info.state if info is not None else None


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
    for kind, key, cents in g.top_sources.get(c, ()):
        if kind == "committee":
            out.append(("committee", key, g.committee_name(key), "", cents * f, "payer"))
        else:
            out.append(_donor_child(g, key, cents * f))
    shown = sum(ch[4] for ch in out)
    rest = r * f - shown
    if abs(rest) >= 0.005:
        n = _n_sources(g, c) - len(out)
        out.append(("other", c, f"{n:,} other sources", "", rest, None))
    if mode == "payer":
        own = q - r * f
        if abs(own) >= 0.005:
            out.append((OWN_FUNDS, c, "Unattributed (own funds)", "", own, None))
    out.sort(key=lambda ch: -abs(ch[4]))
    return out


def _n_sources(g: FlowGraph, c: str) -> int:
    span = g.donor_ranges.get(c)
    return len(g.in_committees.get(c, ())) + (span[1] if span else 0)


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
                    child.note = "no recorded receipts: its own source"
                continue
            if key in seen:
                child.note = "cycle: funded again by a committee above"
                continue
            if depth >= TREE_DEPTH:
                child.note = "deeper levels not shown"
                continue
            sub = expand(key, mode, amount)
            if not sub and mode != "forward":
                child.note = "no recorded receipts: its own source"
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


def trace_committee(
    ds: Dataset, filters: Filters, committee_id: str, *, limit: int | None = DEFAULT_LIMIT
) -> TraceResult:
    """Where committee `committee_id`'s net receipts ultimately came from.

    Raises:
        TraceError: the committee is not in the dataset.
    """
    g = flow_graph(ds, filters)
    if committee_id not in g.committees and committee_id not in g.receipts:
        raise TraceError(f"no committee with id {committee_id!r}")
    total_cents = g.receipts.get(committee_id, 0)
    src = _back(g, [committee_id], {}, {}, float(total_cents))
    entries, count = _source_entries(g, src, total_cents, limit)
    expand = _expander(g)
    name = g.committee_name(committee_id)
    first = _back_children(g, committee_id, "receipts", float(total_cents))
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


def trace_race(
    ds: Dataset, filters: Filters, race_id: str, *, limit: int | None = DEFAULT_LIMIT
) -> TraceResult:
    """Where the money into race `race_id` ultimately came from.

    The race's money is its candidates' own committees' net receipts plus the independent
    expenditures supporting or opposing its candidates, each part traced the same way.

    Raises:
        TraceError: the race is not in the dataset.
    """
    g = flow_graph(ds, filters)
    race = g.races.get(race_id)
    if race is None:
        raise TraceError(f"no race with id {race_id!r}")
    own_committees = g.race_committees.get(race_id, [])
    payer_seed: dict[str, float] = defaultdict(float)
    direct: dict[str, float] = defaultdict(float)
    total_cents: int = sum(g.receipts.get(c, 0) for c in own_committees)
    first: list[_Child] = []
    for c in own_committees:
        if c in g.receipts:
            cand = g.candidates.get(g.committees[c].candidate_id or "")
            note = f"{cand.name}'s committee" if cand else ""
            first.append(("committee", c, g.committee_name(c), note, g.receipts[c], "receipts"))
    ie_groups: dict[tuple[str, str, str | None, str], float] = defaultdict(float)
    for cand_id, payer_kind, payer, so, cents in g.race_ies.get(race_id, []):
        total_cents += cents
        if payer_kind == "committee":
            payer_seed[payer] += cents
        else:
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
            kind, key, name, _, _, _ = _donor_child(g, payer, amount)
            first.append((kind, key, name, note, amount, None))
    first.sort(key=lambda ch: -abs(ch[4]))
    src = _back(g, own_committees, payer_seed, direct, float(total_cents))
    entries, count = _source_entries(g, src, total_cents, limit)
    expand = _expander(g)
    tree = _tree(
        _Build("race", race_id, race.name, "", float(total_cents)),
        first,
        expand,
        float(total_cents),
        total_cents,
    )
    paths = _paths(
        PathStep("race", race_id, race.name), first, expand, float(total_cents), backward=True
    )
    context = _race_context(g, race_id, src, entries)
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
    )


def _race_context(
    g: FlowGraph, race_id: str, src: _Sources, entries: list[FlowEntry]
) -> RaceContext:
    race = g.races[race_id]
    state = (race.state or "").upper() or None
    total = float(src.donors.get_column("amount").sum())
    outside = 0.0
    if src.donors.height:
        with_state = src.donors.join(g.donor_labels.select("d", "state"), on="d", how="left")
        if state is not None:
            outside = float(
                with_state.filter(
                    pl.col("state").is_not_null() & (pl.col("state").str.to_uppercase() != state)
                )
                .get_column("amount")
                .sum()
            )
    for bucket in (src.selfs, src.own):
        for c, amount in bucket.items():
            total += amount
            info = g.committees.get(c)
            cstate = (info.state or "").upper() if info else ""
            if state is not None and cstate and cstate != state:
                outside += amount
    largest = next((e for e in entries if e.kind != "other"), None)
    mhi = race.median_household_income
    multiple = largest.amount_cents / (mhi * 100) if largest is not None and mhi else None
    return RaceContext(
        race_id=race_id,
        name=race.name,
        state=race.state,
        outside_share=(outside / total) if total else 0.0,
        largest_source=largest,
        largest_share=largest.share if largest is not None else 0.0,
        median_household_income=mhi,
        income_multiple=multiple,
    )


def trace_donor_forward(
    ds: Dataset, filters: Filters, donor_key: str, *, limit: int | None = DEFAULT_LIMIT
) -> TraceResult:
    """Where donor `donor_key`'s money ended up, using the same pro-rata shares.

    Destinations: candidates (money that reached a candidate's own committee and stayed there,
    spent or held), independent expenditures supporting or opposing a candidate, other
    expenditures of non-candidate committees, and money still held by an intermediary.

    Raises:
        TraceError: the donor has no counted rows under these filters.
    """
    g = flow_graph(ds, filters)
    flows = g.donor_flows.filter(pl.col("donor_key") == donor_key)
    if flows.height == 0:
        raise TraceError(f"no donor with key {donor_key!r}")
    info = g.donor(donor_key)
    total_cents = int(flows.get_column("amount_cents").sum())
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
