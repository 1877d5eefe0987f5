"""Tracing through joint fundraising: JF memo rows (15J, 18J) name who is behind a transfer."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.fec import import_fec
from moneytrail.query.committees import committees
from moneytrail.query.filters import Filters
from moneytrail.query.trace import trace_committee
from moneytrail.query.trace_graph import clear_cache
from tests.data.fec.conftest import SNAPSHOT, fec_line
from tests.data.fec.test_rules import gift, oth, write

JFC = "C00000077"
PARTY = "C00000001"
PAC = "C00000042"


def _folder(tmp_path: Path, memos: list[str]) -> Dataset:
    write(
        tmp_path,
        "itcont.txt",
        [
            gift(JFC, "1000", "1", NAME="ALPHA, ANN", STATE="NY"),
            gift(JFC, "1000", "2", NAME="BETA, BOB", STATE="TX"),
        ],
    )
    write(
        tmp_path,
        "itoth.txt",
        [
            oth(PARTY, "18G", "1000", "3", OTHER_ID=JFC, NAME="VICTORY FUND", ENTITY_TP="CCM"),
            oth(JFC, "24G", "1000", "4", OTHER_ID=PARTY, NAME="THE PARTY"),
            *memos,
        ],
    )
    write(
        tmp_path,
        "cm.txt",
        [
            fec_line("cm", CMTE_ID=JFC, CMTE_NM="VICTORY FUND", CMTE_TP="N", CMTE_DSGN="J"),
            fec_line("cm", CMTE_ID=PARTY, CMTE_NM="THE PARTY", CMTE_TP="Y", CMTE_DSGN="U"),
            fec_line("cm", CMTE_ID=PAC, CMTE_NM="SOME PAC", CMTE_TP="Q", CMTE_DSGN="U"),
        ],
    )
    clear_cache()
    return import_fec(tmp_path)


def memo(sub_id: str, name: str, amount: str, code: str = "15J", **more: str) -> str:
    fields = {"NAME": name, "ENTITY_TP": "IND", "MEMO_CD": "X", "ZIP_CODE": "328011234", **more}
    return oth(PARTY, code, amount, sub_id, **fields)


def _sources(ds: Dataset) -> dict[str, int]:
    result = trace_committee(ds, Filters(), PARTY)
    names = [e.name for e in result.entries]
    assert len(names) == len(set(names)), names  # the memo's giver is the gift's donor
    return {e.name: e.amount_cents for e in result.entries}


def test_without_memos_a_jfc_transfer_is_traced_pro_rata(tmp_path: Path) -> None:
    ds = _folder(tmp_path, [])
    assert _sources(ds) == {"ALPHA, ANN": 500_00, "BETA, BOB": 500_00}


def test_jf_memos_attribute_the_transfer_to_the_people_they_name(tmp_path: Path) -> None:
    ds = _folder(tmp_path, [memo("10", "BETA, BOB", "1000", STATE="TX")])
    assert _sources(ds) == {"BETA, BOB": 1000_00}
    # the memo row never adds to a total: the party's receipts are the transfer only
    row = committees(ds, Filters()).filter(pl.col("committee_id") == PARTY).collect()
    assert row.item(0, "receipts_cents") == 1000_00


def test_memos_naming_part_of_a_transfer_leave_the_rest_pro_rata(tmp_path: Path) -> None:
    ds = _folder(tmp_path, [memo("10", "BETA, BOB", "400")])
    assert _sources(ds) == {"BETA, BOB": 700_00, "ALPHA, ANN": 300_00}


def test_memos_naming_more_than_the_transfer_are_scaled_to_it(tmp_path: Path) -> None:
    ds = _folder(tmp_path, [memo("10", "BETA, BOB", "1500"), memo("11", "ALPHA, ANN", "500")])
    assert _sources(ds) == {"BETA, BOB": 750_00, "ALPHA, ANN": 250_00}


def test_an_18j_memo_names_a_committee_behind_the_transfer(tmp_path: Path) -> None:
    ds = _folder(
        tmp_path,
        [memo("10", "SOME PAC", "1000", code="18J", ENTITY_TP="PAC", OTHER_ID=PAC)],
    )
    # SOME PAC has no receipts of its own: its money has no recorded source
    assert _sources(ds) == {"Unattributed (no recorded receipts: SOME PAC)": 1000_00}


@pytest.mark.parametrize("designation", ["U", ""])
def test_memos_only_replace_transfers_from_joint_fundraisers(
    tmp_path: Path, designation: str
) -> None:
    ds = _folder(tmp_path, [memo("10", "BETA, BOB", "1000")])
    write(
        tmp_path,
        "cm.txt",
        [fec_line("cm", CMTE_ID=JFC, CMTE_NM="VICTORY FUND", CMTE_TP="N", CMTE_DSGN=designation)],
    )
    clear_cache()
    ds = import_fec(tmp_path)
    assert _sources(ds) == {"ALPHA, ANN": 500_00, "BETA, BOB": 500_00}


def test_real_snapshot_jf_memo_names_the_giver_behind_a_party_jfc_transfer() -> None:
    clear_cache()
    ds = import_fec(SNAPSHOT)
    tx = ds.transactions.collect()
    rnc = "C00003418"
    memo_rows = tx.filter(
        (pl.col("recipient_committee_id") == rnc) & (pl.col("fec_transaction_type") == "15J")
    )
    assert memo_rows.get_column("source_name").to_list() == ["RUSSO, JOSEPH D. MR."]
    assert memo_rows.get_column("memo").all()
    result = trace_committee(ds, Filters(), rnc)
    russo = {e.name: e.amount_cents for e in result.entries}["RUSSO, JOSEPH D. MR."]
    assert russo >= 1300_00  # the whole $1,300 JFC transfer the memo itemizes, at least
    receipts = committees(ds, Filters()).filter(pl.col("committee_id") == rnc).collect()
    assert receipts.item(0, "receipts_cents") == result.total_cents
