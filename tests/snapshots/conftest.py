"""Snapshot fixtures: settings redirected to a tmp path (the theme is never the user's)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
