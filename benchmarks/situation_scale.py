"""The lägesbild and the public page "How it is going" with a thousand and with a million
reports' worth of counts: does each still answer in under 100 ms?

For each database and size, a fresh database is upgraded with the app's migrations and its
counts are filled in bulk as that many reports would have left them: 8 harbours, 10 years
ending today, more in summer and at night, one to two categories each, 10 % passed to the
police and 2 % naming a plate seen at another harbour. No report is stored: the counts are
what outlives them. Then the real app is asked, through Flask's test client after logging in
with the real form:

- the lägesbild as it opens (this year, against last year by month), as the contact person
  of one harbour and as the administrator of all eight;
- the lägesbild of all ten years, as the administrator;
- the public page, `/sv/progress`, as a visitor.

Each case is warmed up, then asked REQUESTS times, the sizes in alternating turns; the table
gives the median and the 90th percentile. Exits 1 when a median is above BOUND_MS. Run it
with

    .venv/bin/python -m benchmarks.situation_scale [--databases sqlite,postgresql]
        [--sizes 1000,1000000]
"""

import argparse
import contextlib
import gc
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from pwa.extensions import db
from pwa.formatting import local_today
from pwa.situation.counts import Tally, add, rows_of

from .inbox_scale import (
    ADMIN,
    CATEGORY_SETS,
    CONTACT,
    HARBOUR_WEIGHTS,
    HARBOURS,
    logged_in,
    measure,
    measured_app,
    prepare,
)

YEARS = 10
#: More boats, and more thefts, from May to September.
MONTH_WEIGHTS = (2, 2, 3, 5, 9, 12, 14, 13, 9, 5, 3, 2)
#: Most observations are made in the evening and at night.
HOUR_WEIGHTS = (8, 9, 9, 7, 5, 3, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 6, 7, 8, 9, 9)
CHUNK = 50_000
BOUND_MS = 100


def tallies(size, today):
    """Yield what `size` reports of the last ten years would each add to the counts."""
    rng = random.Random(size)
    first = today.replace(year=today.year - YEARS, day=1)
    days = (today - first).days + 1
    # Each day weighted by its month: a summer day gets more reports than a winter one.
    weights = [MONTH_WEIGHTS[(first + timedelta(days=n)).month - 1] for n in range(days)]
    harbour_ids = list(range(1, len(HARBOURS) + 1))
    for offset, harbour, hour in zip(
        rng.choices(range(days), weights, k=size),
        rng.choices(harbour_ids, HARBOUR_WEIGHTS, k=size),
        rng.choices(range(24), HOUR_WEIGHTS, k=size),
        strict=True,
    ):
        yield Tally(
            day=first + timedelta(days=offset),
            hour=hour,
            harbour_id=harbour,
            categories=tuple(rng.choice(CATEGORY_SETS)),
            passed=rng.random() < 0.10,
            cross_harbour=rng.random() < 0.02,
        )


def fill(app, size):
    """Make the harbours, the accounts and the counts of `size` reports; return the rows."""
    began = time.monotonic()
    with app.app_context():
        prepare()
        daily, hourly = Counter(), Counter()
        for tally in tallies(size, local_today()):
            add(tally, 1, daily, hourly)
        tables = rows_of(daily, hourly)
        with db.engine.begin() as connection:
            for model, rows in tables.items():
                for start in range(0, len(rows), CHUNK):
                    connection.execute(insert(model.__table__), rows[start : start + CHUNK])
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(f"ANALYZE {model.__tablename__}")
        db.engine.dispose()
    rows = ", ".join(f"{len(rows):,} {model.__tablename__}" for model, rows in tables.items())
    print(f"  {size:,} reports' worth: {rows}, in {time.monotonic() - began:.0f} s", flush=True)


def cases(today):
    """Return {(account, case): (URL, text the answer must hold)}."""
    ten_years = today.replace(year=today.year - YEARS, day=1).isoformat()
    return {
        ("contact person", "lägesbild"): ("/sv/situation/", "Rapporter per månad"),
        ("administrator", "lägesbild"): ("/sv/situation/", "Rapporter per månad"),
        ("administrator", "lägesbild, 10 years"): (
            f"/sv/situation/?first={ten_years}",
            "Rapporter per månad",
        ),
        ("visitor", "public page"): ("/sv/progress", "Så går det"),
    }


def run(kind, sizes):
    """Fill a database of this kind for each size; return {(size, account, case): Timings}."""
    with contextlib.ExitStack() as stack:
        targets = []
        for size in sizes:
            print(f"{kind}, {size:,} reports' worth of counts:", flush=True)
            app = measured_app(stack, kind)
            fill(app, size)
            gc.collect()
            clients = {
                "contact person": logged_in(app, CONTACT),
                "administrator": logged_in(app, ADMIN),
                "visitor": app.test_client(),
            }
            for (account, case), (path, expected) in cases(local_today()).items():
                targets.append(((size, account, case), clients[account], path, expected))
        return measure(targets)


def report(results, kinds, sizes):
    """Print the table; return the slowest median."""
    print()
    header = " | ".join(f"{size:,}: median / p90 ms" for size in sizes)
    print(f"| database | account | case | {header} |")
    print("|---" * (3 + len(sizes)) + "|")
    slowest = 0.0
    for kind in kinds:
        for size, account, case in results[kind]:
            if size != sizes[0]:
                continue
            timings = [results[kind][other, account, case] for other in sizes]
            slowest = max([slowest, *(timing.median for timing in timings)])
            row = " | ".join(f"{timing.median:.1f} / {timing.p90:.1f}" for timing in timings)
            print(f"| {kind} | {account} | {case} | {row} |")
    print(f"\nmeasured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; the slowest median {slowest:.1f} ms")
    return slowest


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="1000,1000000")
    args = parser.parse_args()
    kinds = args.databases.split(",")
    sizes = [int(size) for size in args.sizes.split(",")]
    results = {kind: run(kind, sizes) for kind in kinds}
    if report(results, kinds, sizes) > BOUND_MS:
        print(f"a median is above {BOUND_MS} ms", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
