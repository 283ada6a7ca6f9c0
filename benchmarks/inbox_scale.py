"""The inbox with a thousand and with a million reports: does it stay as fast?

For each database and size, a fresh database is upgraded with the app's migrations (so the
real indexes are measured) and filled in bulk with reports of a realistic shape: 8 harbours,
90 days, most read and many ended, a few unread, 0 to 3 plates each from a large space of
plates, and four hot plates that recur (the same van at several marinas), each in 0.25 % of
the reports and in at least 120 (a full page for the contact person), one of them on the
newest report of the guest harbour. A share of the plates were seen only in part
(PARTIAL_SHARE, "ABC?23"), and so were some sightings of the hot plates ("VAN?23"); the
guest harbour's second newest report names such a partial hot plate. Then the real app is
asked, through Flask's test client after logging in with the real form, as the contact
person of one harbour and as the administrator who reads all eight:

- the inbox's first page, `/sv/inbox/`;
- the inbox filtered by a hot plate, and by a rare plate (one report, an old one), each
  posted once as the filter form posts it and then asked for by its `?filter=` address;
- the page of the newest report naming the hot plate, with its other sightings and the
  partial plates it fits;
- the page of the report naming the partial hot plate, with the known plates it could be.

Each case is warmed up, then asked REQUESTS times, the sizes in alternating turns; the
table gives the median and the 90th percentile. The median with the largest size must be
within BOUND times the one with the smallest: exits 1 when a ratio is above that.

SQLite is a file in a temporary directory, opened as the app opens it (WAL, no ANALYZE);
PostgreSQL gets a schema of its own in BENCHMARK_DATABASE_URL (default the tests' `test`
database), analysed after loading as autovacuum would, and dropped afterwards. Run it with

    .venv/bin/python -m benchmarks.inbox_scale [--databases sqlite,postgresql]
        [--sizes 1000,1000000]
"""

import argparse
import contextlib
import gc
import json
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import flask_migrate
from sqlalchemy import create_engine, insert, make_url, text

from pwa import create_app
from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import ENDED_STATUSES, Harbour, Plate, Report, ReportStatus
from pwa.reports.plates import KNOWN_START
from pwa.reports.submission import REFERENCE_ALPHABET

from .reporting import TEST_POSTGRES

HARBOURS = (
    "Oxelösunds gästhamn",
    "Badhusviken",
    "Femöresund",
    "Stjärnholm",
    "Jogersö",
    "Ramdalshamnen",
    "Göksbo",
    "Danviken",
)
#: How many reports each harbour gets, relatively: the guest harbour is the busiest.
HARBOUR_WEIGHTS = (25, 15, 15, 12, 10, 10, 8, 5)
#: The same van at several marinas: each is named in 0.25 % of the reports, at least 120.
HOT_PLATES = ("VAN123", "KLF456", "BTS789", "OXL042")
HOT_SHARE = 0.0025
HOT_AT_LEAST = 120
#: Seen once, in an old report of the guest harbour; random plates never end in a letter.
RARE_PLATE = "RAR12E"
#: Plates seen only in part: one or two characters after the first two not read.
PARTIAL_SHARE = 0.05
#: The hot plate as a partial sighting: in the guest harbour's second newest report, and in
#: a share of the hot plate's sightings.
PARTIAL_HOT = "VAN?23"
#: The newest reports wait unread; the rest have been read.
UNREAD = 30
DAYS = 90
CHUNK = 10_000
WARM_UP = 5
REQUESTS = 50
BOUND = 1.5
PASSWORD = "a long enough benchmark password"
CONTACT = "kontakt@example.org"
ADMIN = "admin@example.org"
WHAT_HAPPENED = (
    "A white van drove slowly along the pontoons and stopped by the fuel jetty.",
    "Two people were looking at the outboard engines on pontoon C late at night.",
    "A small boat without lights left the harbour towards the sound.",
    "The padlock of the gate to the pontoons was broken.",
    "Someone photographed the boats and the engines from the car park.",
)
CATEGORY_SETS = (["vehicle"], ["person"], ["boat"], ["person", "vehicle"], ["activity", "boat"])


@dataclass
class Facts:
    """What the measured requests ask for, learnt while the reports are made."""

    hot_report_id: int = 0
    partial_report_id: int = 0
    rare_report_id: int = 0
    plates: int = 0
    partial: int = 0
    unread: int = 0
    ended: int = 0


@dataclass
class Timings:
    seconds: list = field(default_factory=list)

    @property
    def median(self):
        return statistics.median(self.seconds) * 1000

    @property
    def p90(self):
        return statistics.quantiles(self.seconds, n=10)[-1] * 1000


def reference(number):
    """Return a unique reference code for the report with this id."""
    digits = []
    for _ in range(10):
        number, digit = divmod(number, len(REFERENCE_ALPHABET))
        digits.append(REFERENCE_ALPHABET[digit])
    return "".join(reversed(digits))


def random_plate(rng):
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUWXYZ") for _ in range(3))
    return f"{letters}{rng.randrange(1000):03d}"


def partly_seen(rng, text):
    """Return the plate with one or two of the characters after its first two not read."""
    unread = rng.sample(range(2, len(text)), rng.choice((1, 2)))
    return "".join("?" if index in unread else character for index, character in enumerate(text))


def generate(size, facts):
    """Yield the reports and their plates in chunks: (report rows, plate rows), oldest first."""
    rng = random.Random(size)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=DAYS)
    step = timedelta(days=DAYS) / size
    harbour_ids = list(range(1, len(HARBOURS) + 1))
    rare_at = max(1, size // 20)
    # Enough for a full page of each hot plate with a thousand reports too.
    hot_share = max(HOT_SHARE, HOT_AT_LEAST / size)
    plate_id = 0
    reports, plates = [], []
    # The newest report of the guest harbour names the first hot plate: chosen up front.
    harbour_of = rng.choices(harbour_ids, HARBOUR_WEIGHTS, k=size)
    harbour_of[-2:] = [1, 1]
    for number in range(1, size + 1):
        created = start + step * number
        harbour = harbour_of[number - 1]
        texts = [random_plate(rng) for _ in range(rng.choices((0, 1, 2, 3), (30, 50, 15, 5))[0])]
        texts = [partly_seen(rng, text) if rng.random() < PARTIAL_SHARE else text for text in texts]
        if rng.random() < hot_share * len(HOT_PLATES):
            hot = rng.choice(HOT_PLATES)
            texts.append(PARTIAL_HOT if hot == HOT_PLATES[0] and rng.random() < 0.1 else hot)
        if number == size - 1:
            texts = [PARTIAL_HOT, *texts]
            facts.partial_report_id = number
        if number == size:
            texts = [HOT_PLATES[0], *texts]
            facts.hot_report_id = number
        if number >= rare_at and harbour == 1 and not facts.rare_report_id:
            texts.append(RARE_PLATE)
            facts.rare_report_id = number
        unread = number > size - UNREAD
        status = ReportStatus.RECEIVED if unread else rng_status(rng)
        ended = status in ENDED_STATUSES
        located = rng.random() < 0.3
        reports.append(
            {
                "id": number,
                "client_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "reference": reference(number),
                "harbour_id": harbour,
                "place": rng.choice(("Pontoon C", "By the fuel jetty", "Car park", "")),
                "observed_at": created - timedelta(minutes=rng.randrange(5, 600)),
                "categories": rng.choice(CATEGORY_SETS),
                "vehicle": rng.choice(("White van", "Dark estate car", "")),
                "direction": rng.choice(("Towards the town", "Out to sea", "")),
                "what_happened": rng.choice(WHAT_HAPPENED),
                "latitude": 58.67 + rng.random() / 100 if located else None,
                "longitude": 17.10 + rng.random() / 100 if located else None,
                "phone": "070-123 45 67" if rng.random() < 0.2 else None,
                "status": status,
                "created_at": created,
                "read_at": None if unread else min(now, created + timedelta(hours=2)),
                "ended_at": min(now, created + timedelta(days=2)) if ended else None,
                "police_case_number": (
                    "5000-K123456-26" if status == ReportStatus.PASSED_TO_POLICE else None
                ),
                "duplicate_of_id": number - 1 if status == ReportStatus.DUPLICATE else None,
                "note": "",
                "fingerprint": f"{number:064x}",
            }
        )
        facts.unread += unread
        facts.ended += ended
        for plate in texts:
            plate_id += 1
            partial = "?" in plate
            facts.partial += partial
            plates.append(
                {
                    "id": plate_id,
                    "report_id": number,
                    "country": "SE",
                    "text": plate,
                    "head": plate[:KNOWN_START],
                    "uncertain": partial or rng.random() < 0.1,
                }
            )
        if len(reports) == CHUNK or number == size:
            facts.plates = plate_id
            yield reports, plates
            reports, plates = [], []


def rng_status(rng):
    return rng.choices(
        (
            ReportStatus.CLOSED,
            ReportStatus.DUPLICATE,
            ReportStatus.DISCARDED,
            ReportStatus.UNDER_REVIEW,
            ReportStatus.PASSED_TO_POLICE,
        ),
        (55, 8, 7, 20, 10),
    )[0]


def load_core(connection, chunk):
    """Insert a chunk through SQLAlchemy Core, one executemany per table."""
    reports, plates = chunk
    connection.execute(insert(Report.__table__), reports)
    if plates:
        connection.execute(insert(Plate.__table__), plates)


def load_copy(raw, chunk):
    """Insert a chunk with PostgreSQL's COPY, converting values as the models would."""
    reports, plates = chunk
    columns = list(reports[0])
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY report ({', '.join(columns)}) FROM STDIN") as copy:
            for row in reports:
                copy.write_row([copy_value(row[column]) for column in columns])
        if plates:
            plate_columns = list(plates[0])
            with cursor.copy(f"COPY plate ({', '.join(plate_columns)}) FROM STDIN") as copy:
                for row in plates:
                    copy.write_row([row[column] for column in plate_columns])


def copy_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, ReportStatus):
        return value.value
    if isinstance(value, list):
        return json.dumps(value)
    return value


@contextlib.contextmanager
def database(kind):
    """Yield the URL of an empty database of this kind, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="inbox-scale-") as directory:
            yield f"sqlite:///{directory}/inbox.db"
        return
    url = make_url(os.environ.get("BENCHMARK_DATABASE_URL", TEST_POSTGRES))
    schema = "inbox_scale_" + secrets.token_hex(4)
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def fill(app, kind, size):
    """Make the harbours, the accounts and `size` reports; return the Facts."""
    facts = Facts()
    began = time.monotonic()
    with app.app_context():
        prepare()
        engine = db.engine
        if kind == "postgresql":
            raw = engine.raw_connection()
            try:
                for done, chunk in enumerate(generate(size, facts), 1):
                    load_copy(raw.driver_connection, chunk)
                    progress(done, size, began)
                raw.driver_connection.commit()
                # The sequence would give the next report an id already taken.
                raw.driver_connection.execute(
                    "SELECT setval('report_id_seq', (SELECT max(id) FROM report))"
                )
                raw.driver_connection.execute(
                    "SELECT setval('plate_id_seq', (SELECT max(id) FROM plate))"
                )
                raw.driver_connection.commit()
                # Autovacuum analyses a table this size soon after; do it now.
                raw.driver_connection.autocommit = True
                raw.driver_connection.execute("VACUUM ANALYZE report")
                raw.driver_connection.execute("VACUUM ANALYZE plate")
            finally:
                raw.close()
        else:
            with engine.begin() as connection:
                for done, chunk in enumerate(generate(size, facts), 1):
                    load_core(connection, chunk)
                    progress(done, size, began)
        # The app starts on fresh connections, not on the one left in autocommit by VACUUM.
        engine.dispose()
    print(
        f"  {size:,} reports, {facts.plates:,} plates ({facts.partial:,} partial),"
        f" {facts.unread} unread,"
        f" {facts.ended:,} ended, in {time.monotonic() - began:.0f} s",
        flush=True,
    )
    return facts


def prepare():
    """Migrate the empty database, add the harbours, the administrator and the contact person
    of the first harbour."""
    flask_migrate.upgrade()
    harbours = [Harbour(name=name, sort_order=i) for i, name in enumerate(HARBOURS, 1)]
    db.session.add_all(harbours)
    db.session.flush()
    create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True)
    create_account(CONTACT, "Kim Kontakt", PASSWORD, harbours=[harbours[0]])
    db.session.commit()


def progress(done, size, began):
    loaded = min(done * CHUNK, size)
    if done % 10 == 0 or loaded == size:
        print(f"  loaded {loaded:,} of {size:,} ({time.monotonic() - began:.0f} s)", flush=True)


def logged_in(app, email):
    """Return a test client logged in through the real form."""
    client = app.test_client()
    page = client.get("/sv/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/sv/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    if answer.status_code != 303:
        raise RuntimeError(f"logging in as {email} answered {answer.status_code}")
    return client


def cases(client, facts):
    """Return {case: (URL, text the answer must hold)}."""
    return {
        "first page": ("/sv/inbox/", f'id="report-{facts.hot_report_id}"'),
        "hot plate": (filtered(client, HOT_PLATES[0]), f'id="report-{facts.hot_report_id}"'),
        "rare plate": (filtered(client, RARE_PLATE), f'id="report-{facts.rare_report_id}"'),
        "report page": (f"/sv/inbox/{facts.hot_report_id}", PARTIAL_HOT),
        "partial plate page": (
            f"/sv/inbox/{facts.partial_report_id}",
            f'<span class="plate">{HOT_PLATES[0]}</span>',
        ),
    }


def filtered(client, plate):
    """Post a plate to the inbox's filter form; return the address of the inbox it selects."""
    page = client.get("/sv/inbox/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/sv/inbox/", data={"csrf_token": token, "plate": plate})
    if answer.status_code != 303:
        raise RuntimeError(f"filtering by {plate} answered {answer.status_code}")
    return answer.headers["Location"]


def ask(client, url, expected):
    """Return the seconds one answer to `url` took; fail unless it is the expected page."""
    began = time.perf_counter()
    answer = client.get(url)
    elapsed = time.perf_counter() - began
    if answer.status_code != 200 or expected not in answer.get_data(as_text=True):
        raise RuntimeError(f"{url} answered {answer.status_code} without {expected}")
    return elapsed


def run(kind, sizes):
    """Fill a database of this kind for each size; return {(size, account, case): Timings}.

    The sizes are asked in alternating turns, so that other work on the machine weighs on
    each alike.
    """
    with contextlib.ExitStack() as stack:
        targets = []
        for size in sizes:
            print(f"{kind}, {size:,} reports:", flush=True)
            app = measured_app(stack, kind)
            facts = fill(app, kind, size)
            # The rows made for loading are garbage now: collect them before measuring.
            gc.collect()
            for account, email in (("contact person", CONTACT), ("administrator", ADMIN)):
                client = logged_in(app, email)
                for case, (path, expected) in cases(client, facts).items():
                    targets.append(((size, account, case), client, path, expected))
        return measure(targets)


def measured_app(stack, kind):
    """Return an app on an empty database of this kind, both gone when the stack closes."""
    url = stack.enter_context(database(kind))
    # Without the daily deletion: its thread would start on the first request and delete the
    # old ended reports while they are measured.
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "PURGE_SCHEDULED": False, "DEVELOPMENT": True}
    )
    stack.callback(dispose, app)
    return app


def measure(targets):
    """Ask each (key, client, path, expected) in turn, WARM_UP + REQUESTS rounds; return
    {key: Timings} of the rounds after the warm-up."""
    print(f"  measuring: {WARM_UP} + {REQUESTS} requests per case", flush=True)
    results = {key: Timings() for key, *_ in targets}
    for turn in range(WARM_UP + REQUESTS):
        for key, client, path, expected in targets:
            elapsed = ask(client, path, expected)
            if turn >= WARM_UP:
                results[key].seconds.append(elapsed)
    return results


def dispose(app):
    with app.app_context():
        db.engine.dispose()


def report(results, kinds, sizes):
    """Print the table and return the worst ratio of the largest size to the smallest."""
    small, large = min(sizes), max(sizes)
    print()
    header = " | ".join(f"{size:,}: median / p90 ms" for size in sizes)
    print(f"| database | account | case | {header} | ratio |")
    print("|---" * (4 + len(sizes)) + "|")
    worst = 0.0
    for kind in kinds:
        for size, account, case in results[kind]:
            if size != small:
                continue
            timings = [results[kind][size, account, case] for size in sizes]
            row = " | ".join(f"{timing.median:.1f} / {timing.p90:.1f}" for timing in timings)
            ratio = (
                results[kind][large, account, case].median
                / results[kind][small, account, case].median
            )
            worst = max(worst, ratio)
            print(f"| {kind} | {account} | {case} | {row} | {ratio:.2f} |")
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="1000,1000000")
    args = parser.parse_args()
    kinds = [kind.strip() for kind in args.databases.split(",")]
    sizes = [int(size) for size in args.sizes.split(",")]
    if not set(kinds) <= {"sqlite", "postgresql"}:
        parser.error("--databases takes sqlite and postgresql")
    results = {kind: run(kind, sizes) for kind in kinds}
    worst = report(results, kinds, sizes)
    if len(sizes) > 1:
        print(f"\nWorst ratio {max(sizes):,}/{min(sizes):,}: {worst:.2f} (bound {BOUND})")
        if worst > BOUND:
            sys.exit(1)


if __name__ == "__main__":
    main()
