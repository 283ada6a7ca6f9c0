"""The contact person's inbox through the Flask client: list, filters, paging, polling, triage."""

import html
import re
from datetime import UTC, datetime
from urllib.parse import unquote_plus

import pytest
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from pwa.extensions import db
from pwa.models import AuditEvent, Report, ReportStatus
from tests.staff import ADMIN, BO, KIM, add_report, csrf_token, log_in

HTMX = {"HX-Request": "true"}
#: The reports of the `variety` fixture, newest first.
ALL = ["femore_closed", "femore_vehicle", "guest_person", "guest_boat"]


def text(response):
    return response.get_data(as_text=True)


def in_language(app, lang, message, **variables):
    """Return a message as the catalogue of `lang` has it."""
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return _(message, **variables)


def listed(page):
    """Return the ids of the reports in a list, in the order shown."""
    return [int(found) for found in re.findall(r'id="report-(\d+)"', text(page))]


def title(page):
    return re.search(r"<title>(.*?)</title>", text(page), re.S).group(1)


def link(page, label):
    """Return the address of the link with this text."""
    found = re.search(rf'href="([^"]+)">{re.escape(label)}</a>', text(page))
    return html.unescape(found.group(1)) if found else None


def reload(app, report_id):
    with app.app_context():
        report = db.session.get(Report, report_id)
        db.session.expunge(report)
        return report


def audit(app, report_id, action):
    with app.app_context():
        return db.session.scalars(
            select(AuditEvent).filter_by(report_id=report_id, action=action).order_by(AuditEvent.id)
        ).all()


def add_reports(app, harbour_id, count, **fields):
    with app.app_context():
        return [add_report(harbour_id, **fields).id for _ in range(count)]


def set_fields(app, report_id, **fields):
    with app.app_context():
        report = db.session.get(Report, report_id)
        for name, value in fields.items():
            setattr(report, name, value)
        db.session.commit()


def filter_inbox(client, lang="sv", headers=None, **filters):
    """Filter the inbox as its form does; return the answer to the post and the page after."""
    token = csrf_token(client, f"/{lang}/account/password")
    answer = client.post(f"/{lang}/inbox/", data={"csrf_token": token, **filters}, headers=headers)
    if answer.status_code != 303:
        return answer, answer
    return answer, client.get(answer.headers["Location"], headers=headers)


def triage(client, report_id, lang="sv", **data):
    token = csrf_token(client, f"/{lang}/account/password")
    return client.post(f"/{lang}/inbox/{report_id}", data={"csrf_token": token, **data})


@pytest.fixture
def kim(client, staff):
    log_in(client, KIM)
    return client


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_inbox_lists_newest_first_and_counts_the_unread(app, client, staff, lang):
    guest, femoresund = staff
    first, second, third = add_reports(app, guest, 3)
    add_reports(app, femoresund, 1)
    set_fields(app, first, read_at=datetime.now(UTC))
    log_in(client, KIM, lang=lang)
    page = client.get(f"/{lang}/inbox/")
    assert page.status_code == 200
    assert listed(page) == [third, second, first]
    assert title(page).startswith(f"(2) {in_language(app, lang, 'Inbox')} – ")
    items = re.findall(r'<li class="report-item( unread)?" id="report-(\d+)"', text(page))
    assert items == [(" unread", str(third)), (" unread", str(second)), ("", str(first))]
    unread = in_language(app, lang, "Unread")
    assert text(page).count(f'<span class="badge badge-new">{unread}</span>') == 2


def test_the_inbox_of_a_quiet_harbour_says_so(app, client, staff):
    log_in(client, BO, lang="en")
    page = client.get("/en/inbox/")
    assert listed(page) == []
    assert title(page).startswith("Inbox – ")
    assert "No reports have arrived yet." in text(page)


def test_opening_a_report_marks_it_read_and_starts_its_review(app, kim, staff):
    (report_id,) = add_reports(app, staff[0], 1, what_happened="Someone tried every door.")
    page = kim.get(f"/sv/inbox/{report_id}")
    assert page.status_code == 200
    assert "Someone tried every door." in text(page)
    report = reload(app, report_id)
    assert report.read_at is not None
    assert report.status == ReportStatus.UNDER_REVIEW
    (viewed,) = audit(app, report_id, "viewed")
    assert viewed.actor == KIM
    (status,) = audit(app, report_id, "status")
    assert status.details == {"from": "received", "to": "under_review"}
    assert status.actor == KIM

    kim.get(f"/sv/inbox/{report_id}")
    assert reload(app, report_id).read_at == report.read_at
    assert len(audit(app, report_id, "status")) == 1
    assert title(kim.get("/sv/inbox/")).startswith(in_language(app, "sv", "Inbox"))


def test_a_report_opened_again_in_the_same_session_is_logged_once(app, kim, staff):
    """A reload, or a return from the inbox, is not another reading: 9 reloads are one entry."""
    first, second = add_reports(app, staff[0], 2)
    for _reload in range(9):
        assert kim.get(f"/sv/inbox/{first}").status_code == 200
    kim.get("/sv/inbox/")
    kim.get(f"/sv/inbox/{second}")
    kim.get(f"/en/inbox/{first}")
    assert len(audit(app, first, "viewed")) == 1
    assert len(audit(app, second, "viewed")) == 1
    # Another session of the same person, another browser or the next day, is logged again.
    other = app.test_client()
    log_in(other, KIM)
    other.get(f"/sv/inbox/{first}")
    assert [event.actor for event in audit(app, first, "viewed")] == [KIM, KIM]


@pytest.fixture
def variety(app, staff):
    """Reports that differ in harbour, status, category, time received and plate."""
    guest, femoresund = staff
    with app.app_context():
        reports = {
            "guest_boat": add_report(guest, categories=("boat",), plates=("ABC123",)),
            "guest_person": add_report(guest, categories=("person", "vehicle")),
            "femore_vehicle": add_report(femoresund, plates=("ABC123", "XYZ789")),
            "femore_closed": add_report(femoresund, categories=("boat",)),
        }
        ids = {name: report.id for name, report in reports.items()}
    set_fields(app, ids["femore_closed"], status=ReportStatus.CLOSED)
    # 22:30 UTC on 30 June is half past midnight on 1 July in Oxelösund (CEST).
    set_fields(app, ids["guest_boat"], created_at=datetime(2026, 6, 30, 22, 30, tzinfo=UTC))
    set_fields(app, ids["guest_person"], created_at=datetime(2026, 6, 30, 21, 30, tzinfo=UTC))
    set_fields(app, ids["femore_vehicle"], created_at=datetime(2026, 7, 2, 12, 0, tzinfo=UTC))
    return ids


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, ALL),
        ({"harbour": "FEMORESUND"}, ["femore_closed", "femore_vehicle"]),
        ({"status": "closed"}, ["femore_closed"]),
        ({"status": "received"}, ["femore_vehicle", "guest_person", "guest_boat"]),
        ({"category": "boat"}, ["femore_closed", "guest_boat"]),
        ({"category": "person"}, ["guest_person"]),
        ({"category": "vehicle", "status": "received"}, ["femore_vehicle", "guest_person"]),
        ({"received_from": "2026-07-01", "received_to": "2026-07-01"}, ["guest_boat"]),
        ({"received_to": "2026-06-30"}, ["guest_person"]),
        ({"received_from": "2026-07-01"}, ["femore_closed", "femore_vehicle", "guest_boat"]),
        ({"received_from": "2000-01-01", "received_to": "2099-12-31"}, ALL),
        ({"plate": "abc 123"}, ["femore_vehicle", "guest_boat"]),
        ({"plate": " xyz-789 "}, ["femore_vehicle"]),
        ({"plate": "ABC12"}, []),
        ({"plate": "abc123", "harbour": "GUEST"}, ["guest_boat"]),
    ],
)
def test_each_filter_finds_the_right_reports(app, client, staff, variety, args, expected):
    harbours = {"GUEST": str(staff[0]), "FEMORESUND": str(staff[1])}
    args = {name: harbours.get(value, value) for name, value in args.items()}
    log_in(client, ADMIN)
    _answer, page = filter_inbox(client, **args)
    assert page.status_code == 200
    assert listed(page) == [variety[name] for name in expected]
    if not expected:
        assert in_language(app, "sv", "No reports match.") in text(page)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_wrong_filter_says_what_is_wrong_and_keeps_what_was_typed(app, kim, variety, lang):
    answer, _page = filter_inbox(
        kim, lang, received_from="2026-07-02", received_to="2026-07-01", plate="abc"
    )
    assert answer.status_code == 422
    assert listed(answer) == []
    page = text(answer)
    assert in_language(app, lang, "The end date must not be before the start date.") in page
    assert 'aria-describedby="received_to-error"' in page
    assert 'value="2026-07-02"' in page and 'value="abc"' in page


def test_pages_of_the_inbox_show_every_report_once(app, client, staff):
    guest = staff[0]
    ids = add_reports(app, guest, 60, categories=("boat",))
    add_reports(app, guest, 5, categories=("person",))
    log_in(client, KIM)
    seen, sizes = [], []
    url = filter_inbox(client, category="boat")[0].headers["Location"]
    while url:
        page = client.get(url)
        assert page.status_code == 200
        seen += listed(page)
        sizes.append(len(listed(page)))
        url = link(page, in_language(app, "sv", "Older reports"))
        if url:
            assert "filter=" in url and "category" not in url
    assert sizes == [25, 25, 10]
    assert seen == sorted(ids, reverse=True)


def test_all_harbours_stays_out_of_the_address(app, client, staff):
    add_reports(app, staff[0], 30)
    log_in(client, ADMIN)
    answer, page = filter_inbox(client, harbour="", status="", plate="")
    assert answer.headers["Location"] == "/sv/inbox/"
    assert page.status_code == 200
    assert re.search(r'<select [^>]*name="harbour"[^>]*><option selected value="">', text(page))
    assert (
        link(page, in_language(app, "sv", "Older reports"))
        == f"/sv/inbox/?before={listed(page)[-1]}"
    )


def test_an_htmx_filter_gets_only_the_list(app, kim, variety):
    answer, page = filter_inbox(kim, category="boat", headers=HTMX)
    assert page.status_code == 200
    assert "HX-Request" in page.headers["Vary"]
    assert "<html" not in text(page) and "filter-form" not in text(page)
    assert listed(page) == [variety["guest_boat"]]
    whole = kim.get(answer.headers["Location"])
    assert "HX-Request" in whole.headers["Vary"]
    assert "<html" in text(whole)
    # Going back in history asks for the whole page again.
    history = kim.get("/sv/inbox/", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in text(history)


def poller_after(page):
    """Return the `after` of the poll the answer sets up next."""
    poller = re.search(r'<div id="inbox-poller" hx-get="([^"]+)"', text(page)).group(1)
    return int(re.search(r"after=(\d+)", html.unescape(poller)).group(1))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_poll_brings_only_newer_reports(app, client, staff, lang):
    guest, femoresund = staff
    (old,) = add_reports(app, guest, 1)
    log_in(client, KIM, lang=lang)
    inbox = client.get(f"/{lang}/inbox/")
    after = poller_after(inbox)
    assert after == old

    nothing = client.get(f"/{lang}/inbox/new", query_string={"after": after})
    assert nothing.status_code == 200
    assert listed(nothing) == []
    assert poller_after(nothing) == old
    assert "hx-swap-oob" not in text(nothing)

    new = add_reports(app, guest, 2)
    add_reports(app, femoresund, 1)
    answer = client.get(f"/{lang}/inbox/new", query_string={"after": after})
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert listed(answer) == sorted(new, reverse=True)
    assert poller_after(answer) == max(new)
    assert title(answer).startswith(f"(3) {in_language(app, lang, 'Inbox')} – ")
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        news = ngettext("%(num)s new report has arrived.", "%(num)s new reports have arrived.", 2)
    assert news in text(answer)
    assert listed(client.get(f"/{lang}/inbox/new", query_string={"after": max(new)})) == []


def test_the_poll_keeps_the_filters(app, kim, staff):
    guest = staff[0]
    add_reports(app, guest, 1, categories=("boat",))
    _answer, inbox = filter_inbox(kim, category="boat")
    poller = re.search(r'<div id="inbox-poller" hx-get="([^"]+)"', text(inbox)).group(1)
    assert "filter=" in poller and "category" not in poller
    add_reports(app, guest, 1, categories=("person",))
    (boat,) = add_reports(app, guest, 1, categories=("boat",))
    answer = kim.get(html.unescape(poller))
    assert listed(answer) == [boat]
    assert re.search(r'hx-get="([^"]+)"', text(answer)).group(1) == poller.replace(
        f"after={poller_after(inbox)}", f"after={boat}"
    )


def test_older_pages_do_not_poll(app, client, staff):
    add_reports(app, staff[0], 30)
    log_in(client, KIM)
    page = client.get("/sv/inbox/")
    assert 'id="inbox-poller"' in text(page)
    older = client.get(link(page, in_language(app, "sv", "Older reports")))
    assert len(listed(older)) == 5
    assert 'id="inbox-poller"' not in text(older)
    assert link(older, in_language(app, "sv", "Newest reports")) == "/sv/inbox/"


@pytest.fixture
def report_id(app, staff):
    (report_id,) = add_reports(app, staff[0], 1)
    return report_id


@pytest.mark.parametrize(
    ("status", "extra"),
    [
        ("under_review", {}),
        ("passed_to_police", {"case_number": "5000-K123456-24"}),
        ("closed", {}),
        ("discarded", {}),
        ("received", {}),
    ],
)
def test_each_status_can_be_set(app, kim, report_id, status, extra):
    kim.get(f"/sv/inbox/{report_id}")
    answer = triage(kim, report_id, status=status, **extra)
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/sv/inbox/{report_id}#main"
    page = kim.get(answer.headers["Location"])
    assert in_language(app, "sv", "The report has been saved.") in text(page)
    report = reload(app, report_id)
    assert report.status == ReportStatus(status)
    events = audit(app, report_id, "status")
    if status != "under_review":
        assert events[-1].details["from"] == "under_review"
        assert events[-1].details["to"] == status
        assert events[-1].actor == KIM


@pytest.mark.parametrize(
    ("lang", "case_number", "message"),
    [
        ("sv", "", "Write the police case number, for example 5000-K123456-24."),
        ("en", "", "Write the police case number, for example 5000-K123456-24."),
        ("sv", "12345", "A police case number looks like 5000-K123456-24. Check what you wrote."),
        (
            "en",
            "5000-123456-24",
            "A police case number looks like 5000-K123456-24. Check what you wrote.",
        ),
    ],
)
def test_passing_to_the_police_needs_a_case_number(
    app, client, staff, report_id, lang, case_number, message
):
    log_in(client, KIM, lang=lang)
    answer = triage(
        client,
        report_id,
        lang,
        status="passed_to_police",
        case_number=case_number,
        note="Called the owner <b>twice</b>",
    )
    assert answer.status_code == 422
    page = text(answer)
    assert in_language(app, lang, message) in page
    assert 'aria-describedby="case_number-hint case_number-error"' in page
    # The summary at the top of the form leads to the field.
    assert 'role="alert"' in page
    assert f'<a href="#case_number">{in_language(app, lang, "Police case number")}: ' in page
    assert "Called the owner &lt;b&gt;twice&lt;/b&gt;</textarea>" in page
    assert f'value="{case_number}"' in page or not case_number
    report = reload(app, report_id)
    assert report.status == ReportStatus.RECEIVED
    assert report.note == ""
    assert audit(app, report_id, "status") == []


def test_a_case_number_is_kept_in_capitals(app, kim, report_id):
    answer = triage(kim, report_id, status="passed_to_police", case_number=" 5000-k12345-24 ")
    assert answer.status_code == 303
    report = reload(app, report_id)
    assert report.status == ReportStatus.PASSED_TO_POLICE
    assert report.police_case_number == "5000-K12345-24"
    assert "5000-K12345-24" in text(kim.get(f"/sv/inbox/{report_id}"))
    # The log says that a case number was set, not the number: it outlives the report.
    assert audit(app, report_id, "status")[-1].details == {
        "from": "received",
        "to": "passed_to_police",
        "case_number_changed": True,
    }


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_duplicate_names_a_report_of_ones_own(app, client, staff, lang):
    guest, femoresund = staff
    with app.app_context():
        earlier, report, elsewhere = (
            add_report(guest),
            add_report(guest),
            add_report(femoresund),
        )
        earlier = (earlier.id, earlier.reference)
        report = (report.id, report.reference)
        elsewhere = elsewhere.reference
    log_in(client, KIM, lang=lang)
    cases = [
        ("", "Write the reference code of the report this one repeats."),
        (report[1], "A report cannot be a duplicate of itself."),
        (elsewhere, "None of your reports has this reference code."),
        ("NOTACODE", "None of your reports has this reference code."),
    ]
    for code, message in cases:
        answer = triage(client, report[0], lang, status="duplicate", duplicate_of=code)
        assert answer.status_code == 422
        assert in_language(app, lang, message) in text(answer)
        assert reload(app, report[0]).status == ReportStatus.RECEIVED
    typed = "-".join([earlier[1][:5].lower(), earlier[1][5:].lower()])
    answer = triage(client, report[0], lang, status="duplicate", duplicate_of=typed)
    assert answer.status_code == 303
    saved = reload(app, report[0])
    assert saved.status == ReportStatus.DUPLICATE
    assert saved.duplicate_of_id == earlier[0]
    assert saved.ended_at is not None
    page = text(client.get(f"/{lang}/inbox/{report[0]}"))
    assert f'href="/{lang}/inbox/{earlier[0]}">{earlier[1]}</a>' in page
    assert audit(app, report[0], "status")[-1].details["duplicate_of_id"] == earlier[0]
    assert earlier[1] not in str(audit(app, report[0], "status")[-1].details)


def test_closing_ends_a_report_and_reopening_clears_the_end(app, kim, report_id):
    triage(kim, report_id, status="closed")
    closed = reload(app, report_id)
    assert closed.ended_at is not None
    triage(kim, report_id, status="discarded")
    assert reload(app, report_id).ended_at == closed.ended_at
    triage(kim, report_id, status="under_review")
    assert reload(app, report_id).ended_at is None
    assert [event.details["to"] for event in audit(app, report_id, "status")] == [
        "closed",
        "discarded",
        "under_review",
    ]


def test_a_note_is_audited_without_its_text(app, kim, report_id):
    note = "The owner, Eva Andersson 070-1234567, saw nothing."
    answer = triage(kim, report_id, status="received", note=note)
    assert answer.status_code == 303
    assert reload(app, report_id).note == note
    (event,) = audit(app, report_id, "note")
    assert event.actor == KIM
    with app.app_context():
        for event in db.session.scalars(select(AuditEvent)):
            assert "Eva" not in str(event.details) and "070" not in str(event.details)
    assert audit(app, report_id, "status") == []
    assert note in text(kim.get(f"/sv/inbox/{report_id}"))
    triage(kim, report_id, status="under_review", note=note)
    assert len(audit(app, report_id, "note")) == 1
    assert len(audit(app, report_id, "status")) == 1


def test_saving_a_note_alone_logs_no_status_change(app, kim, report_id):
    police = {"status": "passed_to_police", "case_number": "5000-K123456-24"}
    triage(kim, report_id, **police)
    triage(kim, report_id, **police, note="Spoke to the police")
    assert len(audit(app, report_id, "status")) == 1
    assert len(audit(app, report_id, "note")) == 1
    triage(kim, report_id, **{**police, "case_number": "5000-K654321-24"})
    events = audit(app, report_id, "status")
    assert len(events) == 2
    assert events[-1].details["case_number_changed"] is True
    assert "5000-K" not in str([event.details for event in events])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_triage_form_refuses_an_unknown_status(app, client, staff, report_id, lang):
    log_in(client, KIM, lang=lang)
    answer = triage(client, report_id, lang, status="lost", note="Kept")
    assert answer.status_code == 422
    assert "Kept</textarea>" in text(answer)
    assert reload(app, report_id).status == ReportStatus.RECEIVED


def status_shown(client, lang, reference):
    page = text(client.post(f"/{lang}/status", data={"code": reference}))
    return re.search(r"<dd><strong>(.*?)</strong>", page).group(1)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_reporter_sees_the_status_the_contact_person_set(app, client, staff, lang):
    with app.app_context():
        report = add_report(staff[0])
        report_id, reference = report.id, report.reference
    reporter = app.test_client()
    assert status_shown(reporter, lang, reference) == in_language(app, lang, "Received")
    log_in(client, KIM)
    client.get(f"/sv/inbox/{report_id}")
    assert status_shown(reporter, lang, reference) == in_language(app, lang, "Under review")
    triage(client, report_id, status="passed_to_police", case_number="5000-K1-24")
    expected = in_language(app, lang, "Passed to the police")
    assert status_shown(reporter, lang, reference) == expected
    triage(client, report_id, status="closed")
    assert status_shown(reporter, lang, reference) == in_language(app, lang, "Closed")
    page = text(reporter.post(f"/{lang}/status", data={"code": reference}))
    assert "5000-K1-24" not in page


@pytest.fixture
def sightings(app, staff):
    """One plate in three reports, two in the guest harbour and one at Femöresund."""
    guest, femoresund = staff
    with app.app_context():
        reports = [
            add_report(guest, plates=("ABC123",)),
            add_report(femoresund, plates=("ABC123", "OTH111")),
            add_report(guest, plates=("ABC123",)),
        ]
        return [(report.id, report.reference) for report in reports]


def test_the_administrator_sees_every_sighting_of_a_plate(app, client, sightings):
    first = sightings[0][0]
    (other_harbour, other_reference), (last, last_reference) = sightings[1:]
    log_in(client, ADMIN, lang="en")
    inbox = text(client.get("/en/inbox/"))
    assert inbox.count("also in 2 other reports") == 3
    page = text(client.get(f"/en/inbox/{first}"))
    assert "2 other reports" in page
    assert "Femöresund, Oxelösunds gästhamn" in page
    assert f'href="/en/inbox/{other_harbour}">{other_reference}</a>' in page
    assert f'href="/en/inbox/{last}">{last_reference}</a>' in page
    assert "OTH111" not in page


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_contact_person_sees_only_the_sightings_in_their_harbours(app, client, sightings, lang):
    first, other_reference = sightings[0][0], sightings[1][1]
    last, last_reference = sightings[2]
    log_in(client, KIM, lang=lang)
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        repeat = ngettext("also in %(num)s other report", "also in %(num)s other reports", 1)
        count = ngettext("%(num)s other report", "%(num)s other reports", 1)
    inbox = text(client.get(f"/{lang}/inbox/"))
    assert inbox.count(repeat) == 2
    page = text(client.get(f"/{lang}/inbox/{first}"))
    assert f"{count},\n    Oxelösunds gästhamn</h3>" in page
    assert f'href="/{lang}/inbox/{last}">{last_reference}</a>' in page
    assert other_reference not in page and "Femöresund" not in page


@pytest.mark.parametrize(
    "url", ["/sv/inbox/", "/en/inbox/?status=closed", "/sv/inbox/new?after=0", "/en/inbox/ID"]
)
def test_inbox_pages_are_never_cached(app, kim, report_id, url):
    answer = kim.get(url.replace("ID", str(report_id)))
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert kim.get("/sv/inbox/999999").headers["Cache-Control"] == "no-store"


@pytest.fixture
def foreign_duplicate(app, client, staff):
    """A report of the guest harbour that the administrator marked a duplicate of one of
    Femöresund: (its id, the original's id and reference code)."""
    guest, femoresund = staff
    with app.app_context():
        report, original = add_report(guest), add_report(femoresund)
        ids = report.id, original.id, original.reference
    admin = app.test_client()
    log_in(admin, ADMIN)
    answer = triage(admin, ids[0], status="duplicate", duplicate_of=ids[2])
    assert answer.status_code == 303
    return ids


def test_a_contact_person_sees_nothing_of_another_harbours_original(app, kim, foreign_duplicate):
    report_id, original_id, reference = foreign_duplicate
    page = text(kim.get(f"/sv/inbox/{report_id}"))
    assert reference not in page
    assert f"/sv/inbox/{original_id}" not in page
    assert in_language(app, "sv", "Duplicate of a report of another harbour") in page
    # Neither in the field nor in the history.
    assert re.search(r'<input [^>]*id="duplicate_of"[^>]*value=""', page)
    assert in_language(app, "sv", "duplicate of %(report)s", report="") in page
    assert in_language(app, "sv", "a report of another harbour") in page
    printed = text(
        kim.post("/sv/inbox/print", data={"csrf_token": csrf_token(kim, "/sv/account/password")})
    )
    assert reference not in printed
    assert in_language(app, "sv", "a report of another harbour") in printed


def test_a_contact_person_saves_a_report_whose_original_they_may_not_read(
    app, kim, foreign_duplicate
):
    report_id, original_id, reference = foreign_duplicate
    kim.get(f"/sv/inbox/{report_id}")
    answer = triage(kim, report_id, status="duplicate", duplicate_of="", note="Checked twice.")
    assert answer.status_code == 303
    saved = reload(app, report_id)
    assert saved.note == "Checked twice."
    assert saved.status == ReportStatus.DUPLICATE
    assert saved.duplicate_of_id == original_id
    # Still refused: naming the other harbour's report oneself.
    answer = triage(kim, report_id, status="duplicate", duplicate_of=reference)
    assert answer.status_code == 422
    assert reference not in text(answer).replace(f'value="{reference}"', "")


def test_the_administrator_sees_the_original_of_another_harbour(app, client, foreign_duplicate):
    report_id, original_id, reference = foreign_duplicate
    log_in(client, ADMIN, lang="en")
    page = text(client.get(f"/en/inbox/{report_id}"))
    assert f'href="/en/inbox/{original_id}">{reference}</a>' in page
    assert f'value="{reference}"' in page
    assert f"(duplicate of {reference})" in page


#: What a browser sends when the person follows a link on another website to the inbox.
CROSS_SITE_LINK = {
    "Sec-Fetch-Site": "cross-site",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-User": "?1",
}
#: …a link on this site's own pages.
OWN_LINK = {**CROSS_SITE_LINK, "Sec-Fetch-Site": "same-origin", "Referer": "http://localhost/"}


@pytest.mark.parametrize(
    "headers",
    [
        CROSS_SITE_LINK,
        # A site under the same domain is another site too.
        {**CROSS_SITE_LINK, "Sec-Fetch-Site": "same-site"},
        # A browser without Sec-Fetch-Site, sent from another site's link.
        {"Referer": "https://evil.example/boats.html"},
        {"Origin": "null"},
    ],
    ids=["cross-site", "same-site", "old browser, foreign referer", "opaque origin"],
)
def test_a_link_from_another_site_reads_and_changes_nothing(app, kim, report_id, headers):
    set_fields(app, report_id, what_happened="Someone tried every door.")
    page = kim.get(f"/sv/inbox/{report_id}", headers=headers)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Someone tried every door." not in text(page)
    assert in_language(app, "sv", "Open the report?") in text(page)
    report = reload(app, report_id)
    assert report.read_at is None
    assert report.status == ReportStatus.RECEIVED
    with app.app_context():
        assert db.session.scalars(select(AuditEvent).filter_by(report_id=report_id)).all() == []
    # The person opens it with a click of their own, on this site.
    opened = kim.get(link(page, in_language(app, "sv", "Open the report")), headers=OWN_LINK)
    assert "Someone tried every door." in text(opened)
    assert reload(app, report_id).status == ReportStatus.UNDER_REVIEW
    assert len(audit(app, report_id, "viewed")) == 1


@pytest.mark.parametrize(
    "headers",
    [
        OWN_LINK,
        # Typed, bookmarked, or the link in the mail of a new report opened from a mail program.
        {**CROSS_SITE_LINK, "Sec-Fetch-Site": "none"},
        {"Referer": "http://localhost/sv/inbox/"},
        {},
    ],
    ids=["same-origin", "none", "old browser, own referer", "no headers"],
)
def test_a_report_the_person_asked_for_is_read(app, kim, report_id, headers):
    page = kim.get(f"/sv/inbox/{report_id}", headers=headers)
    assert page.status_code == 200
    assert in_language(app, "sv", "Open the report?") not in text(page)
    report = reload(app, report_id)
    assert report.read_at is not None
    assert report.status == ReportStatus.UNDER_REVIEW
    assert [event.actor for event in audit(app, report_id, "viewed")] == [KIM]


#: The attributes that hold an address the browser follows or asks for.
ADDRESSES = re.compile(r'\b(?:href|src|action|formaction|hx-get|hx-post|hx-push-url)="([^"]*)"')


def addresses(response):
    """Return every address in the answer: its redirect, its links, forms and htmx requests."""
    found = [html.unescape(address) for address in ADDRESSES.findall(text(response))]
    return found + [
        response.headers[name] for name in ("Location", "HX-Push-Url") if name in response.headers
    ]


def personal(address, plates, references):
    """Return the plates and reference codes in the address, however it spells them."""
    spelt = unquote_plus(address).upper().replace(" ", "").replace("-", "")
    return [secret for secret in (*plates, *references) if secret.replace("-", "") in spelt]


def test_no_plate_or_reference_code_travels_in_an_address(app, kim, staff):
    guest = staff[0]
    with app.app_context():
        reports = [add_report(guest, plates=("ABC123",)) for _ in range(27)]
        reports.append(add_report(guest, plates=("XYZ789",)))
        first = reports[0].id
        references = [report.reference for report in reports]
    plates = ("ABC123", "XYZ789")
    seen = []

    answer, page = filter_inbox(kim, plate="abc 123")
    seen += [answer, page]
    assert len(listed(page)) == 25
    fragment_answer, fragment = filter_inbox(kim, plate="abc 123", headers=HTMX)
    seen += [fragment_answer, fragment]
    assert listed(fragment) == listed(page)
    older = kim.get(link(page, in_language(app, "sv", "Older reports")))
    seen.append(older)
    assert len(listed(older)) == 2
    with app.app_context():
        new = add_report(guest, plates=("ABC123",)).id
        add_report(guest, plates=("XYZ789",))
    poll = kim.get(
        html.unescape(re.search(r'id="inbox-poller" hx-get="([^"]+)"', text(page)).group(1))
    )
    seen.append(poll)
    assert listed(poll) == [new]
    report_page = kim.get(f"/sv/inbox/{first}", headers=OWN_LINK)
    seen += [report_page, kim.get(f"/sv/inbox/{first}", headers=CROSS_SITE_LINK)]
    assert "ABC123" in text(report_page)
    token = csrf_token(kim, "/sv/account/password")
    seen.append(kim.post("/sv/inbox/print", data={"csrf_token": token, "plate": "ABC123"}))

    every = [address for response in seen for address in addresses(response)]
    assert any("filter=" in address for address in every)
    assert [address for address in every if personal(address, plates, references)] == []


def test_a_plate_seen_often_leads_to_its_reports_by_a_post(app, kim, staff):
    with app.app_context():
        ids = [add_report(staff[0], plates=("ABC123",)).id for _ in range(23)]
        add_report(staff[0], plates=("XYZ789",))
    page = text(kim.get(f"/sv/inbox/{ids[0]}"))
    form = re.search(r'<form method="post" action="(/sv/inbox/)">(.*?)</form>', page, re.S)
    assert form and '<input type="hidden" name="plate" value="ABC123">' in form.group(2)
    token = csrf_token(kim, "/sv/account/password")
    answer = kim.post(form.group(1), data={"csrf_token": token, "plate": "ABC123"})
    assert answer.status_code == 303
    assert "ABC123" not in answer.headers["Location"]
    assert listed(kim.get(answer.headers["Location"])) == sorted(ids, reverse=True)


def test_filters_are_kept_in_the_session_that_set_them(app, kim, variety):
    answer, page = filter_inbox(kim, category="boat")
    assert listed(page) == [variety["guest_boat"]]
    # The same filters again: the same address.
    assert filter_inbox(kim, category="boat")[0].headers["Location"] == answer.headers["Location"]
    other = app.test_client()
    log_in(other, KIM)
    # Another session has no such filters: its inbox is whole, its poll refused.
    whole = [variety["guest_person"], variety["guest_boat"]]
    assert listed(other.get(answer.headers["Location"])) == whole
    poller = re.search(r'id="inbox-poller" hx-get="([^"]+)"', text(page)).group(1)
    assert other.get(html.unescape(poller)).status_code == 400
    assert kim.get(html.unescape(poller)).status_code == 200
