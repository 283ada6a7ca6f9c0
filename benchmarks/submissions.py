"""Report submissions per second and latency of `POST /sv/report`, against a bare Flask POST.

Each request is a valid JSON report with a fresh client_id (`Accept: application/json`,
`Sec-Fetch-Site: same-origin`), so every one is stored: the app answers 201 with a receipt.
The app runs on a fresh SQLite database in a temporary directory (WAL mode), or with
--postgres in a schema of its own; its rate limit is raised through REPORT_RATE_LIMIT. The
bare app (benchmarks/bare.py) parses the JSON and answers a small JSON 201, storing nothing.
Both run under gunicorn with 2 sync workers on 127.0.0.1 in the same run, warmed up, then
loaded in alternating turns as in throughput.py; compare the ratio rather than the absolute
figures. Exits 1 if any request failed or if the reports stored differ from the 201s. Run it
with

    .venv/bin/python -m benchmarks.submissions [--seconds 10] [--connections 4] [--postgres [URL]]
"""

import argparse
import http.client
import statistics
import sys
import threading
import time
import urllib.parse
import uuid

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


def load(base, seconds, connections, harbour, latencies, errors):
    """POST new reports from `connections` threads for `seconds`, adding to latencies and errors."""
    url = urllib.parse.urlsplit(base)
    stop = time.perf_counter() + seconds

    def client():
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        while time.perf_counter() < stop:
            body = report_body(uuid.uuid4(), harbour)
            start = time.perf_counter()
            try:
                connection.request("POST", PATH, body=body, headers=HEADERS)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                errors.append(repr(error))
                connection.close()
                continue
            if response.status == 201:
                latencies.append(time.perf_counter() - start)
            else:
                errors.append(f"HTTP {response.status}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def compare(servers, seconds, connections, harbour):
    """Load each server in turns; return {name: (201s, posts per second, p50, p99 ms, errors)}.

    The warm-up's posts are stored too: the first number counts every 201, warm-up included.
    """
    measured = {name: ([], []) for name in servers}
    created = {}
    for name, base in servers.items():
        warm_up = []
        load(base, WARM_UP, connections, harbour, warm_up, measured[name][1])
        created[name] = len(warm_up)
    for _ in range(TURNS):
        for name, base in servers.items():
            load(base, seconds / TURNS, connections, harbour, *measured[name])
    results = {}
    for name, (latencies, errors) in measured.items():
        cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
        rate = len(latencies) / seconds
        total = created[name] + len(latencies)
        results[name] = (total, rate, cuts[49] * 1000, cuts[98] * 1000, errors)
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
