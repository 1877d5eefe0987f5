"""The sample generator is deterministic and guards the story's figures.

Re-running `sample_data/generate.py` must reproduce the committed folder byte for byte (the
README promises it, and a drifting sample would silently change every figure the docs quote).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.sample.conftest import GENERATOR, REPO, SAMPLE_DIR

FILES = sorted(
    [
        "SYNTHETIC",
        "FullDataFile.txt",
        "FL-Contributions.txt",
        "FL-Expenditures.txt",
        "LA-Contributions.csv",
        "LA-Expenditures.csv",
        "candidates.csv",
        "committees.csv",
        "races.csv",
        "transactions.csv",
    ]
)
TABLES = ["candidates.csv", "committees.csv", "races.csv", "transactions.csv"]


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sample_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses looks the defining module up in sys.modules while the module executes.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_committed_folder_holds_exactly_the_generated_files() -> None:
    assert sorted(p.name for p in SAMPLE_DIR.iterdir()) == FILES


def test_regenerating_reproduces_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "regenerated"
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out)],
        cwd=tmp_path,  # The script must not depend on the working directory.
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONHASHSEED": "random", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == FILES
    for name in FILES:
        assert (out / name).read_bytes() == (SAMPLE_DIR / name).read_bytes(), name


def test_each_file_has_its_formats_bytes_and_line_endings() -> None:
    assert (SAMPLE_DIR / "SYNTHETIC").read_bytes() == b""
    # moneytrail tables and the IRS file: UTF-8, Unix line ends.
    for name in [*TABLES, "FullDataFile.txt"]:
        data = (SAMPLE_DIR / name).read_bytes()
        data.decode("utf-8")
        assert b"\r" not in data, name
        assert data.endswith(b"\n"), name
    # The state exports: CRLF line ends; Florida's in Windows-1252.
    for name in ["FL-Contributions.txt", "FL-Expenditures.txt"]:
        data = (SAMPLE_DIR / name).read_bytes()
        text = data.decode("cp1252")
        assert data.endswith(b"\r\n") and "\n" not in text.replace("\r\n", ""), name
        assert '"' not in text.splitlines()[0]  # no quoting at all
    for name in ["LA-Contributions.csv", "LA-Expenditures.csv"]:
        data = (SAMPLE_DIR / name).read_bytes()
        data.decode("utf-8")
        assert data.endswith(b"\r\n"), name


def test_the_generator_names_the_files_it_writes() -> None:
    assert load_generator().FILES == FILES


def test_generator_refuses_a_story_that_does_not_add_up(monkeypatch: pytest.MonkeyPatch) -> None:
    gen = load_generator()
    gen.check_story()  # The committed story holds.
    monkeypatch.setattr(gen, "DONOR_GIFTS", gen.DONOR_GIFTS[:-1])
    with pytest.raises(ValueError, match="DONOR_TOTAL_CENTS"):
        gen.check_story()


def test_generator_refuses_a_florida_figure_that_does_not_hold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gen = load_generator()
    monkeypatch.setattr(gen, "FLORIDA_PAC_RECEIPTS_CENTS", gen.FLORIDA_PAC_RECEIPTS_CENTS + 1)
    with pytest.raises(ValueError, match="Florida Safety and Justice"):
        gen.check_story()


def test_generator_is_run_from_the_repository_layout() -> None:
    assert GENERATOR.parent == REPO / "sample_data"
    assert load_generator().DEFAULT_OUT == SAMPLE_DIR
