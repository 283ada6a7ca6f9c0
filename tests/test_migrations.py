"""The migrations make the tables that the models describe."""

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import text

from pwa.config import TestConfig
from pwa.extensions import db
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


@pytest.mark.parametrize(
    "base", DATABASES, ids=[base.SQLALCHEMY_DATABASE_URI.split(":")[0] for base in DATABASES]
)
def test_the_lagesbild_counts_are_filled_from_the_reports_stored_before(tmp_path, caplog, base):
    """The reports stored before the counts existed are in them once the migration has run."""
    from tests.test_situation import expected_counts, kept_counts

    with own_database(threaded_config(tmp_path, base)) as app, alembic_in_process():
        runner = app.test_cli_runner()
        upgraded = runner.invoke(args=["db", "upgrade", "b7e2d4f1a9c3"])
        assert upgraded.exit_code == 0, upgraded.output + caplog.text
        with app.app_context():
            reports = [
                # harbour, observed (UTC), categories, status, case number, plates
                (1, "2026-07-04 22:30:00", ["boat", "person"], "received", None, ["ABC123"]),
                (2, "2026-07-05 08:00:00", ["vehicle"], "passed_to_police", "5000-K1-26", []),
                (2, "2026-06-30 12:00:00", ["vehicle"], "closed", "5000-K2-26", ["ABC123"]),
                (1, "2026-06-30 12:10:00", ["other"], "closed", None, ["ABC123"]),
                (1, "2026-01-31 23:30:00", ["damage"], "discarded", None, []),
            ]
            with db.engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO harbour (id, name, active, sort_order)"
                        " VALUES (1, 'A', 1 = 1, 0), (2, 'B', 1 = 1, 0)"
                    )
                )
                for number, (harbour, at, categories, status, case, plates) in enumerate(reports):
                    connection.execute(
                        text(
                            "INSERT INTO report (id, client_id, reference, harbour_id, place,"
                            " observed_at, categories, vehicle, direction, what_happened, status,"
                            " created_at, fingerprint, police_case_number, note)"
                            " VALUES (:id, :client_id, :reference, :harbour, '', :at, :categories,"
                            " '', '', 'Seen.', :status, :at, '', :case, '')"
                        ),
                        {
                            "id": number + 1,
                            "client_id": uuid.uuid4().hex
                            if connection.dialect.name == "sqlite"
                            else str(uuid.uuid4()),
                            "reference": f"REF{number:07}",
                            "harbour": harbour,
                            "at": at,
                            "categories": json.dumps(categories),
                            "status": status,
                            "case": case,
                        },
                    )
                    for plate in plates:
                        connection.execute(
                            text(
                                "INSERT INTO plate (report_id, country, text, head, uncertain)"
                                " VALUES (:report, 'SE', :text, :head, 1 = 0)"
                            ),
                            {"report": number + 1, "text": plate, "head": plate[:2]},
                        )
        upgraded = runner.invoke(args=["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output + caplog.text
        with app.app_context():
            expected = expected_counts()
            assert kept_counts() == expected
            daily, _hourly = expected
            # Counted in Swedish time: 22:30 UTC on 4 July is the 5th, 23:30 on 31 January is
            # 1 February.
            assert daily[(date(2026, 7, 5), 1, "", "reports")] == 1
            assert daily[(date(2026, 2, 1), 1, "damage", "reports")] == 1
            # Passed: the one passed, and the one closed with a case number.
            assert sum(v for k, v in daily.items() if k[2] == "" and k[3] == "passed") == 2
            # ABC123 was named at both harbours: its three reports count.
            assert sum(v for k, v in daily.items() if k[2] == "" and k[3] == "cross_harbour") == 3
