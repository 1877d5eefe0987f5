"""Import progress figures (rows, MB/s, time left, running time) under a fake clock."""

from __future__ import annotations

import pytest

from moneytrail.present.progress import (
    WINDOW_S,
    ProgressMeter,
    format_duration,
    speed,
    time_left,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_durations_read_as_a_clock() -> None:
    assert format_duration(0) == "0:00"
    assert format_duration(7.4) == "0:07"
    assert format_duration(750) == "12:30"
    assert format_duration(3723) == "1:02:03"
    assert format_duration(-3) == "0:00"


def test_speed_needs_half_a_second_of_reports() -> None:
    assert speed([]) is None
    assert speed([(0.0, 0)]) is None
    assert speed([(0.0, 0), (0.2, 10_000_000)]) is None
    assert speed([(0.0, 0), (2.0, 100_000_000)]) == 50_000_000


def test_time_left_is_unknown_without_a_total_or_a_speed() -> None:
    assert time_left(10, 0, 5.0) is None
    assert time_left(10, 100, None) is None
    assert time_left(20, 100, 8.0) == 10.0
    assert time_left(120, 100, 8.0) == 0.0


def test_reading_shows_mb_rows_speed_and_time_left(clock: FakeClock) -> None:
    meter = ProgressMeter(clock)
    first = meter.update("indiv16.zip:itcont.txt", 0, 1_000_000_000, 0)
    assert first.figures() == "0.0/1,000.0 MB · 0 rows · 0:00"  # no speed measured yet
    clock.now += 4
    view = meter.update("indiv16.zip:itcont.txt", 200_000_000, 1_000_000_000, 1_200_000)
    assert view.rate == 50_000_000
    assert view.left_s == 16.0  # 800 MB at 50 MB/s
    assert view.fraction == 0.2
    assert view.figures() == "200.0/1,000.0 MB · 1,200,000 rows · 50.0 MB/s · 0:16 left"
    assert view.line().startswith("indiv16.zip:itcont.txt  200.0/1,000.0 MB")
    # Between reports the time left counts down as the clock moves.
    clock.now += 6
    later = meter.view()
    assert later is not None and later.left_s == 10.0
    assert later.rows == 1_200_000 and later.elapsed_s == 10.0


def test_a_finished_stage_shows_the_time_it_took_and_stops_ticking(clock: FakeClock) -> None:
    meter = ProgressMeter(clock)
    meter.update("cm.txt", 0, 500_000, 0)
    clock.now += 2
    done = meter.update("cm.txt", 500_000, 500_000, 5_001)
    assert done.left_s is None and done.elapsed_s == 2.0
    assert done.figures() == "0.5/0.5 MB · 5,001 rows · 0:02"
    clock.now += 60
    later = meter.view()
    assert later is not None and later.elapsed_s == 2.0


def test_speed_follows_the_last_window_of_reports(clock: FakeClock) -> None:
    meter = ProgressMeter(clock)
    meter.update("big.txt", 0, 10_000_000_000)
    for _ in range(30):  # 30 s at 100 MB/s
        clock.now += 1
        meter.update("big.txt", round((clock.now - 1000) * 100e6), 10_000_000_000)
    base = 3_000_000_000
    for i in range(1, round(WINDOW_S) + 6):  # then slower: the speed shown is the recent one
        clock.now += 1
        view = meter.update("big.txt", base + i * 10_000_000, 10_000_000_000)
    assert view.rate == pytest.approx(10e6)


def test_a_new_stage_starts_its_own_clock_and_steps_show_their_running_time(
    clock: FakeClock,
) -> None:
    meter = ProgressMeter(clock)
    meter.update("itcont.txt", 0, 100, 0)
    clock.now += 30
    meter.update("itcont.txt", 100, 100, 5)
    clock.now += 1
    step = meter.update("fec: counting once", 0, 0)
    assert not step.counts_bytes and step.rate is None and step.rows is None
    assert step.fraction is None and step.figures() == "0:00"
    clock.now += 75
    still = meter.view()
    assert still is not None and still.line() == "fec: counting once  1:15"
    cache = meter.update("cache: aggregates", 5, 7)
    assert cache.figures() == "5/7 · 0:00"


def test_stage_labels_are_shown_literally() -> None:
    meter = ProgressMeter(FakeClock())
    view = meter.update("[bold]x\x1b[31m.txt", 0, 0)
    assert "\x1b" not in view.stage and "[bold]" in view.stage


def test_nothing_to_show_before_the_first_report() -> None:
    assert ProgressMeter(FakeClock()).view() is None
