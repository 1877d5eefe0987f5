"""Every CLI table at 80 columns, piped: no amount, count or date is ever cut.

Each command runs in-process with COLUMNS=80 and stdout captured (not a terminal), as
`moneytrail ... | less` would. Every table the command builds is recorded; each of its whole
cells (money, counts, shares, dates) must appear whole in the printed text, and every amount the
same command gives with `--format json` must too. Rich output never exceeds 80 columns: a table
too wide for that is shown as records (one `label  value` line per column), names wrap.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from moneytrail.cli import output
from moneytrail.data.cache import iter_entries
from moneytrail.data.open import open_dataset
from moneytrail.present.money import format_count, format_money
from tests.cli.conftest import run_main

FEC = Path(__file__).resolve().parents[2] / "sample_data" / "fec-2016-early"

#: (command, args): every table-printing command, on the sample and on the FEC snapshot.
COMMANDS: dict[str, tuple[str, ...]] = {
    "summary donors": ("summary", "donors", "--top", "15"),
    "summary committees": ("summary", "committees", "--top", "15"),
    "summary races": ("summary", "races", "--top", "15"),
    "show donor": ("show", "donor", "SOROS, GEORGE"),
    "show committee": ("show", "committee", "SJ-FL"),
    "show race": ("show", "race", "FL-SA9-2016"),
    "show candidate": ("show", "candidate", "Aramis Ayala", "--top", "10"),
    "trace committee": ("trace", "committee", "SJ-FL"),
    "trace race": ("trace", "race", "FL-SA9-2016"),
    "trace donor": ("trace", "donor", "SOROS, GEORGE"),
    "fec summary donors": ("summary", "donors", str(FEC), "--top", "15"),
    "fec summary committees": ("summary", "committees", str(FEC), "--top", "15"),
    "fec summary races": ("summary", "races", str(FEC), "--top", "15"),
    "fec show committee": ("show", "committee", "C00075820", str(FEC), "--top", "15"),
    "fec trace committee": ("trace", "committee", "C00075820", str(FEC), "--top", "15"),
}


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides tests/cli's: the datasets are read from this worker's shared test cache
    (tests/conftest.py), imported once instead of once per test; settings stay per test."""
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("MONEYTRAIL_DEBUG", raising=False)


def _whole(text: str, value: str) -> bool:
    """`value` appears in `text` as a whole token (not the start or end of a longer one)."""
    pattern = rf"(?<![\w$.,%-]){re.escape(value)}(?![\w.,%])"
    return re.search(pattern, text) is not None


@pytest.fixture
def tables(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[output.DataTable]]:
    """Every table the CLI builds during the test."""
    built: list[output.DataTable] = []
    real = output.table

    def spy(*args: Any, **kwargs: Any) -> output.DataTable:
        built.append(real(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(output, "table", spy)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    yield built


def _row_lists(payload: Any) -> Iterator[list[dict[str, Any]]]:
    """The JSON tables: lists of objects, at any depth."""
    if isinstance(payload, dict):
        for value in payload.values():
            yield from _row_lists(value)
    elif isinstance(payload, list):
        if payload and all(isinstance(v, dict) for v in payload):
            yield payload
        for value in payload:
            yield from _row_lists(value)


def _json_amounts(payload: Any, tables: list[output.DataTable]) -> list[str]:
    """Each amount of a JSON table that a printed table shows, formatted as money.

    A JSON table matches a printed one when it has as many rows and every printed column.
    """
    amounts = []
    for rows in _row_lists(payload):
        for table in tables:
            names = [output.public_name(c) for c in table.columns]
            if len(table.rows) != len(rows) or not set(names) <= rows[0].keys():
                continue
            money = [output.public_name(c) for c in table.columns if c.endswith(output.CENTS)]
            amounts += [format_money(round(row[k] * 100)) for row in rows for k in money]
            break
    return amounts


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_amount_or_date_is_cut_at_80_columns(
    name: str, tables: list[output.DataTable], capsys: pytest.CaptureFixture[str]
) -> None:
    args = COMMANDS[name]
    ran = run_main(capsys, *args)
    assert ran.returncode == 0, ran.stderr
    text = ran.stdout
    assert tables, "the command printed no table"
    for line in text.splitlines():
        assert cell_len(line.rstrip()) <= 80, line
    for table in tables:
        for row in table.rows:
            for whole, value in zip(table.whole, row, strict=True):
                if whole and value.plain:
                    assert _whole(text, value.plain), (table.title, value.plain)

    # The amounts of the JSON output, formatted independently, are all in the table text.
    ran = run_main(capsys, *args, "--format", "json")
    assert ran.returncode == 0, ran.stderr
    amounts = _json_amounts(json.loads(ran.stdout), tables)
    assert amounts
    missing = [a for a in amounts if not _whole(text, a)]
    assert not missing, missing


def test_import_report_and_cache_info_at_80_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    ran = run_main(capsys, "import", str(FEC))
    assert ran.returncode == 0, ran.stderr
    report = open_dataset(FEC).report
    lines = ran.stdout.splitlines()
    table = [line for line in lines if not line.startswith(("dataset: ", "imported and cached"))]
    assert all(len(line) <= 80 for line in table), table
    total = next(line for line in lines if line.startswith("total "))
    for figure in (report.rows_read, report.rows_loaded, report.rows_rejected):
        assert _whole(total, format_count(figure)), total
    for f in report.files:
        row = next(line for line in lines if line.startswith(f.path + " "))
        assert _whole(row, format_count(f.rows_read)) and _whole(row, format_count(f.rows_loaded))

    ran = run_main(capsys, "cache", "info")
    assert ran.returncode == 0, ran.stderr
    (entry,) = iter_entries(tmp_path / "cache")
    row = next(line for line in ran.stdout.splitlines() if entry.key in line)
    assert _whole(row, entry.created.strftime("%Y-%m-%d %H:%M:%S"))
    assert _whole(row, format_count(entry.rows))
