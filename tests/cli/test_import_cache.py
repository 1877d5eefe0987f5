"""`moneytrail import PATH` and `moneytrail cache info|clear`: output and exit codes."""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
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
from tests.fake_source import DatasetSource, install

BENCH = Path(__file__).resolve().parents[2] / "bench"


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
    install(monkeypatch, DatasetSource(_fake))
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
    assert open_mod.cache_key(src) in row
    assert row.split()[2] == "2"  # transactions stored


def test_cache_info_flags_invalid_entries_and_interrupted_builds(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", str(src)])
    entry = tmp_path / "cache" / open_mod.cache_key(src)
    (entry / cache.MANIFEST).unlink()
    (tmp_path / "cache" / ".tmp-x-1-abcd").mkdir()
    capsys.readouterr()
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert "INVALID: no manifest (incomplete build)" in out
    assert "1 interrupted or in-progress import(s)" in out


def test_cache_info_shows_each_tables_layout_and_how_to_read_it(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", str(src)])
    capsys.readouterr()
    entry = tmp_path / "cache" / open_mod.cache_key(src)
    assert main(["cache", "info", str(src)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"cache: {tmp_path / 'cache'}"
    assert f"entry: {entry}" in lines
    assert f"  source: {src.resolve()}" in lines
    header = next(line for line in lines if line.lstrip().startswith("table "))
    assert header.split()[:4] == ["table", "rows", "files", "row"]
    tables = {line.split()[0]: line.split() for line in lines[lines.index(header) + 1 :]}
    assert tables["transactions"][1:4] == ["2", "1", "1"]  # rows, files, row groups
    assert tables["transactions"][-1] == "transactions.parquet"
    assert tables["committees"][1] == "1"
    duck = next(line for line in lines if line.startswith("  DuckDB: "))
    assert duck == f"  DuckDB: SELECT count(*) FROM read_parquet('{entry}/transactions.parquet');"


def test_cache_info_for_a_path_with_nothing_cached_exits_1(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", str(src)])
    capsys.readouterr()
    assert main(["cache", "info", str(tmp_path / "elsewhere")]) == 1
    err = capsys.readouterr().err
    assert "nothing cached for this path" in err and err.count("\n") == 1


def test_cache_clear_path_then_nothing_left_exits_1(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", str(src)])
    capsys.readouterr()
    assert main(["cache", "clear", str(src)]) == 0
    assert capsys.readouterr().out.startswith("removed 1 cached dataset(s), ")
    assert not (tmp_path / "cache" / open_mod.cache_key(src)).exists()
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
        progress("indiv16.zip:itcont.txt", 0, 50_000_000, 0)
        progress("indiv16.zip:itcont.txt", 25_000_000, 50_000_000, 140_000)
        progress("fec: counting once", 0, 0)
        progress("cache: transactions", 0, 7)
        progress("cache: aggregates", 5, 7)
    drawn = stream.getvalue()
    assert "indiv16.zip:itcont.txt" in drawn and "25.0/50.0 MB" in drawn
    assert "140,000 rows" in drawn
    assert "fec: counting once" in drawn
    assert "cache: aggregates" in drawn and "5/7" in drawn


def test_rich_progress_is_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with rich_progress(Console(file=stream, force_terminal=False)) as progress:
        assert progress is None
    assert stream.getvalue() == ""


# --- the real FEC 2016 snapshot through the cache -------------------------------------------

FEC_SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "fec-2016-early"
FEC_FILES = (
    "ccl16.zip:ccl.txt",
    "cm16.zip:cm.txt",
    "cn16.zip:cn.txt",
    "indiv16.zip:itcont.txt",
    "oth16.zip:itoth.txt",
    "pas216.zip:itpas2.txt",
)


@pytest.fixture()
def cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(root))
    return root


def _file_lines(out: str) -> dict[str, list[str]]:
    return {
        line.split()[0]: line.split()[1:]
        for line in out.splitlines()
        if line.split() and line.split()[0] in FEC_FILES
    }


def test_fec_import_reports_every_file_then_is_served_from_cache(
    cache_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(FEC_SAMPLE)]) == 0
    first = capsys.readouterr().out
    assert first.splitlines()[1].startswith("imported and cached in ")
    files = _file_lines(first)
    assert sorted(files) == sorted(FEC_FILES)
    for name, (kind, read, loaded, rejected, _replaced) in files.items():
        assert kind == "fec:" + name.split(":")[1].removesuffix(".txt")
        n = [int(v.replace(",", "")) for v in (read, loaded, rejected)]
        assert n[0] == n[1] + n[2] and n[0] > 0
    assert main(["import", str(FEC_SAMPLE)]) == 0
    second = capsys.readouterr().out
    assert second.splitlines()[1] == "served from cache"
    assert _file_lines(second) == files
    assert len([p for p in cache_env.iterdir() if not p.name.startswith(".")]) == 1


def test_fec_summaries_from_cache_match_an_in_memory_import(
    cache_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`summary ... --format json` is byte-identical from the cache and from `--no-cache`."""

    def summary(table: str, *extra: str) -> str:
        capsys.readouterr()
        code = main(["summary", table, str(FEC_SAMPLE), "--format", "json", *extra])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    for table in ("committees", "donors", "races"):
        cached = summary(table)  # the first call imports and caches, later ones hit the cache
        assert summary(table, "--no-cache") == cached
        assert cached.startswith("[")
    entries = list(cache.iter_entries(cache_env))
    assert [e.source for e in entries] == [str(FEC_SAMPLE.resolve())]


def test_two_concurrent_fec_imports_both_succeed(tmp_path: Path) -> None:
    """Two real processes importing the same files at once (a smoke run of the real command)."""
    root = tmp_path / "cache"
    env = {**os.environ, "MONEYTRAIL_CACHE_DIR": str(root)}
    cmd = [sys.executable, "-m", "moneytrail", "import", str(FEC_SAMPLE)]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in results]
    assert _file_lines(results[0][0]) == _file_lines(results[1][0])
    assert [p.name for p in root.iterdir()] == [open_mod.cache_key(FEC_SAMPLE)]


def test_summary_with_unusable_cache_warns_on_stderr_and_prints_the_table(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    argv = ["summary", "donors", str(src), "--cache-dir", str(blocker), "--format", "csv"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    warnings = captured.err.splitlines()
    assert len(warnings) == 2
    assert warnings[0].startswith("moneytrail: warning: cache directory ")
    assert "working in memory" in warnings[0]
    # The fixture's FEC files hold malformed lines: one line says so and where to list them.
    assert warnings[1] == f"moneytrail: 3 rows rejected; run `moneytrail import {src}` for the list"
    assert "DOE, JANE" in captured.out
    assert main(["import", str(src), "--cache-dir", str(blocker)]) == 0
    assert capsys.readouterr().err == ""


#: `moneytrail import` interrupted as a user's Ctrl+C does it: SIGINT arrives while Polars is
#: writing the first Parquet file of the cache entry (a moment after it appears in the build's
#: temp dir). The import's progress bar is replaced by the watch that starts then.
_INTERRUPTED_IMPORT = """
import contextlib, os, signal, sys, threading, time
from pathlib import Path
from moneytrail.cli import importer, main

root, delay = Path(sys.argv[2]), float(sys.argv[3])

def interrupt_while_writing():
    while not any(root.glob(".tmp-*/**/*.parquet")):
        time.sleep(0.005)
    time.sleep(delay)
    os.kill(os.getpid(), signal.SIGINT)

@contextlib.contextmanager
def progress(console=None):
    started = []
    def callback(stage, done, total, rows=None):
        if stage.startswith("cache:") and not started:
            started.append(stage)
            threading.Thread(target=interrupt_while_writing, daemon=True).start()
    yield callback

importer.rich_progress = progress
sys.exit(main(["import", sys.argv[1], "--cache-dir", sys.argv[2]]))
"""


def test_ctrl_c_during_the_cache_write_leaves_no_partial_cache(tmp_path: Path) -> None:
    """One Ctrl+C inside a Polars write can surface twice; the second must not cut short the
    removal of the build's temp dir."""
    spec = importlib.util.spec_from_file_location("gen_fec", BENCH / "gen_fec.py")
    assert spec is not None and spec.loader is not None
    gen_fec = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_fec)
    src = gen_fec.generate(300_000, tmp_path / "fec" / "itcont.txt", seed=3).parent
    root = tmp_path / "cache"
    proc = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_IMPORT, str(src), str(root), "0.2"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MONEYTRAIL_CACHE_DIR": str(root)},
    )
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.splitlines()[-1] == "moneytrail: interrupted"
    assert sorted(p.name for p in root.iterdir()) == []  # no temp dir, no entry
