"""UI test fixtures: settings and cache redirected to tmp paths; the story dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from moneytrail.data.dataset import Dataset
from tests.snapshots.sample_app import story_dataset


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def story() -> Dataset:
    return story_dataset()
