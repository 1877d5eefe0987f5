"""A tiny hand-computable dataset shared by the query tests (amounts in cents).

The money story, with the totals the tests expect:

* George Soros (two spellings, one identity) gives $2,000,000 to the national 527 (P527) and
  $500,000 to the Florida PAC (FLPAC); P527 transfers $1,000,000 to FLPAC.
* FLPAC spends $600,000 supporting Ayala (CA) and $300,000 opposing Ashton (CB), plus $1,000 of
  bank fees.
* Local money: SOROSIAK (not Soros) gives $250 to Ayala's committee; Jane Doe gives $1,000 to
  Ashton's committee and gets $200 refunded, and a memo row repeats her $1,000 (never counted);
  ACME CORP gives $10,000 to a local PAC (LOCAL), which gives Ashton's committee $5,000 and spends
  $2,000 supporting him.
* Race R9 has both candidates; race R2 has none (zeros everywhere).
"""

from __future__ import annotations

from datetime import date

import pytest

from moneytrail.data.dataset import Dataset
from tests.factories import candidate, committee, make_dataset, race, tx

SOROS = "I|SOROS GEORGE|10001"


def story_dataset() -> Dataset:
    """The dataset described in the module docstring."""
    return make_dataset(
        transactions=[
            tx(
                "t01",
                200_000_000,
                source_name="SOROS, GEORGE",
                source_zip="10001",
                source_state="NY",
                recipient="P527",
                on=date(2016, 2, 1),
                donor_key=SOROS,
                source_city="NEW YORK",
                source_employer="SOROS FUND",
                source_occupation="CHAIR",
            ),
            tx(
                "t02",
                50_000_000,
                source_name="George Soros",
                source_zip="10001",
                source_state="NY",
                recipient="FLPAC",
                on=date(2016, 3, 1),
                donor_key=SOROS,
                source_city="KATONAH",
            ),
            tx(
                "t03",
                25_000,
                source_name="SOROSIAK, ANNA",
                source_zip="32801",
                source_state="FL",
                recipient="AYALA",
                on=date(2016, 3, 5),
            ),
            tx(
                "t04",
                100_000_000,
                source_kind="committee",
                source_id="P527",
                source_name="SAFETY AND JUSTICE",
                source_state="DC",
                recipient="FLPAC",
                on=date(2016, 3, 10),
            ),
            tx(
                "t05",
                60_000_000,
                kind="independent_expenditure",
                source_kind="committee",
                source_id="FLPAC",
                source_name="FLORIDA SAFETY AND JUSTICE",
                source_state="FL",
                candidate_id="CA",
                support_oppose="S",
                on=date(2016, 4, 1),
            ),
            tx(
                "t06",
                30_000_000,
                kind="independent_expenditure",
                source_kind="committee",
                source_id="FLPAC",
                source_name="FLORIDA SAFETY AND JUSTICE",
                source_state="FL",
                candidate_id="CB",
                support_oppose="O",
                on=date(2016, 4, 2),
            ),
            tx(
                "t07",
                100_000,
                kind="expenditure",
                source_kind="committee",
                source_id="FLPAC",
                source_name="FLORIDA SAFETY AND JUSTICE",
                source_state="FL",
                description="Bank fees",
                on=date(2016, 4, 3),
            ),
            tx(
                "t08",
                100_000,
                source_name="DOE, JANE",
                source_zip="32801",
                source_state="FL",
                recipient="ASHTON",
                on=date(2016, 3, 15),
            ),
            tx(
                "t09",
                -20_000,
                source_name="DOE, JANE",
                source_zip="32801",
                source_state="FL",
                recipient="ASHTON",
                on=date(2016, 4, 20),
            ),
            tx(
                "t10",
                100_000,
                source_name="DOE, JANE",
                source_zip="32801",
                source_state="FL",
                recipient="ASHTON",
                memo=True,
                on=date(2016, 3, 15),
            ),
            tx(
                "t11",
                500_000,
                source_kind="committee",
                source_id="LOCAL",
                source_name="ORANGE COUNTY SAFETY PAC",
                source_state="FL",
                recipient="ASHTON",
                on=date(2016, 4, 10),
            ),
            tx(
                "t12",
                1_000_000,
                source_kind="organization",
                source_name="ACME CORP",
                source_state="FL",
                recipient="LOCAL",
                on=date(2016, 2, 20),
            ),
            tx(
                "t13",
                200_000,
                kind="independent_expenditure",
                source_kind="committee",
                source_id="LOCAL",
                source_name="ORANGE COUNTY SAFETY PAC",
                source_state="FL",
                candidate_id="CB",
                support_oppose="S",
                on=date(2016, 4, 15),
            ),
        ],
        committees=[
            committee("P527", "Safety and Justice", kind="527", state="DC"),
            committee("FLPAC", "Florida Safety and Justice", state="FL"),
            committee(
                "AYALA",
                "Ayala for State Attorney",
                kind="candidate",
                state="FL",
                candidate_id="CA",
                party="DEM",
            ),
            committee(
                "ASHTON",
                "Ashton for State Attorney",
                kind="candidate",
                state="FL",
                candidate_id="CB",
                party="DEM",
            ),
            committee("LOCAL", "Orange County Safety PAC", state="FL"),
        ],
        candidates=[
            candidate("CA", "Aramis Ayala", "R9", party="DEM", won=True),
            candidate("CB", "Jeff Ashton", "R9", party="DEM", incumbent=True, won=False),
        ],
        races=[
            race(
                "R9",
                "State Attorney, 9th Circuit, 2016 primary",
                office="State Attorney",
                state="FL",
                jurisdiction="9th Judicial Circuit",
            ),
            race(
                "R2", "Caddo Parish District Attorney, 2015", state="LA", year=2015, stage="general"
            ),
        ],
    )


@pytest.fixture
def story() -> Dataset:
    """The shared tiny dataset."""
    return story_dataset()
