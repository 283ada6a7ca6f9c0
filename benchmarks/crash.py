"""Exactly once across a crash: reports posted while the server is killed and restarted.

50 threads post 1000 valid JSON reports to `POST /sv/report`, each with its own client_id,
to the app under gunicorn as in production (2 workers of 8 threads) on a fresh database
(SQLite in WAL mode, or with --postgres a schema of its own). When about half have a
receipt, the master and its workers are killed with SIGKILL (the whole process group),
mid-request, and the server is started again on the same port and database. A client whose
request fails with a connection error sends the same report again, with the same client_id,
as the outbox does, until it has a receipt (201 stored, or 200 a repeat of a stored one),
for at most 120 s.

Then every report with a receipt must be in the database exactly once, under the reference
its receipt gave, no client_id twice and 1000 in all. Prints the figures; exits 1 on any
violation. Run it with

    .venv/bin/python -m benchmarks.crash [--reports 1000] [--threads 50] [--postgres [URL]]
"""

import argparse
import collections
import http.client
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
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
from .server import ROOT, free_port, gunicorn_command, wait_until_answers

#: How long a client keeps sending one report before giving up on it.
PATIENCE = 120.0
RETRY_PAUSE = 0.1


class Tally:
    """What the clients saw, counted under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.receipts = {}  # client_id: (status, reference)
        self.counts = collections.Counter()
        self.restarted = threading.Event()

    def add(self, name, client_id=None, status=None, reference=None):
        with self.lock:
            self.counts[name] += 1
            if client_id is not None:
                self.receipts[client_id] = (status, reference)


def send(port, body, client_id, tally):
    """POST one report until it has a receipt or PATIENCE runs out; count what happens."""
    deadline = time.monotonic() + PATIENCE
    attempts = 0
    while time.monotonic() < deadline:
        attempts += 1
        if attempts == 2:
            tally.add("retried")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("POST", PATH, body=body, headers=HEADERS)
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            tally.add("connection errors")
            time.sleep(RETRY_PAUSE)
            continue
        finally:
            connection.close()
        if response.status in (200, 201):
            if response.status == 200 and tally.restarted.is_set():
                tally.add("200 repeats after restart")
            tally.add(
                str(response.status), client_id, response.status, json.loads(answer)["reference"]
            )
            return
        tally.add(f"HTTP {response.status}")
        return
    tally.add("gave up")


def start(port, env):
    """Start the app in a process group of its own, so that one signal reaches every worker."""
    command = gunicorn_command("pwa:create_app()", port)
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    wait_until_answers(f"http://127.0.0.1:{port}/sv/", process)
    return process


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


def run(reports, threads, env, harbour):
    """Post `reports` reports from `threads` threads, killing the server halfway; return a Tally."""
    port = free_port()
    tally = Tally()
    work = queue.SimpleQueue()
    for _ in range(reports):
        client_id = uuid.uuid4()
        work.put((client_id, report_body(client_id, harbour)))

    def client():
        while True:
            try:
                client_id, body = work.get_nowait()
            except queue.Empty:
                return
            send(port, body, client_id, tally)

    process = start(port, env)
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    while len(tally.receipts) < reports // 2 and any(w.is_alive() for w in workers):
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    tally.counts["receipts before the kill"] = len(tally.receipts)
    process = start(port, env)
    tally.restarted.set()
    try:
        for worker in workers:
            worker.join()
    finally:
        stop(process)
    return tally


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=50)
    add_postgres_option(parser)
    args = parser.parse_args()
    with fresh_database(args.postgres) as (env, url):
        tally = run(args.reports, args.threads, env, harbour_id(url))
        stored = stored_reports(url)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{args.reports} reports from {args.threads} threads, {database}, SIGKILL halfway")
    for name in (
        "receipts before the kill",
        "connection errors",
        "retried",
        "201",
        "200",
        "200 repeats after restart",
    ):
        print(f"{name:<28}{tally.counts[name]:>6}")
    print(f"{'reports stored':<28}{sum(map(len, stored.values())):>6}")
    problems = [f"{name}: {n}" for name, n in tally.counts.items() if name.startswith("HTTP")]
    problems += [f"gave up on {tally.counts['gave up']}"] if tally.counts["gave up"] else []
    if len(tally.receipts) != args.reports:
        problems.append(f"{len(tally.receipts)} receipts, not {args.reports}")
    for client_id, (_, reference) in tally.receipts.items():
        if stored.get(client_id) != [reference]:
            problems.append(
                f"{client_id} with receipt {reference} stored as {stored.get(client_id)}"
            )
    problems += [
        f"{client_id} stored {len(refs)} times"
        for client_id, refs in stored.items()
        if len(refs) > 1
    ]
    if len(stored) != args.reports:
        problems.append(f"{len(stored)} client_ids stored, not {args.reports}")
    for problem in problems:
        print(f"violation: {problem}")
    print("exactly once: " + ("violated" if problems else "held"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
