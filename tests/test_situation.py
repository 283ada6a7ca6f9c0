"""The lägesbild: its counts equal the reports, before and after they are deleted; its pages."""

import html
import io
import re
import threading
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from pwa import audit, create_app, retention
from pwa.extensions import db
from pwa.formatting import LOCAL_TIME
from pwa.inbox import triage
from pwa.models import (
    AuditEvent,
    Harbour,
    Plate,
    Report,
    ReportStatus,
    ScheduledTask,
    utc_now,
)
from pwa.reports.submission import CATEGORIES, Observation, PlateEntry, submit_report
from pwa.situation import counts, figures
from pwa.situation.models import (
    CountedReport,
    DailyCount,
    HourlyCount,
    MonthlyCount,
    MonthlyHourCount,
    MonthlyWeekdayCount,
)
from tests.databases import app_with_tables, threaded_config
from tests.staff import ADMIN, KIM, add_report, log_in

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
    """Return the days' counts, having checked that the months' sums agree with them."""
    daily, hourly = Counter(), Counter()
    for row in db.session.scalars(select(DailyCount)):
        key = (row.day, row.harbour_id, row.category)
        for column in ("reports", "passed", "cross_harbour"):
            daily[(*key, column)] = getattr(row, column)
    for row in db.session.scalars(select(HourlyCount)):
        hourly[(row.day, row.harbour_id, row.hour)] = row.reports
        assert row.weekday == row.day.weekday()
    months, hours, weekdays = Counter(), Counter(), Counter()
    for (day, harbour_id, category, column), amount in daily.items():
        months[(day.replace(day=1), harbour_id, category, column)] += amount
    for (day, harbour_id, hour), amount in hourly.items():
        hours[(day.replace(day=1), harbour_id, hour)] += amount
        weekdays[(day.replace(day=1), harbour_id, day.weekday())] += amount
    kept_months = Counter()
    for row in db.session.scalars(select(MonthlyCount)):
        for column in ("reports", "passed", "cross_harbour"):
            kept_months[(row.month, row.harbour_id, row.category, column)] = getattr(row, column)
    assert +kept_months == +months
    assert (
        +Counter(
            {
                (row.month, row.harbour_id, row.hour): row.reports
                for row in db.session.scalars(select(MonthlyHourCount))
            }
        )
        == +hours
    )
    assert (
        +Counter(
            {
                (row.month, row.harbour_id, row.weekday): row.reports
                for row in db.session.scalars(select(MonthlyWeekdayCount))
            }
        )
        == +weekdays
    )
    return +daily, +hourly


def empty_database():
    for model in (CountedReport, *counts.COUNT_MODELS, Report, Harbour):
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
        # As the lägesbild's pages do before they read the counts.
        counts.catch_up()
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
        assert db.session.get(CountedReport, report.id) is None
        expected = expected_counts()
        retention.purge()
        assert kept_counts() == expected
        # 22:30 UTC is 00:30 the next day in Oxelösund, in summer time.
        assert {key[0].isoformat() for key in expected[1]} == {"2026-07-05"}


def counted(model):
    """Return the rows of a table of counts, once the reports stored are counted."""
    counts.catch_up()
    db.session.commit()
    return db.session.scalars(select(model)).all()


def test_a_plate_seen_at_another_harbour_later_marks_the_earlier_report_too(app, staff):
    guest, femoresund = staff
    with app.app_context():
        at = utc_now() - timedelta(hours=2)
        first = store(guest, at, ["vehicle"], ["ABC123"])
        db.session.commit()
        assert sum(row.cross_harbour for row in counted(DailyCount)) == 0
        store(guest, at, ["vehicle"], ["ABC123"])
        db.session.commit()
        # The same harbour twice is not another harbour.
        assert sum(row.cross_harbour for row in counted(DailyCount)) == 0
        store(femoresund, at, ["boat"], ["ABC123"])
        db.session.commit()
        marked = {(row.harbour_id, row.category): row.cross_harbour for row in counted(DailyCount)}
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
                    reports=1,
                    passed=0,
                    cross_harbour=0,
                )
            )
        db.session.commit()
        retention.purge()
        kept = db.session.scalars(select(DailyCount.day)).all()
        assert kept == [first_kept]


@pytest.mark.parametrize(
    ("numbers", "total", "shown"),
    [
        ([7, 6, 2], 15, [7, None, None]),
        ([10, 9, 0], 19, [10, 9, None]),
        ([3, 4], None, [None, None]),
        ([20, 5, 4, 1], 30, [20, 5, None, None]),
        ([6, 6, 3], 15, [None, 6, None]),
    ],
)
def test_a_public_number_below_5_and_any_that_would_give_it_away_are_hidden(numbers, total, shown):
    assert figures.suppressed_group(numbers, total) == shown


def add_reports(harbour_id, count, **fields):
    for _number in range(count):
        add_report(harbour_id, hours_ago=0, **fields)


def table_cells(page, chart_id):
    """Return {row label: [cells]} of a chart's table."""
    section = page.split(f'id="{chart_id}-title"', 1)[1].split("</section>", 1)[0]
    return {
        html.unescape(label): [
            html.unescape(cell) for cell in re.findall(r'<td class="number">([^<]*)</td>', row)
        ]
        for label, row in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', section, re.S)
    }


@pytest.fixture
def three_harbours(app, staff):
    """Seven reports at the guest harbour, six at Femöresund and two at Badhusviken, today."""
    guest, femoresund = staff
    with app.app_context():
        third = Harbour(name="Badhusviken", sort_order=3)
        db.session.add(third)
        db.session.commit()
        add_reports(guest, 7)
        add_reports(femoresund, 6)
        add_reports(third.id, 2)
        return guest, femoresund, third.id


@pytest.mark.parametrize(("lang", "fewer"), [("sv", "färre än 5"), ("en", "fewer than 5")])
def test_the_public_page_says_fewer_than_5_for_small_numbers(client, three_harbours, lang, fewer):
    answer = client.get(f"/{lang}/progress")
    assert answer.status_code == 200
    assert answer.cache_control.no_cache
    page = answer.get_data(as_text=True)
    harbours = table_cells(page, "chart-season-harbours")
    # Badhusviken's 2 is hidden, and Femöresund's 6 too: 15 less 7 would give the 2 away.
    assert harbours["Oxelösunds gästhamn"][0] == "7"
    assert harbours["Femöresund"][0] == fewer
    assert harbours["Badhusviken"][0] == fewer
    assert "15" in page
    months = table_cells(page, "chart-season-months")
    assert all(cells[1] == fewer for cells in months.values())


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_public_page_is_in_both_languages_and_linked_from_the_promise(client, lang):
    page = client.get(f"/{lang}/progress").get_data(as_text=True)
    title = {"sv": "Så går det", "en": "How it is going"}[lang]
    assert f"<h1>{title}</h1>" in page
    assert f'href="/{lang}/progress"' in client.get(f"/{lang}/promise").get_data(as_text=True)


def test_the_exports_public_numbers_are_suppressed_too(client, three_harbours):
    log_in(client, ADMIN, lang="en")
    text = client.get("/en/situation/export.csv").get_data(as_text=True)
    public = text.split("Public numbers", 1)[1]
    rows = {row.split(",")[0]: row.split(",")[1:] for row in public.strip().splitlines()[1:]}
    assert rows["Oxelösunds gästhamn"][0] == "7"
    assert rows["Femöresund"][0] == rows["Badhusviken"][0] == "fewer than 5"
    workbook = load_workbook(io.BytesIO(client.get("/en/situation/export.xlsx").data))
    sheet = {row[0]: row[1:] for row in workbook["Public numbers"].iter_rows(values_only=True)}
    assert sheet["Oxelösunds gästhamn"][0] == 7
    assert sheet["Badhusviken"][0] == "fewer than 5"
    # The staff's own numbers are exact.
    harbours = {
        row[0]: row[1] for row in workbook["Reports by harbour"].iter_rows(values_only=True)
    }
    assert harbours["Badhusviken"] == 2


def situation_urls(lang, **args):
    query = "&".join(f"{name}={value}" for name, value in args.items())
    return [
        f"/{lang}/situation/?{query}",
        f"/{lang}/situation/print?{query}",
        f"/{lang}/situation/export.csv?{query}",
        f"/{lang}/situation/export.xlsx?{query}",
    ]


def body_of(answer):
    if answer.mimetype.endswith("sheet"):
        workbook = load_workbook(io.BytesIO(answer.data))
        return "\n".join(
            str(cell)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    return answer.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_contact_person_sees_only_their_harbours_numbers(client, three_harbours, lang):
    guest, femoresund, third = three_harbours
    log_in(client, KIM, lang=lang)
    today = datetime.now(LOCAL_TIME).date().isoformat()
    for args in ({}, {"harbour": guest}, {"first": today, "last": today}):
        for url in situation_urls(lang, **args):
            answer = client.get(url)
            assert answer.status_code == 200, url
            body = body_of(answer)
            assert "Femöresund" not in body and "Badhusviken" not in body, url
            assert re.search(r"(Reports|Rapporter)(</dt>\s*<dd>|[;,\n])7\b", body), url
    # Another harbour by its id: refused, with nothing of it.
    for harbour in (femoresund, third):
        for url in situation_urls(lang, harbour=harbour):
            answer = client.get(url)
            assert answer.status_code == 422, url
            assert "Femöresund" not in answer.get_data(as_text=True), url


def test_the_administrator_sees_every_harbour_and_filters_one(client, three_harbours):
    third = three_harbours[2]
    log_in(client, ADMIN, lang="en")
    page = client.get("/en/situation/").get_data(as_text=True)
    assert table_cells(page, "chart-harbours") == {
        "Oxelösunds gästhamn": ["7"],
        "Femöresund": ["6"],
        "Badhusviken": ["2"],
    }
    page = client.get(f"/en/situation/?harbour={third}").get_data(as_text=True)
    assert table_cells(page, "chart-harbours") == {"Badhusviken": ["2"]}
    # The days before today hold none of them.
    yesterday = (datetime.now(LOCAL_TIME).date() - timedelta(days=1)).isoformat()
    page = client.get(f"/en/situation/?last={yesterday}&first=2026-01-01").get_data(as_text=True)
    assert "No reports" in page


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("sv", "Slutdatumet får inte vara före startdatumet."),
        ("en", "The end date must not be before the start date."),
    ],
)
def test_a_range_that_ends_before_it_begins_is_refused_in_the_persons_language(
    client, staff, lang, message
):
    log_in(client, ADMIN, lang=lang)
    answer = client.get(f"/{lang}/situation/?first=2026-06-01&last=2026-05-01")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert message in page
    # The form keeps what was typed.
    assert 'value="2026-06-01"' in page


def test_the_charts_say_what_they_show_in_words(client, app, staff):
    guest, _femoresund = staff
    with app.app_context():
        add_reports(guest, 3, categories=("boat",))
    log_in(client, ADMIN, lang="en")
    page = client.get("/en/situation/").get_data(as_text=True)
    month = datetime.now(LOCAL_TIME).strftime("%B")
    year = datetime.now(LOCAL_TIME).year
    assert f"Most reports came in {month} {year}, 3, against 0 in {month} {year - 1}." in page
    assert "The most common was a boat: 3 reports." in page
    assert 'role="img" aria-labelledby="chart-months-svg-title"' in page
    assert "style=" not in page
    page = client.get("/sv/situation/").get_data(as_text=True)
    assert "Rapporter per månad" in page and "Vanligast var en båt: 3 rapporter." in page


def test_no_cell_of_an_export_runs_as_a_formula(client, app, staff):
    with app.app_context():
        harbour = Harbour(name='=HYPERLINK("http://evil.example";"Hamn")', sort_order=5)
        db.session.add(harbour)
        db.session.commit()
        add_reports(harbour.id, 1)
    log_in(client, ADMIN, lang="sv")
    text = client.get("/sv/situation/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text
    workbook = load_workbook(io.BytesIO(client.get("/sv/situation/export.xlsx").data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    named = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert named and all(cell.data_type == "s" and cell.value.startswith("'") for cell in named)
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_the_administrator_sets_the_training_line_in_both_languages(client, app, staff):
    log_in(client, ADMIN, lang="en")
    page = client.get("/en/situation/training").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/en/situation/training",
        data={
            "csrf_token": token,
            "sv": "Nästa utbildning: 12 mars 2027 kl. 18 i kommunhuset",
            "en": "Next training: 12 March 2027, 6 pm in the town hall",
        },
    )
    assert answer.status_code == 303
    assert "Nästa utbildning: 12 mars 2027" in client.get("/sv/progress").get_data(as_text=True)
    assert "Next training: 12 March 2027" in client.get("/en/progress").get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(select(AuditEvent).filter_by(action="training_changed")).one()
        assert entry.details == {"languages": ["en", "sv"]}
    with app.test_request_context("/en/"):
        assert audit.describe(entry) == "changed the training line of the public page"
    # A line break would not be one line: refused, what was typed kept.
    answer = client.post(
        "/en/situation/training", data={"csrf_token": token, "sv": "Rad ett\nRad två", "en": ""}
    )
    assert answer.status_code == 422


def test_only_the_administrator_edits_the_training_line(app, client, staff):
    log_in(client, KIM, lang="sv")
    assert client.get("/sv/situation/training").status_code == 404
    assert client.get("/sv/situation/").status_code == 200
    assert app.test_client().get("/sv/situation/").status_code == 303


@pytest.mark.parametrize(
    ("first", "last", "months", "days"),
    [
        ("2026-01-01", "2026-12-31", ("2026-01-01", "2026-12-01"), []),
        ("2026-01-01", "2026-12-02", ("2026-01-01", "2026-11-01"), [("2026-12-01", "2026-12-02")]),
        (
            "2025-03-15",
            "2026-02-10",
            ("2025-04-01", "2026-01-01"),
            [("2025-03-15", "2025-03-31"), ("2026-02-01", "2026-02-10")],
        ),
        ("2026-03-15", "2026-04-10", None, [("2026-03-15", "2026-04-10")]),
        ("2024-02-01", "2024-02-29", ("2024-02-01", "2024-02-01"), []),
    ],
)
def test_a_range_is_read_from_whole_months_and_the_days_outside_them(first, last, months, days):
    def day(text):
        return date.fromisoformat(text)

    assert figures.split(day(first), day(last)) == (
        months and tuple(map(day, months)),
        [(day(a), day(b)) for a, b in days],
    )


def test_the_same_numbers_whatever_the_range_is_split_into(client, app, staff):
    """Ranges that cut months read days and month sums together, and agree with the days."""
    guest, _femoresund = staff
    with app.app_context():
        for hours_ago in (1, 24 * 20, 24 * 40, 24 * 70, 24 * 200):
            add_report(guest, hours_ago=0)
            report = db.session.scalars(select(Report).order_by(Report.id.desc())).first()
            report.observed_at = utc_now() - timedelta(hours=hours_ago)
        counts.count_all()
        db.session.commit()
        today = datetime.now(LOCAL_TIME).date()
        for first_days, last_days in ((250, 0), (45, 10), (30, 25), (75, 35)):
            scope = figures.Scope(
                today - timedelta(days=first_days), today - timedelta(days=last_days)
            )
            expected = sum(
                1
                for report in db.session.scalars(select(Report))
                if scope.first <= report.observed_at.astimezone(LOCAL_TIME).date() <= scope.last
            )
            found = figures.situation(scope, [])
            assert found.reports == expected == sum(found.by_hour) == sum(found.by_weekday)


def test_a_plate_shared_by_reports_not_yet_counted_is_marked_on_both_before_one_is_deleted(
    app, staff
):
    """The deletion counts what it deletes, and marks the other harbour's report too."""
    guest, femoresund = staff
    with app.app_context():
        first = store(guest, utc_now() - timedelta(hours=3), ["vehicle"], ["ABC123"])
        first.created_at = utc_now() - timedelta(days=100)
        db.session.add(
            Report(
                client_id=uuid.uuid4(),
                reference="0123456789",
                harbour_id=femoresund,
                observed_at=utc_now() - timedelta(hours=3),
                categories=["vehicle"],
                what_happened="The same van.",
                fingerprint="0" * 64,
                plates=[Plate(country="SE", text="ABC123")],
            )
        )
        db.session.commit()
        assert db.session.get(CountedReport, first.id) is None
        retention.purge()
        marked = {
            row.harbour_id: row.cross_harbour
            for row in db.session.scalars(select(DailyCount).filter_by(category=""))
        }
        assert marked == {guest: 1, femoresund: 1}


def test_two_processes_counting_at_once_count_each_report_once(tmp_path):
    """Each gunicorn worker counts when its pages are read: they take turns, and neither
    counts a report the other has counted, nor misses a plate the other's reports name."""
    config = threaded_config(tmp_path)
    with app_with_tables(config) as app:
        other = create_app(config)
        try:
            with app.app_context():
                guest = Harbour(name="Gästhamnen")
                femoresund = Harbour(name="Femöresund")
                db.session.add_all([guest, femoresund])
                db.session.commit()
                harbours = (guest.id, femoresund.id)
            for round_ in range(3):
                with app.app_context():
                    for number in range(30):
                        at = utc_now() - timedelta(hours=number)
                        plates = [PLATES[number % len(PLATES)]] if number % 3 else []
                        store(harbours[number % 2], at, ["boat"], plates)
                    db.session.commit()
                start = threading.Barrier(2)
                errors = []

                def count(instance, start, errors):
                    with instance.app_context():
                        start.wait()
                        try:
                            counts.catch_up()
                            db.session.commit()
                        except Exception as error:
                            errors.append(error)

                threads = [
                    threading.Thread(target=count, args=(a, start, errors)) for a in (app, other)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                assert errors == [], round_
                with app.app_context():
                    assert kept_counts() == expected_counts()
        finally:
            with other.app_context():
                db.engine.dispose()


def test_a_report_waiting_to_be_counted_is_counted_after_a_deletion_has_run(app, harbour):
    """The daily deletion counts only what it deletes: a report stored since the counts were
    last read, an hour before the deletion, is still counted at the next reading."""
    with app.app_context():
        store(harbour, utc_now() - timedelta(hours=3), ["vehicle"])
        db.session.commit()
        counts.catch_up()
        # As if that reading was two hours ago.
        turn = db.session.get(ScheduledTask, counts.TURN)
        turn.last_run_at = utc_now() - timedelta(hours=2)
        waiting = store(harbour, utc_now() - timedelta(hours=1), ["boat"])
        waiting.created_at = utc_now() - timedelta(hours=1)
        old = store(harbour, utc_now() - timedelta(days=20), ["person"])
        old.created_at = utc_now() - timedelta(days=100)
        db.session.commit()
        retention.purge()
        assert db.session.get(CountedReport, waiting.id) is None
        counts.catch_up()
        db.session.commit()
        assert db.session.get(CountedReport, waiting.id) is not None
        by_category = {row.category: row.reports for row in db.session.scalars(select(DailyCount))}
        assert {name: by_category.get(name) for name in ("vehicle", "boat", "person")} == {
            "vehicle": 1,
            "boat": 1,
            "person": 1,
        }
