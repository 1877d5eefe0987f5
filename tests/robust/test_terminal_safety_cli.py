"""Terminal safety of the CLI and of exports: hostile data never reaches stdout as control bytes.

Contract under test, on the hostile tables written to disk (`write_hostile_tables`):

* `summary`, `show` and `trace` in table format print every hostile string literally (markup not
  parsed, controls as stand-ins) and stdout holds no ESC, C0 (but newline), DEL, C1, bidi or
  zero-width character, whether or not Rich colours the output;
* `--format json` keeps every string exact (it parses back to the filed value) but `\\u`-escapes
  every such character, so JSON on a terminal is as safe as a table;
* `--format csv` and CSV/JSON/Parquet exports keep every string byte-for-byte (they are data);
* a Markdown export shows controls as stand-ins, escapes `|`, and keeps one line per row.

Figures recorded: CLI runs, hostile strings x CLI outputs seen, export files checked, escape
bytes leaked.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import polars as pl
import pytest

from moneytrail.cli import main
from moneytrail.data.open import open_dataset
from moneytrail.data.textsafe import UNSAFE_CODEPOINTS, safe_str
from moneytrail.query.committees import committees
from moneytrail.query.donors import donors
from moneytrail.query.export import export_frame
from moneytrail.query.filters import Filters
from moneytrail.query.races import races
from tests.robust.figures import record
from tests.robust.hostile import HOSTILE_STRINGS, write_hostile_tables

#: Every unsafe character but the newline that separates output lines.
_FORBIDDEN_OUT = frozenset(UNSAFE_CODEPOINTS - {0x0A})
#: Rich's own styling when it colours output (FORCE_COLOR): SGR and OSC 8 links only.
_RICH_SEQUENCES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b\x07]*\x1b\\")
N = len(HOSTILE_STRINGS)


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile_tables(tmp_path_factory.mktemp("cli") / "hostile")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI in-process; returns stdout (exit 0 required, stderr must be safe too)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, (argv, err)
    record("terminal safety: CLI runs")
    leaked = [c for c in out + err if ord(c) in _FORBIDDEN_OUT]
    record("terminal safety: escape bytes leaked", len(leaked))
    assert not leaked, (argv, sorted(set(leaked)))
    return out


def _seen(out: str, values: dict[str, str], what: str) -> None:
    """Each shown form in `values` (hostile -> form) is in `out`."""
    for hostile, shown in values.items():
        assert shown in out, f"{what}: {shown!r} (from {hostile!r}) missing"
    record("terminal safety: hostile strings x CLI outputs seen", len(values))


def test_summary_tables_show_every_string_literally(
    hostile_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(hostile_folder)
    for table, prefix in (("donors", ""), ("committees", "PAC "), ("races", "Race ")):
        out = run(capsys, "summary", table, path)
        _seen(out, {s: safe_str(f"{prefix}{s}")[:10] for s in HOSTILE_STRINGS}, table)
        assert "[red]x[/red]" in out and "SMITH [R]" in out


def test_summary_table_with_colour_forced(
    hostile_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With colours on, Rich's own SGR codes are the only escapes in the output."""
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert main(["summary", "committees", str(hostile_folder), "--no-cache"]) == 0
    out = capsys.readouterr().out
    record("terminal safety: CLI runs")
    assert "\x1b[" in out  # colour really was on
    rest = _RICH_SEQUENCES.sub("", out)
    leaked = [c for c in rest if ord(c) in _FORBIDDEN_OUT]
    record("terminal safety: escape bytes leaked", len(leaked))
    assert not leaked, sorted(set(leaked))


def test_show_and_trace_every_entity(
    hostile_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(hostile_folder)
    for i, s in enumerate(HOSTILE_STRINGS):
        pac, race, cand = (safe_str(f"{p} {s}")[:10] for p in ("PAC", "Race", "Cand"))
        _seen(run(capsys, "show", "committee", f"H{i}", path), {s: pac}, "show")
        _seen(run(capsys, "show", "race", f"R{i}", path), {s: race}, "show")
        _seen(run(capsys, "show", "candidate", f"K{i}", path), {s: cand}, "show")
        out = run(capsys, "trace", "committee", f"H{i}", path)
        _seen(out, {s: pac}, "trace")


def test_json_output_is_exact_and_escaped(
    hostile_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(hostile_folder)
    out = run(capsys, "summary", "committees", path, "--format", "json")
    names = {row["committee_id"]: row["name"] for row in json.loads(out)}
    assert names == {f"H{i}": f"PAC {s}" for i, s in enumerate(HOSTILE_STRINGS)}
    for i, s in enumerate(HOSTILE_STRINGS):
        detail = json.loads(run(capsys, "show", "committee", f"H{i}", path, "--format", "json"))
        assert detail["name"] == f"PAC {s}"
        traced = json.loads(run(capsys, "trace", "committee", f"H{i}", path, "--format", "json"))
        assert traced["name"] == f"PAC {s}"
    record("terminal safety: hostile strings x CLI outputs seen", 3 * N)


def test_csv_output_keeps_data_exact(
    hostile_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["summary", "committees", str(hostile_folder), "--no-cache", "--format", "csv"]) == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["committee_id"]: r["name"] for r in rows} == {
        f"H{i}": f"PAC {s}" for i, s in enumerate(HOSTILE_STRINGS)
    }


def _frames(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[pl.DataFrame]:
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    ds = open_dataset(folder, cache=False)
    return [
        donors(ds, Filters()).collect(),
        committees(ds, Filters()).collect(),
        races(ds, Filters()).collect(),
        ds.transactions.collect(),
    ]


def test_markdown_export_is_safe_and_one_line_per_row(
    hostile_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k, frame in enumerate(_frames(hostile_folder, tmp_path, monkeypatch)):
        target = export_frame(frame, tmp_path / f"t{k}.md")
        text = target.read_text(encoding="utf-8")
        record("terminal safety: export files checked")
        leaked = [c for c in text if ord(c) in _FORBIDDEN_OUT]
        record("terminal safety: escape bytes leaked", len(leaked))
        assert not leaked, sorted(set(leaked))
        lines = text.splitlines()
        assert len(lines) == frame.height + 2  # header, rule, one line per row
        # Every row has exactly the frame's cells: `|` in data is escaped.
        for line in lines:
            assert len(re.findall(r"(?<!\\)\|", line)) == frame.width + 1, line
        for s in HOSTILE_STRINGS:
            shown = safe_str(s).replace("\\", "\\\\").replace("|", "\\|")
            assert shown in text or k == 2, s  # races carry "Race <s>"


def test_data_exports_keep_every_string_exact(
    hostile_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = _frames(hostile_folder, tmp_path, monkeypatch)[1]
    expected = sorted(frame.get_column("name").to_list())
    parquet = pl.read_parquet(export_frame(frame, tmp_path / "c.parquet"))
    csv_back = pl.read_csv(export_frame(frame, tmp_path / "c.csv"), infer_schema=False)
    json_path = export_frame(frame, tmp_path / "c.json")
    json_text = json_path.read_text(encoding="utf-8")
    json_back = [row["name"] for row in json.loads(json_text)]
    for back in (parquet.get_column("name").to_list(), csv_back.get_column("name").to_list()):
        assert sorted(back) == expected
    assert sorted(json_back) == expected
    # The JSON file is exact and still safe to `cat`: controls are \u escapes.
    assert not [c for c in json_text if ord(c) in _FORBIDDEN_OUT]
    record("terminal safety: export files checked", 3)
