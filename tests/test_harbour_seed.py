"""The harbours a new installation starts with: the seed file and `flask harbours seed`."""

import html

import pytest
from sqlalchemy import select

from pwa import seed
from pwa.extensions import db
from pwa.models import AuditEvent, Harbour
from tests.conftest import contact_person

SEEDED = seed.read_harbours()


def harbours(app):
    """Return the harbours as (name, sort_order, active), in the form's order."""
    with app.app_context():
        rows = db.session.scalars(select(Harbour).order_by(Harbour.sort_order, Harbour.name))
        return [(harbour.name, harbour.sort_order, harbour.active) for harbour in rows]


def additions(app):
    """Return the audit log's harbour additions as (actor, name, sort_order), oldest first."""
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).filter_by(action="harbour_added").order_by(AuditEvent.id)
        )
        return [
            (event.actor, event.details["name"], event.details["sort_order"]) for event in events
        ]


def test_the_seed_file_names_a_source_for_every_harbour():
    assert len(SEEDED) >= 3
    for harbour in SEEDED:
        assert harbour["sources"], harbour["name"]
        assert all("https://" in source for source in harbour["sources"]), harbour["name"]
    orders = [harbour["sort_order"] for harbour in SEEDED]
    assert orders == sorted(set(orders)), "the file lists them in the form's order"


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ('name = "Ramdalen"\nsort_order = 1', "needs its sources"),
        ('name = "Ramdalen"\nsort_order = 1\nsources = [" "]', "needs its sources"),
        ('name = "Ramdalen"\nsort_order = 1\nsources = "https://example.org"', "needs its sources"),
        ('name = " "\nsort_order = 1\nsources = ["https://example.org"]', "1 to 100 characters"),
        ('name = "Ramdalen"\nsort_order = "1"\nsources = ["https://example.org"]', "sort_order"),
        ('name = "Ramdalen"\nsort_order = 10000\nsources = ["https://example.org"]', "sort_order"),
    ],
)
def test_a_seed_file_without_what_the_form_needs_is_refused(tmp_path, entry, complaint):
    path = tmp_path / "harbours.toml"
    path.write_text(f"[[harbour]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(seed.SeedError, match=complaint):
        seed.read_harbours(path)


def test_a_seed_file_with_a_name_twice_or_no_harbour_is_refused(tmp_path):
    path = tmp_path / "harbours.toml"
    entry = '[[harbour]]\nname = "{}"\nsort_order = 1\nsources = ["https://example.org"]\n'
    path.write_text(entry.format("Ramdalen") + entry.format("RAMDALEN"), encoding="utf-8")
    with pytest.raises(seed.SeedError, match="listed twice"):
        seed.read_harbours(path)
    path.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(seed.SeedError, match="lists no"):
        seed.read_harbours(path)
    path.write_text("[[harbour]\n", encoding="utf-8")
    with pytest.raises(seed.SeedError, match="not valid TOML"):
        seed.read_harbours(path)


def test_an_empty_database_gets_the_seed_files_harbours_so_a_report_can_be_sent_at_once(
    app, runner, client
):
    assert harbours(app) == []
    result = runner.invoke(args=["harbours", "seed"])
    assert result.exit_code == 0, result.output
    assert f"Added {len(SEEDED)} harbours from the seed file" in result.output
    expected = [(harbour["name"], harbour["sort_order"], True) for harbour in SEEDED]
    assert harbours(app) == expected
    assert additions(app) == [("system", name, order) for name, order, _ in expected]
    # A new installation: no harbour has a contact person yet, so every one is offered, in
    # order, and the form says that the administrator reads the reports.
    form = html.unescape(client.get("/sv/report").get_data(as_text=True))
    places = [form.index(f">{harbour['name']}</option>") for harbour in SEEDED]
    assert places == sorted(places)
    assert "Ingen hamn har något kontaktombud ännu" in form
    assert "finns inte i listan" not in form
    # Once one harbour has a contact person, only it is offered; the form names the others.
    with app.app_context():
        first = db.session.scalar(select(Harbour).filter_by(name=SEEDED[0]["name"]))
        db.session.add(contact_person(first))
        db.session.commit()
    form = html.unescape(client.get("/sv/report").get_data(as_text=True))
    assert f">{SEEDED[0]['name']}</option>" in form
    assert all(f">{harbour['name']}</option>" not in form for harbour in SEEDED[1:])
    assert "finns inte i listan" in form
    assert "Ingen hamn har något kontaktombud ännu" not in form


@pytest.mark.parametrize("active", [True, False])
def test_a_database_with_a_harbour_is_left_untouched(app, runner, active):
    with app.app_context():
        db.session.add(Harbour(name="Vår egen brygga", sort_order=3, active=active))
        db.session.commit()
    result = runner.invoke(args=["harbours", "seed"])
    assert result.exit_code == 0, result.output
    assert "Harbours are already listed: none added from the seed file" in result.output
    assert harbours(app) == [("Vår egen brygga", 3, active)]
    assert additions(app) == []


def test_seeding_twice_adds_nothing_the_second_time(app, runner):
    first = runner.invoke(args=["harbours", "seed"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["harbours", "seed"])
    assert again.exit_code == 0, again.output
    assert "none added" in again.output
    assert [name for name, _, _ in harbours(app)] == [harbour["name"] for harbour in SEEDED]
    assert len(additions(app)) == len(SEEDED)
