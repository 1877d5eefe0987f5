"""`--cycle` on the two-cycle FEC folder: summary, show, trace, and the cycles summary names."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Ran
from tests.fec_two_cycles import CAMPAIGN, CYCLE_TOTALS, PAC, RECEIPTS, write_two_cycles


@pytest.fixture
def folder(tmp_path: Path) -> str:
    return str(write_two_cycles(tmp_path / "two-cycles"))


def _receipts(run_cli: Callable[..., Ran], folder: str, *options: str) -> dict[str, float]:
    ran = run_cli("summary", "committees", folder, "--format", "json", *options)
    assert ran.returncode == 0, ran.stderr
    return {r["committee_id"]: r["receipts"] for r in json.loads(ran.stdout)}


def test_summary_per_cycle_adds_up_to_the_whole(run_cli: Callable[..., Ran], folder: str) -> None:
    whole = _receipts(run_cli, folder)
    by_cycle = {c: _receipts(run_cli, folder, "--cycle", str(c)) for c in (2016, 2018)}
    for committee_id in (CAMPAIGN, PAC):
        for cycle, got in by_cycle.items():
            assert got[committee_id] * 100 == RECEIPTS[(committee_id, cycle)]
        assert sum(got[committee_id] for got in by_cycle.values()) == whole[committee_id]
    assert sum(whole.values()) * 100 == sum(CYCLE_TOTALS.values())


def test_cycles_repeat_or_come_as_a_comma_list(run_cli: Callable[..., Ran], folder: str) -> None:
    listed = _receipts(run_cli, folder, "--cycle", "2016,2018")
    repeated = _receipts(run_cli, folder, "--cycle", "2016", "--cycle", "2018")
    assert listed == repeated == _receipts(run_cli, folder)


@pytest.mark.parametrize("bad", ["2015", "16", "twenty"])
def test_a_bad_cycle_is_a_usage_error(run_cli: Callable[..., Ran], folder: str, bad: str) -> None:
    ran = run_cli("summary", "committees", folder, "--cycle", bad)
    assert ran.returncode == 2
    assert "--cycle" in ran.stderr and "Traceback" not in ran.stderr


def test_summary_names_the_cycles_the_dataset_holds(
    run_cli: Callable[..., Ran], folder: str
) -> None:
    ran = run_cli("summary", "committees", folder)
    assert ran.returncode == 0
    assert "holds cycles 2016, 2018" in ran.stdout.splitlines()[0]


def test_show_says_it_is_filtered_by_cycle(run_cli: Callable[..., Ran], folder: str) -> None:
    ran = run_cli("show", "committee", PAC, folder, "--cycle", "2018")
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[1].startswith("filtered: cycle 2018 · ")
    assert lines[2].startswith("Receipts: $12,000.00 (2 rows")
    shown = json.loads(
        run_cli("show", "committee", PAC, folder, "--cycle", "2016", "--format", "json").stdout
    )
    assert shown["receipts"] * 100 == RECEIPTS[(PAC, 2016)]


def test_trace_follows_the_cycle(run_cli: Callable[..., Ran], folder: str) -> None:
    ran = run_cli("trace", "committee", CAMPAIGN, folder, "--cycle", "2016", "--format", "json")
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert result["total"] * 100 == RECEIPTS[(CAMPAIGN, 2016)]
