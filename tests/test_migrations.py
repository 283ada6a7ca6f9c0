"""The migrations make the tables that the models describe."""

import pytest

from pwa.config import TestConfig
from tests.databases import alembic_in_process, own_database, threaded_config


class OnSQLite(TestConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite://"


#: SQLite always; PostgreSQL too when the tests run on it.
DATABASES = [OnSQLite] + ([TestConfig] if TestConfig.SQLALCHEMY_DATABASE_URI != "sqlite://" else [])


@pytest.mark.parametrize(
    "base", DATABASES, ids=[base.SQLALCHEMY_DATABASE_URI.split(":")[0] for base in DATABASES]
)
def test_a_migrated_database_has_what_the_models_describe(tmp_path, caplog, base):
    """`flask db upgrade` on an empty database, then `flask db check`: nothing to generate."""
    with own_database(threaded_config(tmp_path, base)) as app, alembic_in_process():
        runner = app.test_cli_runner()
        upgraded = runner.invoke(args=["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output + caplog.text
        checked = runner.invoke(args=["db", "check"])
        assert checked.exit_code == 0, checked.output + caplog.text
