"""A tiny deterministic dataset for UI tests and snapshots (loaded schema, no files).

`story_dataset()` mirrors the sample's shape in miniature: one big donor giving to a national 527
and a state PAC, the 527 passing money to the PAC, the PAC spending for and against candidates in
a race, local donors on both sides, a refund and a memo row. `hostile_dataset()` puts markup,
escape sequences, C1 controls, RTL and wide characters in every name column.
"""

from __future__ import annotations

from datetime import date

from moneytrail.data.dataset import Dataset
from tests.factories import candidate, committee, make_dataset, race, tx


def story_dataset() -> Dataset:
    """Donors, committees, a race: every path the explorer drills through."""
    txs = [
        tx(
            "t1",
            1_000_000_00,
            source_name="BIGGS, MONTGOMERY",
            source_state="NY",
            source_zip="10001",
            recipient="C527",
            on=date(2016, 3, 1),
        ),
        tx(
            "t2",
            400_000_00,
            source_name="BIGGS, MONTGOMERY",
            source_state="NY",
            source_zip="10001",
            recipient="CPAC",
            on=date(2016, 4, 2),
        ),
        tx(
            "t3",
            900_000_00,
            source_kind="committee",
            source_id="C527",
            source_name="NATIONAL SAFETY FUND",
            recipient="CPAC",
            on=date(2016, 5, 3),
        ),
        tx(
            "t4",
            700_000_00,
            kind="independent_expenditure",
            source_kind="committee",
            source_id="CPAC",
            source_name="FLORIDA SAFETY PAC",
            candidate_id="K1",
            support_oppose="S",
            on=date(2016, 6, 4),
        ),
        tx(
            "t5",
            500_000_00,
            kind="independent_expenditure",
            source_kind="committee",
            source_id="CPAC",
            source_name="FLORIDA SAFETY PAC",
            candidate_id="K2",
            support_oppose="O",
            on=date(2016, 7, 5),
        ),
        tx(
            "t6",
            250_00,
            source_name="DOE, JANE",
            source_state="FL",
            source_zip="32801",
            recipient="CK1",
            on=date(2016, 2, 6),
        ),
        tx(
            "t7",
            1_000_00,
            source_name="ROE, RICHARD",
            source_state="FL",
            source_zip="32803",
            recipient="CK2",
            on=date(2016, 2, 7),
        ),
        tx(
            "t8",
            -50_00,
            source_name="ROE, RICHARD",
            source_state="FL",
            source_zip="32803",
            recipient="CK2",
            on=date(2016, 3, 8),
        ),
        tx(
            "t9",
            1_000_00,
            source_name="ROE, RICHARD",
            source_state="FL",
            source_zip="32803",
            recipient="CK2",
            memo=True,
            on=date(2016, 3, 8),
        ),
        tx(
            "t10",
            75_00,
            source_name="POE, ED",
            source_state="FL",
            source_zip="32804",
            recipient="CK1",
            on=date(2016, 8, 9),
        ),
    ]
    committees = [
        committee("C527", "NATIONAL SAFETY FUND", kind="527"),
        committee("CPAC", "FLORIDA SAFETY PAC", kind="pac", state="FL"),
        committee(
            "CK1", "AYALA FOR STATE ATTORNEY", kind="candidate", state="FL", candidate_id="K1"
        ),
        committee(
            "CK2", "ASHTON FOR STATE ATTORNEY", kind="candidate", state="FL", candidate_id="K2"
        ),
    ]
    candidates = [
        candidate("K1", "AYALA, ARAMIS", "R1", party="DEM", won=True),
        candidate("K2", "ASHTON, JEFF", "R1", party="DEM", incumbent=True, won=False),
    ]
    races = [race("R1", "State Attorney 9th Circuit 2016", state="FL", jurisdiction="9th")]
    return make_dataset(
        transactions=txs,
        committees=committees,
        candidates=candidates,
        races=races,
        name="story",
    )


HOSTILE_NAMES: tuple[str, ...] = (
    "[red]x[/red]",
    "SMITH [R]",
    "[/bold] CLOSER",
    "ESC\x1b[31mRED\x1b[0m",
    "OSC\x1b]52;c;aGk=\x07BELL",
    "C1\x9bCSI\x85NEL",
    "RTL \u202eevil\u202c",
    "WIDE 漢字テスト",
    "ZERO\u200bWIDTH",
)


def hostile_dataset() -> Dataset:
    """Every name column holds a string that would be markup or a terminal escape."""
    txs = [
        tx(
            f"h{i}",
            (i + 1) * 1_234_56,
            source_name=name,
            source_state="FL",
            source_zip=f"3280{i}",
            recipient=f"H{i % 3}",
            on=date(2016, 1 + i, 1),
        )
        for i, name in enumerate(HOSTILE_NAMES)
    ]
    committees = [
        committee("H0", "[b]PAC[/b] \x1b[2J", kind="pac", state="FL"),
        committee("H1", "COMMITTEE [R] \u202eRTL", kind="super_pac", state="TX"),
        committee("H2", "漢字 COMMITTEE \x9b", kind="527"),
    ]
    return make_dataset(transactions=txs, committees=committees, name="hostile [red]data[/red]")
