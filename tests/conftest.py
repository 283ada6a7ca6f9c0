import pytest

from pwa import create_app
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.models import Harbour


@pytest.fixture
def app():
    app = create_app(TestConfig)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


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
