"""The bundled sample's 527 and Florida PAC written as the real filings would show them.

`write_filings(sample, out)` takes the moneytrail-tables sample (sample_data/safety-and-justice)
and writes what the IRS and the Florida Division of Elections would publish for the same money:

* `FullDataFile.txt`: the 527's Form 8871 and one Form 8872 per year, its receipts as
  Schedule A and its transfers to the state PACs as Schedule B payments (to the PAC's name, in
  its state), in the IRS layout;
* `Contributions.txt`, `Expenditures.txt`: the Florida PAC's receipts (the 527's transfers
  appear as contributions from "SAFETY AND JUSTICE", Washington DC) and its spending, in the
  Division's export layout;
* `Contributions.csv`: the Louisiana PAC's receipts, in the Ethics Administration's CSV
  export layout (US-style amounts).

Memo rows are left out (neither format has a memo flag; they count nowhere). Used by
test_story_filings.py to check that the real-format path tells the same story to the cent.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

EIN = "990000527"
FL_PAC = "SJ-FL"
LA_PAC = "SJ-LA"
THE_527 = "SJ-527"
DC = ["1 Example Plaza NW", "", "Washington", "DC", "20005", ""]
FL_HEADERS = {
    "Contributions.txt": (
        "Candidate/Committee\tDate\tAmount\tTyp\tContributor Name\tAddress\tCity State Zip"
        "\tOccupation\tInkind Desc"
    ),
    "Expenditures.txt": (
        "Candidate/Committee\tDate\tAmount\tPayee Name\tAddress\tCity State Zip\tPurpose\tType"
    ),
}


def _ymd(iso: str) -> str:
    return iso.replace("-", "")


def _mdy(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{m}/{d}/{y}"


def _clean(value: str | None) -> str:
    return (value or "").replace("|", " ").replace("\t", " ")


def write_filings(sample: Path, out: Path) -> None:
    tx = pl.read_csv(sample / "transactions.csv", infer_schema=False).filter(
        pl.col("memo") != "true"
    )
    committees = pl.read_csv(sample / "committees.csv", infer_schema=False)
    name = dict(committees.select("committee_id", "name").iter_rows())
    state = dict(committees.select("committee_id", "state").iter_rows())
    org = name[THE_527]
    lines = ["H|20161106|0311|A|"]
    f8871 = ["1", "8871", "9000000", "1", "0", "0", EIN, org, *DC, "no@email", "20140106"]
    f8871 += ["Custodian", *DC, "Contact", *DC, *DC, "0", "", "0", "Purpose"]
    f8871 += ["20140106", "2014-01-06 10:00:00", "0", "1"]
    lines.append("|".join(f8871))
    received = tx.filter(pl.col("recipient_committee_id") == THE_527)
    paid = tx.filter(pl.col("source_id") == THE_527)
    years = sorted({d[:4] for d in [*received["date"], *paid["date"]]})
    sched = 0
    for form, year in enumerate(years, start=9_100_000):
        head = ["2", "8872", str(form), f"{year}0101", f"{year}1231", "0", "0", "0", "0"]
        rest = [org, EIN, *DC, "no@email", "20140106", "Custodian", *DC, "Contact", *DC, *DC]
        rest += ["4", "", "", "", "", "0", "0", "0", "0", f"{int(year) + 1}-01-31 10:00:00"]
        lines.append("|".join([*head, *rest]) + "|")
        for r in received.filter(pl.col("date").str.starts_with(year)).iter_rows(named=True):
            sched += 1
            a = ["A", str(form), str(sched), org, EIN, _clean(r["source_name"]), "1 Main St", ""]
            a += [_clean(r["source_city"]), _clean(r["source_state"]), _clean(r["source_zip"])]
            a += ["", _clean(r["source_employer"]), r["amount"], _clean(r["source_occupation"])]
            a += [r["amount"], _ymd(r["date"])]
            lines.append("|".join(a) + "|")
        for r in paid.filter(pl.col("date").str.starts_with(year)).iter_rows(named=True):
            sched += 1
            payee = r["recipient_committee_id"]
            b = ["B", str(form), str(sched), org, EIN, name[payee], "100 Main St", ""]
            b += ["Capital City", state[payee], "00000", "", "Not Applicable", r["amount"]]
            b += ["Not Applicable", _ymd(r["date"]), "Transfer"]
            lines.append("|".join(b) + "|")
    lines.append(f"F|20161106|0311|{len(lines) + 1}|")
    (out / "FullDataFile.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    filer = f"{name[FL_PAC]} (PAC)"
    rows = [FL_HEADERS["Contributions.txt"]]
    for r in tx.filter(pl.col("recipient_committee_id") == FL_PAC).iter_rows(named=True):
        if r["source_id"] == THE_527:
            who, where = org.upper(), "WASHINGTON, DC 20005"
        else:
            who = _clean(r["source_name"])
            where = (
                f"{_clean(r['source_city'])}, {_clean(r['source_state'])} {_clean(r['source_zip'])}"
            )
        fields = [filer, _mdy(r["date"]), r["amount"], "CHE", who, "1 MAIN ST", where]
        rows.append("\t".join([*fields, _clean(r["source_occupation"]), ""]))
    (out / "Contributions.txt").write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    rows = [FL_HEADERS["Expenditures.txt"]]
    for r in tx.filter(pl.col("source_id") == FL_PAC).iter_rows(named=True):
        fields = [filer, _mdy(r["date"]), r["amount"], "ORLANDO MEDIA GROUP", "1 MEDIA WAY"]
        rows.append("\t".join([*fields, "ORLANDO, FL 32801", _clean(r["description"]), "MON"]))
    (out / "Expenditures.txt").write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))

    # The Louisiana PAC's receipts, as the Ethics Administration's CSV export.
    la = [
        "FilerLastName,FilerFirstName,ReportCode,ReportType,ReportNumber,ContributorTypeCode,"
        "ContributorName,ContributorCity,ContributorState,ContributorZip,ContributionType,"
        "ContributionDate,ContributionAmt"
    ]
    for r in tx.filter(pl.col("recipient_committee_id") == LA_PAC).iter_rows(named=True):
        dollars = f"${float(r['amount']):,.2f}"
        fields = [name[LA_PAC].upper(), "", "F202", "10P", "LA-1", "IND", r["source_name"]]
        fields += [r["source_city"], r["source_state"], r["source_zip"], "CONTRIB"]
        la.append(",".join(f'"{f or ""}"' for f in [*fields, _mdy(r["date"]), dollars]))
    (out / "Contributions.csv").write_text("\r\n".join(la) + "\r\n", encoding="utf-8")
