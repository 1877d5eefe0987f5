"""A hostile moneytrail-tables dataset on disk: every displayed field holds markup or escapes.

`HOSTILE_STRINGS` covers what filers (or attackers) put in names: Rich/Textual markup, ESC and OSC
sequences (window title, screen clear, OSC 52 clipboard), other C0 and C1 controls, wide and
combining characters, right-to-left overrides and zero-width characters. `write_hostile_tables`
writes them through the real CSV format so tests exercise reader, query, presentation and UI
together. The data is valid in every other way: each row loads, none is rejected (NUL bytes
are left out because the tables reader rejects them by design; the broken-input corpus has them).
"""

from __future__ import annotations

import csv
from pathlib import Path

#: Strings that must be shown literally and must never reach the terminal as control bytes.
HOSTILE_STRINGS: tuple[str, ...] = (
    "[red]x[/red]",
    "[/bold]",
    "SMITH [R]",
    "[link=https://evil.example]click[/link]",
    "[@click=app.quit]quit[/]",
    "TITLE\x1b]0;owned\x07",
    "CLEAR\x1b[2J\x1b[H",
    "CLIP\x1b]52;c;aGVsbG8=\x1b\\",
    "RED\x1b[31mTEXT\x1b[0m",
    "BELL\x07BS\x08TAB\tVT\x0bFF\x0c",
    "C1\x9b31mCSI\x9d0;x\x9cNEL\x85",
    "DEL\x7fEND",
    "RTL \u202eevil\u202c text",
    "ISO \u2067iso\u2069 LRM\u200e",
    "ZERO\u200bWIDTH\ufeffBOM",
    "WIDE 漢字テスト 🙂",
    "COMBINING e\u0301\u0301\u0301",
    "LINE\u2028SEP\u2029PARA",
    "CRLF\r\nINSIDE",
)

#: Bytes and code points that must never appear in rendered output coming from data.
FORBIDDEN_CODEPOINTS: frozenset[int] = frozenset(
    [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]
)


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_hostile_tables(folder: Path) -> Path:
    """Write a four-table hostile dataset into `folder` (created) and return it.

    One committee, candidate and race per hostile string plus one contribution from a donor of
    that name to each committee, one committee-to-committee transfer chain, and one independent
    expenditure per candidate, so every pane, drill-down and trace has hostile text to show.
    """
    folder.mkdir(parents=True, exist_ok=True)
    n = len(HOSTILE_STRINGS)
    _write(
        folder / "races.csv",
        [
            "race_id",
            "name",
            "office",
            "state",
            "jurisdiction",
            "year",
            "stage",
            "population",
            "median_household_income",
        ],
        [
            [
                f"R{i}",
                f"Race {s}",
                f"Office {s}",
                "FL",
                f"Juris {s}",
                2016,
                "general",
                1000 + i,
                40000,
            ]
            for i, s in enumerate(HOSTILE_STRINGS)
        ],
    )
    _write(
        folder / "candidates.csv",
        ["candidate_id", "name", "party", "race_id", "incumbent", "won"],
        [
            [f"K{i}", f"Cand {s}", "DEM", f"R{i}", "false", "true"]
            for i, s in enumerate(HOSTILE_STRINGS)
        ],
    )
    _write(
        folder / "committees.csv",
        ["committee_id", "name", "kind", "state", "party", "candidate_id"],
        [[f"H{i}", f"PAC {s}", "super_pac", "FL", "", ""] for i, s in enumerate(HOSTILE_STRINGS)],
    )
    tx_header = [
        "transaction_id",
        "date",
        "amount",
        "kind",
        "source_kind",
        "source_id",
        "source_name",
        "source_city",
        "source_state",
        "source_zip",
        "source_employer",
        "source_occupation",
        "recipient_committee_id",
        "candidate_id",
        "support_oppose",
        "memo",
        "description",
    ]
    rows: list[list[object]] = []
    for i, s in enumerate(HOSTILE_STRINGS):
        month = 1 + i % 12
        rows.append(
            [
                f"D{i}",
                f"2016-{month:02d}-15",
                f"{(i + 1) * 1000}.{i:02d}",
                "contribution",
                "individual",
                "",
                s,
                f"City {s}",
                "FL",
                f"3280{i % 10}",
                f"Emp {s}",
                f"Occ {s}",
                f"H{i}",
                "",
                "",
                "false",
                f"Desc {s}",
            ]
        )
        rows.append(
            [
                f"T{i}",
                f"2016-{month:02d}-20",
                f"{(i + 1) * 500}.00",
                "contribution",
                "committee",
                f"H{i}",
                f"PAC {s}",
                "",
                "FL",
                "",
                "",
                "",
                f"H{(i + 1) % n}",
                "",
                "",
                "false",
                f"Transfer {s}",
            ]
        )
        rows.append(
            [
                f"E{i}",
                f"2016-{month:02d}-25",
                f"{(i + 1) * 250}.00",
                "independent_expenditure",
                "committee",
                f"H{i}",
                f"PAC {s}",
                "",
                "FL",
                "",
                "",
                "",
                f"H{i}",
                f"K{i}",
                "S" if i % 2 else "O",
                "false",
                f"Ad {s}",
            ]
        )
    _write(folder / "transactions.csv", tx_header, rows)
    return folder
