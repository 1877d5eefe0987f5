"""The importer on the real 2016-cycle snapshot, checked against plain-Python counts.

The reference side of every check reads the same zips with nothing but `zipfile`, `str.split`
and `Decimal`, so the importer's Polars pipeline is compared with an independent reading.
"""

from __future__ import annotations

import shutil
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.fec import import_fec
from moneytrail.data.fec.layouts import LAYOUTS
from moneytrail.query.committees import committees
from moneytrail.query.donors import donors
from moneytrail.query.filters import Filters
from tests.data.fec.conftest import SNAPSHOT

ACTBLUE = "C00401224"
TX_ZIPS = {"indiv16.zip": "itcont", "oth16.zip": "itoth", "pas216.zip": "itpas2"}
ALL_ZIPS = {**TX_ZIPS, "cm16.zip": "cm", "cn16.zip": "cn", "ccl16.zip": "ccl"}


@cache
def plain_rows(zip_name: str) -> tuple[dict[str, str], ...]:
    """The zip's member as dicts of FEC fields: open, split lines, split on `|`."""
    kind = ALL_ZIPS[zip_name]
    with zipfile.ZipFile(SNAPSHOT / zip_name) as zf:
        text = zf.read(f"{kind}.txt").decode("utf-8", "replace")
    layout = LAYOUTS[kind]
    rows = []
    for line in text.split("\n"):
        if line == "":
            continue
        fields = line.split("|")
        assert len(fields) == len(layout)
        rows.append(dict(zip(layout, fields, strict=True)))
    return tuple(rows)


def cents(amount: str) -> int:
    return int(Decimal(amount) * 100)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return import_fec(SNAPSHOT)


@pytest.fixture(scope="module")
def tx(ds: Dataset) -> pl.DataFrame:
    return ds.transactions.collect()


def test_every_file_row_count_matches_plain_count(ds: Dataset) -> None:
    reports = {f.path: f for f in ds.report.files}
    assert set(reports) == {f"{z}:{k}.txt" for z, k in ALL_ZIPS.items()}
    for zip_name, kind in ALL_ZIPS.items():
        report = reports[f"{zip_name}:{kind}.txt"]
        n = len(plain_rows(zip_name))
        assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (n, n, 0)
        assert report.bytes_replaced == 0


def test_every_file_amount_total_matches_plain_sum(tx: pl.DataFrame) -> None:
    for zip_name, kind in TX_ZIPS.items():
        expected = sum(cents(r["TRANSACTION_AMT"]) for r in plain_rows(zip_name))
        rows = tx.filter(pl.col("fec_file") == f"{zip_name}:{kind}.txt")
        assert rows.height == len(plain_rows(zip_name))
        assert rows.get_column("fec_amount_cents").sum() == expected


# The FEC counting rules of docs/fec.md, restated in plain Python for the reference side.
PLAIN_REFUNDS_PAID = {"20Y", "21Y", "22Y", "22Z", "22R", "23Y"} | {
    f"{a}{s}" for a in ("40", "41", "42") for s in "TYZ"
}
PLAIN_PARTY_RECEIPTS = {f"{a}{s}" for a in ("30", "31", "32") for s in ("", "E", "G", "K", "T")}
PLAIN_JF_MEMOS = {"10J", "11J", "15J", "18J", "19J"} | {
    f"{a}{s}" for a in ("30", "31", "32") for s in "FJ"
}
PLAIN_EARMARK_CODES = {"15E", "30E", "31E", "32E", "15I", "15T", "24T", "24I"}
PLAIN_GIVEN = {"24K", "24G", "24Z"}


def plain_is_receipt(tp: str) -> bool:
    return (
        (tp.startswith("1") and tp not in ("17R", "15I", "15T"))
        or tp in PLAIN_PARTY_RECEIPTS
        or tp in PLAIN_REFUNDS_PAID
    )


def plain_signed(r: dict[str, str]) -> int:
    tp = r["TRANSACTION_TP"]
    negative = tp in PLAIN_REFUNDS_PAID or tp == "17R"
    return (-1 if negative else 1) * cents(r["TRANSACTION_AMT"])


def plain_counted_rows(
    files: Mapping[str, Sequence[dict[str, str]]] | None = None,
) -> list[dict[str, str]]:
    """Rows that can count: no memo, no JF memo, no forwarding, no own-account move, no
    itoth copy of an itpas2 row, and only the latest filing of an amended transaction.

    `files`: rows per input name (default: the snapshot's three transaction zips)."""
    files = files if files is not None else {z: plain_rows(z) for z in TX_ZIPS}
    pas2_ids = {r["SUB_ID"] for r in files.get("pas216.zip", ())}
    rows = []
    for zip_name, file_rows in files.items():
        for r in file_rows:
            tp = r["TRANSACTION_TP"]
            if r["MEMO_CD"] == "X" or tp in PLAIN_JF_MEMOS or tp in ("24T", "24I", "15I", "15T"):
                continue
            if r["OTHER_ID"] == r["CMTE_ID"] and tp not in PLAIN_EARMARK_CODES:
                continue
            if zip_name == "oth16.zip" and r["SUB_ID"] in pas2_ids:
                continue
            rows.append({**r, "_file": zip_name})
    latest: dict[tuple[str, ...], int] = {}

    def key(r: dict[str, str]) -> tuple[str, ...]:
        fields = ("_file", "CMTE_ID", "TRAN_ID", "TRANSACTION_TP", "TRANSACTION_DT")
        return (*(r[k] for k in fields), str(cents(r["TRANSACTION_AMT"])))

    for r in rows:
        if r["TRAN_ID"] and r["TRANSACTION_DT"] and r["FILE_NUM"]:
            latest[key(r)] = max(latest.get(key(r), 0), int(r["FILE_NUM"]))
    return [
        r
        for r in rows
        if not (r["TRAN_ID"] and r["TRANSACTION_DT"] and r["FILE_NUM"])
        or int(r["FILE_NUM"]) == latest[key(r)]
    ]


def plain_receipts(
    giver_only: Counter[str] | None = None,
    files: Mapping[str, Sequence[dict[str, str]]] | None = None,
) -> Counter[str]:
    """Each committee's receipts in cents: what it reported receiving, plus gifts to it that
    only the giver reported (a giver's copy cancels one matching receipt, earliest first).
    Those giver-only cents are also added to `giver_only` when given. `files`: as for
    `plain_counted_rows`."""
    out: Counter[str] = Counter()
    reported: Counter[tuple[str, str, int]] = Counter()
    givers = []
    for r in plain_counted_rows(files):
        tp, other = r["TRANSACTION_TP"], r["OTHER_ID"]
        if plain_is_receipt(tp):
            out[r["CMTE_ID"]] += plain_signed(r)
            if other.startswith("C") and tp not in PLAIN_EARMARK_CODES:
                reported[(other, r["CMTE_ID"], plain_signed(r))] += 1
        elif (tp in PLAIN_GIVEN or tp == "17R") and other.startswith("C"):
            givers.append(r)
    date = lambda r: r["TRANSACTION_DT"][4:] + r["TRANSACTION_DT"][:4]  # noqa: E731
    for r in sorted(givers, key=date):
        k = (r["CMTE_ID"], r["OTHER_ID"], plain_signed(r))
        if reported[k] > 0:
            reported[k] -= 1
        else:
            out[r["OTHER_ID"]] += plain_signed(r)
            if giver_only is not None:
                giver_only[r["OTHER_ID"]] += plain_signed(r)
    return out


def test_every_committees_receipts_equal_a_plain_computation(ds: Dataset) -> None:
    expected = {k: v for k, v in plain_receipts().items() if v}
    table = committees(ds, Filters()).filter(pl.col("receipts_cents") != 0).collect()
    got = dict(table.select("committee_id", "receipts_cents").iter_rows())
    assert len(expected) > 1000
    assert got == expected


def test_itcont_counted_total_matches_plain_rules(tx: pl.DataFrame) -> None:
    """Memo rows and earmark forwardings excluded, refunds (22Y) negated."""
    expected = 0
    for r in plain_rows("indiv16.zip"):
        if r["MEMO_CD"] == "X" or r["TRANSACTION_TP"] in ("24T", "24I"):
            continue
        sign = -1 if r["TRANSACTION_TP"] == "22Y" else 1
        expected += sign * cents(r["TRANSACTION_AMT"])
    counted = tx.filter((pl.col("fec_kind") == "itcont") & ~pl.col("memo"))
    assert counted.get_column("amount_cents").sum() == expected


def test_committee_money_counted_once_across_itoth_and_itpas2(tx: pl.DataFrame) -> None:
    """itpas2 copies win over itoth; giver reports matched by a recipient report drop out."""
    pas2_ids = {r["SUB_ID"] for r in plain_rows("pas216.zip")}
    rows = [r for r in plain_counted_rows() if r["_file"] != "indiv16.zip"]
    receipts: Counter[tuple[str, str, int]] = Counter()
    for r in rows:
        tp = r["TRANSACTION_TP"]
        if plain_is_receipt(tp) and r["OTHER_ID"].startswith("C") and tp != "15E":
            receipts[(r["OTHER_ID"], r["CMTE_ID"], plain_signed(r))] += 1
    expected = 0
    givers = [
        r
        for r in rows
        if r["TRANSACTION_TP"] in ("24K", "24G", "24Z", "17R") and r["OTHER_ID"].startswith("C")
    ]
    given_ids = {r["SUB_ID"] for r in givers}
    for r in sorted(givers, key=lambda r: r["TRANSACTION_DT"][4:] + r["TRANSACTION_DT"][:4]):
        key = (r["CMTE_ID"], r["OTHER_ID"], plain_signed(r))
        if receipts[key] > 0:
            receipts[key] -= 1
            continue
        expected += plain_signed(r)
    expected += sum(plain_signed(r) for r in rows if r["SUB_ID"] not in given_ids)
    counted = tx.filter(pl.col("fec_kind").is_in(["itoth", "itpas2"]) & ~pl.col("memo"))
    assert counted.get_column("amount_cents").sum() == expected
    reasons = Counter(tx.get_column("memo_reason").drop_nulls().to_list())
    assert reasons["same_record_in_itpas2"] == sum(
        1 for r in plain_rows("oth16.zip") if r["SUB_ID"] in pas2_ids and r["MEMO_CD"] != "X"
    )
    assert reasons["reported_by_recipient"] > 0


def test_earmark_pairs_are_not_double_counted(tx: pl.DataFrame) -> None:
    plain = plain_rows("indiv16.zip")
    at_recipient = Counter(
        (r["CMTE_ID"], r["OTHER_ID"], r["NAME"], r["TRANSACTION_AMT"])
        for r in plain
        if r["TRANSACTION_TP"] == "15E"
    )
    at_conduit = Counter(
        (r["OTHER_ID"], r["CMTE_ID"], r["NAME"], r["TRANSACTION_AMT"])
        for r in plain
        if r["TRANSACTION_TP"] in ("24T", "24I")
    )
    pairs = at_recipient & at_conduit
    assert sum(pairs.values()) > 400  # the snapshot holds hundreds of matched pairs
    rows = tx.filter(pl.col("fec_kind") == "itcont").with_columns(
        key=pl.concat_list(
            "recipient_committee_id", "conduit_committee_id", "source_name", "fec_amount_cents"
        )
    )
    for (recipient, conduit, name, amount), n in list(pairs.items())[:200]:
        both = rows.filter(
            (pl.col("recipient_committee_id") == recipient)
            & (pl.col("conduit_committee_id") == conduit)
            & (pl.col("source_name") == name)
            & (pl.col("fec_amount_cents") == cents(amount))
        )
        counted = both.filter(~pl.col("memo"))
        assert counted.get_column("fec_transaction_type").to_list() == ["15E"] * counted.height
        assert both.filter(pl.col("memo_reason") == "earmark_forwarded").height >= n
    forwarded = tx.filter(pl.col("fec_transaction_type").is_in(["24T", "24I"]))
    assert forwarded.height == sum(1 for r in plain if r["TRANSACTION_TP"] in ("24T", "24I"))
    assert forwarded.get_column("memo").all()


def test_conduit_is_never_a_donor_of_forwarded_money(ds: Dataset, tx: pl.DataFrame) -> None:
    keys = donors(ds, Filters()).collect().get_column("donor_key").to_list()
    assert all(ACTBLUE not in key for key in keys)
    counted = tx.filter(~pl.col("memo"))
    assert counted.filter(pl.col("source_id") == ACTBLUE).height == 0
    assert counted.filter(pl.col("conduit_committee_id") == ACTBLUE).height > 600


def test_memo_rows_are_kept_and_excluded(ds: Dataset, tx: pl.DataFrame) -> None:
    memo_code = sum(1 for z in TX_ZIPS for r in plain_rows(z) if r["MEMO_CD"] == "X")
    assert tx.filter(pl.col("fec_memo_code") == "X").height == memo_code
    assert tx.filter(pl.col("fec_memo_code") == "X").get_column("memo").all()
    table = committees(ds, Filters()).collect()
    receipts = dict(table.select("committee_id", "receipts_cents").iter_rows())
    # A committee's receipts in the pane equal the plain sum of its non-memo itcont rows.
    cmte = "C00081414"
    expected = sum(
        (-1 if r["TRANSACTION_TP"] == "22Y" else 1) * cents(r["TRANSACTION_AMT"])
        for r in plain_rows("indiv16.zip")
        if r["CMTE_ID"] == cmte
        and r["MEMO_CD"] != "X"
        and r["TRANSACTION_TP"] not in ("24T", "24I")
    )
    other = tx.filter(
        (pl.col("fec_kind") != "itcont")
        & (pl.col("recipient_committee_id") == cmte)
        & ~pl.col("memo")
    )
    assert receipts[cmte] == expected + other.get_column("amount_cents").sum()


def test_refunds_subtract(tx: pl.DataFrame) -> None:
    refunds = tx.filter(pl.col("fec_transaction_type") == "22Y")
    assert refunds.height == sum(
        1 for r in plain_rows("indiv16.zip") if r["TRANSACTION_TP"] == "22Y"
    )
    assert (refunds.get_column("amount_cents") == -refunds.get_column("fec_amount_cents")).all()
    assert refunds.filter(~pl.col("memo")).get_column("amount_cents").sum() < 0


def test_committee_kinds_decode(ds: Dataset) -> None:
    kinds = dict(ds.committees.select("committee_id", "kind").collect().iter_rows())
    expected_by_type = {
        "O": "super_pac",
        "U": "super_pac",
        "V": "super_pac",
        "W": "super_pac",
        "X": "party",
        "Y": "party",
        "Z": "party",
        "N": "pac",
        "Q": "pac",
        "H": "candidate",
        "S": "candidate",
        "P": "candidate",
    }
    checked = 0
    for r in plain_rows("cm16.zip"):
        kind = kinds[r["CMTE_ID"]]
        if kind == "conduit":
            continue
        if r["CMTE_DSGN"] in ("P", "A"):
            assert kind == "candidate", r
        else:
            assert kind == expected_by_type.get(r["CMTE_TP"], "other"), r
        checked += 1
    assert checked > 11_000
    assert kinds[ACTBLUE] == "conduit"
    assert Counter(kinds.values())["candidate"] > 3000


def test_rejects_account_for_every_unparsed_line(tmp_path: Path) -> None:
    """The snapshot with broken lines injected: each one is a reject with its line number."""
    folder = tmp_path / "broken"
    shutil.copytree(SNAPSHOT, folder)
    with zipfile.ZipFile(SNAPSHOT / "indiv16.zip") as zf:
        lines = zf.read("itcont.txt").split(b"\n")
    lines.insert(99, b"not|an|fec|line")  # line 100
    fields = lines[199].split(b"|")
    fields[13] = b"02302016"  # line 200: impossible date
    lines[199] = b"|".join(fields)
    fields = lines[299].split(b"|")
    fields[14] = b"12O"  # line 300: letter O in the amount
    lines[299] = b"|".join(fields)
    lines[399] = lines[399].replace(b"|", b"|\xff", 1)  # line 400: invalid byte, still loads
    (folder / "indiv16.zip").unlink()
    with zipfile.ZipFile(folder / "indiv16.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("itcont.txt", b"\n".join(lines))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    ds = import_fec(folder)
    report = next(f for f in ds.report.files if f.path == "indiv16.zip:itcont.txt")
    n = len(plain_rows("indiv16.zip")) + 1
    assert report.rows_read == n
    assert report.rejected == {"bad amount": 1, "bad date": 1, "wrong field count": 1}
    assert report.rows_loaded == n - 3
    assert report.bytes_replaced == 1
    rejects = ds.rejects.collect()
    assert rejects.select("file", "line", "reason").rows() == [
        ("indiv16.zip:itcont.txt", 100, "wrong field count"),
        ("indiv16.zip:itcont.txt", 200, "bad date"),
        ("indiv16.zip:itcont.txt", 300, "bad amount"),
    ]
    assert rejects.get_column("raw")[0] == "not|an|fec|line"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    for f in ds.report.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected


def test_transfers_to_the_filer_itself_count_neither_way(tx: pl.DataFrame) -> None:
    own = [
        r
        for r in plain_rows("oth16.zip")
        if r["OTHER_ID"] == r["CMTE_ID"] and r["TRANSACTION_TP"] not in PLAIN_EARMARK_CODES
    ]
    assert len(own) == 2  # a 24G of a state party and a 24K of a PAC, each to itself
    rows = tx.filter(pl.col("memo_reason") == "own_account_transfer")
    assert sorted(rows.get_column("transaction_id").to_list()) == sorted(r["SUB_ID"] for r in own)
    assert rows.get_column("memo").all()


def test_receipts_naming_a_committee_are_committee_money_whatever_entity_type(
    tx: pl.DataFrame,
) -> None:
    receipts = tx.filter(
        pl.col("fec_transaction_type").is_in(["18G", "18K", "15Z", "22Z"])
        & pl.col("fec_other_id").str.starts_with("C")
        & (pl.col("fec_committee_id") != pl.col("fec_other_id"))
        & pl.col("conduit_committee_id").is_null()  # lump sums from a conduit: see earmarks
    )
    assert receipts.filter(pl.col("fec_entity_type") == "ORG").height == 13
    assert receipts.get_column("source_kind").unique().to_list() == ["committee"]
    assert (receipts.get_column("source_id") == receipts.get_column("fec_other_id")).all()


def test_joint_fundraising_memos_are_memo(tx: pl.DataFrame) -> None:
    jf = tx.filter(pl.col("fec_transaction_type").is_in(["15J", "18J", "11J"]))
    assert jf.height == 93
    assert jf.get_column("memo").all()


def test_people_with_different_middle_initials_at_one_zip_stay_apart(tx: pl.DataFrame) -> None:
    brock = tx.filter(pl.col("source_name").str.starts_with("BROCK, JAMES")).select(
        "source_name", "donor_key"
    )
    keys = dict(brock.unique().iter_rows())
    assert keys["BROCK, JAMES DAVID"] != keys["BROCK, JAMES H"]
    # a surname repeated after the given names is not an initial (CARPENTER, BARBARA CARPENTER)
    carpenter = tx.filter(pl.col("source_name").str.starts_with("CARPENTER, BARBARA"))
    assert carpenter.get_column("donor_key").n_unique() == 1


def test_race_stages_follow_the_money_s_primary_general_indicator(
    ds: Dataset, tx: pl.DataFrame
) -> None:
    races = ds.races.collect()
    stages = dict(races.select("race_id", "stage").iter_rows())
    assert {"primary", "general"} <= set(stages.values())
    # Plain check: a race's stage is the PGI letter holding the most counted money to its
    # candidates' committees (this snapshot has no IEs deciding a stage on their own).
    own = dict(
        ds.committees.filter(pl.col("candidate_id").is_not_null())
        .select("committee_id", "candidate_id")
        .collect()
        .iter_rows()
    )
    race_of = dict(ds.candidates.select("candidate_id", "race_id").collect().iter_rows())
    money: Counter[tuple[str, str]] = Counter()
    letters = {"P": "primary", "G": "general", "R": "runoff", "S": "special"}
    for r in tx.filter(~pl.col("memo")).iter_rows(named=True):
        pgi = (r["fec_election"] or " ")[0].upper()
        if pgi not in letters:
            continue
        if r["kind"] == "contribution" and r["recipient_committee_id"] in own:
            candidate = own[r["recipient_committee_id"]]
        elif r["kind"] == "independent_expenditure" and r["candidate_id"]:
            candidate = r["candidate_id"]
        else:
            continue
        race = race_of.get(candidate)
        if race:
            money[(race, letters[pgi])] += abs(r["amount_cents"])
    expected: dict[str, str] = {}
    for (race, stage), _ in sorted(money.items(), key=lambda kv: (-kv[1], kv[0][1])):
        expected.setdefault(race, stage)
    assert len(expected) > 100
    assert {race: stages[race] for race in expected} == expected
    assert all(stage == "general" for race, stage in stages.items() if race not in expected)


def test_donors_pane_lists_ultimate_givers_and_committees_on_request(ds: Dataset) -> None:
    default = donors(ds, Filters()).collect()
    assert set(default.get_column("source_kind").unique()) == {"individual", "organization"}
    every = donors(ds, Filters(), include_committees=True).collect()
    committees_ = every.filter(pl.col("source_kind") == "committee")
    assert committees_.height > 100
    assert every.height == default.height + committees_.height


def test_money_reported_by_the_giver_only_equals_a_plain_computation(ds: Dataset) -> None:
    from moneytrail.query.details import committee_detail

    giver_only: Counter[str] = Counter()
    receipts = plain_receipts(giver_only)
    biggest = [c for c, _ in giver_only.most_common(15)]
    assert "C00003418" in biggest  # the RNC: $131,150 of PAC money only the givers reported
    for committee_id in biggest:
        rec = committee_detail(ds, None, committee_id).reconciliation
        assert rec is not None
        row = rec.row(0, named=True)
        assert row["giver_only_cents"] == giver_only[committee_id], committee_id
        assert row["receipts_cents"] == receipts[committee_id]
        assert row["filed_by_recipient_cents"] == receipts[committee_id] - giver_only[committee_id]
        assert row["reported_receipts_cents"] is None  # no summary file in this snapshot
