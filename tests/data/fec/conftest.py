"""Shared helpers for the FEC importer tests: the committed real snapshot and line builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from moneytrail.data.fec.layouts import LAYOUTS

#: The real 2016-cycle snapshot committed with the tests (never the shared original).
SNAPSHOT = Path(__file__).resolve().parents[3] / "sample_data" / "fec-2016-early"


def fec_line(kind: str, **fields: str) -> str:
    """One `|`-delimited line of `kind` with the given FEC fields (others empty)."""
    layout = LAYOUTS[kind]
    unknown = set(fields) - set(layout)
    assert not unknown, unknown
    line = "|".join(fields.get(name, "") for name in layout)
    return line + "|" if kind == "oppexp" else line


@pytest.fixture
def no_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep anything under test away from the user's real cache and config."""
    monkeypatch.setenv("MONEYTRAIL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MONEYTRAIL_CONFIG_DIR", str(tmp_path / "config"))
