"""Apps with a database of their own for a test, on SQLite or on TEST_DATABASE_URL."""

import os
import subprocess
import sys
from contextlib import contextmanager

from sqlalchemy import MetaData, create_engine, inspect

from pwa import create_app
from pwa.config import TestConfig
from pwa.extensions import db


@contextmanager
def app_with_tables(config=TestConfig):
    """Yield an app of `config` with its tables created; drop them afterwards."""
    app = create_app(config)
    with app.app_context():
        create_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def create_tables():
    """Create the app's tables in an empty database, whatever an interrupted run left there."""
    leftovers = MetaData()
    leftovers.reflect(bind=db.engine)
    leftovers.drop_all(bind=db.engine)
    db.create_all()


def threaded_config(path, base=TestConfig):
    """Return `base` with a database that several threads can share, each on its connection.

    An in-memory SQLite database is a single connection; a file in `path` is not.
    """

    class Threaded(base):
        if base.SQLALCHEMY_DATABASE_URI == "sqlite://":
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{path / 'app.db'}"
            SQLALCHEMY_ENGINE_OPTIONS = {}

    return Threaded


def migrated_indexes(path, table):
    """Migrate a new SQLite database in `path` as a deploy does; return `table`'s indexes."""
    url = f"sqlite:///{path / 'app.db'}"
    # In a process of its own, as on a deploy: Alembic configures logging as it starts.
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "pwa", "db", "upgrade"],
        env=os.environ | {"DATABASE_URL": url},
        check=True,
        capture_output=True,
    )
    engine = create_engine(url)
    indexes = {index["name"]: index["column_names"] for index in inspect(engine).get_indexes(table)}
    engine.dispose()
    return indexes
