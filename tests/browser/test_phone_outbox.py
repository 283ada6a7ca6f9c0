"""Reporting from the pontoon in Chromium, Firefox and WebKit: the form online, and the outbox
that keeps a report on the phone until the server has it, exactly once.

Without a connection means a cut connection (tests/browser/network.py), which no engine is
told about: no `offline` event, and no `online` event when it comes back. That is the path of
a dead signal at sea, and the only one every engine can be put on; the pages notice the
connection is back by trying again. Background Sync exists only in Chromium, where the
service worker may deliver a report before the page does; in Firefox and WebKit the pages
send. Each test checks the database: one stored report for each report written.

The live app runs with TestConfig's short outbox timeout and back-off.
"""

import re
import threading
import time
import uuid

import pytest
from flask import request
from sqlalchemy import select

from pwa import rate_limits
from pwa.extensions import db
from pwa.models import Harbour, Report
from tests.browser.helpers import change_the_harbours

REFERENCE = re.compile(r"[0-9A-HJKMNP-TV-Z]{10}")
#: What the person reads, in each language.
TEXT = {
    "sv": {
        "sent": "En rapport i utkorgen har skickats. Dess referenskod är {}, under Mina rapporter.",
        "saved": "sparad i telefonen",
        "one waiting": "1 rapport väntar på att skickas.",
        "badge": "Utkorg: {} väntar",
        "thanks": "Tack",
        "attention": "Behöver åtgärdas",
        "what happened": "Vad hände? Beskriv vad som hände.",
        "conflict": "En annan rapport med samma identitet",
    },
    "en": {
        "sent": "A report from the outbox has been sent. Its reference code is {}, in My reports.",
        "saved": "saved on the phone",
        "one waiting": "1 report waits to be sent.",
        "badge": "Outbox: {} waiting",
        "thanks": "Thank you",
        "attention": "Needs attention",
        "what happened": "What happened? Describe what happened.",
        "conflict": "A different report with the same identity",
    },
}
ITEMS = "#outbox-list > li"
MY_REPORTS = "#my-reports-list > li"
HARBOURS = "#harbour option:not([value=''])"


@pytest.fixture(autouse=True)
def fresh_limits(live_app):
    """Count each test's reports alone: three engines write over 30 a minute between them, and
    REPORT_RATE_LIMIT then refuses a test's report for what the tests before it sent."""
    rate_limits.reset(live_app)


def stored(live_app):
    """Return the client ids of the reports the database holds."""
    with live_app.app_context():
        return [str(client_id) for client_id in db.session.scalars(select(Report.client_id))]


def wait_until_stored(live_app, count, timeout=30):
    """Wait until the database holds `count` reports, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while len(stored(live_app)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return stored(live_app)


def reference_of(live_app, client_id):
    with live_app.app_context():
        return db.session.scalar(select(Report.reference).filter_by(client_id=uuid.UUID(client_id)))


def wait_for_receipt(tab, lang):
    """Wait for the receipt page and return the code it shows, which only its fragment holds."""
    shown = tab.wait_until(
        """const code = document.querySelector("[data-receipt] .reference")?.textContent;
        return location.pathname === args[0] && !!code
          && [code, location.hash, document.querySelector("[data-receipt] [name=code]").value];""",
        f"/{lang}/report/receipt",
        message="the receipt page with its code",
    )
    reference, fragment, posted = shown
    assert REFERENCE.fullmatch(reference)
    assert (fragment, posted) == (f"#{reference}", reference)
    return reference


def open_form(phone, lang):
    tab = phone.open(f"/{lang}/report")
    tab.wait_for_service_worker()
    return tab


def fill_in(tab, what_happened, plate="abc 123"):
    tab.choose("#harbour", "Femöresund")
    tab.click("#categories-boat")
    tab.fill("#plates-0-text", plate)
    tab.fill("#what_happened", what_happened)


def send(tab):
    tab.click("#report-form button[type=submit]")


def queue(tab, lang, what_happened, waiting=1):
    """Fill in the form and send it with the connection cut: it waits in the outbox, and the
    form is fresh for the next report."""
    client_id = tab.value("#client_id")
    fill_in(tab, what_happened)
    send(tab)
    tab.wait_for_count(ITEMS, waiting)
    tab.wait_for_text("#outbox-announcement", TEXT[lang]["saved"])
    assert tab.value("#what_happened") == ""
    assert tab.value("#client_id") != client_id
    return client_id


def state_of(number=1):
    return f"{ITEMS}:nth-child({number}) [data-state]"


def wait_until_nothing_waits(tab):
    tab.wait_until(
        "return document.getElementById('outbox-badge').hidden;", message="an empty outbox"
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_online_report_gets_a_receipt(live_app, phone, lang):
    tab = open_form(phone, lang)
    client_id = tab.value("#client_id")
    fill_in(tab, "Two people carried an outboard to a van.")
    send(tab)
    reference = wait_for_receipt(tab, lang)
    tab.wait_for_text("[data-receipt] h1", TEXT[lang]["thanks"])
    assert tab.run("return document.querySelector('[data-no-receipt]').hidden;")
    assert stored(live_app) == [client_id]
    with live_app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert report.reference == reference
        assert [plate.text for plate in report.plates] == ["ABC123"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_report_written_with_no_connection_is_sent_once_it_is_back(
    live_app, phone, network, lang
):
    tab = open_form(phone, lang)
    network.cut()
    client_id = queue(tab, lang, "En båt utan lanternor.")
    assert tab.text("#outbox-count") == TEXT[lang]["one waiting"]
    assert tab.text("#outbox-badge") == TEXT[lang]["badge"].format(1)
    # The form is still there, fresh, for the next report.
    assert tab.run("return !!document.querySelector('#report-form button[type=submit]');")
    assert stored(live_app) == []
    network.restore()
    # Delivered: it leaves the outbox, and its code is said and kept in My reports.
    tab.wait_for_count(ITEMS, 0)
    wait_until_nothing_waits(tab)
    assert stored(live_app) == [client_id]
    with live_app.app_context():
        reference = db.session.scalars(select(Report.reference)).one()
    tab.wait_for_text("#outbox-announcement", TEXT[lang]["sent"].format(reference))
    tab.wait_for_text(MY_REPORTS, reference)


@pytest.fixture
def fails_once(live_app):
    """Make the server answer 500 to the first report posted, and then work again."""
    failed = []

    def fail_first_report():
        if request.method == "POST" and request.path.endswith("/report") and not failed:
            failed.append(request.path)
            return "The server broke", 500
        return None

    live_app.before_request_funcs.setdefault(None, []).insert(0, fail_first_report)
    yield failed
    live_app.before_request_funcs[None].remove(fail_first_report)


def test_a_server_error_is_retried_and_the_report_stored_once(live_app, phone, fails_once):
    tab = open_form(phone, "sv")
    client_id = tab.value("#client_id")
    fill_in(tab, "Någon provade dörrarna.")
    send(tab)
    tab.wait_for_count(ITEMS, 1)
    assert fails_once == ["/sv/report"]
    tab.wait_for_count(ITEMS, 0)
    assert stored(live_app) == [client_id]


@pytest.fixture
def loses_first_answer(live_app, network):
    """Break the connection just after the server has stored the first report, so that its
    answer never reaches the phone; give the connection back a moment later."""
    lost = []

    def lose(response):
        if request.method == "POST" and response.status_code < 300 and not lost:
            lost.append(response.status_code)
            network.cut()
            threading.Timer(0.5, network.restore).start()
        return response

    live_app.after_request_funcs.setdefault(None, []).append(lose)
    yield lost
    live_app.after_request_funcs[None].remove(lose)


def test_an_answer_lost_after_the_report_was_stored_is_replayed_once(
    live_app, phone, loses_first_answer
):
    tab = open_form(phone, "en")
    client_id = tab.value("#client_id")
    fill_in(tab, "A van at the gate.")
    send(tab)
    tab.wait_for_count(ITEMS, 1)
    assert loses_first_answer == [200]
    assert stored(live_app) == [client_id]
    tab.wait_for_count(ITEMS, 0)
    assert stored(live_app) == [client_id]
    with live_app.app_context():
        reference = db.session.scalars(select(Report.reference)).one()
    tab.wait_for_text(MY_REPORTS, reference)


def test_a_report_waiting_when_the_app_was_closed_is_sent_when_it_is_opened(
    live_app, phone, network
):
    tab = open_form(phone, "sv")
    network.cut()
    client_id = queue(tab, "sv", "Lämnad på bryggan.")
    tab.close()
    network.restore()
    tab = phone.open("/sv/")
    assert wait_until_stored(live_app, 1) == [client_id]
    wait_until_nothing_waits(tab)


def test_five_reports_written_with_no_connection_each_arrive_once(live_app, phone, network):
    tab = open_form(phone, "sv")
    network.cut()
    client_ids = [queue(tab, "sv", f"Rapport nummer {n}.", waiting=n) for n in range(1, 6)]
    assert tab.text("#outbox-count") == "5 rapporter väntar på att skickas."
    network.restore()
    assert sorted(wait_until_stored(live_app, 5)) == sorted(client_ids)
    wait_until_nothing_waits(tab)
    wait_for_senders(tab)
    assert sorted(stored(live_app)) == sorted(client_ids)


def wait_for_senders(tab):
    """Wait until every sender at work, in any tab or the service worker, has finished: the
    senders take the outbox's Web Lock in turn, and this turn comes after theirs."""
    tab.run("await navigator.locks.request('outbox', () => true);")


@pytest.fixture
def posts(live_app):
    """Count the reports posted to the server."""
    seen = []

    def record():
        if request.method == "POST":
            seen.append(request.path)

    live_app.before_request_funcs.setdefault(None, []).insert(0, record)
    yield seen
    live_app.before_request_funcs[None].remove(record)


def test_two_open_tabs_never_send_one_report_twice(live_app, phone, network, posts):
    tab = open_form(phone, "sv")
    other = phone.open("/en/promise")
    network.cut()
    client_ids = [queue(tab, "sv", f"Rapport {n}.", waiting=n) for n in range(1, 4)]
    other.wait_for_text("#outbox-badge", "Outbox: 3 waiting")
    posts.clear()
    network.restore()
    assert sorted(wait_until_stored(live_app, 3)) == sorted(client_ids)
    wait_until_nothing_waits(other)
    wait_for_senders(tab)
    assert len(posts) == 3


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_refused_report_needs_attention_and_is_sent_once_corrected(
    live_app, phone, network, lang
):
    tab = open_form(phone, lang)
    tab.choose("#harbour", "Femöresund")
    tab.fill("#place", "Brygga C")
    network.cut()
    send(tab)
    tab.wait_for_count(ITEMS, 1)
    network.restore()
    tab.wait_for_text(state_of(), TEXT[lang]["attention"])
    tab.wait_for_text(f"{ITEMS} [data-errors]", TEXT[lang]["what happened"])
    assert stored(live_app) == []
    tab.click(f"{ITEMS} [data-action=edit]")
    tab.wait_until("return document.getElementById('place').value === 'Brygga C';")
    client_id = tab.value("#client_id")
    tab.click("#categories-boat")
    tab.fill("#what_happened", "En gummibåt utan lanternor.")
    send(tab)
    assert wait_for_receipt(tab, lang) == reference_of(live_app, client_id)
    assert stored(live_app) == [client_id]


def test_a_different_report_under_a_used_identity_needs_attention_and_gets_a_new_one(
    live_app, phone, network
):
    tab = open_form(phone, "en")
    used = tab.value("#client_id")
    fill_in(tab, "The first report.")
    send(tab)
    assert wait_for_receipt(tab, "en") == reference_of(live_app, used)
    tab.goto("/en/report")
    # The page's scripts have given the form a fresh identity once My reports shows the first.
    tab.wait_for_count(MY_REPORTS, 1)
    # The same identity with other content, as a form reopened from an old copy would send.
    tab.run("document.getElementById('client_id').value = args[0];", used)
    network.cut()
    queue(tab, "en", "Another report.")
    network.restore()
    tab.wait_for_text(f"{ITEMS} [data-reason]", TEXT["en"]["conflict"])
    assert stored(live_app) == [used]
    tab.click(f"{ITEMS} [data-action=edit]")
    tab.wait_until("return document.getElementById('what_happened').value === 'Another report.';")
    assert tab.value("#client_id") != used
    renewed = tab.value("#client_id")
    send(tab)
    assert wait_for_receipt(tab, "en") == reference_of(live_app, renewed)
    assert len(stored(live_app)) == 2


def test_too_many_reports_wait_as_the_server_asks_and_are_not_refused(
    live_app, phone, network, one_report_a_day
):
    tab = open_form(phone, "sv")
    network.cut()
    queue(tab, "sv", "Första.")
    queue(tab, "sv", "Andra.", waiting=2)
    network.restore()
    # Which of the two goes first depends on when each was last tried with no connection. The
    # first leaves the outbox for My reports; the second waits as the server asked.
    tab.wait_until(
        """const states = [...document.querySelectorAll(args[0])].map((p) => p.textContent);
        return states.length === 1 && states[0].includes("fortsätter att försöka");""",
        f"{ITEMS} [data-state]",
    )
    tab.wait_for_count(MY_REPORTS, 1)
    assert tab.text("#outbox-badge") == "Utkorg: 1 väntar"
    assert len(stored(live_app)) == 1


def test_a_report_for_a_harbour_taken_out_of_the_form_needs_attention(live_app, phone, network):
    tab = open_form(phone, "sv")
    network.cut()
    queue(tab, "sv", "En jolle drev loss.")
    with live_app.app_context():
        harbour = db.session.scalars(select(Harbour).filter_by(name="Femöresund")).one()
        harbour.active = False
        db.session.commit()
    network.restore()
    tab.wait_for_text(state_of(), "Behöver åtgärdas")
    assert stored(live_app) == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_changed_harbours_show_on_the_next_visit_and_the_last_list_with_no_connection(
    live_app, phone, network, lang
):
    tab = open_form(phone, lang)
    assert tab.texts(HARBOURS) == ["Femöresund", "Oxelösunds gästhamn"]
    change_the_harbours(live_app)
    # The very next visit with a connection shows the change.
    tab.goto(f"/{lang}/report")
    assert tab.texts(HARBOURS) == ["Femöresunds brygga", "Jogersö"]
    # With no connection, the form offers the list last seen, and works.
    network.cut()
    tab.goto(f"/{lang}/report")
    assert tab.run("return document.documentElement.lang;") == lang
    assert tab.texts(HARBOURS) == ["Femöresunds brygga", "Jogersö"]
    tab.choose("#harbour", "Jogersö")
    tab.click("#categories-boat")
    tab.fill("#what_happened", "En båt utan lanternor.")
    send(tab)
    tab.wait_for_text(f"{ITEMS} h3", "Jogersö")
    network.restore()
    tab.wait_for_count(ITEMS, 0)
    with live_app.app_context():
        assert db.session.scalars(select(Report)).one().harbour.name == "Jogersö"
