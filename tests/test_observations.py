"""The time rules, and storing a report exactly once."""

import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from pwa.extensions import db
from pwa.formatting import local_input_text, parse_local_time
from pwa.models import Harbour, Report
from pwa.reports.submission import (
    Conflict,
    Observation,
    PlateEntry,
    Stored,
    find_report,
    new_reference,
    normalise_reference,
    submit_report,
    time_problem,
)
from tests.databases import app_with_tables, threaded_config

NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


def test_local_swedish_time_is_read_as_utc_in_summer_and_winter():
    assert parse_local_time("2026-07-01T14:00") == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert parse_local_time("2026-01-15T14:00") == datetime(2026, 1, 15, 13, 0, tzinfo=UTC)


def test_a_time_with_an_offset_keeps_it():
    assert parse_local_time("2026-07-01T14:00+00:00") == datetime(2026, 7, 1, 14, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01T10:00", "14:00", "0001-01-01T00:00"])
def test_unreadable_times(text):
    moment = parse_local_time(text)
    assert moment is None or time_problem(moment, NOW)


def test_local_input_text_is_swedish_wall_clock():
    assert local_input_text(NOW) == "2026-07-01T14:00"
    assert parse_local_time(local_input_text(NOW)) == NOW


def test_time_rules():
    assert time_problem(NOW, NOW) is None
    assert time_problem(NOW - timedelta(days=29, hours=23), NOW) is None
    assert time_problem(NOW + timedelta(minutes=4), NOW) is None  # the phone's clock is ahead
    assert "future" in str(time_problem(NOW + timedelta(minutes=6), NOW))
    assert "30 days" in str(time_problem(NOW - timedelta(days=30, minutes=1), NOW))


def test_references_are_short_unguessable_and_forgiving_to_type():
    codes = {new_reference() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(code) == 10 and not set(code) & set("ILOU") for code in codes)
    assert normalise_reference(" 7k3m9-qx2pb ") == "7K3M9QX2PB"
    assert normalise_reference("O1L1I") == "01111"


@pytest.fixture
def observation(app, harbour):
    return Observation(
        harbour_id=harbour,
        place="Brygga A",
        observed_at=datetime.now(UTC) - timedelta(hours=2),
        categories=("boat",),
        plates=(PlateEntry("SE", "ABC123", False),),
        vehicle="",
        direction="",
        what_happened="A rib left without lights.",
        latitude=None,
        longitude=None,
        phone=None,
    )


def count():
    return db.session.scalar(select(func.count(Report.id)))


def test_the_fingerprint_ignores_the_order_of_categories(observation):
    reordered = replace(observation, categories=("person", "boat"))
    same = replace(observation, categories=("boat", "person"))
    assert reordered.fingerprint() == same.fingerprint() != observation.fingerprint()


def test_the_fingerprint_of_a_report_does_not_change_between_releases():
    """A report stored before an upgrade and sent again by its outbox after it must still be
    recognised as the same report, not refused as a different one under its client_id."""
    observation = Observation(
        harbour_id=3,
        place="Brygga C",
        observed_at=datetime(2026, 6, 30, 14, 30, tzinfo=timezone(timedelta(hours=2))),
        categories=("person", "boat"),
        plates=(PlateEntry("SE", "ABC123", False), PlateEntry("NO", "AB??", True)),
        vehicle="Vit",
        direction="Mot",
        what_happened="Två",
        latitude=58.1,
        longitude=17.2,
        phone=None,
    )
    # Made with the canonical JSON of the first release (dataclasses.asdict, time in UTC).
    assert observation.fingerprint() == (
        "1802df7530a387f5b34856b0422f946f92baf2839da13657570fb6413c4289d7"
    )


def test_stored_once_then_a_repeat_then_a_conflict(app, observation):
    client_id = uuid.uuid4()
    with app.app_context():
        first = submit_report(client_id, observation)
        db.session.commit()
        assert isinstance(first, Stored) and first.created
        repeat = submit_report(client_id, observation)
        assert isinstance(repeat, Stored) and not repeat.created
        assert repeat.report.reference == first.report.reference
        conflict = submit_report(client_id, replace(observation, place="Brygga B"))
        assert isinstance(conflict, Conflict)
        assert count() == 1
        assert find_report(first.report.reference.lower()).id == first.report.id


@pytest.fixture
def racing_app(tmp_path):
    """An app whose threads have connections of their own."""
    with app_with_tables(threaded_config(tmp_path)) as app:
        with app.app_context():
            db.session.add(Harbour(name="Stjärnholm"))
            db.session.commit()
        yield app


def test_a_race_between_sends_of_one_report_stores_it_once(racing_app, observation):
    app = racing_app
    with app.app_context():
        observation = replace(observation, harbour_id=db.session.scalar(select(Harbour.id)))
    client_id = uuid.uuid4()
    barrier = threading.Barrier(4)
    outcomes = []

    def send():
        with app.app_context():
            barrier.wait()
            outcome = submit_report(client_id, observation)
            db.session.commit()
            outcomes.append((type(outcome), outcome.report.reference))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {kind for kind, _ in outcomes} == {Stored}
    assert len({reference for _, reference in outcomes}) == 1
    with app.app_context():
        assert count() == 1


def test_a_new_report_is_not_looked_up_and_a_repeat_once_after_the_unique_index_refuses_it(
    app, observation, monkeypatch
):
    import pwa.reports.submission

    client_id = uuid.uuid4()
    with app.app_context():
        stored = submit_report(client_id, observation)
        db.session.commit()
        real_report_of = pwa.reports.submission.report_of
        calls = []

        def counted(wanted):
            calls.append(wanted)
            return real_report_of(wanted)

        monkeypatch.setattr(pwa.reports.submission, "report_of", counted)
        assert submit_report(uuid.uuid4(), observation).created
        assert calls == []
        repeat = submit_report(client_id, observation)
        assert calls == [client_id]
        assert isinstance(repeat, Stored) and not repeat.created
        assert repeat.report.reference == stored.report.reference
        assert isinstance(submit_report(client_id, replace(observation, place="X")), Conflict)
        assert count() == 2
