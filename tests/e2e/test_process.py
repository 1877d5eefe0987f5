"""The real program's start and interruption: a bad PATH, and Ctrl+C during a first import.

`moneytrail /no/such/path` must refuse in one line before Textual takes the terminal. Ctrl+C
(the key, as a user presses it in the app's raw-mode terminal) and SIGINT (as `kill -INT` sends
it) while the FEC snapshot is being imported into a fresh cache must end the program cleanly:
no traceback, and no half-written cache entry left behind (a build dir of a killed import, or an
entry without its manifest); the next run opens the data normally.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from moneytrail.cli import main
from tests.e2e.conftest import FEC
from tests.e2e.terminal import Terminal, isolated_env, moneytrail_script


def test_bad_path_is_one_line_and_exit_1(home: Path) -> None:
    missing = home / "no" / "such" / "path"
    done = subprocess.run(
        [str(moneytrail_script()), str(missing)],
        capture_output=True,
        text=True,
        env=isolated_env(home),
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines == [f"moneytrail: {missing}: no such file or directory"], done.stderr
    assert "Traceback" not in done.stderr


def _assert_no_partial_cache(cache: Path) -> None:
    """Only whole entries (each with its manifest) may be left; no build or trash dirs."""
    if not cache.exists():
        return
    for entry in cache.iterdir():
        assert not entry.name.startswith((".tmp-", ".trash-")), sorted(cache.iterdir())
        if entry.is_dir():
            assert (entry / "manifest.json").is_file(), sorted(entry.iterdir())


@pytest.mark.parametrize("how", ["ctrl+c key", "SIGINT"])
def test_interrupting_a_first_import_exits_cleanly(
    terminal, home: Path, how: str, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    cache = home / "moneytrail-cache"
    assert not cache.exists()
    term: Terminal = terminal(str(FEC))
    term.wait_for("Opening", "cancels")
    if how == "SIGINT":
        os.kill(term.child.pid, signal.SIGINT)
    else:
        term.press("ctrl+c")
    status = term.wait_exit()
    assert (status, term.outside_text()) == (0, "")
    _assert_no_partial_cache(cache)

    # What is left is usable: the next run reads the snapshot (from the cache or afresh).
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(cache))
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(home / "moneytrail-config"))
    capsys.readouterr()
    assert main(["summary", "committees", str(FEC), "--top", "3", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 4
    _assert_no_partial_cache(cache)
