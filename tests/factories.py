"""Build tiny in-memory `Dataset`s for tests, in the loaded schema.

Rows are given as dicts with only the columns that matter to the test; every other loaded column
is filled with a neutral default (null, or `memo=False`). Amounts are given in *cents*.

    ds = make_dataset(
        transactions=[tx("t1", 500_00, source_name="DOE, JANE", recipient="C1")],
        committees=[committee("C1", "Friends of Doe")],
    )
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.data.report import LoadReport
from moneytrail.data.schema import CANDIDATES, COMMITTEES, RACES, TRANSACTIONS


def _frame(rows: list[dict[str, Any]], schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    filled = [{col: row.get(col) for col in schema} for row in rows]
    return (
        pl.DataFrame(filled, schema=schema, orient="row").lazy()
        if rows
        else pl.LazyFrame(schema=schema)
    )


def _donor_key(row: dict[str, Any]) -> str:
    """Test-only identity: the real one is `moneytrail.data.names.donor_key_expr`."""
    kind = row.get("source_kind")
    if kind == "committee":
        return f"C|{row.get('source_id') or row.get('source_name')}"
    if kind == "organization":
        return f"O|{row.get('source_name')}"
    return f"I|{row.get('source_name')}|{(row.get('source_zip') or '')[:5]}"


def tx(
    transaction_id: str,
    amount_cents: int,
    *,
    kind: str = "contribution",
    source_kind: str = "individual",
    source_id: str | None = None,
    source_name: str | None = None,
    source_state: str | None = None,
    source_zip: str | None = None,
    recipient: str | None = None,
    candidate_id: str | None = None,
    support_oppose: str | None = None,
    memo: bool = False,
    on: date = date(2016, 1, 15),
    **extra: Any,
) -> dict[str, Any]:
    """One transaction row (loaded schema); `donor_key` derived unless given in `extra`."""
    row: dict[str, Any] = {
        "transaction_id": transaction_id,
        "date": on,
        "amount_cents": amount_cents,
        "kind": kind,
        "source_kind": source_kind,
        "source_id": source_id,
        "source_name": source_name,
        "source_state": source_state,
        "source_zip": source_zip,
        "recipient_committee_id": recipient,
        "candidate_id": candidate_id,
        "support_oppose": support_oppose,
        "memo": memo,
        **extra,
    }
    row.setdefault("donor_key", _donor_key(row))
    return row


def committee(
    committee_id: str,
    name: str,
    *,
    kind: str = "pac",
    state: str | None = None,
    party: str | None = None,
    candidate_id: str | None = None,
) -> dict[str, Any]:
    return {
        "committee_id": committee_id,
        "name": name,
        "kind": kind,
        "state": state,
        "party": party,
        "candidate_id": candidate_id,
        "inferred": False,
    }


def candidate(
    candidate_id: str,
    name: str,
    race_id: str,
    *,
    party: str | None = None,
    incumbent: bool = False,
    won: bool | None = None,
) -> dict[str, Any]:
    return {
        "candidate_id": candidate_id,
        "name": name,
        "party": party,
        "race_id": race_id,
        "incumbent": incumbent,
        "won": won,
        "inferred": False,
    }


def race(
    race_id: str,
    name: str,
    *,
    office: str = "District Attorney",
    state: str | None = None,
    jurisdiction: str | None = None,
    year: int = 2016,
    stage: str = "primary",
    population: int | None = None,
    median_household_income: int | None = None,
) -> dict[str, Any]:
    return {
        "race_id": race_id,
        "name": name,
        "office": office,
        "state": state,
        "jurisdiction": jurisdiction,
        "year": year,
        "stage": stage,
        "population": population,
        "median_household_income": median_household_income,
        "inferred": False,
    }


def make_dataset(
    *,
    transactions: list[dict[str, Any]] = (),  # type: ignore[assignment]
    committees: list[dict[str, Any]] = (),  # type: ignore[assignment]
    candidates: list[dict[str, Any]] = (),  # type: ignore[assignment]
    races: list[dict[str, Any]] = (),  # type: ignore[assignment]
    name: str = "test",
) -> Dataset:
    """A `Dataset` over the given rows (each list may be empty)."""
    return Dataset(
        name=name,
        source=Path(name),
        transactions=_frame(list(transactions), TRANSACTIONS),
        committees=_frame(list(committees), COMMITTEES),
        candidates=_frame(list(candidates), CANDIDATES),
        races=_frame(list(races), RACES),
        report=LoadReport(),
    )
