"""Donor identity: name/ZIP normalization, donor keys, and the expression == Python agreement."""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moneytrail.data.finalize import finalize_transactions
from moneytrail.data.names import (
    donor_key,
    donor_key_expr,
    normalize_name,
    normalize_name_expr,
    normalize_org,
    normalize_org_expr,
    with_donor_keys,
    zip5,
    zip5_expr,
)
from moneytrail.data.schema import TRANSACTIONS


def _expr_names(values: list[str | None]) -> list[str | None]:
    frame = pl.DataFrame({"n": values}, schema={"n": pl.String()})
    out = frame.select(normalize_name_expr(pl.col("n")))
    assert out.columns == ["n"]
    return out["n"].to_list()


def _expr_orgs(values: list[str | None]) -> list[str | None]:
    frame = pl.DataFrame({"n": values}, schema={"n": pl.String()})
    return frame.select(normalize_org_expr(pl.col("n")))["n"].to_list()


NAME_CASES: list[tuple[str, str]] = [
    # case, punctuation, spaces
    ("smith, john", "SMITH JOHN"),
    ("  SMITH ,   JOHN   ", "SMITH JOHN"),
    ("Smith,John", "SMITH JOHN"),
    ("SMITH, JOHN A.", "SMITH JOHN"),
    ("SMITH,\tJOHN\u00a0A", "SMITH JOHN"),
    # LAST, FIRST M  vs  FIRST M LAST
    ("John A. Smith", "SMITH JOHN"),
    ("JOHN ALLEN SMITH", "SMITH JOHN"),
    ("SMITH, JOHN ALLEN", "SMITH JOHN"),
    ("J. DAVID SMITH", "SMITH J"),
    ("SMITH, J DAVID", "SMITH J"),
    # titles and suffixes
    ("Mr. John Smith Jr.", "SMITH JOHN"),
    ("SMITH, JOHN MR", "SMITH JOHN"),
    ("SMITH JR, JOHN", "SMITH JOHN"),
    ("SMITH, JOHN, JR.", "SMITH JOHN"),
    ("DR. JANE DOE, PHD", "DOE JANE"),  # nothing but suffixes after the comma
    ("JOHN SMITH, JR.", "SMITH JOHN"),
    ("Dr. Jane Doe PhD", "DOE JANE"),
    ("DOE, JANE MRS", "DOE JANE"),
    ("JOHN SMITH III", "SMITH JOHN"),
    ("SMITH, JOHN IV", "SMITH JOHN"),
    ("HOWARD ESQ, JOHN", "HOWARD JOHN"),
    ("MD, JOHN", "JOHN"),  # nothing left before the comma: the rest reads FIRST ... LAST
    ("MR DR MRS", ""),
    # apostrophes and hyphens join; accents fold
    ("O'Brien, Mary-Kate", "OBRIEN MARYKATE"),
    ("Mary-Kate O’Brien", "OBRIEN MARYKATE"),
    ("José García", "GARCIA JOSE"),
    ("GARCIA, JOSE", "GARCIA JOSE"),
    # multi-word surnames keep their last word
    ("VAN DYKE, JOHN", "DYKE JOHN"),
    ("John van Dyke", "DYKE JOHN"),
    # single words, empties, odd shapes
    ("CHER", "CHER"),
    ("", ""),
    ("SMITH,", "SMITH"),
    (",JOHN SMITH", "SMITH JOHN"),
    ("JOHN JOHN", "JOHN JOHN"),
    ("SMITH [R]", "R SMITH"),
    ("[/bold]", "BOLD"),
    ("\x1b[31mRED\x1b[0m", "0M 31MRED"),
]


@pytest.mark.parametrize(("raw", "expected"), NAME_CASES)
def test_normalize_name_python(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


def test_normalize_name_expression_matches_the_cases() -> None:
    raws = [raw for raw, _ in NAME_CASES]
    assert _expr_names(raws) == [expected for _, expected in NAME_CASES]


def test_last_first_and_first_last_are_one_identity() -> None:
    forms = ["SMITH, JOHN A", "John A Smith", "john smith", "MR. JOHN A. SMITH JR.", "Smith, John"]
    assert {normalize_name(f) for f in forms} == {"SMITH JOHN"}
    assert set(_expr_names(forms)) == {"SMITH JOHN"}


def test_null_name_stays_null_in_the_expression() -> None:
    assert _expr_names([None, "x"]) == [None, "X"]
    assert _expr_orgs([None]) == [None]


def test_org_names_keep_their_order() -> None:
    assert normalize_org("Acme, Inc.") == "ACME INC"
    assert normalize_org("  the   Walton-Family  Foundation ") == "THE WALTONFAMILY FOUNDATION"
    assert normalize_org("DR PEPPER CO") == "DR PEPPER CO"  # no titles dropped
    assert _expr_orgs(["Acme, Inc.", "DR PEPPER CO", ""]) == ["ACME INC", "DR PEPPER CO", ""]


# Pieces rich in what the rules care about: separators, joiners, accents, titles, controls.
_PIECES = st.sampled_from(
    [
        *"abcxyzABCXYZ019 ,.'-’`[]/\t\n&éÉñßﬁªǰ\u0301\u00a0\x1b\x00",
        *["MR", "DR", "JR", "III", "ESQ", "PHD", " MRS ", "SMITH", "O'", "V"],
    ]
)
_NAMEISH = st.lists(_PIECES, max_size=12).map("".join)


def _assigned(text: str) -> bool:
    """Only characters this Python's Unicode database knows (Polars may know a newer one)."""
    return all(unicodedata.category(c) not in ("Cn", "Cs") for c in text)


@settings(max_examples=400, deadline=None)
@given(st.lists(_NAMEISH, min_size=1, max_size=20))
def test_expression_equals_python_on_generated_names(values: list[str]) -> None:
    assert _expr_names(list(values)) == [normalize_name(v) for v in values]
    assert _expr_orgs(list(values)) == [normalize_org(v) for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=20).filter(_assigned), min_size=1, max_size=20))
def test_expression_equals_python_on_arbitrary_text(values: list[str]) -> None:
    assert _expr_names(list(values)) == [normalize_name(v) for v in values]
    assert _expr_orgs(list(values)) == [normalize_org(v) for v in values]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("33101", "33101"),
        ("33101-1234", "33101"),
        ("331011234", "33101"),
        (" 02134", "02134"),
        ("2134", None),
        ("ABCDE", None),
        ("", None),
        (None, None),
        ("١٢٣٤٥", None),  # only ASCII digits make a ZIP
    ],
)
def test_zip5(raw: str | None, expected: str | None) -> None:
    assert zip5(raw) == expected
    frame = pl.DataFrame({"z": [raw]}, schema={"z": pl.String()})
    assert frame.select(zip5_expr(pl.col("z")))["z"].to_list() == [expected]


_IND = {"source_kind": "individual"}
_ORG = {"source_kind": "organization"}
_CMTE = {"source_kind": "committee"}
KEY_ROWS: list[tuple[dict[str, str | None], str]] = [
    ({**_IND, "source_name": "Smith, John A.", "source_zip": "33101-1"}, "I|SMITH JOHN|33101"),
    ({**_IND, "source_name": "JOHN SMITH", "source_zip": "331019999"}, "I|SMITH JOHN|33101"),
    ({**_IND, "source_name": "JOHN SMITH", "source_zip": None}, "I|SMITH JOHN|"),
    ({**_IND, "source_name": None, "source_zip": "33101"}, "I||33101"),
    ({**_ORG, "source_name": "Acme, Inc."}, "O|ACME INC"),
    ({**_ORG, "source_name": None}, "O|"),
    ({**_CMTE, "source_id": " C001 ", "source_name": "x"}, "C|C001"),
    ({**_CMTE, "source_id": "", "source_name": "Friends of X"}, "C|FRIENDS OF X"),
    ({**_CMTE, "source_id": None, "source_name": "Friends of X"}, "C|FRIENDS OF X"),
]


def test_donor_key_expression_and_python_agree() -> None:
    cols = ("source_kind", "source_name", "source_zip", "source_id")
    frame = pl.DataFrame(
        {c: [row.get(c) for row, _ in KEY_ROWS] for c in cols},
        schema={c: pl.String() for c in cols},
    )
    got = frame.select(donor_key_expr())
    assert got.columns == ["donor_key"]
    expected = [key for _, key in KEY_ROWS]
    assert got["donor_key"].to_list() == expected
    assert [donor_key(**row) for row, _ in KEY_ROWS] == expected


def test_finalize_adds_missing_columns_orders_and_keeps_extras() -> None:
    lf = pl.LazyFrame(
        {
            "zz_extra": ["keep me", "too"],
            "amount_cents": [500, -100],
            "transaction_id": ["t1", "t2"],
            "source_kind": ["individual", "committee"],
            "source_name": ["Doe, Jane", "PAC"],
            "source_zip": ["32801", None],
            "source_id": [None, "C9"],
            "memo": [None, True],
            "aa_extra": [1, 2],
        },
        schema_overrides={"memo": pl.Boolean()},
    )
    out = finalize_transactions(lf).collect()
    assert out.columns == [*TRANSACTIONS, "zz_extra", "aa_extra"]
    assert dict(zip(out.columns, out.dtypes, strict=True)) | {} == {
        **TRANSACTIONS,
        "zz_extra": pl.String(),
        "aa_extra": pl.Int64(),
    }
    assert out["memo"].to_list() == [False, True]
    assert out["donor_key"].to_list() == ["I|DOE JANE|32801", "C|C9"]
    assert out["date"].null_count() == 2
    assert out["zz_extra"].to_list() == ["keep me", "too"]


def test_finalize_adds_memo_false_when_absent_and_recomputes_donor_key() -> None:
    lf = pl.LazyFrame(
        {
            "transaction_id": ["t1"],
            "source_kind": ["organization"],
            "source_name": ["Acme Inc"],
            "donor_key": ["stale"],
        }
    )
    out = finalize_transactions(lf).collect()
    assert out["memo"].to_list() == [False]
    assert out["donor_key"].to_list() == ["O|ACME INC"]
    assert out.columns == list(TRANSACTIONS)


def _keys(names: list[str], zips: list[str | None] | None = None) -> list[str]:
    frame = pl.DataFrame(
        {
            "source_kind": ["individual"] * len(names),
            "source_id": [None] * len(names),
            "source_name": names,
            "source_zip": zips or ["33101"] * len(names),
        },
        schema_overrides={"source_id": pl.String},
    )
    return with_donor_keys(frame.lazy()).collect().get_column("donor_key").to_list()


def test_different_middle_initials_are_different_donors() -> None:
    keys = _keys(["SMITH, JOHN A", "SMITH, JOHN B", "John Allen Smith", "SMITH, JOHN BRUCE"])
    assert keys == [
        "I|SMITH JOHN|33101|A|",
        "I|SMITH JOHN|33101|B|",
        "I|SMITH JOHN|33101|A|",
        "I|SMITH JOHN|33101|B|",
    ]


def test_a_missing_middle_initial_merges_only_when_it_cannot_be_anyone_else() -> None:
    one = _keys(["SMITH, JOHN", "SMITH, JOHN A.", "MR. JOHN A SMITH"])
    assert len(set(one)) == 1 and one[0] == "I|SMITH JOHN|33101"
    two = _keys(["SMITH, JOHN", "SMITH, JOHN A", "SMITH, JOHN B"])
    assert len(set(two)) == 3 and two[0] == "I|SMITH JOHN|33101||"


@pytest.mark.parametrize(("a", "b"), [("JR", "SR"), ("II", "III"), ("III", "IV")])
def test_generational_suffixes_are_never_merged(a: str, b: str) -> None:
    keys = _keys([f"SMITH, JOHN {a}", f"SMITH, JOHN {b}", f"John Smith {a}."])
    assert keys[0] != keys[1] and keys[0] == keys[2]
    assert keys[0] == f"I|SMITH JOHN|33101||{a}"


def test_a_surname_repeated_after_the_given_names_is_not_a_middle_initial() -> None:
    keys = _keys(["CARPENTER, BARBARA CARPENTER", "CARPENTER, BARBARA R.", "CARPENTER, BARBARA"])
    assert len(set(keys)) == 1


def test_the_qualifiers_only_split_people_within_one_zip() -> None:
    keys = _keys(["SMITH, JOHN A", "SMITH, JOHN B"], ["33101", "10001"])
    assert keys == ["I|SMITH JOHN|33101", "I|SMITH JOHN|10001"]
