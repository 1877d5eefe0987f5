#!/usr/bin/env python3
"""Generate the bundled synthetic sample dataset `sample_data/safety-and-justice/`.

Contract:

* Standalone and stdlib-only (``random``, ``csv``, ``decimal``): ``uv run python
  sample_data/generate.py`` rewrites the four CSV tables and the empty ``SYNTHETIC`` marker in
  the folder next to this script (``--out DIR`` writes them elsewhere).
* Deterministic: one seed, integer arithmetic for all money (cents), no wall clock, no set
  iteration, no transcendental floating-point functions, ``\\n`` line endings. Re-running it
  reproduces the committed files byte for byte (``tests/sample`` checks this).
* The figures a 2016 news article reports (see ``/work/shared/SAMPLE_STORY.md`` and
  ``sample_data/README.md``) hold *exactly* as totals; they are the constants in the "story"
  section below and the script refuses to write a dataset in which they do not add up.
* Everything else (every small donor, local committee, fictitious candidate, date, address,
  employer and occupation) is synthetic filler with obviously invented names.

The layout of this file: the story's structure as data (committees, races, candidates, flows
with exact amounts), then the synthetic filler, then the writer.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

SEED = 20160831
DEFAULT_OUT = Path(__file__).resolve().parent / "safety-and-justice"


def cents(dollars: str) -> int:
    """Exact cents from a decimal-dollar literal (`"1387500.00"` -> 138750000)."""
    value = Decimal(dollars)
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{dollars} is not a whole number of cents")
    return int(scaled)


# =============================================================================================
# The story: what the article reports (real names, exact totals)
# =============================================================================================

#: The mega-donor, as two spellings of one identity (same ZIP, so the FEC-style name + ZIP5
#: heuristic merges them). The address itself is synthetic.
DONOR_NAME = "SOROS, GEORGE"
DONOR_NAME_VARIANT = "George Soros"
DONOR_CITY, DONOR_STATE, DONOR_ZIP = "NEW YORK", "NY", "10019"

#: "about $3 million" into local district-attorney races, 2015-2016: the donor's total giving
#: in the sample (to the national 527 plus directly to the six state PACs).
DONOR_TOTAL_CENTS = cents("3000000.00")
#: "Florida Safety and Justice poured nearly $1.4 million, all of which came from Soros and his
#: 527 group": the Florida PAC's total receipts, 100% from the donor directly and via the 527.
FLORIDA_PAC_RECEIPTS_CENTS = cents("1387500.00")
#: "Soros gave over $930,000 ... to the group boosting Stewart" (Caddo Parish, 2015).
CADDO_DONOR_CENTS = cents("933000.00")
#: Approximate context figure: Caddo Parish median household income in whole dollars
#: ("more than 22 times the local median household income": 933,000 / 41,000 = 22.76).
CADDO_MEDIAN_HOUSEHOLD_INCOME = 41_000
#: Approximate context figure: "over 1.6 million people across two counties".
NINTH_CIRCUIT_POPULATION = 1_610_000
#: Approximate context figure: Caddo Parish population.
CADDO_POPULATION = 254_000

# --- committees named after the article ("each named a variation on 'Safety and Justice'") ---
SJ_527 = "SJ-527"
SJ_FL, SJ_LA, SJ_IL, SJ_MS, SJ_NM, SJ_TX = "SJ-FL", "SJ-LA", "SJ-IL", "SJ-MS", "SJ-NM", "SJ-TX"


@dataclass(frozen=True)
class Committee:
    """A row of committees.csv."""

    committee_id: str
    name: str
    kind: str
    state: str = ""
    party: str = ""
    candidate_id: str = ""


STORY_COMMITTEES: list[Committee] = [
    Committee(SJ_527, "Safety and Justice", "527"),
    Committee(SJ_FL, "Florida Safety and Justice", "super_pac", "FL"),
    Committee(SJ_LA, "Louisiana Safety and Justice", "super_pac", "LA"),
    Committee(SJ_IL, "Illinois Safety and Justice", "super_pac", "IL"),
    Committee(SJ_MS, "Mississippi Safety and Justice", "super_pac", "MS"),
    Committee(SJ_NM, "New Mexico Safety and Justice", "super_pac", "NM"),
    Committee(SJ_TX, "Texas Safety and Justice", "super_pac", "TX"),
]


@dataclass(frozen=True)
class Race:
    """A row of races.csv, plus the synthetic campaign window its rows are dated in."""

    race_id: str
    name: str
    office: str
    state: str
    jurisdiction: str
    year: int
    stage: str
    population: int | None
    median_household_income: int | None
    campaign_start: date
    election_day: date


@dataclass(frozen=True)
class Candidate:
    """A row of candidates.csv, plus the candidate's own committee."""

    candidate_id: str
    name: str
    party: str
    race_id: str
    incumbent: bool
    won: bool | None
    committee_id: str
    committee_name: str


FL_RACE, LA_RACE = "FL-SA9-2016", "LA-CADDO-DA-2015"
IL_RACE, MS_RACE, NM_RACE, TX_RACE = "IL-SA-2016", "MS-DA-2015", "NM-DA-2016", "TX-DA-2016"

RACES: list[Race] = [
    # The two races the article names.
    Race(
        FL_RACE,
        "State Attorney, 9th Judicial Circuit, 2016 Democratic primary",
        "State Attorney",
        "FL",
        "9th Judicial Circuit (Orange and Osceola counties)",
        2016,
        "primary",
        NINTH_CIRCUIT_POPULATION,
        None,
        date(2015, 10, 1),
        date(2016, 8, 30),
    ),
    Race(
        LA_RACE,
        "Caddo Parish District Attorney, 2015",
        "District Attorney",
        "LA",
        "Caddo Parish",
        2015,
        "general",
        CADDO_POPULATION,
        CADDO_MEDIAN_HOUSEHOLD_INCOME,
        date(2015, 3, 1),
        date(2015, 11, 21),
    ),
    # The article names no one in the other four states: generic, illustrative races.
    Race(
        IL_RACE,
        "Illinois: County State's Attorney, 2016 primary",
        "State's Attorney",
        "IL",
        "An Illinois county (illustrative)",
        2016,
        "primary",
        410_000,
        58_000,
        date(2015, 7, 1),
        date(2016, 3, 15),
    ),
    Race(
        MS_RACE,
        "Mississippi: District Attorney, 2015 primary",
        "District Attorney",
        "MS",
        "A Mississippi district (illustrative)",
        2015,
        "primary",
        230_000,
        39_000,
        date(2015, 1, 15),
        date(2015, 8, 4),
    ),
    Race(
        NM_RACE,
        "New Mexico: District Attorney, 2016 primary",
        "District Attorney",
        "NM",
        "A New Mexico judicial district (illustrative)",
        2016,
        "primary",
        300_000,
        46_000,
        date(2015, 10, 1),
        date(2016, 6, 7),
    ),
    Race(
        TX_RACE,
        "Texas: County District Attorney, 2016 primary",
        "District Attorney",
        "TX",
        "A Texas county (illustrative)",
        2016,
        "primary",
        520_000,
        54_000,
        date(2015, 7, 1),
        date(2016, 3, 1),
    ),
]

# fmt: off
CANDIDATES: list[Candidate] = [
    # Named in the article (the parties of the Caddo candidates are not reported: left blank).
    Candidate(
        "FL-AYALA", "Aramis Ayala", "DEM", FL_RACE, False, True, "C-AYALA", "Aramis Ayala campaign"
    ),
    Candidate(
        "FL-ASHTON", "Jeff Ashton", "DEM", FL_RACE, True, False, "C-ASHTON", "Jeff Ashton campaign"
    ),
    Candidate(
        "LA-STEWART", "James Stewart", "", LA_RACE, False, True, "C-STEWART",
        "James Stewart campaign",
    ),
    Candidate(
        "LA-THOMPSON", "Dhu Thompson", "", LA_RACE, False, False, "C-THOMPSON",
        "Dhu Thompson campaign",
    ),
    # Obviously fictitious candidates for the illustrative races.
    Candidate(
        "IL-QUARRELWICK", "Zenobia Quarrelwick", "DEM", IL_RACE, False, True, "C-QUARRELWICK",
        "Quarrelwick for State's Attorney",
    ),
    Candidate(
        "IL-BRAMBLEDUCK", "Hollis Brambleduck", "DEM", IL_RACE, True, False, "C-BRAMBLEDUCK",
        "Brambleduck for State's Attorney",
    ),
    Candidate(
        "MS-FENWHISTLE", "Ludmila Fenwhistle", "DEM", MS_RACE, False, False, "C-FENWHISTLE",
        "Fenwhistle for District Attorney",
    ),
    Candidate(
        "MS-POTTLEBURY", "Cornelius Pottlebury", "DEM", MS_RACE, True, True, "C-POTTLEBURY",
        "Pottlebury for District Attorney",
    ),
    Candidate(
        "NM-QUISTMOOR", "Rafaela Quistmoor", "DEM", NM_RACE, False, True, "C-QUISTMOOR",
        "Quistmoor for District Attorney",
    ),
    Candidate(
        "NM-SNORROWBY", "Egbert Snorrowby", "DEM", NM_RACE, True, False, "C-SNORROWBY",
        "Snorrowby for District Attorney",
    ),
    Candidate(
        "TX-BRINDLEFAX", "Octavia Brindlefax", "DEM", TX_RACE, False, True, "C-BRINDLEFAX",
        "Brindlefax for District Attorney",
    ),
    Candidate(
        "TX-MUMBLECRAKE", "Wendell Mumblecrake", "DEM", TX_RACE, True, False, "C-MUMBLECRAKE",
        "Mumblecrake for District Attorney",
    ),
]
# fmt: on

# --- the donor's gifts: (date, recipient committee, amount, name as spelled on the row) ----
DONOR_GIFTS: list[tuple[date, str, int, str]] = [
    # To the national 527 (which passes every dollar on to the state PACs below).
    (date(2015, 6, 1), SJ_527, cents("250000.00"), DONOR_NAME),
    (date(2016, 1, 15), SJ_527, cents("250000.00"), DONOR_NAME),
    (date(2016, 4, 25), SJ_527, cents("300000.00"), DONOR_NAME),
    (date(2016, 7, 5), SJ_527, cents("200000.00"), DONOR_NAME),
    # Louisiana: $933,000.00 to the group boosting Stewart.
    (date(2015, 8, 20), SJ_LA, cents("250000.00"), DONOR_NAME),
    (date(2015, 9, 14), SJ_LA, cents("300000.00"), DONOR_NAME),
    (date(2015, 10, 5), SJ_LA, cents("233000.00"), DONOR_NAME),
    (date(2015, 11, 2), SJ_LA, cents("150000.00"), DONOR_NAME),
    # Florida, directly (the rest of its $1,387,500.00 comes via the 527).
    (date(2016, 6, 1), SJ_FL, cents("400000.00"), DONOR_NAME_VARIANT),
    (date(2016, 7, 25), SJ_FL, cents("300000.00"), DONOR_NAME_VARIANT),
    (date(2016, 8, 15), SJ_FL, cents("187500.00"), DONOR_NAME_VARIANT),
    # The four illustrative states, directly.
    (date(2015, 7, 1), SJ_MS, cents("30000.00"), DONOR_NAME),
    (date(2016, 2, 12), SJ_IL, cents("65000.00"), DONOR_NAME),
    (date(2016, 2, 15), SJ_TX, cents("48500.00"), DONOR_NAME),
    (date(2016, 5, 12), SJ_NM, cents("36000.00"), DONOR_NAME),
]

# --- the 527's transfers to the state PACs: (date, recipient, amount) ----------------------
TRANSFERS_527: list[tuple[date, str, int]] = [
    (date(2015, 6, 22), SJ_MS, cents("75000.00")),
    (date(2016, 1, 25), SJ_IL, cents("180000.00")),
    (date(2016, 2, 1), SJ_TX, cents("150000.00")),
    (date(2016, 5, 3), SJ_NM, cents("95000.00")),
    (date(2016, 5, 16), SJ_FL, cents("200000.00")),
    (date(2016, 7, 12), SJ_FL, cents("300000.00")),
]

#: A memo itemization of a transfer already counted: the Florida PAC reports the 527's second
#: transfer again as the donor's money. It is shown, never added (memo=true).
DONOR_MEMO: tuple[date, str, int, str] = (
    date(2016, 7, 12),
    SJ_FL,
    cents("300000.00"),
    "Memo: original source of the transfer from Safety and Justice (counted in that transfer)",
)


@dataclass(frozen=True)
class IESpend:
    """Independent expenditures: `total` split into `rows` ad buys dated `first`..`last`."""

    payer: str
    candidate_id: str
    support_oppose: str
    total: int
    first: date
    last: date
    rows: int
    description: str


#: Each state PAC spends exactly what it received, as IEs in its race. The Florida ads support
#: Ayala and attack Ashton (as reported); the Louisiana group boosts Stewart.
# fmt: off
STORY_IES: list[IESpend] = [
    IESpend(SJ_FL, "FL-AYALA", "S", cents("812500.00"), date(2016, 6, 3), date(2016, 8, 27), 14,
            "TV advertising supporting Aramis Ayala"),
    IESpend(SJ_FL, "FL-ASHTON", "O", cents("575000.00"), date(2016, 6, 10), date(2016, 8, 27), 11,
            "TV advertising opposing Jeff Ashton"),
    IESpend(SJ_LA, "LA-STEWART", "S", cents("933000.00"), date(2015, 8, 25), date(2015, 11, 18),
            16, "Advertising supporting James Stewart"),
    IESpend(SJ_IL, "IL-QUARRELWICK", "S", cents("160000.00"), date(2016, 1, 28),
            date(2016, 3, 12), 7, "Advertising supporting Zenobia Quarrelwick"),
    IESpend(SJ_IL, "IL-BRAMBLEDUCK", "O", cents("85000.00"), date(2016, 2, 14), date(2016, 3, 12),
            5, "Advertising opposing Hollis Brambleduck"),
    IESpend(SJ_MS, "MS-FENWHISTLE", "S", cents("70000.00"), date(2015, 6, 25), date(2015, 8, 1),
            6, "Advertising supporting Ludmila Fenwhistle"),
    IESpend(SJ_MS, "MS-POTTLEBURY", "O", cents("35000.00"), date(2015, 7, 3), date(2015, 8, 1),
            4, "Advertising opposing Cornelius Pottlebury"),
    IESpend(SJ_NM, "NM-QUISTMOOR", "S", cents("90000.00"), date(2016, 5, 5), date(2016, 6, 5),
            6, "Advertising supporting Rafaela Quistmoor"),
    IESpend(SJ_NM, "NM-SNORROWBY", "O", cents("41000.00"), date(2016, 5, 14), date(2016, 6, 5),
            4, "Advertising opposing Egbert Snorrowby"),
    IESpend(SJ_TX, "TX-BRINDLEFAX", "S", cents("130000.00"), date(2016, 2, 3), date(2016, 2, 28),
            6, "Advertising supporting Octavia Brindlefax"),
    IESpend(SJ_TX, "TX-MUMBLECRAKE", "O", cents("68500.00"), date(2016, 2, 16),
            date(2016, 2, 28), 4, "Advertising opposing Wendell Mumblecrake"),
]
# fmt: on


def check_story() -> None:
    """Refuse to write a dataset whose story figures do not add up exactly.

    Raises:
        ValueError: naming the figure that does not hold.
    """

    def received(committee_id: str) -> int:
        direct = sum(a for _, to, a, _ in DONOR_GIFTS if to == committee_id)
        return direct + sum(a for _, to, a in TRANSFERS_527 if to == committee_id)

    def require(ok: bool, what: str) -> None:
        if not ok:
            raise ValueError(f"story figure does not hold: {what}")

    require(
        sum(amount for _, _, amount, _ in DONOR_GIFTS) == DONOR_TOTAL_CENTS,
        "the donor's gifts must total DONOR_TOTAL_CENTS",
    )
    require(
        received(SJ_527) == sum(amount for _, _, amount in TRANSFERS_527),
        "the 527 must pass on exactly what it received",
    )
    require(
        received(SJ_FL) == FLORIDA_PAC_RECEIPTS_CENTS,
        "Florida Safety and Justice must receive FLORIDA_PAC_RECEIPTS_CENTS",
    )
    require(
        received(SJ_LA) == CADDO_DONOR_CENTS, "the Louisiana PAC must receive CADDO_DONOR_CENTS"
    )
    require(
        CADDO_DONOR_CENTS > 100 * 22 * CADDO_MEDIAN_HOUSEHOLD_INCOME,
        "the Caddo gift must exceed 22 times the median household income",
    )
    for committee in STORY_COMMITTEES[1:]:
        spent = sum(ie.total for ie in STORY_IES if ie.payer == committee.committee_id)
        require(
            received(committee.committee_id) == spent,
            f"{committee.name} must spend exactly what it received",
        )


# =============================================================================================
# Synthetic filler: obviously fictitious people, businesses, towns and local committees
# =============================================================================================

# fmt: off
FIRST_NAMES: list[str] = [
    "Ada", "Alma", "Amos", "Anita", "Arlo", "Bea", "Bernard", "Calvin", "Carmen", "Cecil",
    "Clara", "Cyrus", "Dalia", "Delmar", "Dora", "Edna", "Elias", "Elena", "Esther", "Felix",
    "Flora", "Gideon", "Greta", "Hazel", "Homer", "Ines", "Ira", "Ivy", "Jasper", "Jolene",
    "Jonas", "Kiki", "Lars", "Leona", "Lionel", "Lucia", "Mabel", "Malik", "Marisol", "Milo",
    "Nadia", "Nestor", "Nina", "Odell", "Opal", "Otis", "Paloma", "Percy", "Priya", "Quincy",
    "Rosa", "Rufus", "Selma", "Silas", "Sonia", "Tamsin", "Thea", "Tobias", "Ursula", "Vera",
    "Vinh", "Wanda", "Wendell", "Xenia", "Yusuf", "Yvette", "Zora", "Zeke",
]
# Invented syllables: every surname is head + tail ("Quorwick", "Snerkobble").
SURNAME_HEADS: list[str] = [
    "Quor", "Zel", "Thav", "Mop", "Vesk", "Plon", "Grizz", "Snerk", "Wob", "Fizz", "Krell",
    "Yomp", "Blor", "Drav", "Glim", "Jex", "Quill", "Tromb", "Wrax", "Zub", "Pim", "Oggle",
    "Frump", "Nib", "Skor", "Vell", "Hux", "Marp", "Twizz", "Bozz",
]
SURNAME_TAILS: list[str] = [
    "wick", "aby", "oodle", "ax", "erby", "ingle", "otz", "umble", "avy", "endo", "ash",
    "orph", "isto", "unk", "elby", "mire", "quist", "obble", "azzo", "ithe",
]
EMPLOYER_KINDS: list[str] = [
    "Logistics", "Dental Group", "Hardware", "Law Group", "Insurance", "Realty", "Bakery",
    "Engineering", "Feed & Seed", "Auto Body", "Clinic", "Title Co.", "Plumbing", "Media",
]
OCCUPATIONS: list[str] = [
    "TEACHER", "ATTORNEY", "NURSE", "ENGINEER", "ACCOUNTANT", "PHYSICIAN", "SALES", "MANAGER",
    "CONTRACTOR", "PASTOR", "SOCIAL WORKER", "PARALEGAL", "ELECTRICIAN", "PROFESSOR", "CHEF",
    "OWNER", "CONSULTANT", "PHARMACIST", "ANALYST", "FARMER",
]
TITLES: list[str] = ["Dr.", "Mr.", "Mrs.", "Ms.", "Rev."]
SUFFIXES: list[str] = ["Jr.", "Sr.", "III"]

#: Invented towns per state, each with its (synthetic) ZIP codes.
TOWNS: dict[str, list[tuple[str, list[str]]]] = {
    "FL": [
        ("TOLLIVANT", ["32801", "32803", "32806"]),
        ("WRENNICK SPRINGS", ["32819", "32822"]),
        ("PORT QUILLMERE", ["34741", "34744"]),
        ("BRAMBLETON", ["34746", "34758"]),
        ("OGGLESBY HEIGHTS", ["32835", "32839"]),
    ],
    "LA": [
        ("SABREVINE", ["71101", "71104", "71106"]),
        ("QUORVEL", ["71107", "71109"]),
        ("BAYOU TESSIM", ["71118", "71129"]),
        ("PLONKETT", ["71033", "71060"]),
    ],
    "IL": [
        ("GLIMMERFORD", ["61602", "61604"]),
        ("VESKHAVEN", ["61614", "61615"]),
        ("NIBLEY CROSSING", ["61525", "61530"]),
    ],
    "MS": [
        ("FRUMPTON", ["39201", "39206"]),
        ("ZUBBERVILLE", ["39211", "39212"]),
        ("HUXMIRE", ["39056", "39110"]),
    ],
    "NM": [
        ("MARPLE MESA", ["87102", "87106"]),
        ("SKORVALE", ["87110", "87114"]),
        ("TWIZZLE FLATS", ["87120", "87121"]),
    ],
    "TX": [
        ("BOZZLEBURG", ["78701", "78704"]),
        ("KRELLVIEW", ["78745", "78748"]),
        ("YOMPSTEAD", ["78613", "78660"]),
    ],
    # Out-of-state donors.
    "NY": [("GRIZZLETOWN", ["10025", "11215"])],
    "CA": [("DRAVMOUTH", ["94110", "90026"])],
    "DC": [("WASHINGTON", ["20009", "20003"])],
    "GA": [("THAVERLY", ["30306", "30307"])],
    "MA": [("JEXBURY", ["02139", "02144"])],
}
OUT_OF_STATE: list[str] = ["NY", "CA", "DC", "GA", "MA"]

EXPENSE_PURPOSES: list[str] = [
    "Printing", "Postage", "Yard signs", "Campaign consulting", "Digital advertising",
    "Radio advertising", "Event venue", "Office rent", "Payroll", "Phone banking",
    "Polling", "Bank fees", "Travel", "Catering", "Website hosting",
]
VENDOR_KINDS: list[str] = ["Press", "Strategies", "Signworks", "Media", "Print & Mail", "Events"]


@dataclass(frozen=True)
class RaceFiller:
    """How much synthetic local money each race gets, and its local committees."""

    race_id: str
    challenger: str
    incumbent: str
    #: Small individual gifts to the two candidate committees.
    candidate_gifts: int
    #: Share of those gifts that go to the challenger, in percent.
    challenger_share: int
    #: The per-gift cap on gifts to a candidate's committee (the top tier of small gifts).
    gift_cap: int
    #: Individual and organization gifts to the two local PACs.
    pac_gifts: int
    org_gifts: int
    #: (committee_id, name): the local PAC backing the challenger and the one backing the
    #: other side (the incumbent where there is one), and a statewide PAC that funds the latter.
    challenger_pac: tuple[str, str]
    incumbent_pac: tuple[str, str]
    statewide_pac: tuple[str, str]
    #: Whether the local PACs also run ads *opposing* the other side. Off in the two races the
    #: article names, so no synthetic row attacks a real person (only the reported ads do).
    local_attack_ads: bool = True


FILLERS: list[RaceFiller] = [
    RaceFiller(
        FL_RACE, "FL-AYALA", "FL-ASHTON", 12_000, 44, cents("1000.00"), 300, 80,
        ("L-FL-FAIR", "Wrennick Fair Courts Circle"),
        ("L-FL-PROVEN", "Tollivant Citizens for Proven Prosecutors"),
        ("L-FL-STATE", "Quillmere State Prosecutors Fund"),
        local_attack_ads=False,
    ),
    RaceFiller(
        LA_RACE, "LA-STEWART", "LA-THOMPSON", 8_000, 48, cents("5000.00"), 200, 60,
        ("L-LA-CHANGE", "Sabrevine Neighbors for Change"),
        ("L-LA-SAFE", "Bayou Quorvel Safe Streets Fund"),
        ("L-LA-STATE", "Plonkett Statewide Justice League"),
        local_attack_ads=False,
    ),
    RaceFiller(
        IL_RACE, "IL-QUARRELWICK", "IL-BRAMBLEDUCK", 6_500, 47, cents("2500.00"), 160, 40,
        ("L-IL-FRESH", "Glimmerford Fresh Start Committee"),
        ("L-IL-STEADY", "Veskhaven Steady Hand PAC"),
        ("L-IL-STATE", "Nibley Prairie Law and Order Fund"),
    ),
    RaceFiller(
        MS_RACE, "MS-FENWHISTLE", "MS-POTTLEBURY", 2_500, 40, cents("2500.00"), 80, 20,
        ("L-MS-NEW", "Frumpton New Day Alliance"),
        ("L-MS-KEEP", "Zubberville Keep Courts Strong"),
        ("L-MS-STATE", "Huxmire Magnolia Prosecutors PAC"),
    ),
    RaceFiller(
        NM_RACE, "NM-QUISTMOOR", "NM-SNORROWBY", 3_500, 52, cents("2500.00"), 100, 25,
        ("L-NM-MESA", "Marple Mesa Justice Forward"),
        ("L-NM-SKOR", "Skorvale Experience Counts"),
        ("L-NM-STATE", "Twizzle Flats Enchanted Safety Fund"),
    ),
    RaceFiller(
        TX_RACE, "TX-BRINDLEFAX", "TX-MUMBLECRAKE", 6_500, 46, cents("2500.00"), 160, 40,
        ("L-TX-NEXT", "Bozzleburg Next Chapter PAC"),
        ("L-TX-HOLD", "Krellview Hold the Line Committee"),
        ("L-TX-STATE", "Yompstead Lone Star Prosecutors Fund"),
    ),
]

#: A few fictitious donors whose names look like markup or tags: the app must display them
#: literally. (Control characters belong to the separate hostile dataset, not here.)
HOSTILE_DONORS: list[tuple[str, str, str, int]] = [
    # (name, race, candidate, town index)
    ("BRAMBLEDUCK, OTTO [R]", FL_RACE, "FL-ASHTON", 0),
    ("Vessa Quimby [/bold]", FL_RACE, "FL-AYALA", 1),
    ("[b]NIBWICK[/b], TAMSIN", LA_RACE, "LA-STEWART", 0),
    ("Pimquist, Lorna (D) [ret.]", TX_RACE, "TX-MUMBLECRAKE", 1),
]
# fmt: on


@dataclass
class Person:
    """A fictitious donor: one identity, possibly written two ways."""

    first: str
    middle: str
    last: str
    title: str
    suffix: str
    city: str
    state: str
    zip: str
    employer: str
    occupation: str
    styles: list[str] = field(default_factory=list)

    def spelled(self, style: str) -> str:
        """The name as one filing would write it."""
        middle = f" {self.middle}" if self.middle else ""
        if style == "upper":
            suffix = f" {self.suffix.upper().rstrip('.')}" if self.suffix else ""
            return f"{self.last.upper()}, {self.first.upper()}{middle}{suffix}"
        dotted = f" {self.middle}." if self.middle else ""
        title = f"{self.title} " if style == "titled" and self.title else ""
        suffix = f" {self.suffix}" if self.suffix else ""
        return f"{title}{self.first}{dotted} {self.last}{suffix}"


@dataclass
class Row:
    """One transactions.csv row before ids are assigned (amounts in cents)."""

    on: date
    amount: int
    kind: str
    source_kind: str
    source_id: str = ""
    source_name: str = ""
    source_city: str = ""
    source_state: str = ""
    source_zip: str = ""
    source_employer: str = ""
    source_occupation: str = ""
    recipient_committee_id: str = ""
    candidate_id: str = ""
    support_oppose: str = ""
    memo: bool = False
    description: str = ""


def split_cents(total: int, parts: int, rng: random.Random, unit: int = 100_00) -> list[int]:
    """`total` cents split into `parts` uneven positive amounts, multiples of `unit` where the
    total allows (any remainder goes to the last part); the parts sum to `total` exactly."""
    weights = [rng.randint(60, 140) for _ in range(parts)]
    units, remainder = divmod(total, unit)
    shares = [units * w // sum(weights) for w in weights]
    shares[-1] += units - sum(shares)
    amounts = [share * unit for share in shares]
    amounts[-1] += remainder
    assert sum(amounts) == total and all(a > 0 for a in amounts)
    return amounts


def spread_dates(first: date, last: date, count: int) -> list[date]:
    """`count` dates evenly spaced from `first` to `last` inclusive."""
    if count == 1:
        return [last]
    span = (last - first).days
    return [first + timedelta(days=i * span // (count - 1)) for i in range(count)]


def late_skewed_date(rng: random.Random, start: date, end: date) -> date:
    """A date in [start, end), denser near `end` (money arrives as election day nears)."""
    u = rng.random()
    span = (end - start).days
    return end - timedelta(days=1 + int((span - 1) * u * u))


def surname(rng: random.Random) -> str:
    return rng.choice(SURNAME_HEADS) + rng.choice(SURNAME_TAILS)


def fictitious_business(rng: random.Random) -> str:
    return f"{surname(rng)} {rng.choice(EMPLOYER_KINDS)}"


def make_person(rng: random.Random, state: str) -> Person:
    """A fictitious donor living in `state` (an invented town with a synthetic ZIP)."""
    town, zips = rng.choice(TOWNS[state])
    roll = rng.randrange(100)
    if roll < 22:
        employer, occupation = "RETIRED", "RETIRED"
    elif roll < 27:
        employer, occupation = "NOT EMPLOYED", "NOT EMPLOYED"
    elif roll < 37:
        employer, occupation = "SELF-EMPLOYED", rng.choice(OCCUPATIONS)
    else:
        employer, occupation = fictitious_business(rng).upper(), rng.choice(OCCUPATIONS)
    person = Person(
        first=rng.choice(FIRST_NAMES),
        middle=rng.choice("ABCDEFGHJKLMNPRSTW") if rng.randrange(2) else "",
        last=surname(rng),
        title=rng.choice(TITLES) if rng.randrange(8) == 0 else "",
        suffix=rng.choice(SUFFIXES) if rng.randrange(25) == 0 else "",
        city=town,
        state=state,
        zip=rng.choice(zips),
        employer=employer,
        occupation=occupation,
    )
    primary = "upper" if rng.randrange(10) < 7 else "plain"
    person.styles = [primary]
    if rng.randrange(10) == 0:  # One donor in ten is written a second way somewhere.
        person.styles.append(
            "titled" if person.title else ("plain" if primary == "upper" else "upper")
        )
    return person


def individual_row(person: Person, rng: random.Random, **fields: object) -> Row:
    """A row paid by `person`, spelled in one of their styles."""
    style = person.styles[0] if len(person.styles) == 1 or rng.randrange(3) else person.styles[1]
    return Row(
        source_kind="individual",
        source_name=person.spelled(style),
        source_city=person.city,
        source_state=person.state,
        source_zip=person.zip,
        source_employer=person.employer,
        source_occupation=person.occupation,
        **fields,  # type: ignore[arg-type]
    )


def committee_row(committee_id: str, name: str, state: str, **fields: object) -> Row:
    """A row paid by a committee (`source_id` is its committee_id)."""
    return Row(
        source_kind="committee",
        source_id=committee_id,
        source_name=name,
        source_state=state,
        **fields,  # type: ignore[arg-type]
    )


# Gift-size tiers (cents): many small gifts, fewer large ones. Weights are relative.
SMALL_TIERS: list[tuple[int, list[int]]] = [
    (55, [500, 1000, 1500, 2000, 2500, 2500, 3000, 3500, 4000, 5000, 5000]),
    (30, [7500, 10000, 10000, 10000, 15000, 20000, 25000, 25000]),
    (10, [30000, 40000, 50000, 50000]),
    (5, [75000, 100000, 250000, 500000]),
]
PAC_TIERS: list[tuple[int, list[int]]] = [
    (60, [10000, 25000, 25000, 50000, 100000]),
    (32, [150000, 250000, 250000, 500000]),
    (7, [1000000, 1500000, 2500000]),
    (1, [5000000, 10000000]),
]
ORG_TIERS: list[tuple[int, list[int]]] = [
    (70, [50000, 100000, 150000, 250000]),
    (25, [500000, 750000, 1000000]),
    (5, [2500000, 5000000]),
]


def tiered_amount(rng: random.Random, tiers: list[tuple[int, list[int]]], cap: int) -> int:
    """A gift drawn from `tiers` (a heavy-tailed ladder of round amounts), at most `cap`."""
    pick = rng.randrange(sum(weight for weight, _ in tiers))
    for weight, amounts in tiers:
        if pick < weight:
            return min(rng.choice(amounts), cap)
        pick -= weight
    raise AssertionError("unreachable")


def small_gift(rng: random.Random, cap: int) -> int:
    """A small gift: mostly round dollars, sometimes an odd amount with cents."""
    if rng.randrange(100) < 8:
        return rng.randrange(300, 20_000)
    return tiered_amount(rng, SMALL_TIERS, cap)


def race_rows(filler: RaceFiller, rng: random.Random) -> tuple[list[Row], list[Committee]]:
    """All synthetic rows for one race, and the local committees they need."""
    race = next(r for r in RACES if r.race_id == filler.race_id)
    by_id = {c.candidate_id: c for c in CANDIDATES}
    challenger, incumbent = by_id[filler.challenger], by_id[filler.incumbent]
    state = race.state
    end = race.election_day
    rows: list[Row] = []
    committees = [
        Committee(filler.challenger_pac[0], filler.challenger_pac[1], "pac", state),
        Committee(filler.incumbent_pac[0], filler.incumbent_pac[1], "pac", state),
        Committee(filler.statewide_pac[0], filler.statewide_pac[1], "pac", state),
    ]

    # A donor pool: mostly local, some from out of state.
    pool = [
        make_person(rng, state if rng.randrange(100) < 86 else rng.choice(OUT_OF_STATE))
        for _ in range(filler.candidate_gifts // 3)
    ]

    def donor() -> Person:
        # Mildly skewed: most donors give once or twice, a few regulars give often.
        u = rng.random()
        return pool[int(len(pool) * u * (1 + u) / 2)]

    # Individuals -> candidate committees (both sides), with a few refunds.
    raised: dict[str, int] = {challenger.committee_id: 0, incumbent.committee_id: 0}
    for _ in range(filler.candidate_gifts):
        to = challenger if rng.randrange(100) < filler.challenger_share else incumbent
        amount = small_gift(rng, filler.gift_cap)
        on = late_skewed_date(rng, race.campaign_start, end)
        gift = individual_row(
            donor(),
            rng,
            on=on,
            amount=amount,
            kind="contribution",
            recipient_committee_id=to.committee_id,
            description="Contribution",
        )
        rows.append(gift)
        raised[to.committee_id] += amount
        if rng.randrange(400) == 0:
            refund_on = min(on + timedelta(days=rng.randint(5, 40)), end)
            reason = rng.choice(["exceeded contribution limit", "returned at donor's request"])
            rows.append(
                replace(gift, on=refund_on, amount=-amount, description=f"Refund: {reason}")
            )
            raised[to.committee_id] -= amount

    # Individuals and organizations -> the two local PACs; a few very large local gifts.
    pac_in: dict[str, int] = {filler.challenger_pac[0]: 0, filler.incumbent_pac[0]: 0}
    pac_ids = [filler.challenger_pac[0], filler.incumbent_pac[0]]
    for _ in range(filler.pac_gifts):
        to = pac_ids[rng.randrange(2)]
        amount = tiered_amount(rng, PAC_TIERS, 10_000_000)
        rows.append(
            individual_row(
                donor(),
                rng,
                on=late_skewed_date(rng, race.campaign_start, end),
                amount=amount,
                kind="contribution",
                recipient_committee_id=to,
                description="Contribution",
            )
        )
        pac_in[to] += amount
    org_names = [
        fictitious_business(rng) + rng.choice([" LLC", " Inc.", " LLP"]) for _ in range(40)
    ]
    if race.race_id == TX_RACE:
        org_names[0] = "Zarnish & Mopple [LLC]"  # A bracketed organization name.
    for _ in range(filler.org_gifts):
        to = pac_ids[rng.randrange(2)]
        amount = tiered_amount(rng, ORG_TIERS, 5_000_000)
        town, zips = rng.choice(TOWNS[state])
        rows.append(
            Row(
                on=late_skewed_date(rng, race.campaign_start, end),
                amount=amount,
                kind="contribution",
                source_kind="organization",
                source_name=org_names[rng.randrange(len(org_names))],
                source_city=town,
                source_state=state,
                source_zip=rng.choice(zips),
                recipient_committee_id=to,
                description="Contribution",
            )
        )
        pac_in[to] += amount

    # Statewide PAC: funded by organizations, it funds the local PAC backing the other side.
    statewide_in = 0
    for _ in range(12):
        amount = tiered_amount(rng, ORG_TIERS, 5_000_000)
        town, zips = rng.choice(TOWNS[state])
        rows.append(
            Row(
                on=late_skewed_date(rng, race.campaign_start, end - timedelta(days=60)),
                amount=amount,
                kind="contribution",
                source_kind="organization",
                source_name=org_names[rng.randrange(len(org_names))],
                source_city=town,
                source_state=state,
                source_zip=rng.choice(zips),
                recipient_committee_id=filler.statewide_pac[0],
                description="Contribution",
            )
        )
        statewide_in += amount
    transfer = statewide_in * 3 // 4 // 100 * 100
    rows.append(
        committee_row(
            filler.statewide_pac[0],
            filler.statewide_pac[1],
            state,
            on=end - timedelta(days=45),
            amount=transfer,
            kind="contribution",
            recipient_committee_id=filler.incumbent_pac[0],
            description="Transfer",
        )
    )
    pac_in[filler.incumbent_pac[0]] += transfer
    rows.append(
        committee_row(
            filler.statewide_pac[0],
            filler.statewide_pac[1],
            state,
            on=end - timedelta(days=40),
            amount=statewide_in - transfer,
            kind="expenditure",
            description="Statewide voter guide printing",
        )
    )

    # Local PACs -> candidate committees (at the cap) and IEs for their side and against the
    # other (each spends most of what it raised; nothing more than it raised).
    sides = [
        (filler.challenger_pac, challenger, incumbent),
        (filler.incumbent_pac, incumbent, challenger),
    ]
    for (pac_id, pac_name), ours, theirs in sides:
        rows.append(
            committee_row(
                pac_id,
                pac_name,
                state,
                on=end - timedelta(days=70),
                amount=filler.gift_cap,
                kind="contribution",
                recipient_committee_id=ours.committee_id,
                description="Contribution",
            )
        )
        raised[ours.committee_id] += filler.gift_cap
        budget = pac_in[pac_id] - filler.gift_cap
        support = budget * 55 // 100 // 100 * 100
        oppose = budget * 30 // 100 // 100 * 100
        spending = [(ours, "S", support)]
        if filler.local_attack_ads:
            spending.append((theirs, "O", oppose))
        for candidate, so, total in spending:
            verb = "supporting" if so == "S" else "opposing"
            count = 6 if so == "S" else 4
            for on, amount in zip(
                spread_dates(end - timedelta(days=50), end - timedelta(days=3), count),
                split_cents(total, count, rng),
                strict=True,
            ):
                rows.append(
                    committee_row(
                        pac_id,
                        pac_name,
                        state,
                        on=on,
                        amount=amount,
                        kind="independent_expenditure",
                        candidate_id=candidate.candidate_id,
                        support_oppose=so,
                        description=f"{rng.choice(['Mail', 'Radio', 'Digital'])} advertising "
                        f"{verb} {candidate.name}",
                    )
                )

    # Candidate committees' operating expenditures (about 85% of what they raised).
    for candidate in (challenger, incumbent):
        spend = raised[candidate.committee_id] * 85 // 100
        count = 120 if race.race_id == FL_RACE else 70
        for amount in split_cents(spend, count, rng, unit=1):
            purpose = rng.choice(EXPENSE_PURPOSES)
            vendor = f"{surname(rng)} {rng.choice(VENDOR_KINDS)}"
            rows.append(
                committee_row(
                    candidate.committee_id,
                    candidate.committee_name,
                    state,
                    on=late_skewed_date(rng, race.campaign_start, end),
                    amount=amount,
                    kind="expenditure",
                    description=f"{purpose}: {vendor}",
                )
            )
    return rows, committees


def memo_attributions(rng: random.Random, filler: RaceFiller) -> list[Row]:
    """An LLC's gift to the pro-incumbent PAC and its members' memo attributions of it.

    The LLC's row is counted; the memo rows itemize the same money and must never be added.
    """
    race = next(r for r in RACES if r.race_id == filler.race_id)
    town, zips = TOWNS[race.state][0]
    on = race.election_day - timedelta(days=55)
    llc = f"{surname(rng)} Development Partners LLC"
    shares = [cents("30000.00"), cents("20000.00")]
    rows = [
        Row(
            on=on,
            amount=sum(shares),
            kind="contribution",
            source_kind="organization",
            source_name=llc,
            source_city=town,
            source_state=race.state,
            source_zip=zips[0],
            recipient_committee_id=filler.incumbent_pac[0],
            description="Contribution",
        )
    ]
    for share in shares:
        member = make_person(rng, race.state)
        member.styles = ["upper"]
        rows.append(
            individual_row(
                member,
                rng,
                on=on,
                amount=share,
                kind="contribution",
                recipient_committee_id=filler.incumbent_pac[0],
                memo=True,
                description=f"Memo: LLC attribution of the contribution from {llc}",
            )
        )
    return rows


def story_rows(rng: random.Random) -> list[Row]:
    """The donor's gifts, the 527's transfers, the memo re-itemization and the state PAC IEs."""
    rows: list[Row] = []
    for on, to, amount, name in DONOR_GIFTS:
        rows.append(
            Row(
                on=on,
                amount=amount,
                kind="contribution",
                source_kind="individual",
                source_name=name,
                source_city=DONOR_CITY,
                source_state=DONOR_STATE,
                source_zip=DONOR_ZIP,
                recipient_committee_id=to,
                description="Contribution",
            )
        )
    for on, to, amount in TRANSFERS_527:
        rows.append(
            committee_row(
                SJ_527,
                "Safety and Justice",
                "",
                on=on,
                amount=amount,
                kind="contribution",
                recipient_committee_id=to,
                description="Transfer",
            )
        )
    on, to, amount, description = DONOR_MEMO
    rows.append(
        Row(
            on=on,
            amount=amount,
            kind="contribution",
            source_kind="individual",
            source_name=DONOR_NAME,
            source_city=DONOR_CITY,
            source_state=DONOR_STATE,
            source_zip=DONOR_ZIP,
            recipient_committee_id=to,
            memo=True,
            description=description,
        )
    )
    names = {c.committee_id: c for c in STORY_COMMITTEES}
    for ie in STORY_IES:
        payer = names[ie.payer]
        for on, amount in zip(
            spread_dates(ie.first, ie.last, ie.rows),
            split_cents(ie.total, ie.rows, rng),
            strict=True,
        ):
            rows.append(
                committee_row(
                    payer.committee_id,
                    payer.name,
                    payer.state,
                    on=on,
                    amount=amount,
                    kind="independent_expenditure",
                    candidate_id=ie.candidate_id,
                    support_oppose=ie.support_oppose,
                    description=ie.description,
                )
            )
    return rows


def hostile_rows(rng: random.Random) -> list[Row]:
    """A few gifts from donors whose names look like markup (displayed literally)."""
    by_id = {c.candidate_id: c for c in CANDIDATES}
    rows = []
    for name, race_id, candidate_id, town_index in HOSTILE_DONORS:
        race = next(r for r in RACES if r.race_id == race_id)
        town, zips = TOWNS[race.state][town_index]
        for _ in range(3):
            rows.append(
                Row(
                    on=late_skewed_date(rng, race.campaign_start, race.election_day),
                    amount=rng.choice([2500, 5000, 10000]),
                    kind="contribution",
                    source_kind="individual",
                    source_name=name,
                    source_city=town,
                    source_state=race.state,
                    source_zip=zips[0],
                    source_employer="RETIRED",
                    source_occupation="RETIRED",
                    recipient_committee_id=by_id[candidate_id].committee_id,
                    description="Contribution",
                )
            )
    return rows


# =============================================================================================
# Assembly and writing
# =============================================================================================

TX_COLUMNS = [
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


def money(amount: int) -> str:
    """Cents as decimal dollars with exactly two decimals (`-2500` -> `-25.00`)."""
    return f"{Decimal(amount).scaleb(-2):.2f}"


def flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def build(seed: int = SEED) -> tuple[list[Row], list[Committee]]:
    """Every transaction (sorted by date, creation order within a day) and every committee."""
    check_story()
    story_rng = random.Random(seed)
    filler_rng = random.Random(seed + 1)
    rows = story_rows(story_rng)
    committees = list(STORY_COMMITTEES)
    for candidate in CANDIDATES:
        committees.append(
            Committee(
                candidate.committee_id,
                candidate.committee_name,
                "candidate",
                next(r.state for r in RACES if r.race_id == candidate.race_id),
                candidate.party,
                candidate.candidate_id,
            )
        )
    for filler in FILLERS:
        filler_rows, local = race_rows(filler, filler_rng)
        rows.extend(filler_rows)
        committees.extend(local)
    rows.extend(memo_attributions(filler_rng, FILLERS[0]))
    rows.extend(memo_attributions(filler_rng, FILLERS[1]))
    rows.extend(hostile_rows(filler_rng))
    order = sorted(range(len(rows)), key=lambda i: (rows[i].on, i))
    return [rows[i] for i in order], committees


def transaction_lines(rows: list[Row]) -> Iterator[list[str]]:
    yield TX_COLUMNS
    for number, row in enumerate(rows, start=1):
        yield [
            f"SJ{number:06d}",
            row.on.isoformat(),
            money(row.amount),
            row.kind,
            row.source_kind,
            row.source_id,
            row.source_name,
            row.source_city,
            row.source_state,
            row.source_zip,
            row.source_employer,
            row.source_occupation,
            row.recipient_committee_id,
            row.candidate_id,
            row.support_oppose,
            flag(row.memo),
            row.description,
        ]


def write_csv(path: Path, lines: Iterator[list[str]] | list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows(lines)


# =============================================================================================
# The filings: each committee's money written in its own filing system's format
# =============================================================================================
#
# Who reports a row: a contribution is reported by the committee receiving it, an expenditure or
# an independent expenditure by the committee spending. The national 527 files with the IRS
# (Form 8872, `FullDataFile.txt` layout), the Florida committees with Florida's Division of
# Elections (its tab-delimited contributions and expenditures exports), the Louisiana committees
# with Louisiana's Ethics Administration (its CSV exports). What no format covers stays in
# moneytrail tables (sample_data/README.md says which and why). A payment between filing systems
# is in both reports where the real filings would show it twice (the 527's transfer to the
# Florida PAC: its Schedule B and the PAC's receipt), and moneytrail links and counts it once.

#: The 527's EIN (a made-up one: 99- is not a prefix the IRS assigns).
SJ_527_EIN = "990000527"
IRS_FILE = "FullDataFile.txt"
FL_CONTRIBUTIONS = "FL-Contributions.txt"
FL_EXPENDITURES = "FL-Expenditures.txt"
LA_CONTRIBUTIONS = "LA-Contributions.csv"
LA_EXPENDITURES = "LA-Expenditures.csv"
TABLES = ["candidates.csv", "committees.csv", "races.csv", "transactions.csv"]
#: Every file the generator writes, sorted.
FILES = sorted(
    [
        "SYNTHETIC",
        IRS_FILE,
        FL_CONTRIBUTIONS,
        FL_EXPENDITURES,
        LA_CONTRIBUTIONS,
        LA_EXPENDITURES,
        *TABLES,
    ]
)
#: Where the 527 and the state filers say they are (the synthetic addresses of the filings).
DC_ADDRESS = ["1 Example Plaza NW", "", "Washington", "DC", "20005", ""]
CAPITALS = {
    "FL": ("TALLAHASSEE", "32301"),
    "LA": ("BATON ROUGE", "70802"),
    "IL": ("SPRINGFIELD", "62701"),
    "MS": ("JACKSON", "39201"),
    "NM": ("SANTA FE", "87501"),
    "TX": ("AUSTIN", "78701"),
}
FL_OFFICE_CODE = "STA"  # the Division's code for State Attorney
FL_HEADERS = {
    FL_CONTRIBUTIONS: [
        "Candidate/Committee",
        "Date",
        "Amount",
        "Typ",
        "Contributor Name",
        "Address",
        "City State Zip",
        "Occupation",
        "Inkind Desc",
    ],
    FL_EXPENDITURES: [
        "Candidate/Committee",
        "Date",
        "Amount",
        "Payee Name",
        "Address",
        "City State Zip",
        "Purpose",
        "Type",
    ],
}
LA_FILER = ["FilerLastName", "FilerFirstName", "FilerNumber", "ReportCode", "ReportType"]
LA_HEADERS = {
    LA_CONTRIBUTIONS: [
        *LA_FILER,
        "ReportNumber",
        "ContributorTypeCode",
        "ContributorName",
        "ContributorCity",
        "ContributorState",
        "ContributorZip",
        "ContributionType",
        "ContributionDescription",
        "ContributionDate",
        "ContributionAmt",
    ],
    LA_EXPENDITURES: [
        *LA_FILER,
        "ReportNumber",
        "RecipientName",
        "RecipientCity",
        "RecipientState",
        "RecipientZip",
        "ExpenditureDescription",
        "ExpenditureDate",
        "ExpenditureAmt",
    ],
}


def filing_system(committee: Committee) -> str:
    """Where a committee files: `irs`, `fl`, `la`, or `tables` (no format covers it)."""
    if committee.kind == "527":
        return "irs"
    return {"FL": "fl", "LA": "la"}.get(committee.state, "tables")


def split_name(name: str) -> tuple[str, str]:
    """`Aramis Ayala` -> (`Ayala`, `Aramis`): a candidate's last and first name."""
    first, _, last = name.rpartition(" ")
    return last, first


class Filers:
    """Each committee as its filing writes it, and the id the loaded dataset holds for it."""

    def __init__(self, committees: list[Committee]) -> None:
        self.by_id = {c.committee_id: c for c in committees}
        self.candidate_of = {c.committee_id: c for c in CANDIDATES}

    def fl_filer(self, committee_id: str) -> str:
        """The `Candidate/Committee` field: `Name (PAC)` or `Last, First  (DEM)(STA)`."""
        committee = self.by_id[committee_id]
        candidate = self.candidate_of.get(committee_id)
        if candidate is None:
            return f"{committee.name} (PAC)"
        last, first = split_name(candidate.name)
        return f"{last}, {first}  ({candidate.party})({FL_OFFICE_CODE})"

    def held(self, committee_id: str) -> str:
        """The committee's id in the loaded dataset (`<source>:<id as filed>` for a filing)."""
        if not committee_id:
            return ""
        system = filing_system(self.by_id[committee_id])
        if system == "irs":
            return f"irs:{SJ_527_EIN}"
        if system == "fl":
            return "fl:" + " ".join(self.fl_filer(committee_id).split())
        if system == "la":
            return f"la:{committee_id}"
        return committee_id

    def held_candidate(self, candidate_id: str) -> str:
        """A candidate's id in the loaded dataset: a filing's candidate is its committee."""
        if not candidate_id:
            return ""
        candidate = next(c for c in CANDIDATES if c.candidate_id == candidate_id)
        committee = self.by_id[candidate.committee_id]
        if filing_system(committee) == "tables":
            return candidate_id
        return self.held(candidate.committee_id)

    def system_of(self, committee_id: str) -> str:
        return filing_system(self.by_id[committee_id]) if committee_id else ""


def reporter(row: Row) -> str:
    """The committee whose report holds `row`."""
    if row.kind == "contribution":
        return row.recipient_committee_id
    return row.source_id


def in_tables(row: Row, filers: Filers) -> bool:
    """Whether `row` stays in moneytrail tables (no filing format holds it): memo rows (no
    export has a memo flag), independent expenditures (no state export names the candidate an
    expenditure supports or opposes) and every row of a committee that files in a state
    moneytrail has no reader for (the 527's transfers to those are on its Schedule B)."""
    if row.memo or row.kind == "independent_expenditure":
        return True
    if row.kind == "contribution" and filers.system_of(row.source_id) == "irs":
        return False  # the 527's Schedule B
    return filers.system_of(reporter(row)) == "tables"


def mdy(on: date) -> str:
    return f"{on.month:02d}/{on.day:02d}/{on.year}"


def us_money(amount: int) -> str:
    """Cents as a US-style amount: `$1,000.00`, `($25.00)` for a negative."""
    dollars = f"${Decimal(abs(amount)).scaleb(-2):,.2f}"
    return f"({dollars})" if amount < 0 else dollars


def vendor(description: str) -> str:
    """The payee of a spending row: `Printing: Wraxunk Strategies` -> `Wraxunk Strategies`."""
    return description.partition(": ")[2] or description


def clean(value: str, *, forbidden: str) -> str:
    for ch in forbidden:
        if ch in value:
            raise ValueError(f"{value!r} holds {ch!r}, which its filing format cannot carry")
    return value


def irs_lines(rows: list[Row], filers: Filers) -> list[str]:
    """The 527's Form 8871 and one Form 8872 per year (Schedule A receipts, Schedule B
    transfers), in the IRS `FullDataFile.txt` layout (pipe-delimited records)."""
    org = filers.by_id[SJ_527]
    received = [r for r in rows if r.recipient_committee_id == SJ_527 and not r.memo]
    paid = [r for r in rows if r.source_id == SJ_527 and not r.memo]
    lines = ["H|20161106|0311|A|"]
    f8871 = ["1", "8871", "9000000", "1", "0", "0", SJ_527_EIN, org.name, *DC_ADDRESS]
    f8871 += ["no@example.org", "20140106", "Custodian", *DC_ADDRESS, "Contact", *DC_ADDRESS]
    f8871 += [*DC_ADDRESS, "0", "", "0", "Purpose", "20140106", "2014-01-06 10:00:00", "0", "1"]
    lines.append("|".join(f8871))
    sched = 0
    years = sorted({r.on.year for r in [*received, *paid]})
    for form, year in enumerate(years, start=9_100_000):
        head = ["2", "8872", str(form), f"{year}0101", f"{year}1231", "0", "0", "0", "0"]
        rest = [org.name, SJ_527_EIN, *DC_ADDRESS, "no@example.org", "20140106", "Custodian"]
        rest += [*DC_ADDRESS, "Contact", *DC_ADDRESS, *DC_ADDRESS, "4", "", "", "", "", "0"]
        rest += ["0", "0", "0", f"{year + 1}-01-31 10:00:00"]
        lines.append("|".join([*head, *rest]) + "|")
        for r in (r for r in received if r.on.year == year):
            sched += 1
            a = ["A", str(form), str(sched), org.name, SJ_527_EIN, r.source_name, "", ""]
            a += [r.source_city, r.source_state, r.source_zip, "", r.source_employer]
            a += [money(r.amount), r.source_occupation, money(r.amount), r.on.strftime("%Y%m%d")]
            lines.append(clean("|".join(a) + "|", forbidden="\n"))
        for r in (r for r in paid if r.on.year == year):
            sched += 1
            payee = filers.by_id[r.recipient_committee_id]
            city, zip_code = CAPITALS[payee.state]
            b = ["B", str(form), str(sched), org.name, SJ_527_EIN, payee.name.upper(), "", ""]
            b += [city, payee.state, zip_code, "", "Not Applicable", money(r.amount)]
            b += ["Not Applicable", r.on.strftime("%Y%m%d"), "Transfer to a state PAC"]
            lines.append("|".join(b) + "|")
    lines.append(f"F|20161106|0311|{len(lines) + 1}|")
    return lines


def fl_rows(rows: list[Row], filers: Filers) -> dict[str, list[list[str]]]:
    """The Florida committees' receipts and spending as the Division's two exports."""
    out: dict[str, list[list[str]]] = {name: [] for name in FL_HEADERS}
    for r in rows:
        who = reporter(r)
        if in_tables(r, filers) or filers.system_of(who) != "fl":
            continue
        filer = filers.fl_filer(who)
        if r.kind == "contribution" and r.source_kind == "committee":
            giver = filers.by_id[r.source_id]
            if filing_system(giver) == "irs":
                name, where = giver.name.upper(), "WASHINGTON, DC 20005"
            else:
                city, zip_code = CAPITALS[giver.state]
                name, where = giver.name.upper(), f"{city}, {giver.state} {zip_code}"
            out[FL_CONTRIBUTIONS].append(
                [filer, mdy(r.on), money(r.amount), "CHE", name, "", where, "", ""]
            )
        elif r.kind == "contribution" and r.amount < 0:
            # A gift refunded to its contributor: the filer's REF expenditure to that person.
            where = f"{r.source_city}, {r.source_state} {r.source_zip}"
            out[FL_EXPENDITURES].append(
                [filer, mdy(r.on), money(-r.amount), r.source_name, "", where, r.description, "REF"]
            )
        elif r.kind == "contribution":
            where = f"{r.source_city}, {r.source_state} {r.source_zip}"
            tail = [r.source_occupation, ""]  # occupation, in-kind description
            out[FL_CONTRIBUTIONS].append(
                [filer, mdy(r.on), money(r.amount), "CHE", r.source_name, "", where, *tail]
            )
        else:  # expenditure
            city, zip_code = CAPITALS["FL"]
            where = f"{city}, FL {zip_code}"
            tail = [r.description, "MON"]  # purpose, type
            out[FL_EXPENDITURES].append(
                [filer, mdy(r.on), money(r.amount), vendor(r.description), "", where, *tail]
            )
    return out


def la_rows(rows: list[Row], filers: Filers) -> dict[str, list[list[str]]]:
    """The Louisiana committees' receipts and spending as the Ethics Administration's exports."""
    out: dict[str, list[list[str]]] = {name: [] for name in LA_HEADERS}
    for r in rows:
        who = reporter(r)
        if in_tables(r, filers) or filers.system_of(who) != "la":
            continue
        committee = filers.by_id[who]
        candidate = filers.candidate_of.get(who)
        if candidate is not None:
            last, first = split_name(candidate.name)
            filer = [last, first, who, "F102", "10P", f"LA-{r.on.year}-{who}"]
        else:
            filer = [committee.name, "", who, "F202", "10P", f"LA-{r.on.year}-{who}"]
        if r.kind == "contribution":
            if r.source_kind == "committee":
                giver = filers.by_id[r.source_id]
                city, zip_code = CAPITALS[giver.state]
                who_gave = ["PAC", giver.name, city, giver.state, zip_code]
            else:
                code = "IND" if r.source_kind == "individual" else "BUS"
                who_gave = [code, r.source_name, r.source_city, r.source_state, r.source_zip]
            out[LA_CONTRIBUTIONS].append(
                [*filer, *who_gave, "CONTRIB", r.description, mdy(r.on), us_money(r.amount)]
            )
        else:  # expenditure
            city, zip_code = CAPITALS["LA"]
            when = [mdy(r.on), us_money(r.amount)]
            out[LA_EXPENDITURES].append(
                [*filer, vendor(r.description), city, "LA", zip_code, r.description, *when]
            )
    return out


def table_rows(rows: list[Row], filers: Filers) -> Iterator[list[str]]:
    """transactions.csv: the rows no filing format holds, naming the filings' committees and
    candidates by the ids the loaded dataset holds (`fl:...`, `la:...`, `irs:...`). Each row
    keeps the number it has among all the rows, so its id does not depend on the split."""
    yield TX_COLUMNS
    for line in transaction_lines(rows):
        if line[0] == "transaction_id":
            continue
        number = int(line[0][2:])
        row = rows[number - 1]
        if not in_tables(row, filers):
            continue
        line[5] = filers.held(row.source_id) if row.source_kind == "committee" else ""
        line[12] = filers.held(row.recipient_committee_id)
        line[13] = filers.held_candidate(row.candidate_id)
        yield line


def write_tab(path: Path, header: list[str], lines: list[list[str]]) -> None:
    """A Florida export: tab-delimited, no quoting, CRLF, Windows-1252 bytes."""
    text = [header, *lines]
    body = "".join("\t".join(clean(f, forbidden="\t\r\n") for f in line) + "\r\n" for line in text)
    path.write_bytes(body.encode("cp1252"))


def write_la(path: Path, header: list[str], lines: list[list[str]]) -> None:
    """A Louisiana export: CSV with every field quoted, CRLF."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(lines)


def race_lines() -> list[list[str]]:
    """races.csv."""
    header = [
        "race_id",
        "name",
        "office",
        "state",
        "jurisdiction",
        "year",
        "stage",
        "population",
        "median_household_income",
    ]
    return [header] + [
        [
            r.race_id,
            r.name,
            r.office,
            r.state,
            r.jurisdiction,
            str(r.year),
            r.stage,
            "" if r.population is None else str(r.population),
            "" if r.median_household_income is None else str(r.median_household_income),
        ]
        for r in RACES
    ]


def write(out: Path, seed: int = SEED) -> int:
    """Write the dataset into `out` (created if needed); returns the number of transactions
    (before the filings' own copies: a transfer both sides report is one transaction)."""
    rows, committees = build(seed)
    filers = Filers(committees)
    out.mkdir(parents=True, exist_ok=True)
    (out / IRS_FILE).write_text("\n".join(irs_lines(rows, filers)) + "\n", encoding="utf-8")
    for name, lines in fl_rows(rows, filers).items():
        write_tab(out / name, FL_HEADERS[name], lines)
    for name, lines in la_rows(rows, filers).items():
        write_la(out / name, LA_HEADERS[name], lines)
    write_csv(out / "transactions.csv", table_rows(rows, filers))
    write_csv(
        out / "committees.csv",
        [["committee_id", "name", "kind", "state", "party", "candidate_id"]]
        + [
            [c.committee_id, c.name, c.kind, c.state, c.party, c.candidate_id]
            for c in committees
            if filing_system(c) == "tables"
        ],
    )
    write_csv(
        out / "candidates.csv",
        [["candidate_id", "name", "party", "race_id", "incumbent", "won"]]
        + [
            [
                filers.held_candidate(c.candidate_id),
                c.name,
                c.party,
                c.race_id,
                flag(c.incumbent),
                flag(c.won),
            ]
            for c in CANDIDATES
        ],
    )
    write_csv(out / "races.csv", race_lines())
    # The loader marks a dataset holding this (empty) file as synthetic.
    (out / "SYNTHETIC").write_bytes(b"")
    return len(rows)


def write_tables(out: Path, seed: int = SEED) -> int:
    """Write the same story as moneytrail tables only (every row in transactions.csv, every
    committee listed, the ids the story uses: `SJ-FL`), into `out`. Not the bundled sample:
    tests load both and check that the filings tell the same story to the cent."""
    rows, committees = build(seed)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "transactions.csv", transaction_lines(rows))
    write_csv(
        out / "committees.csv",
        [["committee_id", "name", "kind", "state", "party", "candidate_id"]]
        + [[c.committee_id, c.name, c.kind, c.state, c.party, c.candidate_id] for c in committees],
    )
    write_csv(
        out / "candidates.csv",
        [["candidate_id", "name", "party", "race_id", "incumbent", "won"]]
        + [
            [c.candidate_id, c.name, c.party, c.race_id, flag(c.incumbent), flag(c.won)]
            for c in CANDIDATES
        ],
    )
    write_csv(out / "races.csv", race_lines())
    (out / "SYNTHETIC").write_bytes(b"")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--tables-only",
        action="store_true",
        help="write the story as moneytrail tables only (for comparing; not the bundled sample)",
    )
    args = parser.parse_args(argv)
    count = (write_tables if args.tables_only else write)(args.out)
    print(f"wrote {count} transactions to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
