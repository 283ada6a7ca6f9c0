"""Other sightings of a plate: counted within the reader's harbours, and only up to a limit."""

import pytest

from pwa.extensions import db
from pwa.inbox import queries as inbox
from pwa.models import Report
from tests.databases import migrated_indexes
from tests.staff import ADMIN, KIM, add_report, log_in

# The inbox's forms give their choices as tuples, which WTForms 3.3 deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Passing SelectField choices as tuples:DeprecationWarning"
)


def add_sightings(harbour_id, count, plate="VAN123"):
    return [add_report(harbour_id, plates=(plate,)).id for _ in range(count)]


def test_counts_cover_only_the_readers_harbours(app, staff):
    guest, femoresund = staff
    with app.app_context():
        add_sightings(guest, 2)
        add_sightings(femoresund, 3)
        newest = db.session.get(Report, add_sightings(guest, 1)[0])
        assert inbox.plate_counts([guest], [newest]) == {"VAN123": 3}
        assert inbox.plate_counts(None, [newest]) == {"VAN123": 6}


def test_matches_name_the_harbours_and_the_newest_sightings(app, staff):
    guest, femoresund = staff
    with app.app_context():
        older = add_sightings(guest, 1)
        other_harbour = add_sightings(femoresund, 1)
        add_report(guest, plates=("ABC123",))
        report = db.session.get(Report, add_sightings(guest, 1)[0])

        [seen_by_all] = inbox.matches(None, report).found
        assert seen_by_all.count == 2
        assert seen_by_all.harbours == ["Femöresund", "Oxelösunds gästhamn"]
        assert [other.id for other in seen_by_all.reports] == other_harbour + older

        [seen_by_kim] = inbox.matches([guest], report).found
        assert (seen_by_kim.count, seen_by_kim.harbours) == (1, ["Oxelösunds gästhamn"])
        assert [other.id for other in seen_by_kim.reports] == older


def test_matches_show_at_most_the_newest_few(app, staff):
    guest, _ = staff
    with app.app_context():
        ids = add_sightings(guest, inbox.MATCHES_SHOWN + 2)
        report = db.session.get(Report, ids[-1])
        [match] = inbox.matches(None, report).found
        assert match.count == inbox.MATCHES_SHOWN + 1
        expected = ids[-2 : -inbox.MATCHES_SHOWN - 2 : -1]
        assert [other.id for other in match.reports] == expected


def test_a_plate_seen_everywhere_is_counted_up_to_the_limit(app, client, staff):
    guest, _ = staff
    with app.app_context():
        ids = add_sightings(guest, inbox.COUNTED + 5)
        newest = db.session.get(Report, ids[-1])
        assert inbox.plate_counts(None, [newest]) == {"VAN123": inbox.COUNTED + 1}
        assert inbox.matches(None, newest).found[0].count == inbox.COUNTED
    log_in(client, KIM)
    listed = client.get("/sv/inbox/").get_data(as_text=True)
    assert f"även i {inbox.COUNTED} eller fler andra rapporter" in listed
    page = client.get(f"/sv/inbox/{ids[-1]}").get_data(as_text=True)
    assert f"{inbox.COUNTED} eller fler andra rapporter" in page


def test_a_plate_seen_just_below_the_limit_is_counted_exactly(app, client, staff):
    guest, _ = staff
    with app.app_context():
        ids = add_sightings(guest, inbox.COUNTED)
    log_in(client, ADMIN, lang="en")
    page = client.get(f"/en/inbox/{ids[-1]}").get_data(as_text=True)
    assert f"{inbox.COUNTED - 1} other reports" in page
    assert f"{inbox.COUNTED} or more" not in page


def test_the_migrations_index_plates_by_text_and_report(connection):
    indexes = migrated_indexes(connection, "plate")
    assert indexes["ix_plate_text_report_id"] == ["text", "report_id"]
