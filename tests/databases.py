"""The databases of the tests, on in-memory SQLite or on TEST_DATABASE_URL.

Most tests share one database, migrated once per session as a deploy migrates it: each test
runs in a transaction of its own on one connection, rolled back when the test ends, and the
sessions of the app join that transaction through savepoints, so that the code under test
may commit, roll back and remove its session as it does in production.

A test whose commits must be seen by other connections or threads has a database of its
own (`threaded_config`): a file on SQLite, a schema of its own on PostgreSQL.
"""

import hashlib
import time
from contextlib import contextmanager
from unittest import mock

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError

from pwa import create_app, rate_limits
from pwa.config import TestConfig
from pwa.extensions import db


class SharedDatabase:
    """The tables of TestConfig's database, made once from the migrations, and an app on them."""

    def __init__(self, config=TestConfig):
        self.app = create_app(config)
        with self.app.app_context():
            self.engine = db.engine
            if self.engine.dialect.name == "sqlite":
                leave_transactions_to_sqlalchemy(self.engine)
            drop_every_table()
            migrate()
            self.sequences = sequences()
        # A session given a connection in a transaction works in a savepoint of it; this
        # changes nothing for a session on an engine, as every app but the tests' uses.
        db.session.session_factory.configure(join_transaction_mode="create_savepoint")

    @contextmanager
    def transaction(self):
        """Yield a connection in a transaction; roll back whatever was done in it."""
        with self.engine.connect() as connection:
            outer = connection.begin()
            try:
                yield connection
            finally:
                outer.rollback()
                # A rollback does not give back what a PostgreSQL sequence handed out: start
                # the ids where the migrations left them, as SQLite reuses them.
                if self.sequences:
                    restarts = ", ".join(
                        f"setval('{name}', {start}, false)" for name, start in self.sequences
                    )
                    connection.exec_driver_sql(f"SELECT {restarts}")
                    connection.commit()

    def drop(self):
        with self.app.app_context():
            drop_every_table()
            db.engine.dispose()


@contextmanager
def bound(app, connection):
    """Let `app`'s sessions use `connection` instead of the app's engine.

    Flask-SQLAlchemy picks the bind of a session from the engines of the current app, not
    from the session's options: the app's default engine is replaced while the test runs.
    """
    engines = db._app_engines[app]
    engine = engines[None]
    engines[None] = connection
    try:
        yield app
    finally:
        engines[None] = engine


@contextmanager
def state_kept(app):
    """Give back the settings and extensions that a test changed, and clear the rate limits."""
    config, extensions = dict(app.config), dict(app.extensions)
    rate_limits.reset(app)
    try:
        yield app
    finally:
        app.config.clear()
        app.config.update(config)
        app.extensions.clear()
        app.extensions.update(extensions)
        rate_limits.reset(app)


def leave_transactions_to_sqlalchemy(engine):
    """Make pysqlite begin a transaction when SQLAlchemy does, so that savepoints work.

    By default it begins one only before a write, and a SAVEPOINT outside a transaction
    begins one that RELEASE then commits: see "Transactions with SQLite and the sqlite3
    driver" in SQLAlchemy's documentation.
    """

    @event.listens_for(engine, "connect")
    def no_implicit_transactions(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def begin(connection):
        connection.exec_driver_sql("BEGIN")


def migrate():
    """Bring the current app's database to the newest migration, as `flask db upgrade` does."""
    with alembic_in_process():
        upgrade()


@contextmanager
def alembic_in_process():
    """Run the migrations' env.py within the tests.

    As it starts it configures logging from alembic.ini, which disables every logger that
    exists and closes pytest's handlers: not here.
    """
    with mock.patch("logging.config.fileConfig"):
        yield


def sequences():
    """Return the sequences of the current schema, each with the value it gives next after the
    migrations (which insert rows of their own, such as the first citizen promise): none but
    on PostgreSQL."""
    if db.engine.dialect.name != "postgresql":
        return []
    with db.engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename),"
                " coalesce(last_value + 1, 1)"
                " FROM pg_sequences WHERE schemaname = current_schema()"
            )
        ).all()


def migrated_indexes(connection, table):
    """Return the indexes of `table` on `connection`'s database, by name: each one's columns."""
    found = inspect(connection).get_indexes(table)
    return {index["name"]: index["column_names"] for index in found}


def threaded_config(path, base=TestConfig):
    """Return `base` with a database of its own that several threads can share.

    An in-memory SQLite database is a single connection; a file in `path` is not. On
    PostgreSQL the database is a schema named after `path`, which create_tables() makes.
    """
    url = base.SQLALCHEMY_DATABASE_URI

    class Threaded(base):
        if url == "sqlite://":
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{path / 'app.db'}"
            SQLALCHEMY_ENGINE_OPTIONS = {}
        elif url.startswith("postgresql"):
            TEST_SCHEMA = "test_" + hashlib.sha256(str(path).encode()).hexdigest()[:16]
            SQLALCHEMY_ENGINE_OPTIONS = {
                "connect_args": {"options": f"-c search_path={TEST_SCHEMA}"}
            }

    return Threaded


@contextmanager
def app_with_tables(config):
    """Yield an app of `config` (see threaded_config) with its tables; drop them afterwards."""
    with own_database(config) as app:
        with app.app_context():
            db.create_all()
        yield app


@contextmanager
def own_database(config):
    """Yield an app of `config` on an empty database of its own; remove it afterwards."""
    app = create_app(config)
    with app.app_context():
        create_schema()
        drop_every_table()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            drop_tables()
            db.engine.dispose()


def create_tables():
    """Create the app's tables in an empty database, whatever an interrupted run left there."""
    create_schema()
    drop_every_table()
    db.create_all()


def drop_tables():
    """Drop every table of the app's database; on PostgreSQL the schema of its own, if any."""
    drop_every_table()
    schema = quoted_schema()
    if schema:
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")


def drop_every_table():
    """Drop every table of the app's database, the app's or not."""
    tables = MetaData()
    tables.reflect(bind=db.engine)
    tables.drop_all(bind=db.engine)


#: Tries of emptying the tables when PostgreSQL ends one as a deadlock's victim.
TRUNCATE_ATTEMPTS = 5


def empty_tables():
    """Delete every row of the app's tables; on PostgreSQL start the ids at 1 again.

    A browser of the test before may still be asking the live server for a page (a service
    worker refreshing its data pages): PostgreSQL may then end the TRUNCATE as one side of a
    deadlock, and it is tried again once that request is done.
    """
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(db.engine.dialect.identifier_preparer.format_table(t) for t in tables)
        for attempt in range(TRUNCATE_ATTEMPTS):
            try:
                db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                break
            except OperationalError:
                db.session.rollback()
                if attempt == TRUNCATE_ATTEMPTS - 1:
                    raise
                time.sleep(0.5)
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


def create_schema():
    """Create the schema of a threaded_config on PostgreSQL.

    On a connection of its own: the app's first connection must find its schema, as
    SQLAlchemy asks it then for the default schema, which reflection and Alembic use.
    """
    schema = quoted_schema()
    if schema:
        engine = create_engine(db.engine.url)
        with engine.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        engine.dispose()


def quoted_schema():
    schema = current_app.config.get("TEST_SCHEMA")
    return schema and db.engine.dialect.identifier_preparer.quote_identifier(schema)
