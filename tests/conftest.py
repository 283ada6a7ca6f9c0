import pytest

from pwa.extensions import db
from pwa.models import Harbour
from tests.databases import app_with_tables
from tests.staff import add_staff


@pytest.fixture
def app():
    with app_with_tables() as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def harbour(app):
    """An active harbour, and an inactive one that the form must not offer."""
    with app.app_context():
        db.session.add(Harbour(name="Badhusviken", sort_order=2, active=False))
        harbour = Harbour(name="Oxelösunds gästhamn", sort_order=1)
        db.session.add(harbour)
        db.session.commit()
        return harbour.id


@pytest.fixture
def staff(app):
    """Two harbours with a contact person each, and an administrator: (guest id, Femöresund id)."""
    with app.app_context():
        return add_staff()
