"""Deleting old reports: the periods, the daily schedule, the command, and what people are told."""

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from pwa import create_app, retention
from pwa.audit import record
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.models import (
    AuditEvent,
    Harbour,
    Plate,
    Report,
    ReportStatus,
    ScheduledTask,
    utc_now,
)
from tests.databases import app_with_tables, threaded_config
from tests.staff import ADMIN, add_report, csrf_token, log_in

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
SECRET_PLATE = "XYZ987"
SECRET_TEXT = "A man in a red cap lifted the outboard off boat 14."


def old_report(
    harbour_id,
    *,
    received_days_ago,
    status=ReportStatus.RECEIVED,
    ended_days_ago=None,
    plates=(SECRET_PLATE,),
    now=NOW,
):
    """Store a report received and perhaps ended some days before `now`; return its id."""
    report = add_report(harbour_id, plates=plates, what_happened=SECRET_TEXT)
    report.created_at = now - timedelta(days=received_days_ago)
    report.status = status
    if ended_days_ago is not None:
        report.ended_at = now - timedelta(days=ended_days_ago)
    db.session.commit()
    return report.id


def add_harbour(name):
    harbour = Harbour(name=name)
    db.session.add(harbour)
    db.session.commit()
    return harbour.id


def remaining_ids():
    return set(db.session.scalars(select(Report.id)))


def test_ended_reports_go_after_30_days_and_every_report_after_90(app, harbour):
    with app.app_context():
        ids = {
            "closed 29 days ago": old_report(
                harbour, received_days_ago=40, status=ReportStatus.CLOSED, ended_days_ago=29
            ),
            "closed 31 days ago": old_report(
                harbour, received_days_ago=40, status=ReportStatus.CLOSED, ended_days_ago=31
            ),
            "duplicate 31 days ago": old_report(
                harbour, received_days_ago=40, status=ReportStatus.DUPLICATE, ended_days_ago=31
            ),
            "discarded 31 days ago": old_report(
                harbour, received_days_ago=32, status=ReportStatus.DISCARDED, ended_days_ago=31
            ),
            "open, 89 days old": old_report(harbour, received_days_ago=89),
            "under review, 89 days old": old_report(
                harbour, received_days_ago=89, status=ReportStatus.UNDER_REVIEW
            ),
            "with the police, 89 days old": old_report(
                harbour, received_days_ago=89, status=ReportStatus.PASSED_TO_POLICE
            ),
            "open, 91 days old": old_report(harbour, received_days_ago=91),
            "closed yesterday, 91 days old": old_report(
                harbour, received_days_ago=91, status=ReportStatus.CLOSED, ended_days_ago=1
            ),
            "new": old_report(harbour, received_days_ago=0),
        }

        deleted = retention.purge(NOW)

        kept = {name for name, report_id in ids.items() if report_id in remaining_ids()}
        assert kept == {
            "closed 29 days ago",
            "open, 89 days old",
            "under review, 89 days old",
            "with the police, 89 days old",
            "new",
        }
        assert deleted == 5


def test_plates_go_with_their_report(app, harbour):
    with app.app_context():
        gone = old_report(harbour, received_days_ago=91, plates=(SECRET_PLATE, "ABC123"))
        kept = old_report(harbour, received_days_ago=1, plates=("DEF456",))

        retention.purge(NOW)

        plates = db.session.execute(select(Plate.report_id, Plate.text)).all()
        assert [tuple(row) for row in plates] == [(kept, "DEF456")]
        assert db.session.scalar(select(func.count(Plate.id)).filter_by(report_id=gone)) == 0


def test_a_duplicate_of_a_deleted_report_keeps_nothing_pointing_at_it(app, harbour):
    with app.app_context():
        original = old_report(harbour, received_days_ago=91)
        duplicate = old_report(
            harbour, received_days_ago=10, status=ReportStatus.DUPLICATE, ended_days_ago=5
        )
        db.session.get(Report, duplicate).duplicate_of_id = original
        db.session.commit()

        retention.purge(NOW)

        db.session.expire_all()
        assert remaining_ids() == {duplicate}
        assert db.session.get(Report, duplicate).duplicate_of_id is None


def test_deletion_is_audited_and_logged_without_personal_data(app, harbour, caplog):
    caplog.set_level(logging.DEBUG)
    with app.app_context():
        for _ in range(3):
            old_report(harbour, received_days_ago=91)
        old_report(harbour, received_days_ago=40, status=ReportStatus.CLOSED, ended_days_ago=31)

        retention.purge(NOW)

        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.actor, e.action, e.account_id, e.report_id) for e in events] == [
            ("system", "deleted", None, None),
            ("system", "deleted", None, None),
        ]
        assert [e.details for e in events] == [
            {"count": 1, "reason": "ended", "days": 30},
            {"count": 3, "reason": "received", "days": 90},
        ]
    messages = [record.getMessage() for record in caplog.records if record.name.startswith("pwa")]
    assert (
        "deleted 1 reports ended over 30 days ago and 3 received over 90 days ago,"
        " and 0 audit log entries over 365 days old; 0 alerts ended over 30 days ago"
    ) in messages
    everything = " ".join(messages + [str(e.details) for e in events])
    for secret in (SECRET_PLATE, SECRET_TEXT, "red cap", "Pontoon C", "White van"):
        assert secret not in everything


def every_audit_text():
    """Return everything the audit table holds, as text."""
    rows = db.session.execute(select(AuditEvent.__table__)).all()
    return " ".join(str(tuple(row)) for row in rows)


def test_no_case_number_or_reference_code_outlives_its_report(app, client, staff):
    guest, femoresund = staff
    with app.app_context():
        reports = [add_report(guest), add_report(guest), add_report(femoresund)]
        (passed, duplicate, legacy) = [(report.id, report.reference) for report in reports]
    log_in(client, ADMIN)
    token = csrf_token(client, "/sv/account/password")
    for report_id, data in (
        (passed[0], {"status": "passed_to_police", "case_number": "5000-K123456-24"}),
        (duplicate[0], {"status": "duplicate", "duplicate_of": passed[1]}),
    ):
        answer = client.post(f"/sv/inbox/{report_id}", data={"csrf_token": token, **data})
        assert answer.status_code == 303
    with app.app_context():
        # As the log wrote a status change before it left the number and the code out.
        record(
            None,
            "status",
            legacy[0],
            **{"from": "received", "to": "duplicate", "case_number": "5000-K654321-24"},
            duplicate_of=passed[1],
        )
        db.session.commit()
        assert "5000-K654321-24" in every_audit_text()

        # After the reports' longest period, well within the log's own.
        retention.purge(utc_now() + timedelta(days=91))

        assert remaining_ids() == set()
        kept = every_audit_text()
        assert "status" in kept and str(passed[0]) in kept
        for secret in ("5000-K", "K123456", "K654321", passed[1], duplicate[1], legacy[1]):
            assert secret not in kept
        status = db.session.scalars(
            select(AuditEvent).filter_by(action="status").order_by(AuditEvent.id)
        ).all()
        assert [event.details for event in status] == [
            {"from": "received", "to": "passed_to_police", "case_number_changed": True},
            {"from": "received", "to": "duplicate", "duplicate_of_id": passed[0]},
            {"from": "received", "to": "duplicate", "case_number_changed": True},
        ]


def test_nothing_to_delete_writes_no_audit_entry(app, harbour):
    with app.app_context():
        old_report(harbour, received_days_ago=1)
        assert retention.purge(NOW) == 0
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_deletes_more_than_one_batch(app, harbour, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 2)
    with app.app_context():
        for _ in range(5):
            old_report(harbour, received_days_ago=95)
        kept = old_report(harbour, received_days_ago=5)

        assert retention.purge(NOW) == 5
        assert remaining_ids() == {kept}


def test_periods_come_from_the_settings(harbour, app):
    app.config.update(REPORT_RETENTION_CLOSED_DAYS=7, REPORT_RETENTION_MAX_DAYS=20)
    with app.app_context():
        closed = old_report(
            harbour, received_days_ago=9, status=ReportStatus.CLOSED, ended_days_ago=8
        )
        recent = old_report(
            harbour, received_days_ago=9, status=ReportStatus.CLOSED, ended_days_ago=6
        )
        old = old_report(harbour, received_days_ago=21)

        retention.purge(NOW)

        assert closed not in remaining_ids() and old not in remaining_ids()
        assert recent in remaining_ids()


def audit_entry(days_ago):
    db.session.add(
        AuditEvent(
            actor="kim@example.org", action="viewed", report_id=1, at=NOW - timedelta(days=days_ago)
        )
    )
    db.session.commit()


def audit_ages():
    return sorted((NOW - event.at).days for event in db.session.scalars(select(AuditEvent)))


def test_audit_entries_go_after_a_year(app, harbour, caplog):
    caplog.set_level(logging.INFO, logger="pwa.retention")
    with app.app_context():
        for days in (366, 400, 364, 0):
            audit_entry(days)

        assert retention.purge(NOW) == 0

        assert audit_ages() == [0, 364]
    assert "and 2 audit log entries over 365 days old" in caplog.text


def test_audit_period_comes_from_the_settings(app, harbour):
    app.config.update(AUDIT_RETENTION_DAYS=30)
    with app.app_context():
        for days in (31, 29):
            audit_entry(days)

        retention.purge(NOW)

        assert audit_ages() == [29]


def test_run_if_due_purges_once_a_day(app, harbour):
    with app.app_context():
        old_report(harbour, received_days_ago=91)

    assert retention.run_if_due(app, NOW) == 1
    assert retention.run_if_due(app, NOW) is None

    with app.app_context():
        old_report(harbour, received_days_ago=100)
    assert retention.run_if_due(app, NOW + timedelta(hours=23, minutes=59)) is None
    with app.app_context():
        assert len(remaining_ids()) == 1
    assert retention.run_if_due(app, NOW + timedelta(hours=24)) == 1
    with app.app_context():
        assert remaining_ids() == set()
        task = db.session.get(ScheduledTask, "purge")
        assert task.last_run_at == NOW + timedelta(hours=24)


@pytest.mark.parametrize("last_run", [None, timedelta(days=2)], ids=["first run", "a day late"])
def test_two_processes_on_one_database_purge_once(tmp_path, last_run):
    config = threaded_config(tmp_path)
    with app_with_tables(config) as app:
        with app.app_context():
            harbour = add_harbour("Oxelösunds gästhamn")
            for _ in range(3):
                old_report(harbour, received_days_ago=91)
            if last_run:
                db.session.add(ScheduledTask(name="purge", last_run_at=NOW - last_run))
                db.session.commit()
        other = create_app(config)
        try:
            start = threading.Barrier(2)
            results = []

            def run(instance):
                start.wait()
                results.append(retention.run_if_due(instance, NOW))

            threads = [threading.Thread(target=run, args=(a,)) for a in (app, other)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            with other.app_context():
                db.engine.dispose()

        assert sorted(results, key=str) == [3, None]
        with app.app_context():
            assert remaining_ids() == set()
            assert (
                db.session.scalar(select(func.count(ScheduledTask.name)).filter_by(name="purge"))
                == 1
            )
            assert db.session.scalar(select(func.count(AuditEvent.id))) == 1


def test_a_failing_purge_is_logged_and_does_not_end_the_schedule(tmp_path, caplog):
    app = create_app(threaded_config(tmp_path))  # a database without tables: every statement fails
    caplog.set_level(logging.INFO)

    assert retention.run_if_due(app, NOW) is None

    (record,) = [r for r in caplog.records if r.name == "pwa.retention"]
    assert record.levelno == logging.ERROR
    assert record.getMessage().startswith("the daily deletion of old reports failed: ")
    with app.app_context():
        db.engine.dispose()


def test_command_purges_and_prints_the_count(app, harbour, runner):
    with app.app_context():
        old_report(harbour, received_days_ago=91, now=datetime.now(UTC))
        old_report(harbour, received_days_ago=92, now=datetime.now(UTC))
        kept = old_report(harbour, received_days_ago=3, now=datetime.now(UTC))

    result = runner.invoke(args=["reports", "purge"])

    assert result.exit_code == 0
    assert result.output == "Deleted 2 reports\n"
    with app.app_context():
        assert remaining_ids() == {kept}


class Scheduled(TestConfig):
    PURGE_SCHEDULED = True


def test_serving_process_starts_the_daily_purge_on_its_first_request(tmp_path):
    with app_with_tables(threaded_config(tmp_path, Scheduled)) as app:
        with app.app_context():
            harbour = add_harbour("Femöresund")
            old_report(harbour, received_days_ago=91, now=datetime.now(UTC))
        assert "purge_schedule" not in app.extensions

        app.test_client().get("/sv/")
        schedule = app.extensions["purge_schedule"]
        app.test_client().get("/en/")
        assert app.extensions["purge_schedule"] is schedule
        # Stopping waits for the check that starts at once.
        schedule.stop()

        assert not schedule.thread.is_alive()
        with app.app_context():
            assert remaining_ids() == set()
            assert db.session.get(ScheduledTask, "purge") is not None


def test_tests_and_commands_start_no_schedule(app, client):
    client.get("/sv/")
    assert "purge_schedule" not in app.extensions


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("sv", "raderas automatiskt 7 dagar efter att kontaktombudet har avslutat den"),
        ("en", "deleted automatically 7 days after the contact person has closed it"),
    ],
)
def test_privacy_page_states_the_configured_periods(make_app, lang, expected):
    class Week(TestConfig):
        REPORT_RETENTION_CLOSED_DAYS = 7
        REPORT_RETENTION_MAX_DAYS = 45

    html = make_app(Week).test_client().get(f"/{lang}/privacy").get_data(as_text=True)
    assert expected in html
    assert ("senast 45 dagar" if lang == "sv" else "at the latest 45 days") in html


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("sv", "raderas automatiskt 30 dagar efter"),
        ("en", "deleted automatically 30 days after"),
    ],
)
def test_privacy_page_states_the_default_periods(client, lang, expected):
    html = client.get(f"/{lang}/privacy").get_data(as_text=True)
    assert expected in html
    assert ("senast 90 dagar" if lang == "sv" else "at the latest 90 days") in html


@pytest.mark.parametrize(
    ("lang", "status", "name", "meaning"),
    [
        (
            "sv",
            ReportStatus.DUPLICATE,
            "Redan rapporterad",
            "Någon hade redan rapporterat samma sak.",
        ),
        (
            "en",
            ReportStatus.DUPLICATE,
            "Already reported",
            "Someone had already reported the same thing; the contact person handles it",
        ),
        (
            "sv",
            ReportStatus.DISCARDED,
            "Går inte vidare",
            "Kontaktombudet har tittat på rapporten och kommer inte att gå vidare med den.",
        ),
        (
            "en",
            ReportStatus.DISCARDED,
            "Not taken further",
            "The contact person has looked at the report and will not take it further.",
        ),
    ],
)
def test_status_look_up_explains_duplicate_and_discarded(
    app, client, harbour, lang, status, name, meaning
):
    with app.app_context():
        report = add_report(harbour, plates=(SECRET_PLATE,), what_happened=SECRET_TEXT)
        report.status = status
        report.ended_at = datetime.now(UTC)
        db.session.commit()
        reference = report.reference

    response = client.post(f"/{lang}/status", data={"code": reference})
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert f"<strong>{name}</strong>: {meaning}" in html
    assert SECRET_PLATE not in html and SECRET_TEXT not in html


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("sv", "Rapporter raderas 30 dagar efter att de har avslutats och senast 90 dagar"),
        ("en", "Reports are deleted 30 days after they are closed and at the latest 90 days"),
    ],
)
def test_status_look_up_of_a_deleted_report_says_reports_are_deleted(client, lang, expected):
    response = client.post(f"/{lang}/status", data={"code": "7K3M9QX2PB"})
    html = response.get_data(as_text=True)

    assert response.status_code == 404
    error = html[html.index('id="code-error"') : html.index("</p>", html.index('id="code-error"'))]
    assert "7K3M9QX2PB" in error and expected in error
    assert 'aria-describedby="code-hint code-error"' in html
