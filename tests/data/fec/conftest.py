"""Shared helpers for the FEC importer tests: the committed real snapshot and line builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from moneytrail.data.fec.layouts import LAYOUTS

#: The real 2016-cycle snapshot committed with the tests (never the shared original).
SNAPSHOT = Path(__file__).resolve().parents[3] / "sample_data" / "fec-2016-early"


def fec_line(kind: str, **fields: str) -> str:
    """One `|`-delimited line of `kind` with the given FEC fields (others empty)."""
    layout = LAYOUTS[kind]
    unknown = set(fields) - set(layout)
    assert not unknown, unknown
    line = "|".join(fields.get(name, "") for name in layout)
    return line + "|" if kind == "oppexp" else line


@pytest.fixture
def no_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep anything under test away from the user's real cache and config."""
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path / "config"))


def actblue_lump_lines() -> list[str]:
    """Lump receipts from ActBlue (`actblue_cm_line`) into 30 committees, 30 by its id (a
    committee source) and 30 by its name only (an organization): one pseudo-donor,
    "UNITEMIZED EARMARKED CONTRIBUTIONS VIA ACTBLUE", whose rows start in different donor
    buckets."""
    common = {"TRANSACTION_TP": "18K", "ZIP_CODE": "02144", "TRANSACTION_DT": "01152016"}
    by_id = [
        fec_line("itcont", CMTE_ID=f"C0000{i:04d}", ENTITY_TP="PAC", NAME="ACTBLUE",
                 OTHER_ID="C00401224", TRANSACTION_AMT="100", TRAN_ID=f"A{i}", SUB_ID=str(i),
                 **common)
        for i in range(30)
    ]  # fmt: skip
    by_name = [
        fec_line("itcont", CMTE_ID=f"C0000{i:04d}", ENTITY_TP="ORG", NAME="ACTBLUE",
                 TRANSACTION_AMT="50", TRAN_ID=f"B{i}", SUB_ID=str(100 + i), **common)
        for i in range(30)
    ]  # fmt: skip
    return by_id + by_name


def actblue_cm_line() -> str:
    """ActBlue's committee record, so receipts from its id are known as a conduit's."""
    return fec_line("cm", CMTE_ID="C00401224", CMTE_NM="ACTBLUE")


def many_donor_lines(count: int = 3000) -> list[str]:
    """`count` people giving $10 each to one committee, each under a ZIP of their own (so they
    spread over the donor buckets)."""
    return [
        fec_line("itcont", CMTE_ID="C00000001", ENTITY_TP="IND", NAME=f"DONOR{i:04d}, ANN",
                 ZIP_CODE=f"{10000 + 37 * i:05d}", TRANSACTION_DT="01152016",
                 TRANSACTION_TP="15", TRANSACTION_AMT="10", TRAN_ID=f"D{i}", SUB_ID=str(900 + i))
        for i in range(count)
    ]  # fmt: skip
