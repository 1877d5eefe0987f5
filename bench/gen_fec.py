"""Generate a seeded, FEC-layout `itcont.txt` (individual contributions) for the benchmarks.

The output has the FEC bulk format exactly: 21 `|`-separated fields, no header, no quoting,
`MMDDYYYY` dates, ids and ZIPs as text. Its shape imitates a real cycle's file:

* donors and committees are Zipf-distributed: a few donors give very often, most give once or
  twice; a few committees (the ActBlue-sized ones) receive most rows;
* amounts are heavy-tailed (Pareto, alpha 1.16: mostly $5-$250, a long tail to the limits and
  beyond), mostly whole dollars with some cents;
* ~3% memo rows (MEMO_CD = X), ~1% refunds (22Y), ~6% earmarked 15E rows through a conduit,
  ~4% amended (AMNDT_IND = A), a few ORG/PAC entities, names with literal `"` characters;
* `cm.txt`, `cn.txt`, `ccl.txt` beside it list the committees and make half of them House
  candidates' committees, two per race, so the races pane and race drill-downs have data;
* a handful of deliberately malformed lines (wrong field count, bad amount, impossible date)
  so an importer's rejects path is exercised at scale.

Everything is computed with Polars expressions from row numbers hashed with the seed, in chunks,
so 10M rows take well under a minute and the same seed always gives the same bytes.

    uv run python bench/gen_fec.py --rows 1000000     # -> bench/out/fec-1m/itcont.txt
    uv run python bench/gen_fec.py --rows 10000000 --seed 7
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import TextIO

import polars as pl

OUT = Path(__file__).resolve().parent / "out"
CHUNK = 1_000_000
CONDUIT = "C00401224"  # the conduit committee id earmarked rows name in OTHER_ID

SURNAMES = [
    "SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ",
    "MARTINEZ", "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR",
    "MOORE", "JACKSON", "MARTIN", "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ",
    "CLARK", "RAMIREZ", "LEWIS", "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT",
    "SCOTT", "TORRES", "NGUYEN", "HILL", "FLORES", "GREEN", "ADAMS", "NELSON", "BAKER", "HALL",
    "RIVERA", "CAMPBELL", "MITCHELL", "CARTER", "ROBERTS", "O'BRIEN", "DE LA CRUZ",
]  # fmt: skip
GIVEN = [
    "JAMES", "MARY", "JOHN", "PATRICIA", "ROBERT", "JENNIFER", "MICHAEL", "LINDA", "WILLIAM",
    "ELIZABETH", "DAVID", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS", "SARAH",
    "CHARLES", "KAREN", "CHRISTOPHER", "NANCY", "DANIEL", "LISA", "MATTHEW", "BETTY", "ANTHONY",
    'ROBERT "BOB"', "DONALD", "SANDRA", "MARK", "ASHLEY", "PAUL", "KIMBERLY", "STEVEN", "EMILY",
]  # fmt: skip
STATES = [
    "CA", "TX", "FL", "NY", "IL", "PA", "OH", "GA", "NC", "MI", "NJ", "VA", "WA", "AZ", "MA",
    "TN", "IN", "MO", "MD", "WI", "CO", "MN", "SC", "AL", "LA", "KY", "OR", "OK", "CT", "DC",
]  # fmt: skip
CITIES = [
    "SPRINGFIELD", "RIVERSIDE", "FRANKLIN", "GREENVILLE", "BRISTOL", "CLINTON", "FAIRVIEW",
    "SALEM", "MADISON", "GEORGETOWN", "ARLINGTON", "ASHLAND", "BURLINGTON", "MANCHESTER",
]  # fmt: skip
EMPLOYERS = [
    "SELF-EMPLOYED", "RETIRED", "NOT EMPLOYED", "ACME CORP", "STATE UNIVERSITY", "CITY OF SALEM",
    "GENERAL HOSPITAL", "SMITH & JONES LLP", "INFORMATION REQUESTED", "",
]  # fmt: skip
OCCUPATIONS = [
    "RETIRED", "ATTORNEY", "PHYSICIAN", "TEACHER", "ENGINEER", "CONSULTANT", "HOMEMAKER",
    "NOT EMPLOYED", "CEO", "NURSE", "PROFESSOR", "SALES", "",
]  # fmt: skip
REPORTS = ["Q1", "Q2", "Q3", "YE", "M3", "M4", "M5", "12P", "30G"]


def _uniform(idx: pl.Expr, salt: int, seed: int) -> pl.Expr:
    """A reproducible uniform [0, 1) per row: the row number hashed with seed and salt."""
    return ((idx * 7919 + salt).hash(seed) // 2048).cast(pl.Float64) / float(1 << 53)


def _pick(values: list[str], u: pl.Expr) -> pl.Expr:
    """A uniformly chosen value of `values` for each row."""
    n = len(values)
    index = (u * n).cast(pl.UInt32).clip(0, n - 1)
    return pl.lit(pl.Series(values)).gather(index)


def _zipf(u: pl.Expr, n: int) -> pl.Expr:
    """A Zipf(1)-like rank in [0, n): inverse CDF of the log-uniform distribution."""
    return ((u * math.log(n)).exp() - 1).floor().cast(pl.Int64).clip(0, n - 1)


def _power_law(u: pl.Expr, n: int, s: float) -> pl.Expr:
    """A Zipf(s)-like rank in [0, n) for s < 1: inverse CDF of P(rank <= r) = (r/n)**(1-s)."""
    return (u.pow(1 / (1 - s)) * n).floor().cast(pl.Int64).clip(0, n - 1)


def chunk(start: int, stop: int, *, total: int, seed: int) -> pl.DataFrame:
    """Lines `start`..`stop` (0-based) of the file, as one `line` column."""
    n_donors = max(10, total // 4)
    n_committees = n_committees_for(total)
    idx = pl.col("i")
    # Donors: Zipf(0.6) keeps the busiest donor at ~0.3% of rows (tens of thousands at 10M),
    # like the most frequent small-dollar donors of a real cycle; committees: Zipf(1).
    donor = _power_law(_uniform(idx, 1, seed), n_donors, 0.6).alias("donor")
    u_amt = _uniform(idx, 3, seed)
    u_kind = _uniform(idx, 4, seed)
    frame = pl.DataFrame({"i": pl.int_range(start, stop, eager=True, dtype=pl.Int64)})
    frame = frame.with_columns(
        donor,
        cmte=_zipf(_uniform(idx, 2, seed), n_committees),
        # Pareto: $5 minimum, alpha 1.16 (the 80/20 tail), whole dollars mostly.
        dollars=(5.0 / (1.0 - u_amt).pow(1 / 1.16)).clip(1, 500_000).floor().cast(pl.Int64),
        has_cents=_uniform(idx, 5, seed) < 0.08,
        kind_u=u_kind,
        memo=_uniform(idx, 6, seed) < 0.03,
        amended=_uniform(idx, 7, seed) < 0.04,
        day=(_uniform(idx, 8, seed) * 730).cast(pl.Int32),
        entity_u=_uniform(idx, 9, seed),
        report_u=_uniform(idx, 10, seed),
    )
    d = pl.col("donor")
    du = (d * 104729 + 17).hash(seed)  # per-donor attributes are stable across rows
    donor_u = (du // 2048).cast(pl.Float64) / float(1 << 53)
    donor_u2 = ((du // 8) % 1_000_003).cast(pl.Float64) / 1_000_003
    refund = pl.col("kind_u") < 0.01
    earmark = (pl.col("kind_u") >= 0.01) & (pl.col("kind_u") < 0.07)
    tx_type = pl.when(refund).then(pl.lit("22Y")).when(earmark).then(pl.lit("15E"))
    tx_type = tx_type.otherwise(pl.lit("15"))
    entity = (
        pl.when(pl.col("entity_u") < 0.015)
        .then(pl.lit("ORG"))
        .when(pl.col("entity_u") < 0.02)
        .then(pl.lit("PAC"))
        .otherwise(pl.lit("IND"))
    )
    date = pl.date(2015, 1, 1) + pl.duration(days=pl.col("day"))
    amount = pl.col("dollars").cast(pl.String) + pl.when(pl.col("has_cents")).then(
        pl.lit(".") + ((pl.col("i") % 100).cast(pl.String).str.zfill(2))
    ).otherwise(pl.lit(""))
    name = (
        _pick(SURNAMES, donor_u)
        + pl.lit(", ")
        + _pick(GIVEN, donor_u2)
        + pl.lit(" ")
        + (d % 997).cast(pl.String)  # a middle token keeps name+ZIP identities plentiful
    )
    zip_code = ((du // (1 << 20)) % 99_999 + 1).cast(pl.String).str.zfill(5) + pl.when(
        (du % 3) == 0
    ).then(((du // (1 << 40)) % 10_000).cast(pl.String).str.zfill(4)).otherwise(pl.lit(""))
    fields = [
        pl.lit("C") + pl.col("cmte").cast(pl.String).str.zfill(8),  # CMTE_ID
        pl.when(pl.col("amended")).then(pl.lit("A")).otherwise(pl.lit("N")),  # AMNDT_IND
        _pick(REPORTS, pl.col("report_u")),  # RPT_TP
        pl.when(pl.col("day") < 500).then(pl.lit("P2016")).otherwise(pl.lit("G2016")),
        (pl.lit("2015") + (pl.col("i") + 3_000_000_000_000).cast(pl.String)),  # IMAGE_NUM
        tx_type,  # TRANSACTION_TP
        entity,  # ENTITY_TP
        name,  # NAME
        _pick(CITIES, donor_u2),  # CITY
        _pick(STATES, donor_u),  # STATE
        zip_code,  # ZIP_CODE
        _pick(EMPLOYERS, (donor_u * 7) % 1),  # EMPLOYER
        _pick(OCCUPATIONS, (donor_u * 13) % 1),  # OCCUPATION
        date.dt.strftime("%m%d%Y"),  # TRANSACTION_DT
        amount,  # TRANSACTION_AMT
        pl.when(earmark).then(pl.lit(CONDUIT)).otherwise(pl.lit("")),  # OTHER_ID
        pl.lit("SA11AI.") + pl.col("i").cast(pl.String),  # TRAN_ID
        (pl.col("i") // 5_000 + 1_000_000).cast(pl.String),  # FILE_NUM
        pl.when(pl.col("memo")).then(pl.lit("X")).otherwise(pl.lit("")),  # MEMO_CD
        pl.when(earmark)
        .then(pl.lit("EARMARKED THROUGH CONDUIT"))
        .when(pl.col("memo"))
        .then(pl.lit("* EARMARKED CONTRIBUTION: SEE BELOW"))
        .otherwise(pl.lit("")),  # MEMO_TEXT
        (pl.col("i") + 4_000_000_000_000_000_000).cast(pl.String),  # SUB_ID
    ]
    return frame.select(pl.concat_str(fields, separator="|").alias("line"))


MALFORMED = [
    "C00000001|N|Q1|P2016|201501019000000001|15|IND|SHORT, ROW|SALEM|OR|97301",
    "C00000001|N|Q1|P2016|201501019000000002|15|IND|BAD, AMOUNT|SALEM|OR|97301|||"
    "01152015|12X||SA11AI.BAD1|1000000|||4999999999999999991",
    "C00000001|N|Q1|P2016|201501019000000003|15|IND|BAD, DATE|SALEM|OR|97301|||"
    "02302015|100||SA11AI.BAD2|1000000|||4999999999999999992",
]


def n_committees_for(rows: int) -> int:
    """How many distinct recipient committees a file of `rows` rows uses."""
    return max(10, min(20_000, rows // 200))


def entity_lines(rows: int) -> dict[str, list[str]]:
    """`cm.txt`, `cn.txt`, `ccl.txt` lines for the file's committees, so races exist.

    Every committee of the itcont file is listed (FEC `cm` layout, 15 fields). The first half
    are House candidates' principal campaign committees (CMTE_TP H, CMTE_DSGN P), two candidates
    per race (state + district), linked in `ccl`; the rest are PACs (CMTE_TP Q). The conduit
    named in earmarked rows' OTHER_ID (`CONDUIT`) is listed as a hybrid PAC.
    """
    n = n_committees_for(rows)
    cm, cn, ccl = [], [], []
    for i in range(n):
        cid = f"C{i:08d}"
        state = STATES[(i // 2) % len(STATES)]
        if i < n // 2:
            cand = f"H6{state}{i:05d}"
            district = f"{(i // 2) // len(STATES) + 1:02d}"
            party = "DEM" if i % 2 == 0 else "REP"
            name = f"{SURNAMES[i % len(SURNAMES)]}, {GIVEN[(i // 7) % len(GIVEN)]}"
            cm.append(
                f"{cid}|{name} FOR CONGRESS|TREASURER {i}|1 MAIN ST||SALEM|{state}|97301|P|H|"
                f"{party}|Q|||{cand}"
            )
            cn.append(
                f"{cand}|{name}|{party}|2016|{state}|H|{district}|{'I' if i % 2 else 'C'}|C|"
                f"{cid}|1 MAIN ST||SALEM|{state}|97301"
            )
            ccl.append(f"{cand}|2016|2016|{cid}|H|P|{100000 + i}")
        else:
            cm.append(
                f"{cid}|COMMITTEE NUMBER {i} PAC|TREASURER {i}|1 MAIN ST||SALEM|{state}|97301|U|Q|"
                f"|M|C|ACME CORP|"
            )
    cm.append(f"{CONDUIT}|ACTBLUE|TREASURER|PO BOX 1||SOMERVILLE|MA|02144|U|V||M|||")
    return {"cm.txt": cm, "cn.txt": cn, "ccl.txt": ccl}


def generate(rows: int, out: Path, *, seed: int = 2016, log: TextIO | None = None) -> Path:
    """Write `rows` data lines (plus the few malformed ones) to `out`; return `out`.

    Memory is bounded by one chunk (`CHUNK` rows) whatever `rows` is: each chunk is built,
    appended to the file and dropped. The lines go to `<out>.partial` first and are renamed
    when complete, so an interrupted run never leaves a short file that a benchmark would take
    for a finished one. `log`, when given, gets one line per chunk (rows written, MB, rate).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    begun = time.perf_counter()
    with partial.open("wb") as fh:
        for start in range(0, rows, CHUNK):
            stop = min(rows, start + CHUNK)
            chunk(start, stop, total=rows, seed=seed).write_csv(
                fh, include_header=False, quote_style="never"
            )
            if start == 0:
                fh.write(("\n".join(MALFORMED) + "\n").encode())
            if log is not None:
                took = time.perf_counter() - begun
                mb = fh.tell() / 1e6
                print(
                    f"{stop:,}/{rows:,} rows, {mb:,.0f} MB, {mb / max(took, 1e-9):,.0f} MB/s",
                    file=log,
                    flush=True,
                )
    partial.replace(out)
    write_entities(rows, out.parent)
    return out


def write_entities(rows: int, folder: Path) -> None:
    """Write `cm.txt`, `cn.txt` and `ccl.txt` next to the itcont file."""
    for name, lines in entity_lines(rows).items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def label(rows: int) -> str:
    """`1m`, `10m`, or the plain number."""
    return f"{rows // 1_000_000}m" if rows % 1_000_000 == 0 else str(rows)


def default_path(rows: int) -> Path:
    """`bench/out/fec-<N>/itcont.txt`: named as in the FEC's zip, so importers recognise it."""
    return OUT / f"fec-{label(rows)}" / "itcont.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="data lines to write")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument(
        "--out", type=Path, default=None, help="default bench/out/fec-<N>/itcont.txt"
    )
    args = parser.parse_args()
    out = args.out or default_path(args.rows)
    start = time.perf_counter()
    generate(args.rows, out, seed=args.seed, log=sys.stderr)
    size = out.stat().st_size
    took = time.perf_counter() - start
    print(f"{out}: {args.rows + len(MALFORMED):,} lines, {size / 1e6:,.1f} MB in {took:.1f} s")


if __name__ == "__main__":
    main()
