"""The FEC summary files (webk, weball, webl) beside the bulk files: reported totals."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from moneytrail.cli import main
from moneytrail.data.fec import import_fec
from moneytrail.query.details import candidate_detail, committee_detail
from tests.data.fec.conftest import fec_line
from tests.data.fec.test_rules import gift, oth, write

PAC = "C00000042"
CAMPAIGN = "C00500001"
CANDIDATE = "H6VA01001"


def webk(cmte: str, receipts: str, through: str = "03/31/2016", **more: str) -> str:
    fields = {
        "CMTE_ID": cmte,
        "CMTE_NM": "SOME PAC",
        "CMTE_TP": "Q",
        "CMTE_DSGN": "U",
        "CMTE_FILING_FREQ": "M",
        "TTL_RECEIPTS": receipts,
        "TRANS_FROM_AFF": "0",
        "INDV_CONTRIB": receipts,
        "TTL_DISB": "100",
        "COH_BOP": "0",
        "COH_COP": "0",
        "CVG_END_DT": through,
    }
    fields.update(more)
    return fec_line("webk", **fields)


def weball(cand: str, receipts: str, kind: str = "weball", **more: str) -> str:
    fields = {
        "CAND_ID": cand,
        "CAND_NAME": "WITT, ROBERT",
        "CAND_ICI": "I",
        "PTY_CD": "1",
        "CAND_PTY_AFFILIATION": "REP",
        "TTL_RECEIPTS": receipts,
        "TTL_DISB": "10",
        "CAND_OFFICE_ST": "VA",
        "CAND_OFFICE_DISTRICT": "01",
        "CVG_END_DT": "12/31/2015",
    }
    fields.update(more)
    return fec_line(kind, **fields)


def _folder(tmp_path: Path) -> Path:
    write(
        tmp_path,
        "itcont.txt",
        [gift(PAC, "1500", "1"), gift(CAMPAIGN, "2700", "2"), gift(CAMPAIGN, "300", "3")],
    )
    write(
        tmp_path,
        "itoth.txt",
        # The PAC's 24K to the campaign; the campaign's own receipt is not in the files yet.
        [oth(PAC, "24K", "1000", "4", OTHER_ID=CAMPAIGN, ENTITY_TP="CCM")],
    )
    write(
        tmp_path,
        "cm.txt",
        [
            fec_line("cm", CMTE_ID=PAC, CMTE_NM="SOME PAC", CMTE_TP="Q", CMTE_DSGN="U"),
            fec_line(
                "cm",
                CMTE_ID=CAMPAIGN,
                CMTE_NM="WITT FOR CONGRESS",
                CMTE_TP="H",
                CMTE_DSGN="P",
                CAND_ID=CANDIDATE,
            ),
        ],
    )
    write(
        tmp_path,
        "cn.txt",
        [
            fec_line(
                "cn",
                CAND_ID=CANDIDATE,
                CAND_NAME="WITT, ROBERT",
                CAND_ELECTION_YR="2016",
                CAND_OFFICE_ST="VA",
                CAND_OFFICE="H",
                CAND_OFFICE_DISTRICT="01",
                CAND_PCC=CAMPAIGN,
            )
        ],
    )
    with zipfile.ZipFile(tmp_path / "webk16.zip", "w") as zf:
        zf.writestr("webk16.txt", webk(PAC, "6000.00") + "\n" + webk("C00999999", "12.5") + "\n")
    with zipfile.ZipFile(tmp_path / "weball16.zip", "w") as zf:
        zf.writestr("weball16.txt", weball(CANDIDATE, "16000") + "\n")
    write(tmp_path, "webl16.txt", [weball(CANDIDATE, "99", kind="webl")])
    return tmp_path


def test_summary_files_are_read_and_reported_in_the_load_report(tmp_path: Path) -> None:
    ds = import_fec(_folder(tmp_path))
    kinds = {f.kind: f for f in ds.report.files}
    assert {"fec:webk", "fec:weball", "fec:webl"} <= set(kinds)
    assert kinds["fec:webk"].rows_loaded == 2 and kinds["fec:webk"].rows_rejected == 0
    assert not ds.report.warnings
    cm = ds.committees.filter(pl.col("committee_id") == PAC).collect().row(0, named=True)
    assert cm["reported_receipts_cents"] == 6000_00
    assert cm["reported_through"] == date(2016, 3, 31)
    cn = ds.candidates.filter(pl.col("candidate_id") == CANDIDATE).collect().row(0, named=True)
    assert cn["reported_receipts_cents"] == 16000_00  # weball wins over webl


def test_committee_reconciliation_puts_counted_receipts_beside_the_reported_total(
    tmp_path: Path,
) -> None:
    ds = import_fec(_folder(tmp_path))
    rec = committee_detail(ds, None, PAC).reconciliation
    assert rec is not None
    assert rec.row(0, named=True) == {
        "receipts_cents": 1500_00,
        "filed_by_recipient_cents": 1500_00,
        "giver_only_cents": 0,
        "reported_receipts_cents": 6000_00,
        "coverage_share": 0.25,
        "reported_through": date(2016, 3, 31),
    }


def test_candidate_reconciliation_shows_money_only_the_giver_reported(tmp_path: Path) -> None:
    ds = import_fec(_folder(tmp_path))
    rec = candidate_detail(ds, None, CANDIDATE).reconciliation
    assert rec is not None
    row = rec.row(0, named=True)
    assert row["receipts_cents"] == 4000_00
    assert row["filed_by_recipient_cents"] == 3000_00
    assert row["giver_only_cents"] == 1000_00
    assert row["coverage_share"] == pytest.approx(0.25)
    # the campaign has no webk line: its committee detail knows no reported total
    campaign = committee_detail(ds, None, CAMPAIGN).reconciliation
    assert campaign is not None
    assert campaign.row(0, named=True)["reported_receipts_cents"] is None
    assert campaign.row(0, named=True)["giver_only_cents"] == 1000_00


def test_show_prints_and_exports_the_reconciliation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    folder = _folder(tmp_path / "data")
    assert main(["show", "candidate", CANDIDATE, str(folder), "--no-cache"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # lines wrap at the console width
    assert "reported by the giver only $1,000.00" in out
    assert "reported total receipts $16,000.00 through 2015-12-31, coverage 25.0%" in out
    assert main(["show", "committee", PAC, str(folder), "--format", "json", "--no-cache"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["reconciliation"]["reported_receipts"] == 6000.0
    assert payload["reconciliation"]["coverage_share"] == 0.25


def test_bad_summary_lines_are_rejects_with_file_and_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        "webk16.txt",
        [webk(PAC, "12x"), webk("", "5"), webk(PAC, "5", through="02/30/2016"), webk(PAC, "")],
    )
    ds = import_fec(tmp_path)
    rejects = ds.rejects.collect().select("file", "line", "reason").rows()
    assert rejects == [
        ("webk16.txt", 1, "bad amount"),
        ("webk16.txt", 2, "missing id"),
        ("webk16.txt", 3, "bad date"),
    ]
    cm = ds.committees.filter(pl.col("committee_id") == PAC).collect()
    assert cm.height == 0 or cm.item(0, "reported_receipts_cents") is None


def test_a_file_named_webk_that_is_not_one_stops_with_one_line(tmp_path: Path) -> None:
    write(tmp_path, "webk16.txt", ["a|b|c"])
    from moneytrail.data.errors import DataError

    with pytest.raises(DataError, match="not an FEC webk file"):
        import_fec(tmp_path)
