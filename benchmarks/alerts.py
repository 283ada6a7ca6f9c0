"""An alert to 10,000 phones: how long until the last push is accepted, how long the contact
person waits meanwhile, and how much memory the serving processes take.

The phones are subscriptions of the tests' push service (tests/push_service.py), run in a
process of its own on loopback, which checks every push's VAPID signature and decrypts it as
the browser would. They are spread over 8 harbours, a fifth of them subscribed to two. The
app runs under gunicorn (2 workers of 8 threads, each with its courier of PUSH_SENDERS
threads) on a fresh database; the administrator logs in with the form and sends one alert to
every harbour. While the pushes go out, the administrator's list of alerts is asked for
again and again. Run it with

    .venv/bin/python -m benchmarks.alerts [--phones 10000] [--postgres [URL]]

Exits 1 if a push was refused or missing, or a request failed.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from sqlalchemy import insert, select

from pwa import create_app
from pwa.alerts.push import new_private_key
from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import Harbour, PushSubscription, subscription_harbour

from .reporting import add_postgres_option, fresh_database
from .server import ROOT, gunicorn

HARBOURS = 8
EMAIL = "admin@example.org"
PASSWORD = "a long enough password for the benchmark"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def prepare(url, subscriptions):
    """Add the harbours, the administrator and the phones' subscriptions to the database."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "PUSH_SENDERS": 0})
    with app.app_context():
        existing = db.session.scalars(select(Harbour)).all()
        db.session.add_all(
            Harbour(name=f"Hamn {number}") for number in range(len(existing), HARBOURS)
        )
        create_account(EMAIL, "Alva Admin", PASSWORD, is_admin=True)
        db.session.commit()
        harbour_ids = db.session.scalars(select(Harbour.id).order_by(Harbour.id)).all()
        rows = [
            {
                "endpoint": subscription["endpoint"],
                "p256dh": subscription["keys"]["p256dh"],
                "auth": subscription["keys"]["auth"],
                "language": "sv",
            }
            for subscription in subscriptions
        ]
        ids = db.session.scalars(
            insert(PushSubscription).returning(PushSubscription.id), rows
        ).all()
        choices = [
            {"subscription_id": id_, "harbour_id": harbour_ids[n % HARBOURS]}
            for n, id_ in enumerate(ids)
        ]
        choices += [
            {"subscription_id": id_, "harbour_id": harbour_ids[(n + 1) % HARBOURS]}
            for n, id_ in enumerate(ids)
            if n % 5 == 0
        ]
        db.session.execute(insert(subscription_harbour), choices)
        db.session.commit()
        db.engine.dispose()


def token(session, url):
    return TOKEN.search(session.get(url).text).group(1)


def resident_memory(port):
    """Return the resident memory, in MB, of each gunicorn process serving on `port`."""
    sizes = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            command = (process / "cmdline").read_bytes().replace(b"\0", b" ")
            if f"127.0.0.1:{port}".encode() not in command or b"gunicorn" not in command:
                continue
            status = (process / "status").read_text()
        except OSError:
            continue
        kilobytes = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        sizes.append(kilobytes / 1024)
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=10_000)
    add_postgres_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-push-") as directory:
        listing = Path(directory) / "subscriptions.json"
        service = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.push_service",
                "--browsers",
                str(args.phones),
                "--subscriptions",
                str(listing),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            origin = service.stdout.readline().strip()
            return run(args, origin, json.loads(listing.read_text()))
        finally:
            service.terminate()
            service.wait()


def run(args, origin, subscriptions):
    with fresh_database(args.postgres) as (env, url):
        prepare(url, subscriptions)
        env = env | {"VAPID_PRIVATE_KEY": new_private_key(), "PUSH_SENDERS": "8"}
        with gunicorn(env=env) as base:
            port = int(base.rsplit(":", 1)[1])
            session = requests.Session()
            session.post(
                f"{base}/sv/login",
                data={
                    "csrf_token": token(session, f"{base}/sv/login"),
                    "email": EMAIL,
                    "password": PASSWORD,
                },
            )
            form = {
                "csrf_token": token(session, f"{base}/sv/alerts/write"),
                "harbour": "all",
                "title": "Motorstölder vid bränslebryggan",
                "text": "I natt stals två utombordare. Kontrollera din båt.",
                "priority": "urgent",
                "ends_at": "",
                "send": "1",
            }
            form["ends_at"] = re.search(
                r'id="ends_at"[^>]*value="([^"]+)"', session.get(f"{base}/sv/alerts/write").text
            ).group(1)
            started = time.monotonic()
            answer = session.post(f"{base}/sv/alerts/write", data=form, allow_redirects=False)
            send_ms = (time.monotonic() - started) * 1000
            failures = [] if answer.status_code == 303 else [f"send: HTTP {answer.status_code}"]
            latencies, memory = [], []
            count = {"messages": 0, "refused": 0, "last": None}
            deadline = started + 300
            while (
                count["messages"] + count["refused"] < args.phones and time.monotonic() < deadline
            ):
                asked = time.monotonic()
                listed = session.get(f"{base}/sv/alerts/sent")
                latencies.append((time.monotonic() - asked) * 1000)
                if listed.status_code != 200:
                    failures.append(f"list: HTTP {listed.status_code}")
                memory.append(sum(resident_memory(port)))
                count = requests.get(f"{origin}/count").json()
                time.sleep(0.05)
            final_memory = resident_memory(port)
    took = (count["last"] - started) if count["last"] else float("nan")
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"One alert to {args.phones} phones in {HARBOURS} harbours ({database}),", end=" ")
    print("gunicorn with 2 workers of 8 senders")
    print(f"sending the alert (the contact person's request): {send_ms:.0f} ms")
    print(f"pushes accepted: {count['messages']}, refused: {count['refused']}")
    print(f"last push accepted after {took:.2f} s: {count['messages'] / took:.0f} pushes/s")
    if latencies:
        median, slowest = statistics.median(latencies), max(latencies)
        print(
            f"the list of alerts meanwhile: median {median:.0f} ms, max {slowest:.0f} ms", end=" "
        )
        print(f"({len(latencies)} requests)")
    each = ", ".join(f"{size:.0f}" for size in final_memory)
    print(
        f"memory of the gunicorn processes: {max(memory, default=0):.0f} MB at most in all", end=" "
    )
    print(f"({each} MB each after)")
    missing = args.phones - count["messages"]
    if missing or count["refused"] or failures:
        print(f"missing {missing}, refused {count['refused']}, failures {failures[:5]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
