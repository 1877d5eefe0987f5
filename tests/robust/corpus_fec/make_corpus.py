"""Writes the broken-FEC-input corpus (the files next to this script) and its expectations.

The corpus is committed; this script is how it was made and `test_input_fec` checks that it
still reproduces the committed bytes exactly, so the files and `expected.toml` cannot drift.
Run it from the repository root after changing a case:
``uv run python -m tests.robust.corpus_fec.make_corpus``.

Each case is one physical line with the outcome the FEC readers must give it: ``None`` (loaded)
or the reject reason. `expected.toml` lists, per file, the line count, the rejects by line
number, and a comment per line saying what the line tries. Dollar totals are *not* stored: the
tests compute them in plain Python from the lines expected to load.

Folders:

* ``broken16/``: every reader's file (itcont, itoth, itpas2, cm, cn, ccl, oppexp and the IE csv,
  cycle 2016 from the folder name) full of broken and awkward lines between good ones.
* ``empty16/``: an empty ``itcont.txt`` (zero bytes).
* ``header_only/``: an IE csv with its header line and nothing else.

Large and zip cases (a 100k-character field, corrupt zips) are built by the tests in tmp folders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from moneytrail.data.fec.layouts import IE_COLUMNS, LAYOUTS

HERE = Path(__file__).resolve().parent
HOSTILE_NAME = 'SMITH [R] "JR" [/bold] \x1b[2J\x1b]0;x\x07'


@dataclass(frozen=True)
class Case:
    """One physical line of a corpus file.

    Attributes:
        data: the line's bytes without its terminator.
        reason: the reject reason it must get, or None when it must load.
        note: what the line tries (a comment in expected.toml).
        end: its terminator (b"" for a truncated last line).
    """

    data: bytes
    reason: str | None
    note: str
    end: bytes = b"\n"


def pipe(kind: str, **fields: str | bytes) -> bytes:
    """A `|` line of `kind` with the given fields (others empty); bytes are kept as bytes."""
    layout = LAYOUTS[kind]
    assert not set(fields) - set(layout), set(fields) - set(layout)
    parts = [fields.get(name, "") for name in layout]
    line = b"|".join(p if isinstance(p, bytes) else p.encode() for p in parts)
    return line + b"|" if kind == "oppexp" else line


def gift(amount: str = "100", sub_id: str = "1", **more: str | bytes) -> bytes:
    """An itcont receipt (type 15, an individual) with the given changes."""
    fields: dict[str, str | bytes] = {
        "CMTE_ID": "C00000001",
        "AMNDT_IND": "N",
        "RPT_TP": "Q1",
        "TRANSACTION_PGI": "P2016",
        "TRANSACTION_TP": "15",
        "ENTITY_TP": "IND",
        "NAME": "DOE, JANE",
        "CITY": "PHOENIX",
        "STATE": "AZ",
        "ZIP_CODE": "85001",
        "TRANSACTION_DT": "01152016",
        "TRANSACTION_AMT": amount,
        "TRAN_ID": f"T{sub_id}",
        "FILE_NUM": "1001",
        "SUB_ID": f"40{sub_id.zfill(8)}",
    }
    fields.update(more)
    return pipe("itcont", **fields)


def committee_tx(kind: str, amount: str, sub_id: str, **more: str) -> bytes:
    """An itoth/itpas2 row filed by C00000002 (a 24K to C00000001 unless changed)."""
    fields: dict[str, str | bytes] = {
        "CMTE_ID": "C00000002",
        "AMNDT_IND": "N",
        "RPT_TP": "Q1",
        "TRANSACTION_TP": "24K",
        "ENTITY_TP": "CCM",
        "NAME": "FRIENDS OF PAT",
        "TRANSACTION_DT": "02012016",
        "TRANSACTION_AMT": amount,
        "OTHER_ID": "C00000001",
        "TRAN_ID": f"K{sub_id}",
        "FILE_NUM": "2001",
        "SUB_ID": f"50{sub_id.zfill(8)}",
    }
    fields.update(more)
    return pipe(kind, **fields)


def itcont() -> list[Case]:
    return [
        Case(gift("100", "1"), None, "a good receipt"),
        Case(gift("250.50", "2"), None, "CRLF line end", b"\r\n"),
        Case(gift("12,50", "3"), "bad amount", "decimal comma 12,50"),
        Case(gift("1e309", "4"), "bad amount", "exponent 1e309 (a float overflow)"),
        Case(gift("--5", "5"), "bad amount", "double minus --5"),
        Case(gift("12345678901234567890", "6"), "bad amount", "beyond Int64 cents"),
        Case(gift("999999999999999.99", "7"), None, "the largest accepted amount"),
        Case(gift("-35.50", "8"), None, "a negative receipt (a void)"),
        Case(gift("100", "9", TRANSACTION_DT="00000000"), "bad date", "date 00000000"),
        Case(gift("100", "10", TRANSACTION_DT="02302016"), "bad date", "date 02302016"),
        Case(gift("18", "11", TRANSACTION_DT="01011918"), None, "year 1918 (possible)"),
        Case(gift("99", "12", TRANSACTION_DT="12312099"), None, "year 2099 (possible)"),
        Case(gift("13", "1"), None, "SUB_ID repeated from line 1"),
        Case(gift("14", "14", TRAN_ID="T1"), None, "TRAN_ID repeated from line 1"),
        Case(gift("1500", "15", CMTE_ID="C99999999"), None, "recipient not in cm"),
        Case(gift("16", "16", NAME=b"NUL\x00BYTE, A"), None, "a NUL byte in the name"),
        Case(gift("17", "17", NAME=b"MU\xd1OZ, JOS\xc9"), None, "latin-1 name (2 bytes)"),
        Case(gift("18", "18", NAME=b"BAD \xff\xfe\xc3( UTF8"), None, "invalid UTF-8 (3 bytes)"),
        Case(b"|".join([b"x"] * 20), "wrong field count", "20 fields"),
        Case(gift("20", "20") + b"|EXTRA", "wrong field count", "22 fields"),
        Case(b"", "wrong field count", "a blank line"),
        Case(gift("22", "22", NAME=HOSTILE_NAME), None, "quotes, markup and escapes in NAME"),
        Case(b"|" * 20, "bad amount", "21 empty fields (no amount)"),
        Case(gift(" 75 ", "24"), None, "spaces around the amount"),
        Case(gift(".75", "25"), None, "amount .75"),
        Case(gift("1.234", "26"), "bad amount", "three decimals"),
        Case(gift("+5", "27"), "bad amount", "a plus sign"),
        Case(gift("NaN", "28"), "bad amount", "NaN"),
        Case(gift("29", "29", TRANSACTION_DT="1152016"), "bad date", "a 7-digit date"),
        Case(gift("30", "30", TRANSACTION_DT="13012016"), "bad date", "month 13"),
        Case(gift("31", "31", MEMO_CD="X"), None, "a memo row (loaded, not counted)"),
        Case(gift("32", "32", TRANSACTION_TP="22Y"), None, "a refund paid (negated)"),
        Case(gift("33", "33", TRANSACTION_DT=""), None, "no date (null, loaded)"),
        Case(gift("35", "35", TRANSACTION_DT="01010000"), "bad date", "year 0 (no such year)"),
        Case(gift("\uff11\uff10\uff10", "36"), "bad amount", "fullwidth digits (not ASCII)"),
        Case(gift("34", "34")[:60], "wrong field count", "truncated last line", b""),
    ]


def itoth() -> list[Case]:
    crlf = b"\r\n"
    return [
        Case(committee_tx("itoth", "5000", "1", OTHER_ID="C88888888"), None, "to unlisted", crlf),
        Case(
            committee_tx(
                "itoth",
                "6000",
                "2",
                CMTE_ID="C00000001",
                TRANSACTION_TP="18G",
                OTHER_ID="C77777777",
                NAME="UNLISTED GIVER PAC",
            ),
            None,
            "receipt from an unlisted committee",
            crlf,
        ),
        Case(b"C00000002|N|Q1", "wrong field count", "3 fields", crlf),
        Case(
            committee_tx("itoth", "7", "4", TRANSACTION_DT="02302016"), "bad date", "02302016", crlf
        ),
        Case(committee_tx("itoth", "1e309", "5"), "bad amount", "1e309", crlf),
        Case(committee_tx("itoth", "8100", "6"), None, "a good transfer", crlf),
    ]


def itpas2() -> list[Case]:
    return [
        Case(
            committee_tx(
                "itpas2",
                "1000",
                "11",
                TRANSACTION_TP="24E",
                OTHER_ID="",
                CAND_ID="H9ZZ99999",
                NAME="AD PRINTER INC",
            ),
            None,
            "an IE for a candidate not in cn",
        ),
        Case(committee_tx("itpas2", "777", "12", CAND_ID="H6AZ02001"), None, "a good 24K"),
        Case(gift("13", "13"), "wrong field count", "an itcont line (21 fields)"),
        Case(committee_tx("itpas2", "--5", "14"), "bad amount", "--5"),
        Case(committee_tx("itpas2", "15", "15", TRANSACTION_DT="00000000"), "bad date", "00000000"),
        Case(
            committee_tx(
                "itpas2",
                "1600",
                "11",
                TRANSACTION_TP="24E",
                OTHER_ID="",
                CAND_ID="H9ZZ99999",
                TRAN_ID="K16",
            ),
            None,
            "SUB_ID repeated from line 1",
        ),
    ]


def cm() -> list[Case]:
    def committee(cid: str, name: str | bytes, tp: str = "Q", dsgn: str = "U") -> bytes:
        return pipe("cm", CMTE_ID=cid, CMTE_NM=name, CMTE_ST="AZ", CMTE_DSGN=dsgn, CMTE_TP=tp)

    return [
        Case(committee("C00000001", "PAT FOR CONGRESS", "H", "P"), None, "a candidate committee"),
        Case(committee("C00000002", "FRIENDS OF PAT"), None, "a PAC"),
        Case(committee("", "NO ID PAC"), "missing id", "no CMTE_ID"),
        Case(b"|".join([b"C00000009"] * 14), "wrong field count", "14 fields"),
        Case(committee("C00000001", "PAT AGAIN"), None, "CMTE_ID repeated"),
        Case(committee("C00000003", b"NUL\x00 \xe9L\xc9"), None, "NUL and latin-1 in the name"),
        Case(b"", "wrong field count", "a blank line"),
    ]


def cn() -> list[Case]:
    def candidate(cid: str, name: str, year: str = "2016") -> bytes:
        return pipe(
            "cn",
            CAND_ID=cid,
            CAND_NAME=name,
            CAND_PTY_AFFILIATION="DEM",
            CAND_ELECTION_YR=year,
            CAND_OFFICE_ST="AZ",
            CAND_OFFICE="H",
            CAND_OFFICE_DISTRICT="02",
            CAND_ICI="C",
            CAND_PCC="C00000001",
        )

    return [
        Case(candidate("H6AZ02001", "DOE, PAT"), None, "a House candidate"),
        Case(candidate("", "NOBODY"), "missing id", "no CAND_ID"),
        Case(b"H6AZ02002|ONLY|THREE", "wrong field count", "3 fields"),
        Case(candidate("H6AZ02003", "ODD YEAR", "20I6"), None, "an election year 20I6"),
        Case(candidate("H6AZ02001", "DOE, PAT AGAIN"), None, "CAND_ID repeated"),
    ]


def ccl() -> list[Case]:
    return [
        Case(b"H6AZ02001|2016|2016|C00000001|H|P|1", None, "a principal committee link"),
        Case(b"H6AZ02001|2016|2016||H|P|2", "missing id", "no CMTE_ID"),
        Case(b"H6AZ02001|2016|2016|C00000001|H|P|3|8", "wrong field count", "8 fields"),
        Case(b"|2016|2016|C00000002|Q|U|4", "missing id", "no CAND_ID"),
    ]


def oppexp() -> list[Case]:
    def spend(amount: str, sub_id: str, date: str = "01/15/2016", **more: str) -> bytes:
        fields = {
            "CMTE_ID": "C00000001",
            "AMNDT_IND": "N",
            "RPT_YR": "2016",
            "RPT_TP": "Q1",
            "NAME": "PRINT SHOP",
            "TRANSACTION_DT": date,
            "TRANSACTION_AMT": amount,
            "PURPOSE": "PRINTING",
            "ENTITY_TP": "ORG",
            "SUB_ID": f"60{sub_id.zfill(8)}",
            "FILE_NUM": "3001",
            "TRAN_ID": f"E{sub_id}",
        }
        fields.update(more)
        return pipe("oppexp", **fields)

    return [
        Case(spend("12.34", "1"), None, "a good expenditure (trailing |)"),
        Case(spend("56", "2")[:-1], None, "without the trailing |"),
        Case(spend("3", "3", "01152016"), "bad date", "MMDDYYYY where MM/DD/YYYY is due"),
        Case(spend("4", "4", "02/30/2016"), "bad date", "02/30/2016"),
        Case(spend("12,50", "5"), "bad amount", "12,50"),
        Case(spend("6", "6") + b"X|Y|", "wrong field count", "27 fields"),
        Case(spend("700", "7", CMTE_ID="C66666666"), None, "paid by an unlisted committee"),
        Case(spend("-80", "8"), None, "a negative expenditure"),
        Case(spend("9", "9", "01/01/0000"), "bad date", "year 0"),
    ]


def _ie_row(**fields: str) -> bytes:
    base = {
        "cand_id": "H6AZ02001",
        "cand_name": "DOE PAT",
        "spe_id": "C00000005",
        "spe_nam": "AZ FUTURE",
        "ele_type": "P",
        "can_office_state": "AZ",
        "can_office_dis": "02",
        "can_office": "H",
        "cand_pty_aff": "DEM",
        "exp_amo": "1000",
        "exp_date": "15-JAN-16",
        "agg_amo": "1000",
        "sup_opp": "S",
        "pur": "TV AD",
        "pay": "AD SHOP",
        "file_num": "9001",
        "amndt_ind": "N",
        "tran_id": "IE1",
        "image_num": "1",
        "receipt_dat": "16-JAN-16",
        "fec_election_yr": "2016",
        "prev_file_num": "",
        "dissem_dt": "15-JAN-16",
    }
    base.update(fields)
    return ",".join(base[c] for c in IE_COLUMNS).encode()


def independent() -> list[Case]:
    row = _ie_row
    return [
        Case(",".join(IE_COLUMNS).encode(), "header", "the header line"),
        Case(row(), None, "DD-MON-YY date"),
        Case(
            row(exp_amo="2000", exp_date="01/20/2016", tran_id="IE2", pay='"SHOP, INC"'),
            None,
            "MM/DD/YYYY and a quoted comma",
        ),
        Case(row(exp_amo="3000", exp_date="2016-01-25", tran_id="IE3"), None, "ISO date"),
        Case(row(exp_date="30-FEB-16", tran_id="IE4"), "bad date", "30-FEB-16"),
        Case(row(exp_amo="1e309", tran_id="IE5"), "bad amount", "1e309"),
        Case(row(exp_amo='"12,50"', tran_id="IE6"), "bad amount", "quoted 12,50"),
        Case(row(exp_amo="12,50", tran_id="IE7"), "wrong field count", "unquoted 12,50"),
        Case(b"H6AZ02001,DOE,C00000005", "wrong field count", "3 fields"),
        Case(
            row(pay='"OPEN QUOTE, NEVER CLOSED', tran_id="IE9"),
            "wrong field count",
            "an unclosed quote (must not swallow the next line)",
        ),
        Case(row(exp_amo="4000", tran_id="IE10"), None, "the line after the unclosed quote"),
        Case(row(pur="CARRIAGE\rRETURN", tran_id="IE11"), "bad csv line", "a bare CR in a field"),
        Case(
            row(exp_amo="5000", cand_id="H9ZZ99998", spe_id="C55555555", tran_id="IE12"),
            None,
            "candidate and spender unlisted",
        ),
        Case(row(exp_amo="6000", spe_nam="NUL\x00PAC", tran_id="IE13"), None, "a NUL byte"),
        Case(
            row(exp_amo="7000", tran_id="IE14").replace(b"AD SHOP", b"CAF\xc9 \xe9"),
            None,
            "latin-1 bytes (2)",
        ),
        Case(row(exp_amo="8000", tran_id="IE15"), None, "CRLF line end", b"\r\n"),
        Case(b"", "wrong field count", "a blank line"),
        Case(row(exp_amo="12345678901234567890", tran_id="IE17"), "bad amount", "beyond Int64"),
        Case(row(exp_amo="-500", tran_id="IE18"), None, "a negative amount"),
        Case(row(exp_amo="19", exp_date="01/01/1918", tran_id="IE19"), None, "year 1918"),
        Case(row(exp_amo="20", exp_date="2099-12-31", tran_id="IE20"), None, "year 2099"),
        Case(row(exp_date="00/00/0000", tran_id="IE21"), "bad date", "00/00/0000"),
        Case(row(exp_amo="22", tran_id="IE1"), None, "tran_id repeated from line 2"),
        Case(row(exp_date="0000-01-01", tran_id="IE23"), "bad date", "year 0"),
        Case(
            row(exp_amo="\u0661\u0660\u0660", tran_id="IE24"), "bad amount", "Arabic-Indic digits"
        ),
        Case(row(exp_amo="23", tran_id="IE23")[:40], "wrong field count", "truncated", b""),
    ]


def corpus() -> dict[str, list[Case]]:
    """Relative path -> the cases of that file, in line order."""
    return {
        "broken16/itcont.txt": itcont(),
        "broken16/itoth.txt": itoth(),
        "broken16/itpas2.txt": itpas2(),
        "broken16/cm.txt": cm(),
        "broken16/cn.txt": cn(),
        "broken16/ccl.txt": ccl(),
        "broken16/oppexp.txt": oppexp(),
        "broken16/independent_expenditure_2016.csv": independent(),
        "empty16/itcont.txt": [],
        "header_only/independent_expenditure_2016.csv": [
            Case(",".join(IE_COLUMNS).encode(), "header", "the header line")
        ],
    }


def file_bytes(cases: list[Case]) -> bytes:
    """The bytes of a corpus file."""
    return b"".join(c.data + c.end for c in cases)


def expected_toml(files: dict[str, list[Case]]) -> str:
    """expected.toml: per file, the physical lines and the rejects by line (with comments)."""
    out = ["# Written by make_corpus.py: what the FEC readers must make of each corpus line.", ""]
    for name, cases in files.items():
        out += [f'["{name}"]', f"lines = {len(cases)}"]
        out += [f"# {n}: loaded: {c.note}" for n, c in enumerate(cases, 1) if c.reason is None]
        out += ["", f'["{name}".rejects]']
        out += [
            f'{n} = "{c.reason}"  # {c.note}'
            for n, c in enumerate(cases, 1)
            if c.reason not in (None, "header")
        ]
        out.append("")
    return "\n".join(out)


def write(folder: Path = HERE) -> None:
    """Write the corpus files and expected.toml under `folder`."""
    files = corpus()
    for name, cases in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file_bytes(cases))
    (folder / "expected.toml").write_text(expected_toml(files), encoding="utf-8")


if __name__ == "__main__":
    write()
