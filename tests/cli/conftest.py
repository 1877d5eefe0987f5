"""CLI test fixtures: the command line run in-process through `main(argv)`, isolated dirs.

`run_cli(*args)` calls `moneytrail.cli.main` in this process (fast: no interpreter start, no
Polars import per run) and returns the exit status and what was printed, as a finished process
would. `run_process(*args)` runs the installed console script for the few smoke tests that must
see the real process (start-up, exit status, stream separation).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from moneytrail.cli import main
from tests.e2e.terminal import moneytrail_script


@dataclass(frozen=True)
class Ran:
    """What one CLI run printed and returned (the fields of `subprocess.CompletedProcess`)."""

    returncode: int
    stdout: str
    stderr: str


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> Ran:
    """`moneytrail ARGS` in-process; argparse's exits (help, usage errors) become the status."""
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    out, err = capsys.readouterr()
    return Ran(code, out, err)


@pytest.fixture(scope="session")
def _cli_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache dir of every CLI test in this test process (xdist worker): the bundled sample,
    which most commands read, is imported into it once rather than once per test (seconds
    apiece). The tests about the cache itself point MONEYTRAIL_CACHE_DIR at one of their own."""
    return tmp_path_factory.mktemp("cli-cache")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _cli_cache: Path) -> None:
    """CLI tests never touch the user's real cache or config."""
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(_cli_cache))
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("MONEYTRAIL_DEBUG", raising=False)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    """Run `moneytrail ARGS` in-process; returns its status, stdout and stderr."""
    return lambda *args: run_main(capsys, *args)


@pytest.fixture
def run_process() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed `moneytrail ARGS` as a separate process (environment inherited)."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(moneytrail_script()), *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )

    return run
