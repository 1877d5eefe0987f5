"""Pilot tests of FEC-only views: the donors pane's committee toggle, the reconciliation tab."""

from __future__ import annotations

from pathlib import Path

from moneytrail.data.fec import import_fec
from moneytrail.ui.app import MoneytrailApp
from tests.data.fec.test_rules import gift, oth, write
from tests.data.fec.test_summaries import PAC, _folder
from tests.ui.helpers import grid_column, screen, settle, static_text


def _fec(tmp_path: Path) -> MoneytrailApp:
    write(
        tmp_path,
        "itcont.txt",
        [
            gift("C00000001", "500", "1", NAME="DOE, JANE"),
            gift("C00000001", "300", "2", NAME="ACME CORP", ENTITY_TP="ORG"),
        ],
    )
    write(
        tmp_path,
        "itoth.txt",
        [
            oth(
                "C00000001",
                "18K",
                "5000",
                "3",
                OTHER_ID="C00000042",
                NAME="BIG PAC",
                ENTITY_TP="PAC",
            )
        ],
    )
    return MoneytrailApp(import_fec(tmp_path), persist_settings=False)


async def test_donors_pane_leaves_out_committees_on_fec_data_and_c_toggles_them(
    tmp_path: Path,
) -> None:
    app = _fec(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert grid_column(app, "name") == ["DOE, JANE", "ACME CORP"]
        await pilot.press("c")
        await settle(pilot)
        assert grid_column(app, "name") == ["BIG PAC", "DOE, JANE", "ACME CORP"]
        await pilot.press("2")  # the PACs pane is not affected
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert grid_column(app, "name")[0] == "BIG PAC"
        await pilot.press("c")
        await settle(pilot)
        assert grid_column(app, "name") == ["DOE, JANE", "ACME CORP"]


async def test_committee_detail_on_fec_data_has_a_reconciliation_tab(tmp_path: Path) -> None:
    app = MoneytrailApp(import_fec(_folder(tmp_path)), persist_settings=False)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        ids = grid_column(app, "committee_id")
        await pilot.press(*(["j"] * ids.index(PAC)), "enter")
        await settle(pilot)
        assert ("reconciliation", "6 Reconciliation") in screen(app).tab_labels()
        await pilot.press("6")
        await settle(pilot)
        assert grid_column(app, "receipts_cents") == ["$1,500.00"]
        assert grid_column(app, "giver_only_cents") == ["$0.00"]
        assert grid_column(app, "reported_receipts_cents") == ["$6,000.00"]
        assert grid_column(app, "coverage_share") == ["25.0%"]
        assert "1 row" in static_text(app, "#header")


async def test_race_detail_lists_candidates_with_money_and_a_shows_them_all(
    tmp_path: Path,
) -> None:
    from tests.data.fec.test_rules import _race_folder

    ds = _race_folder(tmp_path, [gift("C00500001", "2700", "1", TRANSACTION_PGI="P2016")])
    app = MoneytrailApp(ds, persist_settings=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        races = grid_column(app, "race_id")
        await pilot.press(*(["j"] * races.index("H-AZ-02-2016")), "enter")
        await settle(pilot)
        assert grid_column(app, "name") == ["DOE, JANE"]
        await pilot.press("a")
        await settle(pilot)
        assert grid_column(app, "name") == ["DOE, JANE", "ROE, RICH"]
        await pilot.press("a")
        await settle(pilot)
        assert grid_column(app, "name") == ["DOE, JANE"]
