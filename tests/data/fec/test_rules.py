"""Each FEC counting rule on hand-written bulk lines (tiny files in tmp folders)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.fec import import_fec
from moneytrail.query.donors import donors
from moneytrail.query.filters import Filters
from tests.data.fec.conftest import fec_line

ACTBLUE = "C00401224"


def write(folder: Path, name: str, lines: list[str] | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    data = lines if isinstance(lines, bytes) else ("\n".join(lines) + "\n").encode()
    path.write_bytes(data)
    return path


def gift(cmte: str, amount: str, sub_id: str, **more: str) -> str:
    fields = {
        "CMTE_ID": cmte,
        "AMNDT_IND": "N",
        "RPT_TP": "M2",
        "TRANSACTION_TP": "15",
        "ENTITY_TP": "IND",
        "NAME": "DOE, JANE",
        "CITY": "ORLANDO",
        "STATE": "FL",
        "ZIP_CODE": "328011234",
        "TRANSACTION_DT": "01152016",
        "TRANSACTION_AMT": amount,
        "TRAN_ID": f"T{sub_id}",
        "FILE_NUM": "1000",
        "SUB_ID": sub_id,
    }
    fields.update(more)
    return fec_line("itcont", **fields)


def tx_of(ds: Dataset) -> pl.DataFrame:
    return ds.transactions.collect().sort("fec_file", "fec_line")


def counted_cents(ds: Dataset) -> int:
    return int(
        ds.transactions.filter(~pl.col("memo"))
        .select(pl.col("amount_cents").sum())
        .collect()
        .item()
    )


def assert_report_balances(ds: Dataset) -> None:
    for f in ds.report.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
    assert ds.rejects.collect().height == ds.report.rows_rejected


def test_refund_is_stored_negative_and_subtracts(tmp_path: Path) -> None:
    write(
        tmp_path,
        "itcont.txt",
        [gift("C1", "500", "1"), gift("C1", "100", "2", TRANSACTION_TP="22Y")],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.get_column("amount_cents").to_list() == [500_00, -100_00]
    assert rows.get_column("fec_amount_cents").to_list() == [500_00, 100_00]
    assert rows.get_column("recipient_committee_id").to_list() == ["C1", "C1"]
    assert counted_cents(ds) == 400_00
    assert_report_balances(ds)


def test_memo_rows_are_loaded_but_not_counted(tmp_path: Path) -> None:
    write(
        tmp_path,
        "itcont.txt",
        [gift("C1", "250", "1"), gift("C1", "75", "2", MEMO_CD="X", MEMO_TEXT="JFC MEMO")],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.get_column("memo").to_list() == [False, True]
    assert rows.get_column("memo_reason").to_list() == [None, "memo_code"]
    assert rows.get_column("description").to_list() == [None, "JFC MEMO"]
    assert counted_cents(ds) == 250_00


def test_earmark_pair_counts_once_with_conduit_as_provenance(tmp_path: Path) -> None:
    write(
        tmp_path,
        "itcont.txt",
        [
            gift("C2", "1000", "1", TRANSACTION_TP="15E", OTHER_ID=ACTBLUE),
            gift(ACTBLUE, "1000", "2", TRANSACTION_TP="24T", OTHER_ID="C2"),
            gift(ACTBLUE, "40", "3", TRANSACTION_TP="24T", OTHER_ID="C3", NAME="ROE, RICH"),
        ],
    )
    write(
        tmp_path,
        "cm.txt",
        [
            fec_line("cm", CMTE_ID=ACTBLUE, CMTE_NM="ACTBLUE", CMTE_TP="W", CMTE_DSGN="U"),
            fec_line("cm", CMTE_ID="C2", CMTE_NM="FRIENDS OF X", CMTE_TP="H", CMTE_DSGN="P"),
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    counted = rows.filter(~pl.col("memo"))
    assert counted.height == 1
    only = counted.row(0, named=True)
    assert (only["source_name"], only["source_kind"], only["source_id"]) == (
        "DOE, JANE",
        "individual",
        None,
    )
    assert (only["recipient_committee_id"], only["conduit_committee_id"]) == ("C2", ACTBLUE)
    forwarded = rows.filter(pl.col("fec_transaction_type") == "24T")
    assert forwarded.get_column("memo").to_list() == [True, True]
    assert set(forwarded.get_column("memo_reason")) == {"earmark_forwarded"}
    # The forwarding row is the donor's gift seen at the conduit: never the conduit's own money.
    assert forwarded.get_column("source_kind").to_list() == ["individual", "individual"]
    assert forwarded.get_column("conduit_committee_id").to_list() == [ACTBLUE, ACTBLUE]
    assert counted_cents(ds) == 1000_00
    keys = donors(ds, Filters()).collect().get_column("donor_key").to_list()
    assert not any(ACTBLUE in k for k in keys)
    kinds = dict(ds.committees.select("committee_id", "kind").collect().iter_rows())
    assert kinds[ACTBLUE] == "conduit"


def test_transfer_reported_by_both_committees_counts_once_at_recipient(tmp_path: Path) -> None:
    base = {"AMNDT_IND": "N", "RPT_TP": "M2", "FILE_NUM": "5"}
    write(
        tmp_path,
        "itoth.txt",
        [
            # The giver C1 reports sending 1000 to C2 ...
            fec_line(
                "itoth",
                CMTE_ID="C1",
                TRANSACTION_TP="24K",
                ENTITY_TP="CCM",
                NAME="C2 FOR CONGRESS",
                TRANSACTION_DT="01052016",
                TRANSACTION_AMT="1000",
                OTHER_ID="C2",
                SUB_ID="11",
                **base,
            ),
            # ... and C2 reports receiving it three days later.
            fec_line(
                "itoth",
                CMTE_ID="C2",
                TRANSACTION_TP="18K",
                ENTITY_TP="PAC",
                NAME="C1 PAC",
                TRANSACTION_DT="01082016",
                TRANSACTION_AMT="1000",
                OTHER_ID="C1",
                SUB_ID="12",
                **base,
            ),
            # A second gift C2 has not reported yet: only the giver's report exists.
            fec_line(
                "itoth",
                CMTE_ID="C1",
                TRANSACTION_TP="24K",
                ENTITY_TP="CCM",
                NAME="C2 FOR CONGRESS",
                TRANSACTION_DT="02052016",
                TRANSACTION_AMT="1000",
                OTHER_ID="C2",
                SUB_ID="13",
                **base,
            ),
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.get_column("source_id").to_list() == ["C1", "C1", "C1"]
    assert rows.get_column("recipient_committee_id").to_list() == ["C2", "C2", "C2"]
    assert rows.get_column("memo_reason").to_list() == ["reported_by_recipient", None, None]
    assert counted_cents(ds) == 2000_00


def test_itpas2_copy_of_itoth_row_counts_once(tmp_path: Path) -> None:
    common = {
        "CMTE_ID": "C1",
        "TRANSACTION_TP": "24K",
        "ENTITY_TP": "CCM",
        "NAME": "C2 FOR CONGRESS",
        "TRANSACTION_DT": "01052016",
        "TRANSACTION_AMT": "2500",
        "OTHER_ID": "C2",
        "SUB_ID": "77",
    }
    write(tmp_path, "itoth.txt", [fec_line("itoth", **common)])
    write(tmp_path, "itpas2.txt", [fec_line("itpas2", CAND_ID="H6FL09123", **common)])
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.select("fec_kind", "memo", "memo_reason", "candidate_id").rows() == [
        ("itoth", True, "same_record_in_itpas2", None),
        ("itpas2", False, None, "H6FL09123"),
    ]
    assert counted_cents(ds) == 2500_00


def test_amended_transaction_counts_once_latest_filing_wins(tmp_path: Path) -> None:
    write(
        tmp_path,
        "itcont.txt",
        [
            gift("C1", "300", "1", TRAN_ID="A1", FILE_NUM="1000"),
            gift("C1", "300", "2", TRAN_ID="A1", FILE_NUM="1200", AMNDT_IND="A"),
            gift("C1", "20", "3", TRAN_ID="B1", FILE_NUM="1000"),
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.get_column("memo_reason").to_list() == ["amended", None, None]
    assert counted_cents(ds) == 320_00


def test_amendment_under_another_report_type_still_counts_once(tmp_path: Path) -> None:
    # A monthly report later amended as a termination report: the gift is the same one.
    write(
        tmp_path,
        "itcont.txt",
        [
            gift("C1", "300", "1", TRAN_ID="A1", FILE_NUM="1000", RPT_TP="M6"),
            gift("C1", "300", "2", TRAN_ID="A1", FILE_NUM="1500", RPT_TP="TER", AMNDT_IND="A"),
        ],
    )
    ds = import_fec(tmp_path)
    assert tx_of(ds).get_column("memo_reason").to_list() == ["amended", None]
    assert counted_cents(ds) == 300_00


def test_transaction_ids_reused_in_another_year_are_different_gifts(tmp_path: Path) -> None:
    # Same filer, TRAN_ID, type, amount and report type (Q1) but a Q1 of 2015 and one of 2016:
    # the report type has no year, so only the date tells them apart, and both count.
    write(
        tmp_path,
        "itcont.txt",
        [
            gift(
                "C1",
                "500",
                "1",
                TRAN_ID="SA11.1",
                FILE_NUM="1000",
                RPT_TP="Q1",
                TRANSACTION_DT="03022015",
            ),
            gift(
                "C1",
                "500",
                "2",
                TRAN_ID="SA11.1",
                FILE_NUM="2000",
                RPT_TP="Q1",
                TRANSACTION_DT="03022016",
            ),
        ],
    )
    ds = import_fec(tmp_path)
    assert tx_of(ds).get_column("memo").to_list() == [False, False]
    assert counted_cents(ds) == 1000_00


def test_same_transaction_id_with_another_type_or_amount_is_not_an_amendment(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "itcont.txt",
        [
            gift("C1", "300", "1", TRAN_ID="A1", FILE_NUM="1000"),
            gift("C1", "300", "2", TRAN_ID="A1", FILE_NUM="1200", TRANSACTION_TP="15C"),
            gift("C1", "250", "3", TRAN_ID="A1", FILE_NUM="1300"),
        ],
    )
    ds = import_fec(tmp_path)
    assert tx_of(ds).get_column("memo").to_list() == [False, False, False]
    assert counted_cents(ds) == 850_00


def test_wrong_field_count_and_blank_lines_are_rejects_with_line_numbers(tmp_path: Path) -> None:
    short = "|".join(["C1"] * 20)
    write(tmp_path, "itcont.txt", [gift("C1", "5", "1"), short, "", gift("C1", "7", "4")])
    ds = import_fec(tmp_path)
    rejects = ds.rejects.collect()
    assert rejects.select("file", "line", "reason", "raw").rows() == [
        ("itcont.txt", 2, "wrong field count", short),
        ("itcont.txt", 3, "wrong field count", ""),
    ]
    (report,) = ds.report.files
    assert (report.rows_read, report.rows_loaded, report.rejected) == (
        4,
        2,
        {"wrong field count": 2},
    )
    assert tx_of(ds).get_column("fec_line").to_list() == [1, 4]


@pytest.mark.parametrize("bad", ["02302016", "00000000", "13012016", "2016011", "JAN 1"])
def test_impossible_dates_are_rejected(tmp_path: Path, bad: str) -> None:
    write(
        tmp_path,
        "itcont.txt",
        [gift("C1", "5", "1"), gift("C1", "6", "2", TRANSACTION_DT=bad)],
    )
    ds = import_fec(tmp_path)
    rejects = ds.rejects.collect()
    assert rejects.select("line", "column", "reason").rows() == [(2, "TRANSACTION_DT", "bad date")]
    assert tx_of(ds).get_column("date").to_list() == [date(2016, 1, 15)]


def test_missing_date_loads_as_null(tmp_path: Path) -> None:
    write(tmp_path, "itcont.txt", [gift("C1", "5", "1", TRANSACTION_DT="")])
    ds = import_fec(tmp_path)
    assert tx_of(ds).get_column("date").to_list() == [None]
    assert ds.report.rows_rejected == 0


@pytest.mark.parametrize("bad", ["12x", "", "1.234", "$5", "1,000"])
def test_bad_amounts_are_rejected(tmp_path: Path, bad: str) -> None:
    write(tmp_path, "itcont.txt", [gift("C1", bad, "1"), gift("C1", "10.5", "2")])
    ds = import_fec(tmp_path)
    assert ds.rejects.collect().select("line", "column", "reason").rows() == [
        (1, "TRANSACTION_AMT", "bad amount")
    ]
    assert tx_of(ds).get_column("amount_cents").to_list() == [1050]


def test_bytes_that_are_not_utf8_are_read_as_cp1252_and_counted(tmp_path: Path) -> None:
    good = gift("C1", "5", "1").encode()
    latin = gift("C1", "6", "2", NAME="MU\x00OZ, JOS\x01").encode()
    latin = latin.replace(b"\x00", b"\xd1").replace(b"\x01", b"\xc9")  # Latin-1 Ñ, É
    quoted = gift("C1", "8", "4", NAME="\x00BOB\x01 \x02").encode()
    quoted = quoted.replace(b"\x00", b"\x93").replace(b"\x01", b"\x94").replace(b"\x02", b"\x81")
    accented = gift("C1", "7", "3", NAME="PEÑA, ANA").encode()  # valid UTF-8 stays as it is
    write(tmp_path, "itcont.txt", b"\n".join([good, latin, accented, quoted]) + b"\n")
    ds = import_fec(tmp_path)
    (report,) = ds.report.files
    assert report.bytes_replaced == 5
    assert report.rows_loaded == 4
    names = tx_of(ds).get_column("source_name").to_list()
    # cp1252's curly quotes; 0x81 is undefined in cp1252 and becomes U+FFFD.
    assert names == ["DOE, JANE", "MUÑOZ, JOSÉ", "PEÑA, ANA", "\u201cBOB\u201d \ufffd"]


def test_names_with_quotes_and_crlf_lines(tmp_path: Path) -> None:
    line = gift("C1", "5", "1", NAME='SMITH, ROBERT "BOB" [R]')
    write(tmp_path, "itcont.txt", (line + "\r\n" + gift("C1", "6", "2") + "\r\n").encode())
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.get_column("source_name").to_list() == ['SMITH, ROBERT "BOB" [R]', "DOE, JANE"]
    assert rows.get_column("transaction_id").to_list() == ["1", "2"]


def test_oppexp_lines_with_trailing_separator(tmp_path: Path) -> None:
    line = fec_line(
        "oppexp",
        CMTE_ID="C1",
        AMNDT_IND="N",
        RPT_TP="Q1",
        NAME="ACME PRINTING",
        TRANSACTION_DT="03/15/2016",
        TRANSACTION_AMT="1234.56",
        PURPOSE="YARD SIGNS",
        SUB_ID="9001",
    )
    assert line.endswith("|")
    write(tmp_path, "oppexp.txt", [line, line[:-1].replace("9001", "9002")])
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.select("kind", "source_id", "amount_cents", "date", "description").row(0) == (
        "expenditure",
        "C1",
        123456,
        date(2016, 3, 15),
        "ACME PRINTING - YARD SIGNS",
    )
    assert rows.height == 2
    assert ds.report.rows_rejected == 0


IE_HEADER = (
    "cand_id,cand_name,spe_id,spe_nam,ele_type,can_office_state,can_office_dis,can_office,"
    "cand_pty_aff,exp_amo,exp_date,agg_amo,sup_opp,pur,pay,file_num,amndt_ind,tran_id,"
    "image_num,receipt_dat,fec_election_yr,prev_file_num,dissem_dt"
)


def ie_row(amount: str, side: str, tran: str, payee: str = "MEDIA CO") -> str:
    return (
        f'H6FL09123,"AYALA, A",C9,"SAFETY, JUSTICE PAC",G,FL,09,H,DEM,{amount},15-JAN-16,'
        f'{amount},{side},TV AD,"{payee}",500,N,{tran},201601,16-JAN-16,2016,,15-JAN-16'
    )


def test_independent_expenditure_csv(tmp_path: Path) -> None:
    write(
        tmp_path,
        "independent_expenditure_2016.csv",
        [
            IE_HEADER,
            ie_row("5000", "S", "E1", payee="ADS, INC"),
            ie_row("2500.50", "O", "E2"),
            ie_row("12x", "S", "E3"),
            ie_row("100", "S", "E4") + ",EXTRA",
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.select(
        "kind", "source_id", "source_name", "candidate_id", "support_oppose", "amount_cents"
    ).rows() == [
        ("independent_expenditure", "C9", "SAFETY, JUSTICE PAC", "H6FL09123", "S", 500000),
        ("independent_expenditure", "C9", "SAFETY, JUSTICE PAC", "H6FL09123", "O", 250050),
    ]
    assert rows.get_column("date").to_list() == [date(2016, 1, 15)] * 2
    assert rows.get_column("description")[0] == "ADS, INC - TV AD"
    assert rows.get_column("cycle").to_list() == [2016, 2016]
    assert ds.rejects.collect().select("line", "reason").rows() == [
        (4, "bad amount"),
        (5, "wrong field count"),
    ]
    assert_report_balances(ds)


def test_ie_notice_also_on_periodic_report_counts_once(tmp_path: Path) -> None:
    write(tmp_path, "independent_expenditure_2016.csv", [IE_HEADER, ie_row("5000", "S", "E1")])
    write(
        tmp_path,
        "itpas2.txt",
        [
            fec_line(
                "itpas2",
                CMTE_ID="C9",
                TRANSACTION_TP="24E",
                ENTITY_TP="ORG",
                NAME="MEDIA CO",
                TRANSACTION_DT="01152016",
                TRANSACTION_AMT="5000",
                CAND_ID="H6FL09123",
                TRAN_ID="E1",
                SUB_ID="55",
            )
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.select("fec_kind", "memo_reason").rows() == [
        ("ie", "also_in_periodic_report"),
        ("itpas2", None),
    ]
    assert rows.filter(pl.col("fec_kind") == "itpas2").get_column("support_oppose").to_list() == [
        "S"
    ]
    assert counted_cents(ds) == 5000_00


def test_committee_kinds_and_candidate_links(tmp_path: Path) -> None:
    cases = {
        "C01": ("O", "U", "super_pac"),
        "C02": ("U", "U", "super_pac"),
        "C03": ("V", "U", "super_pac"),
        "C04": ("W", "U", "super_pac"),
        "C05": ("X", "U", "party"),
        "C06": ("Y", "U", "party"),
        "C07": ("Z", "U", "party"),
        "C08": ("N", "U", "pac"),
        "C09": ("Q", "B", "pac"),
        "C10": ("H", "P", "candidate"),
        "C11": ("S", "A", "candidate"),
        "C12": ("P", "P", "candidate"),
        "C13": ("C", "U", "other"),
        "C14": ("I", "U", "other"),
        "C15": ("Q", "A", "candidate"),
    }
    lines = [
        fec_line("cm", CMTE_ID=cid, CMTE_NM=f"COMMITTEE {cid}", CMTE_TP=tp, CMTE_DSGN=dsgn)
        for cid, (tp, dsgn, _) in cases.items()
    ]
    lines.append(fec_line("cm", CMTE_ID="C16", CMTE_NM="ACTBLUE TEXAS", CMTE_TP="N"))
    write(tmp_path, "cm.txt", lines)
    write(
        tmp_path,
        "ccl.txt",
        [
            fec_line(
                "ccl", CAND_ID="H6AZ02001", CAND_ELECTION_YR="2016", CMTE_ID="C10", CMTE_DSGN="P"
            ),
            fec_line(
                "ccl", CAND_ID="S6AZ00001", CAND_ELECTION_YR="2016", CMTE_ID="C11", CMTE_DSGN="A"
            ),
            fec_line(
                "ccl", CAND_ID="S6AZ00001", CAND_ELECTION_YR="2016", CMTE_ID="C09", CMTE_DSGN="J"
            ),
        ],
    )
    ds = import_fec(tmp_path)
    committees = ds.committees.collect()
    kinds = dict(committees.select("committee_id", "kind").iter_rows())
    assert {cid: kinds[cid] for cid in cases} == {cid: k for cid, (_, _, k) in cases.items()}
    assert kinds["C16"] == "conduit"
    links = dict(committees.select("committee_id", "candidate_id").iter_rows())
    assert (links["C10"], links["C11"], links["C09"]) == ("H6AZ02001", "S6AZ00001", None)
    detail = dict(committees.select("committee_id", "fec_kind_detail").iter_rows())
    assert detail["C04"] == "PAC with non-contribution account - qualified (hybrid); unauthorized"


def test_candidates_and_races(tmp_path: Path) -> None:
    write(
        tmp_path,
        "cn.txt",
        [
            fec_line(
                "cn",
                CAND_ID="H6AZ02001",
                CAND_NAME="DOE, JANE",
                CAND_PTY_AFFILIATION="DEM",
                CAND_ELECTION_YR="2016",
                CAND_OFFICE_ST="AZ",
                CAND_OFFICE="H",
                CAND_OFFICE_DISTRICT="02",
                CAND_ICI="I",
            ),
            fec_line(
                "cn",
                CAND_ID="S6AZ00001",
                CAND_NAME="ROE, RICH",
                CAND_ELECTION_YR="2016",
                CAND_OFFICE_ST="AZ",
                CAND_OFFICE="S",
                CAND_ICI="C",
            ),
            fec_line(
                "cn",
                CAND_ID="P60000001",
                CAND_NAME="POE, PAT",
                CAND_ELECTION_YR="2016",
                CAND_OFFICE_ST="US",
                CAND_OFFICE="P",
            ),
        ],
    )
    ds = import_fec(tmp_path)
    cands = ds.candidates.collect().sort("candidate_id")
    assert cands.select("candidate_id", "race_id", "incumbent").rows() == [
        ("H6AZ02001", "H-AZ-02-2016", True),
        ("P60000001", "P-US-2016", None),  # CAND_ICI blank: unknown
        ("S6AZ00001", "S-AZ-2016", False),
    ]
    races = ds.races.collect().sort("race_id")
    assert races.select(
        "race_id", "name", "office", "state", "jurisdiction", "year", "stage"
    ).rows() == [
        ("H-AZ-02-2016", "US House AZ-02 2016", "US House", "AZ", "AZ-02", 2016, "general"),
        ("P-US-2016", "US President 2016", "US President", None, "US", 2016, "general"),
        ("S-AZ-2016", "US Senate AZ 2016", "US Senate", "AZ", "AZ", 2016, "general"),
    ]


def test_several_cycles_are_one_dataset_with_a_cycle_column(tmp_path: Path) -> None:
    for yy, sub in (("16", "1"), ("18", "2")):
        with zipfile.ZipFile(tmp_path / f"indiv{yy}.zip", "w") as zf:
            zf.writestr("itcont.txt", gift("C1", "10", sub) + "\n")
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.select("fec_file", "cycle").rows() == [
        ("indiv16.zip:itcont.txt", 2016),
        ("indiv18.zip:itcont.txt", 2018),
    ]
    assert rows.schema["cycle"] == pl.Int32


def test_lump_receipt_from_a_conduit_is_not_the_conduits_gift(tmp_path: Path) -> None:
    write(
        tmp_path,
        "itoth.txt",
        [
            fec_line(
                "itoth",
                CMTE_ID="C2",
                TRANSACTION_TP="18K",
                ENTITY_TP="PAC",
                NAME="ACTBLUE",
                TRANSACTION_DT="01092015",
                TRANSACTION_AMT="41",
                OTHER_ID=ACTBLUE,
                SUB_ID="1",
            )
        ],
    )
    write(tmp_path, "cm.txt", [fec_line("cm", CMTE_ID=ACTBLUE, CMTE_NM="ACTBLUE", CMTE_TP="W")])
    ds = import_fec(tmp_path)
    row = tx_of(ds).row(0, named=True)
    assert (row["source_kind"], row["source_id"], row["conduit_committee_id"]) == (
        "individual",
        None,
        ACTBLUE,
    )
    assert row["source_name"] == "UNITEMIZED EARMARKED CONTRIBUTIONS VIA ACTBLUE"
    assert (row["recipient_committee_id"], row["amount_cents"], row["memo"]) == ("C2", 41_00, False)
    keys = donors(ds, Filters()).collect().get_column("donor_key").to_list()
    assert not any(ACTBLUE in k for k in keys)


def test_folder_detection_and_whole_input_errors(tmp_path: Path) -> None:
    from moneytrail.data.errors import DataError
    from moneytrail.data.fec import is_fec_path

    folder = tmp_path / "fec"
    write(folder, "itcont.txt", [gift("C1", "5", "1")])
    write(folder, "indiv_header_file.csv", ["CMTE_ID,AMNDT_IND"])
    write(folder, "notes.md", ["hello"])
    assert is_fec_path(folder) and is_fec_path(folder / "itcont.txt")
    assert not is_fec_path(folder / "notes.md") and not is_fec_path(tmp_path / "nothing")
    ds = import_fec(folder)
    assert ds.report.warnings == ("ignored (not an FEC bulk file): notes.md",)
    assert [f.path for f in ds.report.files] == ["itcont.txt"]
    # The same rows twice (zip next to its unzipped member) is an error, not a double count.
    with zipfile.ZipFile(folder / "indiv16.zip", "w") as zf:
        zf.writestr("itcont.txt", gift("C1", "5", "1") + "\n")
    (folder / "itcont.txt").rename(folder / "itcont16.txt")
    with pytest.raises(DataError, match="found twice"):
        import_fec(folder)
    # A file whose lines are not its kind's layout at all.
    wrong = tmp_path / "wrong"
    write(wrong, "cm.txt", ["a|b|c", "d|e|f"])
    with pytest.raises(DataError, match=r"cm\.txt: not an FEC cm file"):
        import_fec(wrong)


def oth(cmte: str, tp: str, amount: str, sub_id: str, **more: str) -> str:
    """One itoth line: `cmte` files `tp` for `amount` (a committee counterpart by default)."""
    fields = {
        "CMTE_ID": cmte,
        "AMNDT_IND": "N",
        "RPT_TP": "M3",
        "TRANSACTION_PGI": "P",
        "TRANSACTION_TP": tp,
        "ENTITY_TP": "PTY",
        "NAME": "SOME COMMITTEE",
        "STATE": "DC",
        "TRANSACTION_DT": "02102016",
        "TRANSACTION_AMT": amount,
        "TRAN_ID": f"T{sub_id}",
        "FILE_NUM": "2000",
        "SUB_ID": sub_id,
    }
    fields.update(more)
    return fec_line("itoth", **fields)


def receipts_of(ds: Dataset, committee_id: str) -> int:
    return int(
        ds.transactions.filter(
            ~pl.col("memo")
            & (pl.col("kind") == "contribution")
            & (pl.col("recipient_committee_id") == committee_id)
        )
        .select(pl.col("amount_cents").sum())
        .collect()
        .item()
    )


PARTY = "C00003418"  # a national party committee with convention/HQ/recount accounts


@pytest.mark.parametrize("code", ["30", "30T", "31", "31T", "32", "32T", "30E", "31E", "32E"])
def test_party_account_receipts_from_people_are_receipts(tmp_path: Path, code: str) -> None:
    write(tmp_path, "itcont.txt", [gift(PARTY, "5000", "1", TRANSACTION_TP=code)])
    ds = import_fec(tmp_path)
    row = tx_of(ds).row(0, named=True)
    assert (row["kind"], row["recipient_committee_id"], row["memo"]) == (
        "contribution",
        PARTY,
        False,
    )
    assert row["source_kind"] == "individual" and row["source_name"] == "DOE, JANE"
    assert receipts_of(ds, PARTY) == 5000_00


@pytest.mark.parametrize("code", ["30G", "30K", "31G", "31K", "32G", "32K"])
def test_party_account_receipts_from_committees_pair_with_the_givers_copy(
    tmp_path: Path, code: str
) -> None:
    write(
        tmp_path,
        "itoth.txt",
        [
            oth(PARTY, code, "15000", "1", OTHER_ID="C00000042", ENTITY_TP="PAC"),
            oth("C00000042", "24K", "15000", "2", OTHER_ID=PARTY, TRANSACTION_DT="02082016"),
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.select("memo", "memo_reason").rows() == [
        (False, None),
        (True, "reported_by_recipient"),
    ]
    assert rows.row(0, named=True)["source_id"] == "C00000042"
    assert receipts_of(ds, PARTY) == 15000_00


@pytest.mark.parametrize("account", ["40", "41", "42"])
def test_party_account_refunds_subtract_and_disbursements_are_spending(
    tmp_path: Path, account: str
) -> None:
    write(
        tmp_path,
        "itcont.txt",
        [
            gift(PARTY, "5000", "1", TRANSACTION_TP="31"),
            gift(PARTY, "1000", "2", TRANSACTION_TP=f"{account}Y"),
            gift(PARTY, "300", "3", TRANSACTION_TP=f"{account}T"),
        ],
    )
    write(
        tmp_path,
        "itoth.txt",
        [
            oth(PARTY, f"{account}Z", "200", "4", OTHER_ID="C00000042", ENTITY_TP="PAC"),
            oth(PARTY, account, "700", "5", NAME="ARENA RENTAL LLC", ENTITY_TP="ORG"),
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.select("fec_transaction_type", "kind", "amount_cents").rows() == [
        ("31", "contribution", 5000_00),
        (f"{account}Y", "contribution", -1000_00),
        (f"{account}T", "contribution", -300_00),
        (f"{account}Z", "contribution", -200_00),
        (account, "expenditure", 700_00),
    ]
    assert receipts_of(ds, PARTY) == (5000 - 1000 - 300 - 200) * 100
    spent = rows.filter((pl.col("kind") == "expenditure") & (pl.col("source_id") == PARTY))
    assert spent.get_column("amount_cents").to_list() == [700_00]


def test_party_transfer_between_its_own_accounts_is_neither_receipt_nor_spending(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "itoth.txt",
        [
            oth(PARTY, "31G", "250000", "1", OTHER_ID=PARTY, NAME="THE PARTY FEDERAL ACCOUNT"),
            oth(PARTY, "24G", "250000", "2", OTHER_ID=PARTY, NAME="THE PARTY HQ ACCOUNT"),
            oth(PARTY, "41", "90000", "3", OTHER_ID=PARTY, NAME="THE PARTY"),
            oth(PARTY, "18G", "1000", "4", OTHER_ID="C00000042", ENTITY_TP="PAC"),
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.get_column("memo_reason").to_list() == [
        "own_account_transfer",
        "own_account_transfer",
        "own_account_transfer",
        None,
    ]
    assert receipts_of(ds, PARTY) == 1000_00
    assert counted_cents(ds) == 1000_00


def test_earmark_a_conduit_reports_to_itself_still_counts(tmp_path: Path) -> None:
    # ActBlue's own 15E rows (gifts earmarked for ActBlue itself) name ActBlue as OTHER_ID.
    write(
        tmp_path, "itcont.txt", [gift(ACTBLUE, "25", "1", TRANSACTION_TP="15E", OTHER_ID=ACTBLUE)]
    )
    ds = import_fec(tmp_path)
    assert tx_of(ds).get_column("memo").to_list() == [False]
    assert receipts_of(ds, ACTBLUE) == 25_00


@pytest.mark.parametrize("entity", ["ORG", "IND", ""])
@pytest.mark.parametrize("code", ["18G", "18K", "15Z"])
def test_receipt_whose_other_id_is_a_committee_is_committee_money(
    tmp_path: Path, code: str, entity: str
) -> None:
    write(
        tmp_path,
        "itoth.txt",
        [
            oth("C00000001", code, "4000", "1", OTHER_ID="C00000042", ENTITY_TP=entity),
            oth(
                "C00000042",
                "24G" if code == "18G" else "24K",
                "4000",
                "2",
                OTHER_ID="C00000001",
                TRANSACTION_DT="02012016",
            ),
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    first = rows.row(0, named=True)
    assert (first["source_kind"], first["source_id"]) == ("committee", "C00000042")
    assert rows.get_column("memo_reason").to_list() == [None, "reported_by_recipient"]
    assert receipts_of(ds, "C00000001") == 4000_00


def test_refund_paid_to_a_committee_pairs_with_its_17r(tmp_path: Path) -> None:
    write(
        tmp_path,
        "itoth.txt",
        [
            oth("C00000001", "22Z", "500", "1", OTHER_ID="C00000042", ENTITY_TP="ORG"),
            oth("C00000042", "17R", "500", "2", OTHER_ID="C00000001"),
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.select("source_kind", "source_id", "amount_cents", "memo_reason").rows() == [
        ("committee", "C00000042", -500_00, None),
        ("committee", "C00000042", -500_00, "reported_by_recipient"),
    ]
    assert receipts_of(ds, "C00000001") == -500_00


@pytest.mark.parametrize("name", ["ACTBLUE", "WINRED", "ActBlue Technical Services"])
@pytest.mark.parametrize("entity", ["ORG", "PAC", ""])
def test_lump_sum_from_a_conduit_named_only_by_name_is_conduit_money(
    tmp_path: Path, name: str, entity: str
) -> None:
    write(
        tmp_path,
        "itoth.txt",
        [oth("C00000001", "18K", "12500", "1", NAME=name, ENTITY_TP=entity)],
    )
    ds = import_fec(tmp_path)
    row = tx_of(ds).row(0, named=True)
    assert row["source_name"] == f"UNITEMIZED EARMARKED CONTRIBUTIONS VIA {name}"
    assert row["source_kind"] == "individual" and row["source_id"] is None
    expected = {"ACTBLUE": ACTBLUE, "WINRED": "C00694323"}[name.split()[0].upper()]
    assert row["conduit_committee_id"] == expected
    assert receipts_of(ds, "C00000001") == 12500_00
    kinds = donors(ds, Filters()).collect()
    assert "organization" not in kinds.get_column("source_kind").to_list()


def test_a_person_named_like_a_conduit_stays_a_person(tmp_path: Path) -> None:
    write(tmp_path, "itcont.txt", [gift("C1", "300", "1", NAME="WINRED, JOHN")])
    row = tx_of(import_fec(tmp_path)).row(0, named=True)
    assert (row["source_name"], row["conduit_committee_id"]) == ("WINRED, JOHN", None)


@pytest.mark.parametrize("code", ["15J", "18J", "10J", "31J", "32F"])
def test_joint_fundraising_memos_never_count_even_without_memo_code(
    tmp_path: Path, code: str
) -> None:
    write(tmp_path, "itoth.txt", [oth("C00000001", code, "900", "1", ENTITY_TP="IND")])
    ds = import_fec(tmp_path)
    row = tx_of(ds).row(0, named=True)
    assert (row["memo"], row["memo_reason"]) == (True, "joint_fundraising_memo")
    assert counted_cents(ds) == 0


def _race_folder(tmp_path: Path, gifts: list[str], pas2: list[str] | None = None) -> Dataset:
    cands = [("H6AZ02001", "C00500001", "DOE, JANE"), ("H6AZ02002", "C00500002", "ROE, RICH")]
    write(
        tmp_path,
        "cn.txt",
        [
            fec_line(
                "cn",
                CAND_ID=cid,
                CAND_NAME=name,
                CAND_ELECTION_YR="2016",
                CAND_OFFICE_ST="AZ",
                CAND_OFFICE="H",
                CAND_OFFICE_DISTRICT="02",
                CAND_PCC=cmte,
            )
            for cid, cmte, name in cands
        ]
        + [
            fec_line(
                "cn",
                CAND_ID="S6AZ00001",
                CAND_NAME="POE, PAT",
                CAND_ELECTION_YR="2016",
                CAND_OFFICE_ST="AZ",
                CAND_OFFICE="S",
            )
        ],
    )
    write(
        tmp_path,
        "cm.txt",
        [
            fec_line(
                "cm",
                CMTE_ID=cmte,
                CMTE_NM=f"{name} FOR CONGRESS",
                CMTE_TP="H",
                CMTE_DSGN="P",
                CAND_ID=cid,
            )
            for cid, cmte, name in cands
        ],
    )
    write(tmp_path, "itcont.txt", gifts)
    if pas2:
        write(tmp_path, "itpas2.txt", pas2)
    return import_fec(tmp_path)


def _stage(ds: Dataset, race_id: str) -> str:
    return str(ds.races.filter(pl.col("race_id") == race_id).collect().item(0, "stage"))


def test_race_stage_comes_from_the_primary_general_indicator(tmp_path: Path) -> None:
    ds = _race_folder(
        tmp_path,
        [
            gift("C00500001", "2700", "1", TRANSACTION_PGI="P2016"),
            gift("C00500001", "2700", "2", TRANSACTION_PGI="G2016"),
            gift("C00500002", "1000", "3", TRANSACTION_PGI="P"),
            gift("C00500002", "9000", "4", TRANSACTION_PGI="G", MEMO_CD="X"),  # memo: no say
        ],
    )
    # 2,700 P + 1,000 P against 2,700 G: the primary names the most money.
    assert _stage(ds, "H-AZ-02-2016") == "primary"
    assert _stage(ds, "S-AZ-2016") == "general"  # no money with a stage: the default


def test_race_stage_counts_outside_money_about_its_candidates(tmp_path: Path) -> None:
    ie = fec_line(
        "itpas2",
        CMTE_ID="C00000042",
        TRANSACTION_PGI="G2016",
        TRANSACTION_TP="24A",
        ENTITY_TP="ORG",
        NAME="AD SHOP",
        TRANSACTION_DT="03012016",
        TRANSACTION_AMT="50000",
        OTHER_ID="H6AZ02001",
        CAND_ID="H6AZ02001",
        SUB_ID="9",
    )
    ds = _race_folder(
        tmp_path, [gift("C00500001", "2700", "1", TRANSACTION_PGI="P2016")], pas2=[ie]
    )
    assert _stage(ds, "H-AZ-02-2016") == "general"


def test_race_candidates_without_money_are_hidden_by_default(tmp_path: Path) -> None:
    from moneytrail.query.details import race_detail
    from moneytrail.query.races import race_candidates

    ds = _race_folder(tmp_path, [gift("C00500001", "2700", "1")])
    shown = race_candidates(ds, Filters(), "H-AZ-02-2016").collect()
    assert shown.get_column("candidate_id").to_list() == ["H6AZ02001"]
    every = race_candidates(ds, Filters(), "H-AZ-02-2016", all_candidates=True).collect()
    assert sorted(every.get_column("candidate_id").to_list()) == ["H6AZ02001", "H6AZ02002"]
    detail = race_detail(ds, None, "H-AZ-02-2016")
    assert detail.candidates.get_column("candidate_id").to_list() == ["H6AZ02001"]
    assert race_detail(ds, None, "H-AZ-02-2016", all_candidates=True).candidates.height == 2


@pytest.mark.parametrize("code", ["15I", "15T"])
def test_a_conduits_copy_of_an_earmarked_gift_it_received_never_counts(
    tmp_path: Path, code: str
) -> None:
    write(
        tmp_path,
        "itcont.txt",
        [
            gift("C2", "250", "1", TRANSACTION_TP="15E", OTHER_ID=ACTBLUE),
            gift(ACTBLUE, "250", "2", TRANSACTION_TP=code, OTHER_ID="C2"),
        ],
    )
    ds = import_fec(tmp_path)
    rows = tx_of(ds)
    assert rows.select("memo", "memo_reason", "recipient_committee_id").rows() == [
        (False, None, "C2"),
        (True, "earmark_forwarded", "C2"),
    ]
    assert receipts_of(ds, ACTBLUE) == 0
    assert counted_cents(ds) == 250_00


def test_show_race_lists_candidates_with_money_unless_asked_for_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from moneytrail.cli import main

    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    _race_folder(tmp_path / "data", [gift("C00500001", "2700", "1", TRANSACTION_PGI="P2016")])
    args = ["show", "race", "H-AZ-02-2016", str(tmp_path / "data"), "--format", "json"]
    assert main([*args, "--no-cache"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in payload["sections"]["candidates"]] == ["DOE, JANE"]
    assert payload["stage"] == "primary"
    assert main([*args, "--no-cache", "--all-candidates"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert sorted(c["name"] for c in payload["sections"]["candidates"]) == [
        "DOE, JANE",
        "ROE, RICH",
    ]
