"""The entity kinds declared once: every kind's listing has the columns its declaration names,
and the dispatchers built on them agree."""

from __future__ import annotations

import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.query import kinds, trace_graph
from moneytrail.query.filters import Filters
from moneytrail.query.panes import pane_aggregates, pane_frame
from moneytrail.query.search import ALL_ENTITIES, find


def test_every_kind_lists_its_declared_columns(story: Dataset) -> None:
    assert tuple(kinds.KINDS) == kinds.ENTITY_NAMES == ALL_ENTITIES
    for k in kinds.KINDS.values():
        frame = k.listing(story, Filters()).collect()
        assert {k.id_column, k.name_column, k.total_column} <= set(frame.columns), k.name
        if k.table is not None:
            table = getattr(story, k.table).collect()
            assert set(frame[k.id_column]) <= set(table[k.id_column]), k.name


def test_panes_and_aggregates_come_from_the_kinds(story: Dataset) -> None:
    assert set(kinds.PANES) == {"donors", "committees", "races"}
    for pane, k in kinds.PANES.items():
        assert pane_frame(story, Filters(), pane).equals(k.listing(story, Filters()).collect())
    expected = {k.plural for k in kinds.KINDS.values()} | {"cycles"} | set(trace_graph.PARTS)
    assert expected <= set(pane_aggregates(story))


def test_detail_and_trace_dispatch(story: Dataset) -> None:
    committee = kinds.kind("committee")
    detail = committee.detail(story, Filters(), "FLPAC")
    assert detail.committee["committee_id"].to_list() == ["FLPAC"]
    traced = committee.trace(story, Filters(), "FLPAC")
    assert traced.entity == committee.traced_as == "committee"
    candidate = kinds.kind("candidate")
    assert candidate.traced_as == "race"
    assert candidate.trace(story, Filters(), "CA").entity == "race"
    assert find(story, "committee", "FLPAC")["id"].to_list() == ["FLPAC"]


def test_an_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="expected donor, committee, race or candidate"):
        kinds.kind("planet")


def test_entity_sources(story: Dataset) -> None:
    # Factory datasets are not read through the sources seam: they carry no `source` column.
    assert kinds.entity_sources(story, "committee", "FLPAC") == ()
