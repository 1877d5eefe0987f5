"""`moneytrail show race` prints the race's money in context, as the explorer's race header does."""

from __future__ import annotations

import json
from typing import Any

import pytest

from moneytrail.cli import main
from tests.cli.test_trace_cli import _dataset


@pytest.fixture
def show(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    ds = _dataset()
    monkeypatch.setattr("moneytrail.cli.show.load", lambda args: ds)

    def run(*args: str) -> tuple[int, str]:
        code = main(["show", *args])
        return code, capsys.readouterr().out

    return run


def test_show_race_prints_the_income_ratio(show: Any) -> None:
    code, out = show("race", "Parish DA")
    assert code == 0
    text = " ".join(out.split())  # the line may wrap at the terminal's width
    # DOE's $450 (90% of the $500 of IEs) over the parish's $40,000 median household income.
    assert "ultimate sources outside LA: 90.0%" in text
    assert (
        "Largest source DOE, JANE: 90.0% ($450.00), 0.011× the local median household income "
        "($40,000, approximate)" in text
    )


def test_show_race_json_carries_the_context(show: Any) -> None:
    code, out = show("race", "Parish DA", "--format", "json")
    assert code == 0
    ctx = json.loads(out)["race_context"]
    assert ctx["largest_source"] == "DOE, JANE"
    assert ctx["income_multiple"] == pytest.approx(450 / 40_000)


def test_other_entities_have_no_context(show: Any) -> None:
    code, out = show("committee", "Safety PAC", "--format", "json")
    assert code == 0 and "race_context" not in json.loads(out)
