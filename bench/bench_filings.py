"""Reading IRS 527 bulk data and a Florida export, and linking them, at scale.

Generates (seeded, in `--out`) an IRS `FullDataFile.txt` with `--rows` Schedule A/B records
spread over 8872 reports (every tenth report amended) and a Florida contributions export of
`--rows` rows (one in a thousand split by a typed line break), then times, each on its own:

* `read_irs` (decode, split, amended reports, rejects),
* `read_florida` (decode, mend, filer codes),
* opening the folder through the sources seam with linking (`open_dataset`, no cache),

and prints wall and CPU time, rows/s and the process's peak memory. Speed is measured here,
never asserted in tests.

    uv run python bench/bench_filings.py --rows 1000000 --out /tmp/mt-filings
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

from moneytrail.data.open import open_dataset
from moneytrail.data.sources.florida import read_florida
from moneytrail.data.sources.irs8872 import read_irs

FL_HEADER = (
    "Candidate/Committee\tDate\tAmount\tTyp\tContributor Name\tAddress\tCity State Zip"
    "\tOccupation\tInkind Desc"
)
STATES = ("FL", "LA", "TX", "NY", "DC", "CA", "GA")


def _irs(path: Path, rows: int, rng: random.Random) -> None:
    dc = ["1 Example Plaza NW", "", "Washington", "DC", "20005", ""]
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("H|20161106|0311|A|\n")
        form = 0
        for i in range(rows):
            if i % 500 == 0:
                form += 1
                ein = f"99{form % 997:07d}"
                amended = "1" if form % 10 == 0 else "0"
                head = ["2", "8872", str(form), "20150101", "20150630", "0", amended, "0", "0"]
                rest = [f"Org {form % 997}", ein, *dc, "no@email", "20140101", "C", *dc]
                rest += ["C", *dc, *dc, "3", "", "", "", "", "0", "0", "0", "0"]
                out.write("|".join([*head, *rest, f"2015-07-{1 + form % 28:02d} 09:00:00"]) + "|\n")
            name = f"DONOR{rng.randrange(50_000)}, PAT"
            state = rng.choice(STATES)
            amount = f"{rng.randrange(1, 100_000)}.{rng.randrange(100):02d}"
            kind = "A" if i % 4 else "B"
            tail = (
                [amount, "Retired", "1000", "20150315"]
                if kind == "A"
                else [amount, "NA", "20150315", "Ads"]
            )
            fields = [
                kind,
                str(form),
                str(i),
                f"Org {form % 997}",
                ein,
                name,
                "1 St",
                "",
                "City",
                state,
            ]
            out.write("|".join([*fields, "33101", "", "Self", *tail]) + "|\n")
        out.write(f"F|20161106|0311|{rows}|\n")


def _florida(path: Path, rows: int, rng: random.Random) -> None:
    with path.open("w", encoding="cp1252", newline="\r\n") as out:
        out.write(FL_HEADER + "\n")
        for i in range(rows):
            filer = f"Committee {rng.randrange(2_000)} (PAC)"
            address = "1 MAIN ST\nAPT 2" if i % 1000 == 0 else "1 MAIN ST"
            state = rng.choice(STATES)
            fields = [filer, "06/01/2016", f"{rng.randrange(1, 5000)}.00", "CHE"]
            fields += [
                f"MUÑOZ{rng.randrange(50_000)}, ANA",
                address,
                f"TOWN, {state} 33101",
                "",
                "",
            ]
            out.write("\t".join(fields) + "\n")


def _timed(label: str, rows: int, fn: object) -> None:
    """Wall and CPU time (CPU is steadier on a shared, busy machine), rows/s, peak memory."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()  # type: ignore[operator]
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label:<24} {seconds:7.2f} s wall {cpu_s:7.2f} s cpu "
        f"{rows / seconds:11,.0f} rows/s  peak {peak_mb:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out/filings"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    irs, fl = args.out / "FullDataFile.txt", args.out / "Contributions.txt"
    if not irs.exists():
        _irs(irs, args.rows, rng)
    if not fl.exists():
        _florida(fl, args.rows, rng)
    print(f"{irs}: {irs.stat().st_size / 1e6:,.1f} MB; {fl}: {fl.stat().st_size / 1e6:,.1f} MB")
    _timed("read_irs", args.rows, lambda: read_irs(irs))
    _timed("read_florida", args.rows, lambda: read_florida([fl]))
    _timed(
        "open + link (no cache)",
        2 * args.rows,
        lambda: open_dataset(args.out, cache=False).transactions.collect(),
    )


if __name__ == "__main__":
    main()
