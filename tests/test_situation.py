"""The lägesbild: its counts equal the reports, before and after they are deleted; its pages."""

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from pwa import retention
from pwa.extensions import db
from pwa.formatting import LOCAL_TIME
from pwa.inbox import triage
from pwa.models import Harbour, Report, ReportStatus, utc_now
from pwa.reports.submission import CATEGORIES, Observation, PlateEntry, submit_report
from pwa.situation import counts
from pwa.situation.models import CountedReport, DailyCount, HourlyCount

COUNTS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: A few plates, so that random reports share them within and across harbours.
PLATES = ("ABC123", "XYZ789", "BOAT1")
CASE_NUMBER = "5000-K123456-24"


def store(harbour_id, observed_at, categories, plates=()):
    observation = Observation(
        harbour_id=harbour_id,
        place="Pontoon C",
        observed_at=observed_at,
        categories=tuple(categories),
        plates=tuple(PlateEntry("SE", text, False) for text in plates),
        vehicle="",
        direction="",
        what_happened="Someone carried an outboard motor away.",
        latitude=None,
        longitude=None,
        phone=None,
    )
    return submit_report(uuid.uuid4(), observation).report


def move(report, status):
    triage.change_status(
        None,
        report,
        status,
        case_number=CASE_NUMBER if status == ReportStatus.PASSED_TO_POLICE else None,
    )


def expected_counts():
    """Count the stored reports straight from their rows, as the lägesbild should."""
    reports = db.session.scalars(select(Report).options(selectinload(Report.plates))).all()
    harbours_of = {}
    for report in reports:
        for plate in report.plates:
            harbours_of.setdefault(plate.text, set()).add(report.harbour_id)
    daily, hourly = Counter(), Counter()
    for report in reports:
        local = report.observed_at.astimezone(LOCAL_TIME)
        passed = report.status == ReportStatus.PASSED_TO_POLICE or (
            report.status == ReportStatus.CLOSED and report.police_case_number is not None
        )
        crossed = any(harbours_of[plate.text] - {report.harbour_id} for plate in report.plates)
        for category in ("", *report.categories):
            key = (local.date(), report.harbour_id, category)
            daily[(*key, "reports")] += 1
            daily[(*key, "passed")] += passed
            daily[(*key, "cross_harbour")] += crossed
        hourly[(local.date(), report.harbour_id, local.hour)] += 1
    return +daily, +hourly


def kept_counts():
    daily, hourly = Counter(), Counter()
    for row in db.session.scalars(select(DailyCount)):
        key = (row.day, row.harbour_id, row.category)
        for column in ("reports", "passed", "cross_harbour"):
            daily[(*key, column)] = getattr(row, column)
    for row in db.session.scalars(select(HourlyCount)):
        hourly[(row.day, row.harbour_id, row.hour)] = row.reports
        assert row.weekday == row.day.weekday()
    return +daily, +hourly


def empty_database():
    for model in (CountedReport, DailyCount, HourlyCount, Report, Harbour):
        db.session.execute(delete(model))
    db.session.commit()


#: What happens, in any order: a report stored (harbour, hours ago, categories, plates), or
#: the status of the n-th report stored so far changed.
EVENTS = st.lists(
    st.one_of(
        st.tuples(
            st.just("store"),
            st.integers(0, 2),
            st.integers(0, 29 * 24),
            st.sets(st.sampled_from(sorted(CATEGORIES)), min_size=1, max_size=3),
            st.sets(st.sampled_from(PLATES), max_size=2),
        ),
        st.tuples(st.just("status"), st.integers(0, 30), st.sampled_from(list(ReportStatus))),
    ),
    max_size=25,
)


@COUNTS
@given(events=EVENTS)
def test_the_counts_equal_the_reports_before_and_after_they_are_deleted(app, events):
    with app.app_context():
        empty_database()
        harbours = [Harbour(name=name) for name in ("Gästhamnen", "Femöresund", "Badhusviken")]
        db.session.add_all(harbours)
        db.session.flush()
        now = utc_now()
        reports = []
        for event in events:
            if event[0] == "store":
                _kind, harbour, hours_ago, categories, plates = event
                at = now - timedelta(hours=hours_ago, minutes=7)
                reports.append(store(harbours[harbour].id, at, sorted(categories), sorted(plates)))
            elif reports:
                _kind, index, status = event
                move(reports[index % len(reports)], status)
            db.session.commit()
        before = expected_counts()
        assert kept_counts() == before
        # Counting again changes nothing.
        counts.recount(reports)
        counts.keep([report.id for report in reports])
        db.session.commit()
        assert kept_counts() == before
        retention.purge(now + timedelta(days=91))
        assert db.session.scalar(select(Report.id)) is None
        assert db.session.scalar(select(CountedReport.report_id)) is None
        assert kept_counts() == before


def test_a_report_stored_some_other_way_is_counted_before_it_is_deleted(app, harbour):
    with app.app_context():
        report = Report(
            client_id=uuid.uuid4(),
            reference="0123456789",
            harbour_id=harbour,
            observed_at=datetime(2026, 7, 4, 22, 30, tzinfo=UTC),
            categories=["boat", "person"],
            what_happened="Two people in a dinghy.",
            fingerprint="0" * 64,
            created_at=utc_now() - timedelta(days=100),
        )
        db.session.add(report)
        db.session.commit()
        assert kept_counts() == (Counter(), Counter())
        expected = expected_counts()
        retention.purge()
        assert kept_counts() == expected
        # 22:30 UTC is 00:30 the next day in Oxelösund, in summer time.
        assert {key[0].isoformat() for key in expected[1]} == {"2026-07-05"}


def test_a_plate_seen_at_another_harbour_later_marks_the_earlier_report_too(app, staff):
    guest, femoresund = staff
    with app.app_context():
        at = utc_now() - timedelta(hours=2)
        first = store(guest, at, ["vehicle"], ["ABC123"])
        db.session.commit()
        assert sum(row.cross_harbour for row in db.session.scalars(select(DailyCount))) == 0
        store(guest, at, ["vehicle"], ["ABC123"])
        db.session.commit()
        # The same harbour twice is not another harbour.
        assert sum(row.cross_harbour for row in db.session.scalars(select(DailyCount))) == 0
        store(femoresund, at, ["boat"], ["ABC123"])
        db.session.commit()
        marked = {
            (row.harbour_id, row.category): row.cross_harbour
            for row in db.session.scalars(select(DailyCount))
        }
        assert marked == {
            (guest, ""): 2,
            (guest, "vehicle"): 2,
            (femoresund, ""): 1,
            (femoresund, "boat"): 1,
        }
        # Kept when the other reports are gone: the plate was seen at two harbours.
        db.session.execute(delete(Report).where(Report.id != first.id))
        db.session.commit()
        move(db.session.get(Report, first.id), ReportStatus.CLOSED)
        db.session.commit()
        assert db.session.get(CountedReport, first.id).cross_harbour


def test_passed_to_the_police_counts_while_passed_or_closed_after(app, harbour):
    with app.app_context():
        report = store(harbour, utc_now() - timedelta(hours=1), ["boat"])
        db.session.commit()

        def passed():
            return db.session.scalar(select(DailyCount.passed).filter_by(category=""))

        move(report, ReportStatus.PASSED_TO_POLICE)
        assert passed() == 1
        move(report, ReportStatus.CLOSED)
        assert passed() == 1
        move(report, ReportStatus.UNDER_REVIEW)
        assert passed() == 0
        move(report, ReportStatus.DISCARDED)
        assert passed() == 0
        assert db.session.scalar(select(DailyCount.reports).filter_by(category="")) == 1


@pytest.mark.parametrize("years", [10, 2])
def test_counts_go_after_the_years_the_settings_say(app, harbour, years):
    app.config["STATISTICS_RETENTION_YEARS"] = years
    with app.app_context():
        today = datetime.now(LOCAL_TIME).date()
        first_kept = today.replace(day=1, year=today.year - years)
        for day in (first_kept, first_kept - timedelta(days=1)):
            db.session.add(
                DailyCount(
                    day=day,
                    harbour_id=harbour,
                    category="",
                    month=day.replace(day=1),
                    reports=1,
                    passed=0,
                    cross_harbour=0,
                )
            )
        db.session.commit()
        retention.purge()
        kept = db.session.scalars(select(DailyCount.day)).all()
        assert kept == [first_kept]
