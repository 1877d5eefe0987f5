"""`moneytrail import PATH` and `moneytrail cache info|clear`: output and exit codes."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from moneytrail.cli import main
from moneytrail.cli.importer import rich_progress
from moneytrail.data import cache
from moneytrail.data import open as open_mod
from moneytrail.data.dataset import Dataset
from moneytrail.data.report import FileReport, LoadReport
from tests.factories import committee, make_dataset, tx


def _fake() -> Dataset:
    ds = make_dataset(
        transactions=[
            tx("t1", 500_00, source_name="DOE, JANE", recipient="C1"),
            tx("t2", 20_00, source_name="SMITH [R]", recipient="C1"),
        ],
        committees=[committee("C1", "Friends of Doe")],
        name="fake",
    )
    report = LoadReport(
        files=(
            FileReport(
                "src/itcont.txt",
                "fec:itcont",
                rows_read=5,
                rows_loaded=2,
                rejected={"bad amount": 2, "wrong field count": 1},
                bytes_replaced=3,
            ),
            FileReport("src/cm.txt", "fec:cm", rows_read=1, rows_loaded=1),
        ),
        created={"committees": 1},
    )
    return replace(ds, report=report)


@pytest.fixture()
def src(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "itcont.txt").write_text("fake\n")
    monkeypatch.setattr(open_mod, "_kind", lambda path: "fec")
    monkeypatch.setattr(open_mod, "_read_source", lambda kind, path, progress: _fake())
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def test_import_prints_the_load_report_then_serves_from_cache(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(src)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"dataset: {src.resolve()}"
    assert out[1].startswith("imported and cached in ")
    itcont = next(line for line in out if line.startswith("src/itcont.txt"))
    assert itcont.split() == ["src/itcont.txt", "fec:itcont", "5", "2", "3", "3"]
    assert "    rejected: bad amount 2, wrong field count 1" in out
    total = next(line for line in out if line.startswith("total"))
    assert total.split() == ["total", "6", "3", "3", "3"]
    assert "created from references: committees 1" in out
    assert main(["import", str(src)]) == 0
    again = capsys.readouterr().out.splitlines()
    assert again[1] == "served from cache"
    assert [line for line in again if line.startswith("src/")] == [
        line for line in out if line.startswith("src/")
    ]


def test_import_no_cache_writes_nothing(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(src), "--no-cache"]) == 0
    assert "imported in memory (--no-cache)" in capsys.readouterr().out
    assert not (tmp_path / "cache").exists()


def test_import_cache_dir_option(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    assert main(["import", str(src), "--cache-dir", str(other)]) == 0
    assert f"imported and cached in {other}" in capsys.readouterr().out
    assert not (tmp_path / "cache").exists()


def test_import_with_unusable_cache_warns_and_succeeds(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    assert main(["import", str(src), "--cache-dir", str(blocker / "c")]) == 0
    out = capsys.readouterr().out
    assert "imported in memory: the cache is unusable" in out
    assert "warning: cache directory" in out and "working in memory" in out


def test_import_missing_path_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path / "nope")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("moneytrail: ") and "no such file" in err and err.count("\n") == 1


def test_cache_info_empty_then_listing(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [f"cache: {tmp_path / 'cache'}", "no cached datasets"]
    main(["import", str(src)])
    capsys.readouterr()
    assert main(["cache", "info"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("1 dataset(s), ")
    row = lines[3]
    assert row.endswith(str(src.resolve()))
    assert cache.fingerprint(src) in row
    assert row.split()[2] == "2"  # transactions stored


def test_cache_info_flags_invalid_entries_and_interrupted_builds(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", str(src)])
    entry = tmp_path / "cache" / cache.fingerprint(src)
    (entry / cache.MANIFEST).unlink()
    (tmp_path / "cache" / ".tmp-x-1-abcd").mkdir()
    capsys.readouterr()
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert "INVALID: no manifest (incomplete build)" in out
    assert "1 interrupted or in-progress import(s)" in out


def test_cache_clear_path_then_nothing_left_exits_1(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", str(src)])
    capsys.readouterr()
    assert main(["cache", "clear", str(src)]) == 0
    assert capsys.readouterr().out.startswith("removed 1 cached dataset(s), ")
    assert not (tmp_path / "cache" / cache.fingerprint(src)).exists()
    assert main(["cache", "clear", str(src)]) == 1
    assert "nothing cached for this path" in capsys.readouterr().err


def test_cache_clear_all(src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["import", str(src)])
    capsys.readouterr()
    assert main(["cache", "clear", "--all"]) == 0
    assert "removed 1 cached dataset(s)" in capsys.readouterr().out
    assert list((tmp_path / "cache").iterdir()) == []
    assert main(["cache", "clear", "--all"]) == 0
    assert "removed 0 cached dataset(s)" in capsys.readouterr().out


def test_cache_clear_needs_all_or_path(src: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["cache", "clear"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["cache", "clear", "--all", str(src)])
    assert exc.value.code == 2


def test_rich_progress_draws_bytes_and_cache_steps_on_a_terminal() -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=120)
    with rich_progress(console) as progress:
        assert progress is not None
        progress("indiv16.zip:itcont.txt", 0, 50_000_000)
        progress("indiv16.zip:itcont.txt", 25_000_000, 50_000_000)
        progress("cache: transactions", 1, 7)
    drawn = stream.getvalue()
    assert "indiv16.zip:itcont.txt" in drawn and "25.0/50.0 MB" in drawn
    assert "cache: transactions" in drawn and "1/7" in drawn


def test_rich_progress_is_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with rich_progress(Console(file=stream, force_terminal=False)) as progress:
        assert progress is None
    assert stream.getvalue() == ""
