"""Referenced-but-unlisted committees, candidates and races are created and counted."""

from __future__ import annotations

from typing import Any

import polars as pl

from moneytrail.data.entities import complete_entities
from moneytrail.data.schema import CANDIDATES, COMMITTEES, RACES, TRANSACTIONS


def _frame(rows: list[dict[str, Any]], schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    filled = [{c: r.get(c) for c in schema} for r in rows]
    return pl.DataFrame(filled, schema=schema, orient="row").lazy()


def _tx(**values: Any) -> dict[str, Any]:
    return {"kind": "contribution", "source_kind": "individual", "memo": False, **values}


def test_nothing_missing_creates_nothing_and_keeps_frames() -> None:
    tx = _frame([_tx(transaction_id="t1", recipient_committee_id="C1")], TRANSACTIONS)
    cm = _frame(
        [{"committee_id": "C1", "name": "One", "kind": "pac", "inferred": False}], COMMITTEES
    )
    cn = pl.LazyFrame(schema=CANDIDATES)
    rc = pl.LazyFrame(schema=RACES)
    out_cm, out_cn, out_rc, created = complete_entities(tx, cm, cn, rc)
    assert created == {"committees": 0, "candidates": 0, "races": 0}
    assert out_cm.collect().equals(cm.collect())
    assert out_cn.collect().height == 0
    assert out_rc.collect().height == 0


def test_missing_entities_are_created_from_the_rows() -> None:
    tx = _frame(
        [
            # C2 receives money (never pays): named by its id.
            _tx(transaction_id="t1", recipient_committee_id="C2"),
            # C3 pays under two names, the more frequent one wins; its state likewise.
            _tx(
                transaction_id="t2",
                source_kind="committee",
                source_id="C3",
                source_name="Pass Through PAC",
                source_state="FL",
                recipient_committee_id="C1",
            ),
            _tx(
                transaction_id="t3",
                source_kind="committee",
                source_id="C3",
                source_name="PASS THROUGH PAC [R]",
                source_state="FL",
                recipient_committee_id="C1",
            ),
            _tx(
                transaction_id="t4",
                source_kind="committee",
                source_id="C3",
                source_name="Pass Through PAC",
                source_state="GA",
                recipient_committee_id="C1",
            ),
            # An independent expenditure names candidate P9; a conduit names C4.
            _tx(
                transaction_id="t5",
                kind="independent_expenditure",
                source_kind="committee",
                source_id="C1",
                candidate_id="P9",
                support_oppose="S",
            ),
            _tx(transaction_id="t6", recipient_committee_id="C1", conduit_committee_id="C4"),
            # An individual's source_id is not a committee reference; empty ids refer to nothing.
            _tx(transaction_id="t7", source_id="NOT_A_COMMITTEE", recipient_committee_id=""),
        ],
        TRANSACTIONS,
    )
    cm = _frame(
        [
            {"committee_id": "C1", "name": "Listed", "kind": "pac", "inferred": False},
            # A candidate's committee naming an unlisted candidate P1.
            {"committee_id": "C5", "name": "Doe for FL", "kind": "candidate", "candidate_id": "P1"},
        ],
        COMMITTEES,
    )
    cn = _frame(
        [{"candidate_id": "P2", "name": "Roe", "race_id": "R-FL-1", "inferred": False}], CANDIDATES
    )
    rc = pl.LazyFrame(schema=RACES)
    out_cm, out_cn, out_rc, created = complete_entities(tx, cm, cn, rc)
    assert created == {"committees": 3, "candidates": 2, "races": 1}

    cms = out_cm.collect()
    assert cms.schema == pl.Schema(COMMITTEES)
    assert cms["committee_id"].to_list() == ["C1", "C5", "C2", "C3", "C4"]
    inferred = cms.filter(pl.col("inferred"))
    assert inferred.select("committee_id", "name", "kind", "state").rows() == [
        ("C2", "C2", "other", None),
        ("C3", "Pass Through PAC", "other", "FL"),
        ("C4", "C4", "other", None),
    ]

    cns = out_cn.collect()
    assert cns.schema == pl.Schema(CANDIDATES)
    assert cns.select("candidate_id", "name", "inferred").rows() == [
        ("P2", "Roe", False),
        ("P1", "P1", True),
        ("P9", "P9", True),
    ]
    rcs = out_rc.collect()
    assert rcs.schema == pl.Schema(RACES)
    assert rcs.select("race_id", "name", "inferred").rows() == [("R-FL-1", "R-FL-1", True)]


def test_extra_columns_of_listed_entities_survive() -> None:
    cm = pl.DataFrame(
        {
            "committee_id": ["C1"],
            "name": ["Listed"],
            "kind": ["pac"],
            "state": [None],
            "party": [None],
            "candidate_id": [None],
            "inferred": [False],
            "treasurer": ["J. Doe"],
        },
        schema={**COMMITTEES, "treasurer": pl.String()},
    ).lazy()
    tx = _frame([_tx(transaction_id="t1", recipient_committee_id="C2")], TRANSACTIONS)
    out_cm, _, _, created = complete_entities(
        tx, cm, pl.LazyFrame(schema=CANDIDATES), pl.LazyFrame(schema=RACES)
    )
    got = out_cm.collect()
    assert created["committees"] == 1
    assert got.columns == [*COMMITTEES, "treasurer"]
    assert got["treasurer"].to_list() == ["J. Doe", None]
