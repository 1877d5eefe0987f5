"""Exit codes, one-line errors and help of the command line."""

from __future__ import annotations

import json
from pathlib import Path

from moneytrail import __version__


def test_version(run_cli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"moneytrail {__version__}"


def test_help_everywhere(run_cli) -> None:
    for args in (("--help",), ("summary", "--help"), ("show", "--help"), ("open", "--help")):
        result = run_cli(*args)
        assert result.returncode == 0, args
        assert "usage: moneytrail" in result.stdout


def test_missing_path_is_one_line_exit_1(run_cli, tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    for args in (("summary", "donors", str(missing)), (str(missing),)):
        result = run_cli(*args)
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert str(missing) in lines[0] and "no such file" in lines[0]
        assert "Traceback" not in result.stderr


def test_unrecognised_folder_is_one_line_exit_1(run_cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    result = run_cli("summary", "committees", str(tmp_path))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(tmp_path) in result.stderr


def test_bad_option_values_are_usage_errors(run_cli) -> None:
    for args in (
        ("summary", "donors", "--since", "yesterday"),
        ("summary", "donors", "--min-amount", "12.345"),
        ("summary", "donors", "--top", "-1"),
        ("summary", "planets"),
    ):
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_show_counts_the_rows_it_does_not_list(run_cli) -> None:
    from moneytrail.data.open import open_dataset
    from moneytrail.query.filters import Filters
    from moneytrail.query.selection import rows_for

    result = run_cli("show", "committee", "Florida Safety and Justice", "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    rows = rows_for(open_dataset(None), Filters(), "committee", payload["committee_id"]).collect()
    assert payload["row_count"] == rows.height > 0
    table = run_cli("show", "committee", "Florida Safety and Justice")
    assert f"{rows.height:,} transactions listed" in table.stdout


def test_real_process_smoke(run_process, run_cli, tmp_path: Path) -> None:
    """The installed console script behaves as `main(argv)` does: status, stdout, stderr."""
    version = run_process("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"moneytrail {__version__}")
    missing = tmp_path / "nope"
    refused = run_process("summary", "donors", str(missing))
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr == run_cli("summary", "donors", str(missing)).stderr
    assert "Traceback" not in refused.stderr
    table = run_process("summary", "committees", "--top", "5", "--format", "csv")
    assert table.returncode == 0, table.stderr
    assert table.stdout == run_cli("summary", "committees", "--top", "5", "--format", "csv").stdout
