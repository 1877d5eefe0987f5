"""Tracing on tiny hand-computed datasets: every expected cent is worked out in the comments."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.query.trace import (
    TraceError,
    trace_committee,
    trace_donor_forward,
    trace_race,
)
from moneytrail.query.trace_graph import clear_cache, flow_graph
from moneytrail.query.trace_result import FlowNode, TraceResult, apportion
from tests.factories import candidate, committee, make_dataset, race, tx

ALL = Filters()


def gift(tid: str, cents: int, donor: str, to: str, **kw: Any) -> dict[str, Any]:
    return tx(tid, cents, source_name=donor, recipient=to, **kw)


def c2c(tid: str, cents: int, payer: str, to: str, **kw: Any) -> dict[str, Any]:
    return tx(
        tid,
        cents,
        source_kind="committee",
        source_id=payer,
        source_name=f"{payer} name",
        recipient=to,
        **kw,
    )


def ie(tid: str, cents: int, payer: str, cand: str, so: str) -> dict[str, Any]:
    return tx(
        tid,
        cents,
        kind="independent_expenditure",
        source_kind="committee",
        source_id=payer,
        candidate_id=cand,
        support_oppose=so,
    )


def by_name(result: TraceResult) -> dict[str, int]:
    return {e.name: e.amount_cents for e in result.entries}


def assert_consistent(result: TraceResult) -> None:
    assert sum(e.amount_cents for e in result.entries) == result.total_cents
    if result.total_cents:
        assert abs(sum(e.share for e in result.entries) - 1.0) < 1e-9
    amounts = [abs(e.amount_cents) for e in result.entries if e.kind != "other"]
    assert amounts == sorted(amounts, reverse=True)


def test_chain_traces_through_the_527_to_the_donor() -> None:
    # DOE gives the 527 $1,000; the 527 gives the PAC $600; ROE gives the PAC $400.
    # The 527 paid out 600 of 1000 received, all DOE's: the PAC's $1,000 is DOE 600 + ROE 400.
    ds = make_dataset(
        transactions=[
            gift("t1", 1000_00, "DOE", "N"),
            c2c("t2", 600_00, "N", "P"),
            gift("t3", 400_00, "ROE", "P"),
        ],
        committees=[committee("N", "National 527", kind="527"), committee("P", "State PAC")],
    )
    result = trace_committee(ds, ALL, "P")
    assert result.total_cents == 1000_00
    assert by_name(result) == {"DOE": 600_00, "ROE": 400_00}
    assert [e.share for e in result.entries] == pytest.approx([0.6, 0.4], abs=1e-12)
    assert result.paths[0].label() == "DOE → National 527 → State PAC"
    assert result.paths[0].amount_cents == 600_00
    assert_consistent(result)


def test_fan_in_splits_thirds_to_the_cent() -> None:
    # Three donors give A $100 each; A passes $100 on to B: $33.33⅓ each. Largest remainder gives
    # the one leftover cent to the first in order (ties broken by kind, then id).
    ds = make_dataset(
        transactions=[
            gift("t1", 100_00, "AA", "A"),
            gift("t2", 100_00, "BB", "A"),
            gift("t3", 100_00, "CC", "A"),
            c2c("t4", 100_00, "A", "B"),
        ],
        committees=[committee("A", "A PAC"), committee("B", "B PAC")],
    )
    result = trace_committee(ds, ALL, "B")
    assert [(e.id, e.amount_cents) for e in result.entries] == [
        ("I|AA|", 33_34),
        ("I|BB|", 33_33),
        ("I|CC|", 33_33),
    ]
    assert_consistent(result)


def test_fan_in_of_committees() -> None:
    # A: DOE $300, pays C $150. B: ROE $100, pays C $100. C = DOE 150 + ROE 100.
    ds = make_dataset(
        transactions=[
            gift("t1", 300_00, "DOE", "A"),
            gift("t2", 100_00, "ROE", "B"),
            c2c("t3", 150_00, "A", "C"),
            c2c("t4", 100_00, "B", "C"),
        ],
        committees=[committee(x, f"{x} PAC") for x in "ABC"],
    )
    result = trace_committee(ds, ALL, "C")
    assert by_name(result) == {"DOE": 150_00, "ROE": 100_00}
    assert_consistent(result)


def test_two_committee_cycle_is_solved_exactly() -> None:
    # A: DOE $100 + $50 from B; B: ROE $100 + $50 from A. Each pays the other $50.
    # m_A = 2/3 DOE + 1/3 m_B, m_B = 2/3 ROE + 1/3 m_A  =>  m_B = 3/4 ROE + 1/4 DOE.
    # A's $150 = DOE 100 + 50 * m_B = DOE 112.50, ROE 37.50.
    ds = make_dataset(
        transactions=[
            gift("t1", 100_00, "DOE", "A"),
            gift("t2", 100_00, "ROE", "B"),
            c2c("t3", 50_00, "A", "B"),
            c2c("t4", 50_00, "B", "A"),
        ],
        committees=[committee("A", "A PAC"), committee("B", "B PAC")],
    )
    result = trace_committee(ds, ALL, "A")
    assert by_name(result) == {"DOE": 112_50, "ROE": 37_50}
    assert result.entries[0].share == pytest.approx(0.75, abs=1e-9)
    assert result.untraced_share == 0.0
    assert_consistent(result)


def test_closed_cycle_without_outside_money_is_own_funds() -> None:
    # A and B only fund each other: the money has no recorded source at all.
    ds = make_dataset(
        transactions=[c2c("t1", 10_00, "A", "B"), c2c("t2", 10_00, "B", "A")],
        committees=[committee("A", "A PAC"), committee("B", "B PAC")],
    )
    result = trace_committee(ds, ALL, "A")
    assert result.total_cents == 10_00
    assert {e.kind for e in result.entries} == {"own_funds"}
    assert result.untraced_share == pytest.approx(1.0)
    assert_consistent(result)


def test_paying_out_more_than_received_is_own_funds() -> None:
    # P received DOE $100 but paid Q $150: of each dollar 100/150 is DOE, the rest own funds.
    # R received $100 and refunded all of it (net 0): its $40 to Q is all own funds.
    # T has no receipts at all: its $70 is unattributed too (no recorded source).
    ds = make_dataset(
        transactions=[
            gift("t1", 100_00, "DOE", "P"),
            c2c("t2", 150_00, "P", "Q"),
            gift("t3", 100_00, "ROE", "R"),
            gift("t4", -100_00, "ROE", "R"),
            c2c("t5", 40_00, "R", "Q"),
            c2c("t6", 70_00, "T", "Q"),
        ],
        committees=[committee(x, f"{x} PAC") for x in "PQRT"],
    )
    result = trace_committee(ds, ALL, "Q")
    assert result.total_cents == 260_00
    assert {(e.kind, e.id): e.amount_cents for e in result.entries} == {
        ("individual", "I|DOE|"): 100_00,
        ("own_funds", "P"): 50_00,
        ("own_funds", "T"): 70_00,
        ("own_funds", "R"): 40_00,
    }
    # Unattributed money has no state and is its own share, never the largest source.
    assert all(e.state is None for e in result.entries if e.kind == "own_funds")
    assert result.unattributed_share == pytest.approx(160 / 260)
    assert_consistent(result)


def test_refunds_inside_the_chain_subtract() -> None:
    # N: DOE 1000 - 200 refunded = 800, ROE 200 -> 80% / 20%. N pays P 500, P refunds 100:
    # P's net $400 from N = DOE 320 + ROE 80.
    ds = make_dataset(
        transactions=[
            gift("t1", 1000_00, "DOE", "N"),
            gift("t2", -200_00, "DOE", "N"),
            gift("t3", 200_00, "ROE", "N"),
            c2c("t4", 500_00, "N", "P"),
            c2c("t5", -100_00, "N", "P"),
        ],
        committees=[committee("N", "N 527"), committee("P", "P PAC")],
    )
    result = trace_committee(ds, ALL, "P")
    assert result.total_cents == 400_00
    assert by_name(result) == {"DOE": 320_00, "ROE": 80_00}
    assert_consistent(result)


def test_memo_rows_are_not_traced() -> None:
    ds = make_dataset(
        transactions=[
            gift("t1", 100_00, "DOE", "N"),
            gift("t2", 100_00, "DOE", "N", memo=True),
            c2c("t3", 50_00, "N", "P"),
        ],
        committees=[committee("N", "N 527"), committee("P", "P PAC")],
    )
    result = trace_committee(ds, Filters(include_memo=True), "P")
    assert by_name(result) == {"DOE": 50_00}


def _dated_chain() -> Dataset:
    return make_dataset(
        transactions=[
            gift("t1", 1000_00, "DOE", "N", on=date(2016, 1, 10)),
            gift("t2", 1000_00, "ROE", "N", on=date(2016, 3, 1)),
            c2c("t3", 500_00, "N", "P", on=date(2016, 3, 5)),
        ],
        committees=[committee("N", "N 527"), committee("P", "P PAC")],
    )


def test_date_filters_cut_the_chain() -> None:
    ds = _dated_chain()
    # Everything: N is half DOE, half ROE; P's $500 splits 250/250.
    assert by_name(trace_committee(ds, ALL, "P")) == {"DOE": 250_00, "ROE": 250_00}
    # From February on, DOE's January gift is outside the window: N is all ROE.
    since = trace_committee(ds, Filters(since=date(2016, 2, 1)), "P")
    assert by_name(since) == {"ROE": 500_00}
    # Until March 2, the N -> P payment has not happened: P has nothing to trace.
    until = trace_committee(ds, Filters(until=date(2016, 3, 2)), "P")
    assert until.total_cents == 0 and until.entries == ()


def _race_dataset() -> Dataset:
    # N (527): DOE $1,200 + ROE $800 = $2,000 (60% / 40%). N pays P $1,000 and $400 of IEs
    # opposing X; P pays $600 of IEs supporting Y and gives Y's committee K $200; K spends $50.
    return make_dataset(
        transactions=[
            gift("t1", 1200_00, "DOE", "N", source_state="NY"),
            gift("t2", 800_00, "ROE", "N", source_state="LA"),
            c2c("t3", 1000_00, "N", "P"),
            ie("t4", 400_00, "N", "X", "O"),
            ie("t5", 600_00, "P", "Y", "S"),
            c2c("t6", 200_00, "P", "K"),
            tx("t7", 50_00, kind="expenditure", source_kind="committee", source_id="K"),
        ],
        committees=[
            committee("N", "National 527", kind="527", state="DC"),
            committee("P", "State PAC", state="LA"),
            committee("K", "Friends of Y", kind="candidate", state="LA", candidate_id="Y"),
        ],
        candidates=[candidate("Y", "Yvonne Y", "R1"), candidate("X", "Xavier X", "R1")],
        races=[race("R1", "Parish DA 2015", state="LA", median_household_income=30_000)],
    )


def test_race_traces_committee_receipts_and_ies() -> None:
    # Race money: K's $200 + IEs $600 (for Y) + $400 (against X) = $1,200, all from N's mix
    # (P received only from N and paid out exactly what it received): DOE 720, ROE 480.
    result = trace_race(_race_dataset(), ALL, "R1")
    assert result.total_cents == 1200_00
    assert by_name(result) == {"DOE": 720_00, "ROE": 480_00}
    assert_consistent(result)
    ctx = result.race_context
    assert ctx is not None
    assert ctx.largest_source is not None and ctx.largest_source.name == "DOE"
    assert ctx.largest_share == pytest.approx(0.6)
    assert ctx.outside_share == pytest.approx(0.6)  # DOE is from NY, the race is in LA
    assert ctx.income_multiple == pytest.approx(720 / 30_000)
    # Largest path: DOE -> N -> P -> race via P's $600 of IEs = 60% of 600.
    top = result.paths[0]
    assert [s.name for s in top.steps] == ["DOE", "National 527", "State PAC", "Parish DA 2015"]
    assert top.amount_cents == 360_00


def test_donor_state_filter_selects_sources_and_never_cuts_hops() -> None:
    # Only DOE is from NY. The committee rows N -> P -> race carry no state: a row filter would
    # cut them and DOE would vanish from the race. Filtered, the race shows DOE's $720 exactly
    # as unfiltered (60% of every hop), and says that is 60% of the $1,200 traced.
    ny = Filters(states=frozenset({"NY"}))
    result = trace_race(_race_dataset(), ny, "R1")
    assert by_name(result) == {"DOE": 720_00}
    assert result.total_cents == 720_00
    assert result.shown_share == pytest.approx(0.6)
    assert result.filter_labels == ("donor state NY",)
    assert_consistent(result)
    # The tree shows only the matching money, each level adding up to its parent.
    assert result.tree.amount_cents == 720_00
    assert sum(ch.amount_cents for ch in result.tree.children) == 720_00
    leaves = _leaves(result.tree)
    assert {leaf.name for leaf in leaves} == {"DOE"}
    assert result.paths[0].steps[0].name == "DOE"
    # A committee's trace likewise: P's $1,000 is 60% DOE.
    pac = trace_committee(_race_dataset(), ny, "P")
    assert by_name(pac) == {"DOE": 600_00} and pac.shown_share == pytest.approx(0.6)
    # Unfiltered: no filter labels, so no filter status.
    assert trace_race(_race_dataset(), ALL, "R1").filter_labels == ()


def test_amount_and_kind_filters_select_gifts_of_ultimate_sources() -> None:
    # Amount filter $1,000+: DOE's $1,200 gift passes, ROE's $800 does not; the $1,000 and
    # $400 committee hops are never cut (the $600 and $200 ones would be).
    big = trace_race(_race_dataset(), Filters(min_cents=1000_00), "R1")
    assert by_name(big) == {"DOE": 720_00}
    orgs = trace_race(_race_dataset(), Filters(source_kinds=frozenset({"organization"})), "R1")
    assert orgs.total_cents == 0 and orgs.shown_share == 0.0


def test_unattributed_money_is_never_outside_nor_the_largest_source() -> None:
    # Q (FL) receives $100 from DOE (NY) and $900 from T (a NY committee with no receipts).
    ds = make_dataset(
        transactions=[
            gift("t1", 100_00, "DOE", "Q", source_state="NY"),
            c2c("t2", 900_00, "T", "Q", source_state="NY"),
        ],
        committees=[committee("Q", "Q PAC", state="FL"), committee("T", "T PAC", state="NY")],
    )
    result = trace_committee(ds, ALL, "Q")
    assert result.entries[0].kind == "own_funds"  # the biggest line, but not a source
    assert result.outside_share == pytest.approx(1.0)  # of DOE's $100: all from NY
    assert result.unattributed_share == pytest.approx(0.9)


def test_donor_forward_under_a_donor_filter_follows_every_hop() -> None:
    # DOE is from NY; the committee rows N -> P -> K carry no state. Filtered to NY, DOE's
    # money still goes all the way: the same destinations as unfiltered.
    ny = Filters(states=frozenset({"NY"}))
    filtered = trace_donor_forward(_race_dataset(), ny, "I|DOE|")
    everything = trace_donor_forward(_race_dataset(), ALL, "I|DOE|")
    assert by_name(filtered) == by_name(everything)
    # The header: every one of DOE's gifts is followed, and the view says it is filtered.
    assert filtered.filter_labels == ("donor state NY",) and filtered.shown_share == 1.0
    assert everything.filter_labels == () and everything.shown_share is None
    with pytest.raises(TraceError):
        trace_donor_forward(_race_dataset(), ny, "I|ROE|")  # ROE (LA) is not selected


def _leaves(node: FlowNode) -> list[FlowNode]:
    if not node.children:
        return [node]
    return [leaf for child in node.children for leaf in _leaves(child)]


def test_donor_forward_trace() -> None:
    # DOE is 60% of N. N: $1,000 to P, $400 against X, $600 held  -> DOE 600 / 240 / 360.
    # P (all from N, pays everything): $600 for Y, $200 to K, $200 held -> DOE 360 / 120 / 120.
    # K is Y's own committee: DOE's $120 there stays with candidate Y (spent or held).
    result = trace_donor_forward(_race_dataset(), ALL, "I|DOE|")
    assert result.direction == "destinations"
    assert result.total_cents == 1200_00
    got = {(e.kind, e.id): e.amount_cents for e in result.destinations}
    assert got == {
        ("independent_expenditure", "Y|S"): 360_00,
        ("held", "N"): 360_00,
        ("independent_expenditure", "X|O"): 240_00,
        ("candidate", "Y"): 120_00,
        ("held", "P"): 120_00,
    }
    opposing = next(e for e in result.destinations if e.id == "X|O")
    assert (opposing.race_id, opposing.candidate_id, opposing.support_oppose) == ("R1", "X", "O")
    assert_consistent(result)


def test_forward_and_backward_agree() -> None:
    # DOE's money in race R1 seen from both ends: 720 traced back, 360 + 240 + 120 forward.
    ds = _race_dataset()
    fwd = trace_donor_forward(ds, ALL, "I|DOE|")
    in_race = sum(e.amount_cents for e in fwd.destinations if e.race_id == "R1")
    assert in_race == by_name(trace_race(ds, ALL, "R1"))["DOE"]


def _sum_children(node: FlowNode) -> None:
    if node.children:
        assert sum(ch.amount_cents for ch in node.children) == node.amount_cents, node.name
        for ch in node.children:
            _sum_children(ch)


def test_tree_levels_add_up_and_end_at_ultimate_sources() -> None:
    result = trace_race(_race_dataset(), ALL, "R1")
    tree = result.tree
    assert tree.kind == "race" and tree.amount_cents == 1200_00 and tree.share == 1.0
    _sum_children(tree)
    assert [(c.name, c.amount_cents) for c in tree.children] == [
        ("State PAC", 600_00),
        ("National 527", 400_00),
        ("Friends of Y", 200_00),
    ]

    def leaves(node: FlowNode) -> set[str]:
        if not node.children:
            return {node.name}
        return set().union(*(leaves(c) for c in node.children))

    assert leaves(tree) == {"DOE", "ROE"}


def test_tree_marks_cycles() -> None:
    ds = make_dataset(
        transactions=[
            gift("t1", 100_00, "DOE", "A"),
            gift("t2", 100_00, "ROE", "B"),
            c2c("t3", 50_00, "A", "B"),
            c2c("t4", 50_00, "B", "A"),
        ],
        committees=[committee("A", "A PAC"), committee("B", "B PAC")],
    )
    tree = trace_committee(ds, ALL, "A").tree
    b = next(c for c in tree.children if c.id == "B")
    back_to_a = next(c for c in b.children if c.id == "A")
    assert "cycle" in back_to_a.note and back_to_a.children == ()


def test_unknown_entities_raise() -> None:
    ds = _race_dataset()
    with pytest.raises(TraceError):
        trace_committee(ds, ALL, "NOPE")
    with pytest.raises(TraceError):
        trace_race(ds, ALL, "NOPE")
    with pytest.raises(TraceError):
        trace_donor_forward(ds, ALL, "I|NOBODY|")


def test_limit_groups_the_rest_and_keeps_the_total() -> None:
    ds = make_dataset(
        transactions=[gift(f"t{i}", (i + 1) * 100, f"D{i:02d}", "A") for i in range(20)],
        committees=[committee("A", "A PAC")],
    )
    result = trace_committee(ds, ALL, "A", limit=5)
    assert len(result.entries) == 6 and result.entry_count == 20
    assert result.entries[-1].kind == "other" and result.entries[-1].name == "15 other sources"
    assert_consistent(result)


def test_graph_is_cached_per_dataset_and_filters() -> None:
    clear_cache()
    ds = _race_dataset()
    assert flow_graph(ds, ALL) is flow_graph(ds, ALL)
    assert flow_graph(ds, Filters(states=frozenset({"NY"}))) is not flow_graph(ds, ALL)


@pytest.mark.parametrize(
    ("values", "total", "expected"),
    [
        ([1 / 3 * 100] * 3, 100, [34, 33, 33]),
        ([10.6, 20.4], 31, [11, 20]),
        ([50.0, -10.0], 40, [50, -10]),
        ([], 0, []),
    ],
)
def test_apportion(values: list[float], total: int, expected: list[int]) -> None:
    assert apportion(values, total) == expected


def test_small_and_wide_traces_agree() -> None:
    # Ten unrelated PACs keep the traced chain's share of donor edges small (the row-range
    # gather); the race below reaches every PAC (the donor-major pass). Same hand figures.
    rows = [gift(f"g{i}", 10_00 * (i + 1), f"LOCAL{i}", f"Q{i}") for i in range(10)]
    rows += [c2c(f"c{i}", 5_00 * (i + 1), f"Q{i}", "HUB") for i in range(10)]
    rows += [ie("x", 100_00, "HUB", "Y", "S")]
    ds = make_dataset(
        transactions=rows,
        committees=[committee(f"Q{i}", f"Q{i} PAC") for i in range(10)]
        + [committee("HUB", "Hub PAC")],
        candidates=[candidate("Y", "Yvonne Y", "R1")],
        races=[race("R1", "Race")],
    )
    # Q3 alone: 1 of 10 donor edges. It received $40 from LOCAL3.
    assert by_name(trace_committee(ds, ALL, "Q3")) == {"LOCAL3": 40_00}
    # HUB got $5·(i+1) from each Qi (half of what Qi received, all LOCALi): $275; it spent $100
    # of it, so each LOCALi's part of the race is 5·(i+1) · 100/275 dollars.
    result = trace_race(ds, ALL, "R1")
    got = by_name(result)
    for i in range(10):
        assert abs(got[f"LOCAL{i}"] - 500 * (i + 1) * 100 / 275) <= 1
    assert_consistent(result)


@pytest.fixture
def sample(bundled_sample: Dataset) -> Dataset:
    """The bundled sample, opened once per test process (tests/conftest.py)."""
    return bundled_sample


def test_sample_florida_pac_is_all_the_mega_donor(sample: Dataset) -> None:
    import polars as pl

    fl = (
        sample.committees.filter(pl.col("name") == "Florida Safety and Justice")
        .collect()
        .get_column("committee_id")
        .item()
    )
    result = trace_committee(sample, ALL, fl)
    assert len(result.sources) == 1
    top = result.sources[0]
    assert top.name == "SOROS, GEORGE" and top.amount_cents == result.total_cents
    assert top.share == pytest.approx(1.0, abs=1e-9)
    # Both channels: directly, and through the national 527.
    routes = {tuple(s.name for s in p.steps) for p in result.paths}
    assert ("SOROS, GEORGE", "Florida Safety and Justice") in routes
    assert ("SOROS, GEORGE", "Safety and Justice", "Florida Safety and Justice") in routes


def test_sample_caddo_race_shows_the_donor_and_income_multiple(sample: Dataset) -> None:
    import polars as pl

    caddo = (
        sample.races.filter(pl.col("name").str.contains("Caddo"))
        .collect()
        .get_column("race_id")
        .item()
    )
    result = trace_race(sample, ALL, caddo)
    ctx = result.race_context
    assert ctx is not None and ctx.largest_source is not None
    assert ctx.largest_source.name == "SOROS, GEORGE"
    assert ctx.largest_source.amount_cents >= 930_000_00
    assert ctx.income_multiple is not None and ctx.income_multiple > 22
    assert_consistent(result)
