"""Every figure of docs/figures.md is the same number wherever it is shown.

For many entities of the bundled sample and of the real FEC 2016 snapshot, with and without a
filter: the pane row, the detail header (the detail's own one-row frame and statistics), the
statistics panel of the pane row (`entity_stats`), `moneytrail show --format json`,
`moneytrail summary --format json`, an export of the pane, the command palette's figure and the
trace's total agree to the cent, and a filtered detail header's "% of the total shown" is the
row's figure over the same figure without the filter. Each dataset and filter setting is its
own test case, so pytest-xdist spreads them. The CLI runs in-process on the already opened dataset.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stdout
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from moneytrail.cli import main
from moneytrail.data.dataset import Dataset
from moneytrail.data.open import open_dataset
from moneytrail.query import details
from moneytrail.query.entity_stats import EntityStats, OutsideShares, entity_stats
from moneytrail.query.export import export_frame
from moneytrail.query.figures import FIGURE_LABELS, HEADLINE
from moneytrail.query.filters import Filters
from moneytrail.query.kinds import KINDS
from moneytrail.query.panes import pane_frame, shown_share
from moneytrail.query.races import candidates
from moneytrail.query.search import find
from moneytrail.query.trace import trace_committee, trace_race, ultimate_outside

REPO = Path(__file__).resolve().parents[2]
DATASETS = {
    "sample": REPO / "sample_data" / "safety-and-justice",
    "fec": REPO / "sample_data" / "fec-2016-early",
}
#: Filters each dataset is checked under: none, and a donor state that matters there.
FILTERS = {
    "sample": {"all": Filters(), "state": Filters(states=frozenset({"NY"}))},
    "fec": {"all": Filters(), "state": Filters(states=frozenset({"CA"}))},
}
#: Each test runs once per filter setting (and per dataset), so pytest-xdist spreads them.
BY_FILTER = pytest.mark.parametrize("setting", ["all", "state"])
#: Entities checked per kind: the biggest few and some from further down.
PICKS = (0, 1, 3, 8, 21)


@pytest.fixture(scope="module", params=sorted(DATASETS))
def dataset(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Dataset]]:
    # Opened through a private cache, as the app and CLI open it: the unfiltered panes then
    # come from the aggregates stored at import, which must agree with the computed figures.
    cache = tmp_path_factory.mktemp("cache")
    yield request.param, open_dataset(DATASETS[request.param], cache=True, cache_dir=cache)


def _picks(frame: pl.DataFrame, id_col: str, money: str) -> list[dict[str, Any]]:
    with_money = frame.filter(pl.col(money) != 0)
    rows = [with_money.row(i, named=True) for i in PICKS if i < with_money.height]
    return [r for r in rows if r[id_col] is not None]


def _cli(monkeypatch: pytest.MonkeyPatch, ds: Dataset, *argv: str) -> Any:
    """Run `moneytrail ARGV --format json` in-process on `ds`; the parsed JSON."""
    import moneytrail.cli.show as show
    import moneytrail.cli.summary as summary

    monkeypatch.setattr(show, "load", lambda args: ds)
    monkeypatch.setattr(summary, "load", lambda args: ds)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main([*argv, "--format", "json"]) == 0
    return json.loads(out.getvalue())


def _filter_args(filters: Filters) -> list[str]:
    return [arg for state in sorted(filters.states) for arg in ("--state", state)]


def _dollars(cents: int) -> float:
    return float(Decimal(cents) / 100)


def _export(frame: pl.DataFrame, tmp_path: Path, id_col: str) -> dict[str, dict[str, Any]]:
    """The pane exported to CSV and read back as text: id -> row."""
    path = export_frame(frame, tmp_path / "pane.csv")
    back = pl.read_csv(path, infer_schema=False)
    return {row[id_col]: row for row in back.iter_rows(named=True)}


def _same_reconciliation(
    reconciliation: pl.DataFrame | None, shown: dict[str, Any], receipts_cents: int
) -> None:
    """FEC data: the reconciliation figures, in the detail and `show`, add up to the receipts."""
    if reconciliation is None:  # not FEC data: no such figures, nowhere
        assert "reconciliation" not in shown
        return
    rec = reconciliation.row(0, named=True)
    assert rec["receipts_cents"] == receipts_cents
    assert rec["filed_by_recipient_cents"] + rec["giver_only_cents"] == receipts_cents
    for col in ("receipts_cents", "filed_by_recipient_cents", "giver_only_cents"):
        assert shown["reconciliation"][col.removesuffix("_cents")] == _dollars(rec[col])
    assert shown["reconciliation"]["coverage_share"] == rec["coverage_share"]


def _header_share(ds: Dataset, filters: Filters, entity: Any, key: str, row: dict) -> None:
    """A detail header's "% of the total shown" is the row's headline figure over the same
    figure without filters (the entity's unfiltered listing row)."""
    share = shown_share(ds, filters, entity, key)
    if filters.is_default:
        assert share is None
        return
    k = KINDS[entity]
    whole = k.listing(ds, Filters()).filter(pl.col(k.id_column) == key).collect()
    total = whole.item(0, k.total_column)
    assert share == (row[k.total_column] / total if total > 0 else None)


def _money_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def _same_stats(panel: EntityStats, detail: EntityStats) -> None:
    a, b = panel.summary, detail.summary
    assert (a.count, a.total_cents, a.median_cents, a.donors) == (
        b.count,
        b.total_cents,
        b.median_cents,
        b.donors,
    )
    assert a.top1_share == b.top1_share and a.top10_share == b.top10_share
    assert panel.money_label == detail.money_label
    assert panel.sections == detail.sections
    _same_outside(panel.outside, detail.outside)


def _same_share(a: float | None, b: float | None) -> None:
    """Traced shares are float sums in whatever order Polars groups them: equal to 1e-12."""
    assert (a is None) == (b is None)
    if a is not None and b is not None:
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12)


def _same_outside(a: OutsideShares | None, b: OutsideShares | None) -> None:
    assert (a is None) == (b is None)
    if a is None or b is None:
        return
    assert (a.home_state, a.direct_share) == (b.home_state, b.direct_share)
    _same_share(a.ultimate_share, b.ultimate_share)
    _same_share(a.unattributed_share, b.unattributed_share)


@BY_FILTER
def test_committees_agree(
    dataset: tuple[str, Dataset], setting: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    name, ds = dataset
    filters = FILTERS[name][setting]
    pane = pane_frame(ds, filters, "committees")
    listed = {
        r["committee_id"]: r
        for r in _cli(monkeypatch, ds, "summary", "committees", *_filter_args(filters))
    }
    exported = _export(pane, tmp_path, "committee_id")
    for row in _picks(pane, "committee_id", "receipts_cents"):
        cid = row["committee_id"]
        detail = details.committee_detail(ds, filters, cid)
        assert detail.committee.row(0, named=True) == row
        assert detail.summary.total_cents == row["receipts_cents"]
        assert detail.summary.count == row["receipts_count"]
        assert detail.summary.donors == row["donors"]
        spending = dict(detail.stats.sections[0].lines)
        assert spending[FIGURE_LABELS["disbursements_cents"]] == row["disbursements_cents"]
        assert spending[FIGURE_LABELS["ie_support_cents"]] == row["ie_support_cents"]
        panel = entity_stats(ds, filters, "committee", cid)
        _same_stats(panel, detail.stats)
        shown = _cli(monkeypatch, ds, "show", "committee", cid, *_filter_args(filters))
        for col in ("receipts_cents", "disbursements_cents", "transfers_out_cents"):
            key = col.removesuffix("_cents")
            assert shown[key] == listed[cid][key] == _dollars(row[col])
            assert exported[cid][key] == _money_text(row[col])
        assert shown["summary"]["total"] == _dollars(row["receipts_cents"])
        assert shown["summary"]["count"] == row["receipts_count"] == listed[cid]["receipts_count"]
        assert shown["summary"]["donors"] == row["donors"]
        assert panel.outside is not None
        _same_share(shown["outside"]["ultimate_outside_share"], panel.outside.ultimate_share)
        assert shown["outside"]["direct_outside_share"] == panel.outside.direct_share
        traced = trace_committee(ds, filters, cid)
        if not filters.donor_side:
            assert traced.total_cents == row["receipts_cents"]
        _same_share(traced.outside_share, panel.outside.ultimate_share)
        _header_share(ds, filters, "committee", cid, row)
        found = find(ds, "committee", cid, filters=filters)
        assert found.row(0, named=True)["total_cents"] == row[HEADLINE["committee"][0]]
        _same_reconciliation(detail.reconciliation, shown, row["receipts_cents"])


@BY_FILTER
def test_donors_agree(
    dataset: tuple[str, Dataset], setting: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    name, ds = dataset
    filters = FILTERS[name][setting]
    pane = pane_frame(ds, filters, "donors")
    listed = {
        r["donor_key"]: r
        for r in _cli(monkeypatch, ds, "summary", "donors", *_filter_args(filters))
    }
    exported = _export(pane, tmp_path, "donor_key")
    for row in _picks(pane, "donor_key", "total_cents"):
        key = row["donor_key"]
        detail = details.donor_detail(ds, filters, key)
        assert (detail.summary.total_cents, detail.summary.count) == (
            row["total_cents"],
            row["count"],
        )
        assert detail.summary.median_cents == row["median_cents"]
        panel = entity_stats(ds, filters, "donor", key)
        _same_stats(panel, detail.stats)
        shown = _cli(monkeypatch, ds, "show", "donor", key, *_filter_args(filters))
        assert shown["summary"]["total"] == listed[key]["total"] == _dollars(row["total_cents"])
        assert shown["summary"]["count"] == row["count"] == listed[key]["count"]
        assert shown["summary"]["median"] == _dollars(row["median_cents"])
        assert exported[key]["total"] == _money_text(row["total_cents"])
        _header_share(ds, filters, "donor", key, row)
        found = find(ds, "donor", key, filters=filters)
        assert found.item(0, "total_cents") == row[HEADLINE["donor"][0]]


@BY_FILTER
def test_races_and_candidates_agree(
    dataset: tuple[str, Dataset], setting: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    name, ds = dataset
    money = ("raised_cents", "ie_support_cents", "ie_oppose_cents")
    filters = FILTERS[name][setting]
    pane = pane_frame(ds, filters, "races")
    assert "total_cents" not in pane.columns  # never one total of raised and outside money
    listed = {
        r["race_id"]: r for r in _cli(monkeypatch, ds, "summary", "races", *_filter_args(filters))
    }
    exported = _export(pane, tmp_path, "race_id")
    for row in _picks(pane, "race_id", "raised_cents"):
        rid = row["race_id"]
        detail = details.race_detail(ds, filters, rid)
        assert detail.race.row(0, named=True) == row
        assert detail.summary.total_cents == row["raised_cents"]
        outside = dict(detail.stats.sections[0].lines)
        assert outside == {
            FIGURE_LABELS["ie_support_cents"]: row["ie_support_cents"],
            FIGURE_LABELS["ie_oppose_cents"]: row["ie_oppose_cents"],
        }
        panel = entity_stats(ds, filters, "race", rid)
        _same_stats(panel, detail.stats)
        shown = _cli(monkeypatch, ds, "show", "race", rid, *_filter_args(filters))
        for col in money:
            key = col.removesuffix("_cents")
            assert shown[key] == listed[rid][key] == _dollars(row[col])
            assert exported[rid][key] == _money_text(row[col])
        assert shown["summary"]["total"] == _dollars(row["raised_cents"])
        traced = trace_race(ds, filters, rid)
        if not filters.donor_side:
            assert traced.total_cents == sum(row[c] for c in money)
        assert panel.outside is not None
        _same_share(traced.outside_share, panel.outside.ultimate_share)
        _header_share(ds, filters, "race", rid, row)
        found = find(ds, "race", rid, filters=filters)
        assert found.item(0, "total_cents") == row[HEADLINE["race"][0]]
    every = candidates(ds, filters).collect()
    for row in _picks(every, "candidate_id", "raised_cents"):
        cid = row["candidate_id"]
        detail = details.candidate_detail(ds, filters, cid)
        assert detail.candidate.row(0, named=True) == row
        assert detail.summary.total_cents == row["raised_cents"]
        panel = entity_stats(ds, filters, "candidate", cid)
        _same_stats(panel, detail.stats)
        _, ultimate, _ = ultimate_outside(ds, filters, "candidate", cid)
        assert panel.outside is not None
        _same_share(panel.outside.ultimate_share, ultimate)
        shown = _cli(monkeypatch, ds, "show", "candidate", cid, *_filter_args(filters))
        for col in money:
            assert shown[col.removesuffix("_cents")] == _dollars(row[col])
        _header_share(ds, filters, "candidate", cid, row)
        found = find(ds, "candidate", cid, filters=filters)
        assert found.item(0, "total_cents") == row[HEADLINE["candidate"][0]]
        _same_reconciliation(detail.reconciliation, shown, row["raised_cents"])
