"""Opening a committee's detail in the app, headless: Enter on the biggest one to its first tab.

The time is taken from pressing Enter on the committee with the most rows in the PACs pane to the
detail's first tab (Top donors) showing its grid, inside `app.run_test()` (no terminal). It is
what an analyst waits for; before the Rows tab was read on demand it included reading and
formatting every one of the committee's raw rows.

To compare two versions of the code on one noisy box, the driver runs each version in its own
child process, alternating (before, after, before, after, ...), each child opening the detail
`--opens` times (Escape back to the pane between opens). A version is a `src` folder put first on
`PYTHONPATH`: export the old tree with `git archive <commit> src | tar -x -C /tmp/old`.

    uv run python bench/bench_detail_ui.py --data bench/out/fec-1m --cache /tmp/mt-cache \\
        --before /tmp/old/src --rounds 4

The dataset is imported into `--cache` on first use (the children then reuse it). Prints, per
version, every open's time, the median, and the ratio of the medians (after / before); with the
current code it also times the Rows tab's first page (pressing `5` to the grid showing it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


async def _until(pilot: Any, done: Any, timeout: float = 120.0) -> float:
    """Poll `done()` every few milliseconds; the time it became true (perf_counter)."""
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.002)
    return time.perf_counter()


async def _measure(data: str, opens: int) -> dict[str, Any]:
    import polars as pl

    from moneytrail.data.open import open_dataset
    from moneytrail.query.panes import pane_aggregates
    from moneytrail.ui.app import MoneytrailApp
    from moneytrail.ui.screens.detail import DetailScreen
    from moneytrail.ui.screens.main import MainScreen

    ds = open_dataset(data, aggregates=pane_aggregates)
    biggest = (
        ds.transactions.group_by("recipient_committee_id")
        .agg(n=pl.len())
        .sort("n", descending=True)
        .head(1)
        .collect()
    )
    committee_id, n_rows = biggest.row(0)
    app = MoneytrailApp(ds, persist_settings=False)
    opened: list[float] = []
    rows_tab: list[float] = []
    async with app.run_test(size=(160, 40)) as pilot:

        def grid_ready() -> bool:
            screen = app.screen
            return isinstance(screen, MainScreen) and screen.grid.model is not None

        await _until(pilot, grid_ready)
        await pilot.press("2")  # PACs
        await pilot.pause()
        await _until(
            pilot,
            lambda: grid_ready() and "committee_id" in app.screen.grid.model.raw.columns,  # type: ignore[attr-defined]
        )
        main = app.screen
        assert isinstance(main, MainScreen) and main.grid.model is not None
        ids = main.grid.model.raw.get_column("committee_id").to_list()
        index = ids.index(committee_id)
        for _ in range(opens):
            table = main.grid.table
            assert table is not None
            table.move_cursor(row=index, column=0)
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("enter")

            def first_tab() -> bool:
                screen = app.screen
                return (
                    isinstance(screen, DetailScreen)
                    and screen._result is not None
                    and screen.grid.model is not None
                )

            opened.append(await _until(pilot, first_tab) - start)
            detail = app.screen
            assert isinstance(detail, DetailScreen)
            if hasattr(detail, "_open_rows"):  # the Rows tab is read on demand
                start = time.perf_counter()
                await pilot.press("5")
                rows_tab.append(
                    await _until(
                        pilot,
                        lambda d=detail: (
                            d.section == "rows"  # type: ignore[misc]
                            and d.grid.model is not None
                            and d.grid.model.total is not None
                        ),
                    )
                    - start
                )
            await app.workers.wait_for_complete()
            await pilot.press("escape")
            await _until(pilot, lambda: app.screen is main)
            await app.workers.wait_for_complete()
    return {
        "committee_id": committee_id,
        "rows": n_rows,
        "open_s": opened,
        "rows_tab_s": rows_tab,
    }


def _child(data: str, opens: int) -> None:
    print(json.dumps(asyncio.run(_measure(data, opens))))


def _run(src: Path, args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src), "MONEYTRAIL_CACHE_DIR": str(args.cache)}
    env.setdefault("MONEYTRAIL_CONFIG_DIR", str(Path(args.cache) / "config"))
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--data", args.data, "--opens", str(args.opens)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(HERE / "out" / "fec-1m"))
    parser.add_argument("--cache", default=str(HERE / "out" / "cache-ui"))
    parser.add_argument("--before", type=Path, help="the older version's src folder")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--opens", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.data, args.opens)
        return
    versions = {"after": SRC} if args.before is None else {"before": args.before, "after": SRC}
    times: dict[str, list[float]] = {name: [] for name in versions}
    rows_tab: list[float] = []
    for round_ in range(args.rounds):
        for name, src in versions.items():
            got = _run(src, args)
            times[name] += got["open_s"]
            rows_tab += got["rows_tab_s"]
            opens = ", ".join(f"{t:.3f}" for t in got["open_s"])
            what = f"{got['committee_id']} ({got['rows']:,} rows filed)"
            print(f"round {round_ + 1} {name:6}: {what} {opens}")
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"{name:6} median open → first tab: {value:.3f} s over {len(times[name])} opens")
    if rows_tab:
        print(f"after  median Rows tab (5 → first page): {statistics.median(rows_tab):.3f} s")
    if "before" in medians:
        print(f"ratio after/before: {medians['after'] / medians['before']:.2f}")


if __name__ == "__main__":
    main()
