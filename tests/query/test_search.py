"""Whole-word search and `find` on hand-computed expectations."""

from __future__ import annotations

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.query.search import Match, find, find_all, query_words, word_match
from tests.query.conftest import SOROS

NAMES = [
    "SOROS, GEORGE",  # 0
    "George Soros",  # 1
    "SOROSIAK, ANNA",  # 2
    "SOROS-FUND",  # 3
    "soros.org",  # 4
    None,  # 5
    "A.B HOLDINGS",  # 6
    "AXB HOLDINGS",  # 7
    "FRIENDS OF SMITH [R]",  # 8
    "AT&T INC",  # 9
    "ÉLAN SOROS",  # 10
    "(SMITH) & SONS",  # 11
]


def _matches(query: str) -> list[int]:
    frame = pl.DataFrame({"name": NAMES}, schema={"name": pl.String})
    hits = frame.with_row_index().filter(word_match(pl.col("name"), query))
    return hits["index"].to_list()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SOROS", [0, 1, 3, 4, 10]),
        ("soros", [0, 1, 3, 4, 10]),
        ("SOROSIAK", [2]),
        ("SORO", []),
        ("george soros", [0, 1]),
        ("Soros, George", [0, 1]),
        ("george sorosiak", []),
        ("A.B", [6]),  # the dot is literal, not "any character"
        ("[R]", [8]),  # brackets trimmed: the word R
        ("smith [r", [8]),
        ("(smith)", [8, 11]),
        ("AT&T", [9]),
        ("T", [9]),  # & in data is a word boundary
        ("élan", [10]),
        (".*", [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]),  # no words: every non-null name
    ],
)
def test_word_match(query: str, expected: list[int]) -> None:
    assert _matches(query) == expected


def test_query_words() -> None:
    assert query_words("  Soros,  George ") == ["Soros", "George"]
    assert query_words("(a+b)") == ["a+b"]
    assert query_words("... --") == []


def test_find_exact_id_wins(story: Dataset) -> None:
    assert find(story, "committee", "FLPAC").rows() == [
        ("FLPAC", "Florida Safety and Justice", 150_000_000)
    ]
    assert find(story, "committee", " flpac ")["id"].to_list() == ["FLPAC"]
    assert find(story, "donor", SOROS)["id"].to_list() == [SOROS]
    assert find(story, "race", "R9")["id"].to_list() == ["R9"]
    assert find(story, "candidate", "CB")["id"].to_list() == ["CB"]


def test_find_by_name(story: Dataset) -> None:
    both = find(story, "committee", "safety justice")
    assert both.columns == ["id", "name", "total_cents"]
    assert both["id"].to_list() == ["P527", "FLPAC"]  # biggest receipts first
    assert find(story, "donor", "soros")["id"].to_list() == [SOROS]
    assert find(story, "candidate", "ashton")["id"].to_list() == ["CB"]
    assert find(story, "race", "Caddo").rows() == [
        ("R2", "Caddo Parish District Attorney, 2015", 0)
    ]
    assert find(story, "committee", "nothing like this").height == 0
    assert find(story, "committee", "").height == 0


def test_find_rejects_unknown_entity(story: Dataset) -> None:
    with pytest.raises(ValueError, match="unknown entity"):
        find(story, "donut", "x")  # type: ignore[arg-type]


def test_find_all_lists_each_kind_in_order_biggest_first(story: Dataset) -> None:
    found = find_all(story, "safety justice", per_entity=1)
    # The 527 gave (donor) and received (committee); kinds come in donor, committee order.
    assert [(m.entity, m.entity_id) for m in found] == [("donor", "C|P527"), ("committee", "P527")]
    both = find_all(story, "safety justice")
    assert [m.entity_id for m in both if m.entity == "committee"] == ["P527", "FLPAC"]
    soros = find_all(story, "soros")
    assert soros[0] == Match("donor", SOROS, soros[0].name, soros[0].total_cents)
    assert soros[0].total_cents is not None and soros[0].total_cents > 0
    assert find_all(story, "nothing like this") == []
