"""Requests per second and latency of `GET /sv/promise`, against a bare Flask app as the floor.

Both run under gunicorn as in production (gunicorn.conf.py: 2 workers of 8 threads) on
127.0.0.1 in the same run, the app on a fresh SQLite database in a temporary directory; the
bare app (benchmarks/bare.py) answers the same path with a fixed string as long as the page.
A small load generator here (threads, each with its own connection, Accept-Encoding: br)
warms both up, then loads them in turns of a few seconds each, so that whatever else the
machine is doing weighs on both alike. The generator shares the cores with the servers:
compare the ratio rather than the absolute figures. Exits 1 if any request failed. Run it
with

    .venv/bin/python -m benchmarks.throughput [--seconds 10] [--connections 4]
"""

import argparse
import sys
import urllib.parse
import urllib.request

from .load import load, p50_p99
from .reporting import fresh_database
from .server import gunicorn

PATH = "/sv/promise"
HEADERS = {"Accept-Encoding": "br"}
WARM_UP = 2.0
TURNS = 5


def get_page(connection):
    connection.request("GET", PATH, headers=HEADERS)


def compare(servers, seconds, connections):
    """Load each server in turns; return {name: (requests per second, p50 ms, p99 ms, errors)}."""
    for base in servers.values():
        load(base, WARM_UP, connections, get_page, 200, [], [])
    measured = {name: ([], []) for name in servers}
    for _ in range(TURNS):
        for name, base in servers.items():
            load(base, seconds / TURNS, connections, get_page, 200, *measured[name])
    results = {}
    for name, (latencies, errors) in measured.items():
        results[name] = (len(latencies) / seconds, *p50_p99(latencies), errors)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="of load on each server")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    with fresh_database() as (env, _url), gunicorn(probe=PATH, env=env) as app:
        with urllib.request.urlopen(app + PATH) as response:
            size = len(response.read())
        with gunicorn(f"benchmarks.bare:create_app({size})", probe=PATH) as bare:
            results = compare({"app": app, "bare Flask": bare}, args.seconds, args.connections)
    print(f"GET {PATH} ({size} B uncompressed), {args.connections} connections, {args.seconds:g} s")
    print(f"{'server':<12}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, (rate, p50, p99, errors) in results.items():
        print(f"{name:<12}{rate:>9.0f}{p50:>9.2f}{p99:>9.2f}{len(errors):>8}")
    print(f"app / bare Flask: {results['app'][0] / results['bare Flask'][0]:.2f} of the req/s")
    failed = [error for *_, errors in results.values() for error in errors]
    for error in sorted(set(failed)):
        print(f"error: {error} ×{failed.count(error)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
