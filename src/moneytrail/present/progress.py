"""Import progress as a user reads it: how far, how many rows, how fast (MB/s), how long left.

The data layer reports `(stage, done, total[, rows])` (`moneytrail.data.progress`); this module
turns those reports, taken over time, into what both the CLI's progress bar and the app's
loading screen show, so the two always say the same thing:

* a reading stage (bytes): ``412.0/1,674.3 MB · 2,412,000 rows · 48.2 MB/s · 0:26 left``, and
  once read, ``1,674.3/1,674.3 MB · 10,000,003 rows · 0:41``: the time it took;
* a step stage: ``5/7 · 0:12`` (steps done, then how long this step has run), or just the
  running time when the step has no measure (counting once, clustering, aggregates), so a long
  step visibly moves.

The speed is bytes over the last `WINDOW_S` seconds of reports (the whole stage until that
much has passed), and the time left is the bytes still to read at that speed. `ProgressMeter`
takes its clock as an argument, so the figures are tested with a fake one. Pure: no Textual.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from moneytrail.data.progress import counts_bytes
from moneytrail.present.money import format_count
from moneytrail.present.sanitize import safe_str

#: Seconds of reports the speed is measured over.
WINDOW_S = 10.0
#: Below this many seconds of measured reading, no speed (nor time left) is shown yet.
MIN_SPAN_S = 0.5
SEPARATOR = " · "


def format_duration(seconds: float) -> str:
    """`0:07`, `12:30`, `1:02:03` (hours only when there are some)."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def speed(samples: list[tuple[float, int]]) -> float | None:
    """Bytes per second over `samples` (`(time, bytes done)`, oldest first), or None when they
    span less than `MIN_SPAN_S` seconds."""
    if len(samples) < 2:
        return None
    (t0, d0), (t1, d1) = samples[0], samples[-1]
    if t1 - t0 < MIN_SPAN_S:
        return None
    return max(0.0, (d1 - d0) / (t1 - t0))


def time_left(done: int, total: int, rate: float | None) -> float | None:
    """Seconds to read the rest at `rate` bytes/s (None when the total or the rate is unknown)."""
    if total <= 0 or not rate:
        return None
    return max(0, total - done) / rate


@dataclass(frozen=True, slots=True)
class ProgressView:
    """One stage's progress at one moment, ready to show."""

    stage: str  #: the stage label, sanitized for display
    counts_bytes: bool
    done: int
    total: int  #: 0: unknown
    rows: int | None  #: rows read so far, when the stage counts them
    rate: float | None  #: bytes per second (reading stages), None until measured
    left_s: float | None  #: seconds left in this stage, when known
    elapsed_s: float  #: seconds since the stage began

    @property
    def fraction(self) -> float | None:
        """How far the stage is, 0..1, or None when its total is unknown."""
        return min(1.0, self.done / self.total) if self.total > 0 else None

    def figures(self) -> str:
        """Everything but the label: amount, rows, speed, time left (or time spent)."""
        parts: list[str] = []
        if self.counts_bytes:
            total = f"{self.total / 1e6:,.1f}" if self.total > 0 else "?"
            parts.append(f"{self.done / 1e6:,.1f}/{total} MB")
            if self.rows is not None:
                parts.append(f"{format_count(self.rows)} rows")
            if self.rate is not None and self.left_s is not None:  # still reading
                parts.append(f"{self.rate / 1e6:,.1f} MB/s")
            if self.left_s is not None:
                parts.append(f"{format_duration(self.left_s)} left")
            else:
                parts.append(format_duration(self.elapsed_s))
        else:
            if self.total > 0:
                parts.append(f"{self.done:,}/{self.total:,}")
            parts.append(format_duration(self.elapsed_s))
        return SEPARATOR.join(parts)

    def line(self) -> str:
        """The label and the figures on one line."""
        return f"{self.stage}  {self.figures()}"


class ProgressMeter:
    """Follows one stage at a time: a report naming another stage starts afresh.

    `update` is called by whoever receives the reports; `view` can be called at any moment
    (a refresh timer, another thread) and shows the time spent and left as of then.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._stage: str | None = None
        self._started = 0.0
        self._done = 0
        self._total = 0
        self._rows: int | None = None
        self._finished: float | None = None  # when done reached a known total
        self._samples: deque[tuple[float, int]] = deque()

    def update(self, stage: str, done: int, total: int, rows: int | None = None) -> ProgressView:
        """Take one report; return the view right after it."""
        now = self._clock()
        with self._lock:
            if stage != self._stage:
                self._stage, self._started, self._rows = stage, now, None
                self._samples.clear()
            self._done, self._total = done, total
            complete = 0 < total <= done
            if not complete:
                self._finished = None
            elif self._finished is None:
                self._finished = now
            if rows is not None:
                self._rows = rows
            self._samples.append((now, done))
            # Keep the newest sample at least WINDOW_S old as the window's start.
            while len(self._samples) > 2 and now - self._samples[1][0] >= WINDOW_S:
                self._samples.popleft()
        view = self.view()
        assert view is not None
        return view

    def view(self) -> ProgressView | None:
        """The current stage as of now (None before the first report)."""
        now = self._clock()
        with self._lock:
            if self._stage is None:
                return None
            stage, started, done, total = self._stage, self._started, self._done, self._total
            rows, samples, finished = self._rows, list(self._samples), self._finished
        is_bytes = counts_bytes(stage)
        rate = speed(samples) if is_bytes else None
        left = time_left(done, total, rate) if is_bytes and finished is None else None
        if left is not None and samples:
            left = max(0.0, left - (now - samples[-1][0]))  # counts down between reports
        if finished is not None:
            now = finished  # a finished stage shows the time it took, no longer ticking
        return ProgressView(
            stage=safe_str(stage),
            counts_bytes=is_bytes,
            done=done,
            total=total,
            rows=rows,
            rate=rate,
            left_s=left,
            elapsed_s=now - started,
        )
