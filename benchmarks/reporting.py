"""What the benchmarks share: a fresh database with the seeded harbours, and a JSON report.

SQLite (in WAL mode, as the app sets it) in a temporary directory by default. With a
PostgreSQL URL the tables go into a schema of their own, created for the run and dropped
afterwards, so that nothing else in that database is touched.
"""

import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import uuid

from sqlalchemy import create_engine, make_url, text

from pwa.formatting import local_input_text

from .server import ROOT, environment

#: Used by --postgres without a URL: the database the tests use.
TEST_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
HEADERS = {
    "Accept": "application/json",
    "Content-Type": "application/json",
    # Passes the origin check as a current browser's post from the site's own page does.
    "Sec-Fetch-Site": "same-origin",
}
PATH = "/sv/report"


def add_postgres_option(parser):
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=TEST_POSTGRES,
        default=os.environ.get("BENCH_DATABASE_URL"),
        metavar="URL",
        help=f"PostgreSQL instead of SQLite (default URL {TEST_POSTGRES}, or BENCH_DATABASE_URL)",
    )


@contextlib.contextmanager
def fresh_database(postgres=None):
    """Yield (the environment to run the app with, its database URL) for an upgraded database.

    The environment raises REPORT_RATE_LIMIT, which is read from the environment, so that
    the rate limit never refuses a benchmark's posts (it is still counted, as in production).
    """
    with contextlib.ExitStack() as stack:
        if postgres:
            schema = "bench_" + secrets.token_hex(4)
            url = make_url(postgres)
            admin = create_engine(url)
            with admin.begin() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            stack.callback(drop_schema, admin, schema)
            url = url.update_query_dict({"options": f"-csearch_path={schema}"})
            url = url.render_as_string(hide_password=False)
        else:
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-"))
            url = f"sqlite:///{directory}/bench.db"
        env = environment(DATABASE_URL=url, REPORT_RATE_LIMIT="1000000 per minute")
        flask = [sys.executable, "-m", "flask", "--app", "pwa"]
        # The harbours of a fresh `make run`, with no contact person yet.
        for command in (["db", "upgrade"], ["harbours", "seed"]):
            subprocess.run(
                [*flask, *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
            )
        yield env, url


def drop_schema(engine, schema):
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def stored_reports(url):
    """Return {client_id: [reference, …]} of the reports in the database at `url`."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT client_id, reference FROM report")).all()
    finally:
        engine.dispose()
    stored = {}
    for client_id, reference in rows:
        stored.setdefault(uuid.UUID(str(client_id)), []).append(reference)
    return stored


def harbour_id(url):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT min(id) FROM harbour")).scalar_one()
    finally:
        engine.dispose()


def report_body(client_id, harbour):
    """Return a valid JSON report, as bytes, under `client_id`."""
    report = {
        "client_id": str(client_id),
        "harbour": harbour,
        "place": "Brygga C",
        "observed_at": local_input_text(),
        "categories": ["boat", "person"],
        "plates": [{"country": "SE", "text": "ABC 123", "uncertain": False}],
        "vehicle": "Vit daycruiser utan namn",
        "direction": "Mot Femöre",
        "what_happened": "Två personer bar utombordsmotorer från bryggan till en bil.",
        "latitude": 58.6652,
        "longitude": 17.1125,
        "phone": "070-123 45 67",
    }
    return json.dumps(report, ensure_ascii=False).encode()
