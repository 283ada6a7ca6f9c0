"""Report submissions per second and latency of `POST /sv/report`, against a bare Flask POST.

Each request is a valid JSON report with a fresh client_id (`Accept: application/json`,
`Sec-Fetch-Site: same-origin`), so every one is stored: the app answers 201 with a receipt.
The app runs on a fresh SQLite database in a temporary directory (WAL mode), or with
--postgres in a schema of its own; its rate limit is raised through REPORT_RATE_LIMIT. The
bare app (benchmarks/bare.py) parses the JSON and answers a small JSON 201, storing nothing.
Both run under gunicorn as in production (gunicorn.conf.py: 2 workers of 8 threads) on
127.0.0.1 in the same run, warmed up, then loaded in alternating turns as in throughput.py;
compare the ratio rather than the absolute figures. Exits 1 if any request failed or if the
reports stored differ from the 201s. Run it with

    .venv/bin/python -m benchmarks.submissions [--seconds 10] [--connections 4] [--postgres [URL]]
"""

import argparse
import sys
import uuid

from .load import load, p50_p99
from .reporting import (
    HEADERS,
    PATH,
    add_postgres_option,
    fresh_database,
    harbour_id,
    report_body,
    stored_reports,
)
from .server import gunicorn

WARM_UP = 2.0
TURNS = 5


def post_report(harbour):
    """Return a sender of a new report, with a fresh client_id each time."""

    def send(connection):
        body = report_body(uuid.uuid4(), harbour)
        connection.request("POST", PATH, body=body, headers=HEADERS)

    return send


def compare(servers, seconds, connections, harbour):
    """Load each server in turns; return {name: (201s, posts per second, p50, p99 ms, errors)}.

    The warm-up's posts are stored too: the first number counts every 201, warm-up included.
    """
    measured = {name: ([], []) for name in servers}
    created = {}
    for name, base in servers.items():
        warm_up = []
        load(base, WARM_UP, connections, post_report(harbour), 201, warm_up, measured[name][1])
        created[name] = len(warm_up)
    for _ in range(TURNS):
        for name, base in servers.items():
            load(base, seconds / TURNS, connections, post_report(harbour), 201, *measured[name])
    results = {}
    for name, (latencies, errors) in measured.items():
        rate = len(latencies) / seconds
        total = created[name] + len(latencies)
        results[name] = (total, rate, *p50_p99(latencies), errors)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="of load on each server")
    parser.add_argument("--connections", type=int, default=4)
    add_postgres_option(parser)
    args = parser.parse_args()
    with fresh_database(args.postgres) as (env, url):
        harbour = harbour_id(url)
        with (
            gunicorn(env=env) as app,
            gunicorn("benchmarks.bare:create_app()", probe="/sv/promise") as bare,
        ):
            servers = {"app": app, "bare Flask": bare}
            results = compare(servers, args.seconds, args.connections, harbour)
        stored = stored_reports(url)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"POST {PATH} (JSON, {database}), {args.connections} connections, {args.seconds:g} s")
    print(f"{'server':<12}{'posts/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, (_, rate, p50, p99, errors) in results.items():
        print(f"{name:<12}{rate:>9.0f}{p50:>9.2f}{p99:>9.2f}{len(errors):>8}")
    print(f"app / bare Flask: {results['app'][1] / results['bare Flask'][1]:.2f} of the posts/s")
    created = results["app"][0]
    rows = sum(len(references) for references in stored.values())
    print(f"201s from the app: {created}; reports stored: {rows} ({len(stored)} client_ids)")
    failed = [error for *_, errors in results.values() for error in errors]
    for error in sorted(set(failed)):
        print(f"error: {error} ×{failed.count(error)}")
    return 1 if failed or rows != created or len(stored) != created else 0


if __name__ == "__main__":
    sys.exit(main())
