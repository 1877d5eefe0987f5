"""Traces from the committee graph stored with a cache entry equal traces built in memory.

Each dataset is opened twice: cached, with `pane_aggregates` storing the graph's parts (so
`flow_graph` assembles the graph from them and reads donor edges per reached committee), and
in memory (`cache=False`, so the graph is built from every row). Every trace must be the same:
totals, entries and tree to the cent, paths, and the shares to 1e-9.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import moneytrail.data.open as open_mod
import moneytrail.query.trace as trace_mod
import moneytrail.query.trace_graph as trace_graph_mod
from moneytrail.data.dataset import Dataset
from moneytrail.data.open import open_dataset
from moneytrail.paths import sample_dataset_path
from moneytrail.query.filters import Filters
from moneytrail.query.panes import pane_aggregates
from moneytrail.query.trace import (
    TraceError,
    trace_committee,
    trace_donor_forward,
    trace_race,
    ultimate_outside,
)
from moneytrail.query.trace_graph import PARTS, clear_cache, flow_graph
from tests.data.fec.conftest import SNAPSHOT, fec_line
from tests.data.fec.test_rules import gift, oth, write

FILTERS = {
    "default": Filters(),
    "memo shown": Filters(include_memo=True),
    "donor state": Filters(states=frozenset({"NY", "CA"})),
    "amount": Filters(min_cents=100_00),
    "dates": Filters(since=date(2015, 3, 1)),
}


def canon(value: Any) -> Any:
    """`value` with floats rounded to 1e-9, so float summation order does not matter."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple((f.name, canon(getattr(value, f.name))) for f in dataclasses.fields(value))
    if isinstance(value, list | tuple):
        return tuple(canon(v) for v in value)
    if isinstance(value, float):
        return round(value, 9)
    return value


def pair(path: Path | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """(cached dataset with the stored graph, the same data in memory)."""
    monkeypatch.setattr(open_mod, "TABLES_CACHE_MIN_BYTES", 0)
    clear_cache()
    cached = open_dataset(path, cache_dir=tmp_path / "cache", aggregates=pane_aggregates)
    assert set(PARTS) <= set(cached.aggregates)
    memory = open_dataset(path, cache=False)
    assert not memory.aggregates
    return cached, memory


def traced(fn: Any, ds: Dataset, filters: Filters, key: str) -> Any:
    try:
        return canon(fn(ds, filters, key))
    except TraceError as exc:
        return repr(exc)


def assert_same_traces(
    cached: Dataset, memory: Dataset, committees: list[str], races: list[str], donors: list[str]
) -> None:
    for label, filters in FILTERS.items():
        clear_cache()  # each side builds its graphs afresh
        for c in committees:
            got, want = (
                traced(trace_committee, cached, filters, c),
                (traced(trace_committee, memory, filters, c)),
            )
            assert got == want, (label, "committee", c)
            assert canon(ultimate_outside(cached, filters, "committee", c)) == canon(
                ultimate_outside(memory, filters, "committee", c)
            )
        for r in races:
            got, want = (
                traced(trace_race, cached, filters, r),
                traced(trace_race, memory, filters, r),
            )
            assert got == want, (label, "race", r)
        for d in donors:
            got = traced(trace_donor_forward, cached, filters, d)
            want = traced(trace_donor_forward, memory, filters, d)
            assert got == want, (label, "donor", d)


def _entities(memory: Dataset, n: int) -> tuple[list[str], list[str], list[str]]:
    """The `n` largest committees and races by traced money, plus `n` donors, from the
    in-memory graph: the largest trace wide, the random ones narrow."""
    g = flow_graph(memory, Filters())
    committees = sorted(g.receipts, key=lambda c: (-abs(g.receipts[c]), c))
    picked = committees[:n] + committees[len(committees) // 2 :][:n]
    races = sorted(g.race_committees)[:n] + sorted(g.race_ies)[:n]
    flows = (
        pl.concat([g.donors.flows(k) for k in g.donors.state.labels.get_column("donor_key")])
        if g.donors.state.labels.height < 2_000
        else None
    )
    keys = g.donors.state.labels.get_column("donor_key").to_list()
    donors = keys[:n] + keys[-n:] + ["I|NOBODY|"]
    if flows is not None:
        by_total = flows.group_by("donor_key").agg(pl.col("amount_cents").sum())
        donors += by_total.sort("amount_cents", "donor_key", descending=[True, False])[
            "donor_key"
        ].to_list()[:n]
    return picked, sorted(set(races)), donors


def test_sample_traces_from_the_stored_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not sample_dataset_path().exists():
        pytest.skip("the bundled sample has not been generated")
    cached, memory = pair(None, tmp_path, monkeypatch)
    committees, races, donors = _entities(memory, 6)
    assert_same_traces(cached, memory, committees, races, donors)


def test_fec_snapshot_traces_from_the_stored_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached, memory = pair(SNAPSHOT, tmp_path, monkeypatch)
    committees, races, donors = _entities(memory, 5)
    rnc = "C00003418"  # receives JFC transfers its 15J memos itemize
    assert_same_traces(cached, memory, [rnc, *committees], races, donors)


def test_a_trace_reads_only_the_committees_it_reaches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached, _ = pair(SNAPSHOT, tmp_path, monkeypatch)
    graph = flow_graph(cached, Filters())
    assert flow_graph(cached, Filters(include_memo=True)).donors.state.labels.height == 0
    assert graph.donors.state.edges.height == 0  # nothing read before a trace
    leaf = min(c for c in graph.receipts if c not in graph.in_committees)
    result = trace_committee(cached, Filters(), leaf)
    state = graph.donors.state
    assert state.loaded == {leaf} and not state.complete
    assert state.edges.height == len({e.id for e in result.entries if e.kind != "other"})
    # Filters the parts do not answer build from the rows, as before.
    dated = flow_graph(cached, Filters(since=date(2015, 3, 1)))
    assert dated.donors.state.complete


def _jf_folder(tmp_path: Path) -> Path:
    jfc, party, pac = "C00000077", "C00000001", "C00000042"
    memo = {"ENTITY_TP": "IND", "MEMO_CD": "X", "ZIP_CODE": "328011234"}
    write(
        tmp_path,
        "itcont.txt",
        [
            gift(jfc, "1000", "1", NAME="ALPHA, ANN", STATE="NY"),
            gift(jfc, "1000", "2", NAME="BETA, BOB", STATE="TX"),
            gift(pac, "300", "3", NAME="GAMMA, GIL", STATE="CA"),
        ],
    )
    write(
        tmp_path,
        "itoth.txt",
        [
            oth(party, "18G", "1000", "4", OTHER_ID=jfc, NAME="VICTORY FUND", ENTITY_TP="CCM"),
            oth(jfc, "24G", "1000", "5", OTHER_ID=party, NAME="THE PARTY"),
            oth(party, "15J", "300", "6", NAME="BETA, BOB", **memo),
            oth(party, "15J", "200", "7", NAME="DELTA, DEE", **memo),
            oth(
                party,
                "18J",
                "250",
                "8",
                NAME="SOME PAC",
                **{**memo, "ENTITY_TP": "PAC", "OTHER_ID": pac},
            ),
        ],
    )
    write(
        tmp_path,
        "cm.txt",
        [
            fec_line("cm", CMTE_ID=jfc, CMTE_NM="VICTORY FUND", CMTE_TP="N", CMTE_DSGN="J"),
            fec_line("cm", CMTE_ID=party, CMTE_NM="THE PARTY", CMTE_TP="Y", CMTE_DSGN="U"),
            fec_line("cm", CMTE_ID=pac, CMTE_NM="SOME PAC", CMTE_TP="Q", CMTE_DSGN="U"),
        ],
    )
    return tmp_path


def test_joint_fundraising_memos_from_the_stored_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _jf_folder(tmp_path / "data")
    cached, memory = pair(folder, tmp_path, monkeypatch)
    party = "C00000001"
    clear_cache()
    got = trace_committee(cached, Filters(), party)
    # The memos name BOB $300, DEE $200 and SOME PAC $250 of the $1,000 transfer; the other
    # $250 stays with the fund's mix. SOME PAC's $250 is GIL's, its only donor.
    assert {e.name: e.amount_cents for e in got.entries} == {
        "BETA, BOB": 300_00 + 125_00,
        "GAMMA, GIL": 250_00,
        "DELTA, DEE": 200_00,
        "ALPHA, ANN": 125_00,
    }
    donors = ["I|BETA BOB|32801", "I|DELTA DEE|32801", "I|ALPHA ANN|"]
    assert_same_traces(cached, memory, [party, "C00000077", "C00000042"], [], donors)


def _share_over_traced_donors(ds: Dataset, filters: Filters, entity: str, key: str) -> Any:
    """The ultimate out-of-state share as a trace's donors have it: every traced donor's
    amount by the state of its label (how the share was computed before the state sums)."""
    gs = trace_mod._graphs(ds, filters)
    g = gs.hops
    if entity == "committee":
        info = g.committees.get(key)
        home = info.state if info is not None else None
        src = trace_mod._back(gs, [key], {}, {}, float(g.receipts.get(key, 0)))
    else:
        home = g.races[key].state
        c = trace_mod._contest(gs, key, None, None)
        src = trace_mod._back(gs, c.committees, c.payer_seed, c.direct, float(c.whole_cents))
    donors = trace_mod._labelled(src.donors, src.labels.select("d", "state"))
    everything = float(donors.get_column("amount").sum()) + src.unattributed
    unattributed = src.unattributed / everything if everything else 0.0
    known = donors.filter(pl.col("state").is_not_null())
    known_cents = float(known.get_column("amount").sum())
    if not home or known_cents <= 0:
        return canon((None, unattributed))
    outside = known.filter(pl.col("state").str.to_uppercase() != home.upper())
    return canon((float(outside.get_column("amount").sum()) / known_cents, unattributed))


@pytest.mark.parametrize("which", ["sample", "fec"])
def test_the_ultimate_share_from_state_sums_is_the_share_over_traced_donors(
    which: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = None if which == "sample" else SNAPSHOT
    if path is None and not sample_dataset_path().exists():
        pytest.skip("the bundled sample has not been generated")
    cached, memory = pair(path, tmp_path, monkeypatch)
    committees, races, _ = _entities(memory, 6)
    if which == "fec":
        committees.append("C00003418")  # JF memos add donor edges to its receipts
    for ds in (cached, memory):
        for filters in (Filters(), Filters(states=frozenset({"NY", "CA"}))):
            clear_cache()  # the share first, before any trace loads the edges
            for kind, keys in (("committee", committees), ("race", races)):
                for key in keys:
                    try:
                        _, share, unattributed = ultimate_outside(ds, filters, kind, key)
                    except TraceError:
                        continue
                    want = _share_over_traced_donors(ds, filters, kind, key)
                    assert canon((share, unattributed)) == want, (which, kind, key)


def test_traces_over_many_donor_edges_read_keys_and_amounts_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above `LOAD_EDGES` a trace weighs the reached committees' donor edges by key without
    loading them (`DonorSide.weighted`): the same traces as from the rows, the JF memo shares
    included, and no edge or label of an unlisted donor kept."""
    monkeypatch.setattr(trace_graph_mod, "LOAD_EDGES", 0)
    cached, memory = pair(SNAPSHOT, tmp_path, monkeypatch)
    committees, races, _ = _entities(memory, 5)
    rnc = "C00003418"  # receives JFC transfers its 15J memos itemize
    assert_same_traces(cached, memory, [rnc, *committees], races, [])
    clear_cache()
    graph = flow_graph(cached, Filters())
    listed: set[str] = set()
    for c in [rnc, *committees]:
        listed |= {e.id for e in trace_committee(cached, Filters(), c).entries}
    for r in races:
        listed |= {e.id for e in trace_race(cached, Filters(), r).entries}
    state = graph.donors.state
    assert state.edges.height == 0  # (committees with no donor edge count as loaded)
    assert set(state.labels.get_column("donor_key")) <= listed
