"""Every user-facing error of the command line: one line, naming the file, non-zero exit.

The CLI runs in-process (`main(argv)`) for each bad input and bad option below: missing paths,
unrecognised files and folders, unreadable files, corrupt and empty tables, bad option values,
hostile names, for every subcommand and for the explorer (`moneytrail PATH`, which must refuse a
bad PATH before Textual takes the terminal); a few of them run again as the installed console
script, in a real process, to show the real entry point behaves the same.
Each run must exit non-zero with exactly one line on stderr that names the file (and line where
there is one), print no traceback, no escape byte and nothing on stdout; and no input file may
change. The real-process runs are started concurrently (each is a fresh Python).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl
import pytest

from tests.e2e.terminal import moneytrail_script
from tests.robust.figures import record

HEADER: Final = "transaction_id,date,amount,kind,source_kind,source_name,recipient_committee_id\n"
ROW: Final = "t1,2016-01-05,10.00,contribution,individual,DOE,C1\n"
ESC_NAME: Final = "evil\x1b]0;title\x07\x1b[2J"


@dataclass(frozen=True)
class Case:
    """One CLI run: `args` use `{root}` for the inputs folder; `names` must be in the line."""

    args: tuple[str, ...]
    code: int
    names: tuple[str, ...] = ()
    #: Needs a mode-000 file to be unreadable (skipped for root, who reads anything).
    unreadable: bool = False
    words: tuple[str, ...] = field(default=())


def _cases() -> dict[str, Case]:
    missing = "{root}/no/such/path"
    pq = "{root}/corrupt_parquet"
    pq_file = f"{pq}/transactions.parquet"
    out: dict[str, Case] = {}
    # Missing PATH, for every command that takes one.
    for name, args in {
        "explore": (missing,),
        "open": ("open", missing),
        "summary": ("summary", "donors", missing),
        "show": ("show", "donor", "DOE", missing),
        "trace": ("trace", "committee", "C1", missing),
        "import": ("import", missing),
    }.items():
        out[f"missing path: {name}"] = Case(args, 1, (missing,), words=("no such file",))
    out["missing path: cache clear"] = Case(
        ("cache", "clear", missing), 1, (missing,), words=("nothing cached",)
    )
    # Folders and files that hold no dataset, explorer first (it must not start Textual).
    none = "no moneytrail tables"
    for what in ("empty_dir", "unrecognised_dir", "unrecognised_dir/notes.txt", "only_committees"):
        path = f"{{root}}/{what}"
        out[f"no dataset: explore {what}"] = Case((path,), 1, (path,), words=(none,))
        out[f"no dataset: summary {what}"] = Case(
            ("summary", "committees", path), 1, (path,), words=(none,)
        )
    out["no dataset: import empty_dir"] = Case(
        ("import", "{root}/empty_dir"), 1, ("{root}/empty_dir",), words=(none,)
    )
    # A corrupt Parquet file, through every command that reads a dataset.
    for name, args in {
        "summary": ("summary", "races", pq),
        "show": ("show", "committee", "C1", pq),
        "trace": ("trace", "race", "R1", pq),
        "import": ("import", pq),
        "summary --no-cache": ("summary", "donors", pq, "--no-cache"),
    }.items():
        out[f"corrupt parquet: {name}"] = Case(
            args, 1, (pq_file,), words=("not a readable Parquet file",)
        )
    # Broken tables: the file, and the line where the problem is on one.
    out["empty csv"] = Case(
        ("summary", "donors", "{root}/empty_csv"),
        1,
        ("{root}/empty_csv/transactions.csv",),
        words=("empty file",),
    )
    out["missing column"] = Case(
        ("show", "donor", "DOE", "{root}/missing_column"),
        1,
        ("{root}/missing_column/transactions.csv:1:",),
        words=("missing required column(s): amount",),
    )
    out["broken committees table"] = Case(
        ("summary", "committees", "{root}/broken_committees"),
        1,
        ("{root}/broken_committees/committees.csv:1:",),
        words=("duplicate column 'name'",),
    )
    out["csv and parquet"] = Case(
        ("import", "{root}/both"), 1, ("{root}/both/transactions.csv",), words=("keep one",)
    )
    out["parquet of unsupported types"] = Case(
        ("trace", "committee", "C1", "{root}/nested_parquet"),
        1,
        ("{root}/nested_parquet/transactions.parquet",),
        words=("source_name: List(String)",),
    )
    # Unreadable input (mode 000): a file and a folder.
    out["unreadable file"] = Case(
        ("summary", "donors", "{root}/unreadable_file", "--no-cache"),
        1,
        ("{root}/unreadable_file/transactions.csv",),
        unreadable=True,
        words=("Permission denied",),
    )
    out["unreadable folder"] = Case(
        ("summary", "donors", "{root}/unreadable_dir/inner", "--no-cache"),
        1,
        ("{root}/unreadable_dir/inner",),
        unreadable=True,
        words=("Permission denied",),
    )
    # Hostile names: a newline and escape sequences in the path are shown as stand-ins.
    out["hostile missing path"] = Case(
        ("summary", "donors", "{root}/two\nlines" + ESC_NAME), 1, ("{root}/two␊lines",)
    )
    out["hostile corrupt folder"] = Case(
        ("summary", "donors", "{root}/" + ESC_NAME), 1, ("{root}/evil␛]0;title␇␛[2J",)
    )
    # Bad options: one line naming the command, exit 2.
    for name, args, command in (
        ("unknown option", ("--bogus",), "moneytrail"),
        ("unknown subcommand option", ("summary", "donors", "--bogus"), "moneytrail"),
        ("bad date", ("summary", "donors", "--since", "yesterday"), "moneytrail summary"),
        ("bad amount", ("summary", "donors", "--min-amount", "12.345"), "moneytrail summary"),
        ("negative top", ("summary", "donors", "--top", "-1"), "moneytrail summary"),
        ("unknown table", ("summary", "planets"), "moneytrail summary"),
        ("unknown entity", ("show", "planet", "X"), "moneytrail show"),
        ("trace without query", ("trace", "race"), "moneytrail trace"),
        ("import without path", ("import",), "moneytrail import"),
        ("cache without action", ("cache",), "moneytrail cache"),
        ("unknown cache action", ("cache", "list"), "moneytrail cache"),
        (
            "hostile option value",
            ("summary", "donors", "--since", "\x1b[2J\x9b31m"),
            "moneytrail summary",
        ),
    ):
        out[f"usage: {name}"] = Case(args, 2, (f"{command}: ",), words=("--help",))
    return out


CASES: Final = _cases()


def _fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and os.access(p, os.R_OK) and p.stat().st_mode & 0o444:
            out[str(p)] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
    return out


def _build(root: Path) -> None:
    """The bad inputs under `root`."""
    (root / "empty_dir").mkdir()
    (root / "unrecognised_dir").mkdir()
    (root / "unrecognised_dir" / "notes.txt").write_text("hello\n")
    (root / "only_committees").mkdir()
    (root / "only_committees" / "committees.csv").write_text("committee_id,name\nC1,X\n")
    for name in ("corrupt_parquet", ESC_NAME):
        (root / name).mkdir()
        (root / name / "transactions.parquet").write_bytes(b"PAR1 this is not parquet PAR1")
    (root / "empty_csv").mkdir()
    (root / "empty_csv" / "transactions.csv").write_bytes(b"")
    (root / "missing_column").mkdir()
    (root / "missing_column" / "transactions.csv").write_text("transaction_id,date\nt1,x\n")
    (root / "broken_committees").mkdir()
    (root / "broken_committees" / "transactions.csv").write_text(HEADER + ROW)
    (root / "broken_committees" / "committees.csv").write_text("committee_id,name,name\n")
    (root / "both").mkdir()
    (root / "both" / "transactions.csv").write_text(HEADER + ROW)
    (root / "both" / "transactions.parquet").write_bytes(b"")
    (root / "nested_parquet").mkdir()
    pl.DataFrame(
        {
            "transaction_id": ["t1"],
            "date": ["2016-01-05"],
            "amount": ["1"],
            "kind": ["contribution"],
            "source_kind": ["individual"],
            "source_name": [["A", "B"]],
        }
    ).write_parquet(root / "nested_parquet" / "transactions.parquet")

    (root / "unreadable_file").mkdir()
    (root / "unreadable_file" / "transactions.csv").write_text(HEADER + ROW)
    (root / "unreadable_dir" / "inner").mkdir(parents=True)
    (root / "unreadable_dir" / "inner" / "transactions.csv").write_text(HEADER + ROW)
    for path in _UNREADABLE:
        (root / path).chmod(0)


#: Made mode 000 by `_build` (and given back their mode afterwards, so they can be removed).
_UNREADABLE: Final = ("unreadable_file/transactions.csv", "unreadable_dir/inner")


#: Run again as the installed console script, in a separate process: the explorer's two refusals,
#: a data error and a hostile usage error. (Every case runs in-process, which is much faster.)
SUBPROCESS: Final = (
    "missing path: explore",
    "no dataset: explore empty_dir",
    "corrupt parquet: summary",
    "usage: hostile option value",
)


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MONEYTRAIL_DEBUG"}
    env["MONEYTRAIL_CACHE_DIR"] = str(tmp / "cache")
    env["MONEYTRAIL_CONFIG_DIR"] = str(tmp / "config")
    return env


def _run(case: Case, root: Path, env: dict[str, str]) -> Outcome:
    done = subprocess.run(
        [str(moneytrail_script()), *(a.format(root=root) for a in case.args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=300,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


@dataclass
class Inputs:
    root: Path
    before: dict[str, tuple[str, int]]
    can_read_mode_000: bool
    processes: dict[str, Outcome]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Inputs]:
    """The bad inputs, and the SUBPROCESS cases run once, concurrently."""
    root = tmp_path_factory.mktemp("inputs")
    try:
        _build(root)
        can_read = os.geteuid() == 0 or os.access(root / _UNREADABLE[0], os.R_OK)
        before = _fingerprint(root)
        env = _env(tmp_path_factory.mktemp("dirs"))
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = {n: pool.submit(_run, CASES[n], root, env) for n in SUBPROCESS}
            processes = {n: f.result() for n, f in futures.items()}
        yield Inputs(root, before, can_read, processes)
    finally:
        for path in _UNREADABLE:
            (root / path).chmod(0o755)


def _in_process(
    case: Case, root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Outcome:
    from moneytrail.cli import main

    for name, value in _env(root.parent / f"{root.name}-dirs").items():
        if name.startswith("MONEYTRAIL_"):
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("MONEYTRAIL_DEBUG", raising=False)
    capsys.readouterr()
    try:
        code = main([a.format(root=root) for a in case.args])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return Outcome(code, out, err)


def _assert_one_line(case: Case, got: Outcome, root: Path) -> None:
    assert got.code == case.code, got.stderr
    assert got.stdout == ""
    assert got.stderr.endswith("\n")
    lines = got.stderr.splitlines()
    assert len(lines) == 1, got.stderr
    line = lines[0]
    assert line.startswith("moneytrail")
    assert "Traceback" not in got.stderr
    assert "\x1b" not in got.stderr and "\x9b" not in got.stderr and "\x07" not in got.stderr
    for wanted in case.names:
        assert wanted.format(root=root) in line
    for word in case.words:
        assert word in line


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_is_one_line_naming_the_file(
    inputs: Inputs,
    name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = CASES[name]
    if case.unreadable and inputs.can_read_mode_000:
        pytest.skip("running as a user who can read mode-000 files (root)")
    _assert_one_line(case, _in_process(case, inputs.root, capsys, monkeypatch), inputs.root)
    record("cli errors: cases run in-process (one line, exit non-zero)")


@pytest.mark.parametrize("name", SUBPROCESS)
def test_error_of_the_real_command_is_one_line(inputs: Inputs, name: str) -> None:
    case = CASES[name]
    if case.unreadable and inputs.can_read_mode_000:
        pytest.skip("running as a user who can read mode-000 files (root)")
    _assert_one_line(case, inputs.processes[name], inputs.root)
    record("cli errors: cases run as a process (one line, exit non-zero)")


def test_no_input_file_was_written(inputs: Inputs) -> None:
    assert _fingerprint(inputs.root) == inputs.before


def test_explorer_refuses_a_bad_path_before_textual(inputs: Inputs) -> None:
    """No alternate screen, mouse mode or any escape sequence: Textual never started."""
    explore = [n for n in SUBPROCESS if n.startswith(("no dataset: explore", "missing path: ex"))]
    assert len(explore) == 2
    for name in explore:
        assert "\x1b" not in inputs.processes[name].stderr
        assert inputs.processes[name].code == 1


#: Terminal control sequences Textual itself writes to set up and restore the terminal.
_TERMINAL_MODES = re.compile(r"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def test_explorer_on_a_corrupt_file_is_one_line(inputs: Inputs, tmp_path: Path) -> None:
    """A file found broken while loading: Textual has started (and restored the terminal) by
    then; the error itself is one plain line printed after that, nothing else is written."""
    done = _run(Case(("{root}/corrupt_parquet",), 1), inputs.root, _env(tmp_path))
    assert done.code == 1
    start = done.stderr.index("moneytrail: ")
    message, terminal_setup = done.stderr[start:], done.stderr[:start]
    assert message.count("\n") == 1 and message.endswith("\n"), done.stderr
    assert "\x1b" not in message and "corrupt_parquet" in message
    assert _TERMINAL_MODES.sub("", terminal_setup) == "", done.stderr
