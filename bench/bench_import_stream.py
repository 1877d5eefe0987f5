"""FEC import time and peak memory, this tree against an earlier commit, in one run.

Measures, on the same generated `itcont.txt` folder (`bench/gen_fec.py`, reused when present),
each phase in its own child process, in this order:

* **baseline**: the bare Polars conversion `bench/run.py` uses as the yardstick
  (`scan_csv(sep="|", no header, no quoting, all text) -> sink_parquet`);
* **fec**: `moneytrail.data.fec.import_fec(folder)` alone (read, map, count once, committees,
  finalize), for each code version;
* **open**: `open_dataset(folder)` into an empty cache (the import above plus the cache write and
  the pane aggregates: what `bench/run.py` calls the import), for each code version;
* the baseline once more at the end, so drift of the shared machine shows.

Code versions: the working tree (``now``) and, with ``--compare REV``, the `src/` of that git
revision extracted into a temporary folder and put first on the child's `PYTHONPATH` (``REV``).
Peak RSS is the child's own `ru_maxrss`, read with `os.wait4` on that child alone, with its CPU
time (user + system, including interpreter start-up), which moves less than wall time when the
machine is shared. Times are taken inside the child (interpreter start-up excluded). Ratios are
against the mean of the two baselines of the same run.

    uv run python bench/bench_import_stream.py --rows 1000000 --compare 2f1f07d
    uv run python bench/bench_import_stream.py --rows 10000000 --compare 2f1f07d --only open
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import gen_fec  # noqa: E402  (the sibling script, importable once HERE is on sys.path)

# --- phases (run inside a child process) ----------------------------------------------------


def phase_baseline(folder: str, work: str) -> dict[str, Any]:
    import polars as pl

    target = Path(work) / "baseline.parquet"
    start = time.perf_counter()
    pl.scan_csv(
        Path(folder) / "itcont.txt",
        separator="|",
        has_header=False,
        quote_char=None,
        infer_schema=False,
    ).sink_parquet(target)
    seconds = time.perf_counter() - start
    target.unlink()
    return {"seconds": seconds}


def phase_fec(folder: str, work: str) -> dict[str, Any]:
    import moneytrail
    from moneytrail.data.fec import import_fec

    start = time.perf_counter()
    ds = import_fec(Path(folder))
    seconds = time.perf_counter() - start
    report = ds.report
    return {
        "seconds": seconds,
        "code": str(Path(moneytrail.__file__).parent),
        "rows_read": sum(f.rows_read for f in report.files),
        "rows_loaded": sum(f.rows_loaded for f in report.files),
        "rejects": ds.rejects.select("file", "line", "reason").collect().rows(),
    }


def phase_open(folder: str, work: str) -> dict[str, Any]:
    import moneytrail
    from moneytrail.data.open import open_dataset

    kwargs: dict[str, Any] = {}
    if "aggregates" in inspect.signature(open_dataset).parameters:
        # As the CLI and the app open (revisions before the sources seam stored them always).
        from moneytrail.query.panes import pane_aggregates

        kwargs["aggregates"] = pane_aggregates
    start = time.perf_counter()
    ds = open_dataset(Path(folder), cache_dir=Path(work) / "cache", **kwargs)
    seconds = time.perf_counter() - start
    assert not ds.report.from_cache, "the open phase must start from an empty cache"
    import polars as pl

    totals = ds.transactions.select(
        pl.len().alias("rows"),
        pl.col("amount_cents").filter(~pl.col("memo")).sum().alias("counted_cents"),
    ).collect()
    return {
        "seconds": seconds,
        "code": str(Path(moneytrail.__file__).parent),
        "rows": totals["rows"][0],
        "counted_cents": totals["counted_cents"][0],
    }


#: Result fields that are measurements (differ between runs), not outputs.
_MEASURES = ("seconds", "wall", "cpu", "peak_rss_mb", "code")

PHASES = {"baseline": phase_baseline, "fec": phase_fec, "open": phase_open}


# --- the parent -----------------------------------------------------------------------------


def run_phase(name: str, folder: Path, work: Path, code: Path | None) -> dict[str, Any]:
    """Run one phase in a child; its result plus wall time and the child's own peak RSS."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    cmd = [sys.executable, str(Path(__file__).resolve()), "phase", name, str(folder), str(work)]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, text=True, env=env)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        lines = out.read().strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"phase {name} failed ({proc.returncode}):\n{err[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    cpu = usage.ru_utime + usage.ru_stime
    return {**result, "wall": wall, "cpu": cpu, "peak_rss_mb": usage.ru_maxrss / 1024}


def extract(rev: str, into: Path) -> Path:
    """`src/` of git revision `rev` extracted under `into`; the folder to put on PYTHONPATH."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "src/moneytrail"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "phase":
        name, folder, work = sys.argv[2:5]
        print(json.dumps(PHASES[name](folder, work), default=str))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--compare", metavar="REV", help="also measure this git revision's src/")
    parser.add_argument(
        "--only", choices=["fec", "open"], action="append", help="phases to run (default both)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    src = gen_fec.default_path(args.rows)
    if not src.exists():
        print(f"generating {src} ...", file=sys.stderr)
        gen_fec.generate(args.rows, src)
    if not (src.parent / "cm.txt").exists():
        gen_fec.write_entities(args.rows, src.parent)
    phases = args.only or ["fec", "open"]
    results: dict[str, Any] = {"rows": args.rows, "file_mb": src.stat().st_size / 1e6}
    with tempfile.TemporaryDirectory(prefix="mt-bench-import-") as tmp:
        tmp_path = Path(tmp)
        versions: list[tuple[str, Path | None]] = []
        if args.compare:
            (tmp_path / "code").mkdir()
            versions.append((args.compare, extract(args.compare, tmp_path / "code")))
        versions.append(("now", None))

        def run(label: str, name: str, code: Path | None) -> None:
            work = tmp_path / f"work-{label}-{name}"
            work.mkdir()
            print(f"[{gen_fec.label(args.rows)}] {label} {name} ...", file=sys.stderr)
            results[f"{label}:{name}"] = run_phase(name, src.parent, work, code)

        run("first", "baseline", None)
        for name in phases:
            for label, code in versions:
                run(label, name, code)
        run("last", "baseline", None)
    base = (results["first:baseline"]["seconds"] + results["last:baseline"]["seconds"]) / 2
    base_cpu = (results["first:baseline"]["cpu"] + results["last:baseline"]["cpu"]) / 2
    results["baseline_mean_seconds"] = base
    results["baseline_mean_cpu"] = base_cpu
    print(
        f"\n{args.rows:,} rows, {results['file_mb']:,.0f} MB; "
        f"baseline mean {base:.2f} s, {base_cpu:.2f} CPU s"
    )
    print("| phase | code | seconds | / baseline | CPU s | / baseline CPU | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for key, res in results.items():
        if not isinstance(res, dict):
            continue
        label, name = key.split(":")
        ratio = res["seconds"] / base
        print(
            f"| {name} | {label} | {res['seconds']:.2f} | {ratio:.2f}x | {res['cpu']:.1f} | "
            f"{res['cpu'] / base_cpu:.2f}x | {res['peak_rss_mb']:,.0f} MB |"
        )
    for name in phases:
        same = {
            k: {f: v for f, v in res.items() if f not in _MEASURES}
            for k, res in results.items()
            if isinstance(res, dict) and k.endswith(f":{name}")
        }
        identical = len({json.dumps(v) for v in same.values()}) == 1
        print(f"{name}: identical outputs across versions: {identical}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
