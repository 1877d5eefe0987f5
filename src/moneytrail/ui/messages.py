"""App-wide messages: results and progress posted from worker threads to the UI.

Every result carries the request id it answers; the receiver drops results whose id is not the
latest it asked for (a cancelled thread worker still finishes and posts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from moneytrail.data.dataset import Dataset
from moneytrail.present.sanitize import safe_str


@dataclass
class LoadProgress(Message):
    """The dataset import advanced (`total == 0`: unknown; `rows`: read so far, if counted)."""

    stage: str
    done: int
    total: int
    rows: int | None = None

    def can_replace(self, message: Message) -> bool:
        """A burst of progress collapses to the newest."""
        return isinstance(message, LoadProgress)


@dataclass
class DatasetLoaded(Message):
    """The dataset opened."""

    dataset: Dataset


@dataclass
class LoadFailed(Message):
    """The dataset could not be opened: `error` is the one-line reason."""

    error: str


@dataclass
class QueryDone(Message):
    """A query finished: `result` answers request `request_id` of `group` (or `error` is set)."""

    group: str
    request_id: int
    result: Any = None
    error: str | None = None


def error_line(exc: BaseException) -> str:
    """A worker's error as the one safe line a message's `error` carries: its first line, or
    its type's name when it has no text."""
    lines = str(exc).strip().splitlines()
    return safe_str(lines[0] if lines else type(exc).__name__)
