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

FILES = ["SYNTHETIC", "candidates.csv", "committees.csv", "races.csv", "transactions.csv"]


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


def test_files_are_utf8_with_unix_line_endings_and_an_empty_marker() -> None:
    assert (SAMPLE_DIR / "SYNTHETIC").read_bytes() == b""
    for name in FILES[1:]:
        data = (SAMPLE_DIR / name).read_bytes()
        data.decode("utf-8")
        assert b"\r" not in data, name
        assert data.endswith(b"\n"), name


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
