"""The app and its database for the tests (see tests/databases.py).

Every session of the app joins the test's transaction through a savepoint of its own. A
session that ends without committing rolls back its savepoint, and with it whatever the
sessions opened after it committed meanwhile: make requests outside `with app.app_context()`
blocks that have read or written, as the tests do, not inside them.
"""

import secrets
from contextlib import ExitStack

import pytest
from redis import Redis

from pwa import create_app
from pwa.config import Config, TestConfig
from pwa.extensions import db
from pwa.models import Account, Harbour
from tests.databases import SharedDatabase, bound, state_kept
from tests.staff import add_staff


@pytest.fixture(scope="session", autouse=True)
def session_store(tmp_path_factory):
    """Keep the sessions of the tests' apps apart from `make run`'s and from other runs': in a
    folder of this run, or in Redis (TEST_REDIS_URL) under keys of this run, deleted after."""
    prefix = f"batsamverkan-test-{secrets.token_hex(4)}:session:"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Config, "SESSION_DIRECTORY", str(tmp_path_factory.mktemp("sessions")))
        patch.setattr(Config, "SESSION_KEY_PREFIX", prefix)
        yield
    if TestConfig.REDIS_URL:
        with Redis.from_url(TestConfig.REDIS_URL) as redis:
            for key in redis.scan_iter(match=prefix + "*"):
                redis.delete(key)


@pytest.fixture(scope="session")
def shared_database():
    """The tables of the tests' database, made once from the migrations."""
    database = SharedDatabase()
    yield database
    database.drop()


@pytest.fixture
def connection(shared_database):
    """The connection every app of the test uses; what the test did is rolled back after."""
    with shared_database.transaction() as connection:
        yield connection


@pytest.fixture
def app(shared_database, connection):
    """The app of TestConfig, with the settings it had before the test once the test ends."""
    with state_kept(shared_database.app) as app, bound(app, connection):
        yield app


@pytest.fixture
def make_app(connection):
    """Return a function that creates an app of its own on the test's connection: of other
    settings from the start (a config class, by default TestConfig), or to add routes to."""
    with ExitStack() as apps:

        def make(config=TestConfig):
            return apps.enter_context(bound(create_app(config), connection))

        yield make


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def harbour(app):
    """An active harbour with a contact person, and an inactive one that the form must not offer."""
    with app.app_context():
        db.session.add(Harbour(name="Badhusviken", sort_order=2, active=False))
        harbour = Harbour(name="Oxelösunds gästhamn", sort_order=1)
        db.session.add_all([harbour, contact_person(harbour)])
        db.session.commit()
        return harbour.id


def contact_person(*harbours, email="harbour-contact@example.org"):
    """An active contact person of the harbours, who never logs in (no password)."""
    return Account(
        email=email,
        name="Contact person",
        password_hash="!",
        harbours=list(harbours),
    )


@pytest.fixture
def staff(app):
    """Two harbours with a contact person each, and an administrator: (guest id, Femöresund id)."""
    with app.app_context():
        return add_staff()
