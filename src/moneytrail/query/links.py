"""The names linked across filing systems, as the explorer's links view lists them, and the
user's decisions on them.

`moneytrail.data.sources.links` links a name one filing writes (the 527's payee "FLORIDA SAFETY
AND JUSTICE", FL) to a committee of another filing system and says why; `links_table` lists
those links from the dataset's rows. This module turns that table into plain values for the
explorer (`Link`), adds the links the user broke (they are in the decisions file, no longer in
the rows, and can be confirmed again), and saves a decision beside the dataset exactly as the
`moneytrail links --confirm/--break` command does. The next load of the dataset follows it.

`list_links` collects: call it from a worker thread. `decide` writes one small file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from moneytrail.data.dataset import Dataset
from moneytrail.data.ids import SEPARATOR, qualified
from moneytrail.data.sources.links import (
    DECISIONS_FILE,
    Decision,
    links_table,
    load_decisions,
    save_decision,
)

Status = Literal["auto", "confirmed", "broken"]


@dataclass(frozen=True, slots=True)
class Link:
    """One name linked (or, `status` "broken", unlinked by the user) to a committee."""

    source: str  # the filing system whose rows write `name` ("" for a broken link)
    name: str  # as the filing writes it
    state: str
    committee_id: str  # as its filing system writes it (what users see and type)
    committee_key: str  # the id the dataset holds (qualified: "fl:..."), to open its detail
    committee_name: str
    rows: int
    reason: str
    status: Status


def decisions_folder(dataset: Dataset) -> Path:
    """The folder the dataset's link decisions are saved in (beside its files)."""
    where = Path(dataset.source)
    return where if where.is_dir() else where.parent


def _held_id(committee_id: str, committee_source: str | None) -> str:
    return qualified(committee_source, committee_id) if committee_source else committee_id


def list_links(dataset: Dataset, committee_key: str | None = None) -> list[Link]:
    """Every name linked across filing systems, and every link the user broke; only those of
    committee `committee_key` (the id the dataset holds) when given. Ordered by committee,
    then source and name; broken links last."""
    table = links_table(dataset.transactions).collect()
    names = dict(dataset.committees.select("committee_id", "name").collect().iter_rows())
    out: list[Link] = []
    for row in table.iter_rows(named=True):
        key = _held_id(row["committee_id"], row["committee_source"])
        out.append(
            Link(
                source=row["source"] or "",
                name=row["name"] or "",
                state=row["state"] or "",
                committee_id=row["committee_id"] or "",
                committee_key=key,
                committee_name=names.get(key) or row["committee_id"] or "",
                rows=int(row["rows"] or 0),
                reason=row["reason"] or "",
                status="confirmed" if row["status"] == "confirmed" else "auto",
            )
        )
    held = list(names)
    for d in load_decisions(decisions_folder(dataset)):
        if d.decision != "break":
            continue
        matches = [k for k in held if d.committee_id in (k, k.split(SEPARATOR, 1)[-1])]
        key = matches[0] if len(matches) == 1 else d.committee_id
        out.append(
            Link(
                source="",
                name=d.name,
                state=d.state,
                committee_id=d.committee_id,
                committee_key=key,
                committee_name=names.get(key) or d.committee_id,
                rows=0,
                reason=f"broken by the user (saved in {DECISIONS_FILE})",
                status="broken",
            )
        )
    if committee_key is not None:
        out = [link for link in out if link.committee_key == committee_key]
    return out


def decide(dataset: Dataset, link: Link, verdict: Literal["confirm", "break"]) -> Path:
    """Save the user's `verdict` on `link` beside the dataset (`moneytrail-links.csv`, as the
    `links` command does); returns the file. The dataset must be opened again to follow it."""
    decision = Decision(link.name, link.state, link.committee_id, verdict)
    return save_decision(decisions_folder(dataset), decision)
