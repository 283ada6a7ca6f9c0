"""The outbox in real Chromium: reports kept on the phone and delivered exactly once.

The live app runs with TestConfig's short OUTBOX_TIMEOUT_SECONDS, OUTBOX_NETWORK_RETRY_SECONDS
and OUTBOX_BACK_OFF_SECONDS, so that a test waits seconds, not minutes, for a timeout or a retry.
"""

import threading

import pytest
from flask import request
from playwright.sync_api import expect
from sqlalchemy import func, select

from pwa.admin import operations
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.models import Harbour, Report
from tests.browser.helpers import axe_violations, wait_for_receipt, wait_for_service_worker

#: A bound, not a wait: ample for a retry after the first back-off on a slow machine.
DELIVERY = 30_000
#: A bound on the next try after one that made no connection: the interval with its jitter,
#: and a margin for a slow machine.
NETWORK_RETRY = (TestConfig.OUTBOX_NETWORK_RETRY_SECONDS * 1.2 + 5) * 1000


def stored(live_app):
    with live_app.app_context():
        return db.session.scalar(select(func.count()).select_from(Report))


@pytest.fixture
def wait_until_stored(live_app):
    """Return a wait until the database holds `count` reports, for at most `timeout` ms.

    Woken by every request the app answers, so it neither polls nor sleeps. The test's thread
    blocks meanwhile: not for tests whose page.route handlers must run on that thread.
    """
    answered = threading.Condition()

    def notify(response):
        with answered:
            answered.notify_all()
        return response

    live_app.after_request_funcs.setdefault(None, []).append(notify)

    def wait(count, timeout=DELIVERY):
        with answered:
            answered.wait_for(lambda: stored(live_app) >= count, timeout=timeout / 1000)
        return stored(live_app)

    yield wait
    live_app.after_request_funcs[None].remove(notify)


def wait_for_senders(page):
    """Wait until every sender at work, in any tab or the service worker, has finished.

    The senders take the outbox's Web Lock in turn; this turn comes after theirs.
    """
    page.evaluate("() => navigator.locks.request('outbox', () => true)")


def stored_client_ids(live_app):
    with live_app.app_context():
        return db.session.scalars(select(Report.client_id)).all()


def fill_in(page, what_happened, plate="abc 123"):
    page.locator("#harbour").select_option(label="Femöresund")
    page.locator("#categories-boat").check()
    page.locator("#plates-0-text").fill(plate)
    page.locator("#what_happened").fill(what_happened)


def send(page, lang="sv"):
    page.get_by_role(
        "button", name="Skicka rapporten" if lang == "sv" else "Send the report"
    ).click()


def outbox_items(page):
    return page.locator("#outbox-list > li")


def queue_offline(context, page, what_happened, plate="abc 123", waiting=1):
    """Fill in the form and send it with no connection: it goes to the outbox."""
    fill_in(page, what_happened, plate)
    context.set_offline(True)
    send(page)
    expect(outbox_items(page)).to_have_count(waiting)
    expect(page.locator("#outbox-announcement")).to_contain_text("sparad i telefonen")
    expect(page.locator("#what_happened")).to_have_value("")


@pytest.fixture
def report_page(page):
    page.goto("/sv/report")
    wait_for_service_worker(page)
    return page


def test_a_report_sent_offline_waits_and_arrives_once_when_online(live_app, context, report_page):
    page = report_page
    queue_offline(context, page, "En båt utan lanternor.")
    expect(page.locator("#outbox-count")).to_have_text("1 rapport väntar på att skickas.")
    expect(outbox_items(page)).to_have_count(1)
    expect(outbox_items(page).first).to_contain_text("Femöresund · En båt · ABC 123")
    expect(page.locator("#outbox-badge")).to_have_text("Utkorg: 1 väntar")
    # The form is fresh for the next report.
    expect(page.locator("#what_happened")).to_have_value("")
    assert stored(live_app) == 0
    context.set_offline(False)
    # Delivered: the report leaves the outbox, which is gone with nothing in it, and its code
    # is said and kept in My reports, the one list of what was sent.
    expect(page.locator("#outbox")).to_be_hidden(timeout=DELIVERY)
    expect(page.locator("#outbox-badge")).to_be_hidden()
    assert stored(live_app) == 1
    reference = stored_references(live_app)[0]
    expect(page.locator("#outbox-announcement")).to_have_text(
        f"En rapport i utkorgen har skickats. Dess referenskod är {reference}, "
        "under Mina rapporter."
    )
    expect(my_reports(page)).to_have_count(1)
    expect(my_reports(page).first).to_contain_text(reference)
    # The way to its status posts the code, which stays out of the address.
    expect(my_reports(page).first.locator("input[name=code]")).to_have_value(reference)


def my_reports(page):
    return page.locator("#my-reports-list > li")


def stored_references(live_app):
    with live_app.app_context():
        return db.session.scalars(select(Report.reference)).all()


@pytest.fixture
def posts(live_app):
    """Record who sent each post: the Referer of the service worker's own fetches is /sw.js."""
    seen = []

    def record():
        if request.method == "POST":
            seen.append(request.headers.get("Referer", "").removeprefix(request.host_url))

    live_app.before_request_funcs.setdefault(None, []).insert(0, record)
    yield seen
    live_app.before_request_funcs[None].remove(record)


def test_an_answer_lost_after_the_report_was_stored_is_replayed_once(live_app, report_page, posts):
    page = report_page
    lost = []

    def store_then_drop_the_answer(route):
        if route.request.method != "POST" or lost:
            route.fallback()
            return
        answer = route.fetch()
        lost.append(answer.status)
        route.abort("connectionreset")

    page.route("**/report", store_then_drop_the_answer)
    fill_in(page, "En skåpbil vid grinden.")
    send(page)
    # Kept, and sent again at once: the service worker's Background Sync sees a connection.
    # The repeat's receipt puts the code in My reports and takes the report out of the outbox.
    expect(my_reports(page)).to_have_count(1, timeout=DELIVERY)
    assert lost == [200]
    expect(outbox_items(page)).to_have_count(0)
    reference = stored_references(live_app)
    assert len(reference) == 1
    expect(my_reports(page).first).to_contain_text(reference[0])
    # The replay came from the service worker at once (Background Sync), not from the page,
    # which would have waited for its first back-off.
    assert posts == ["sv/report", "sw.js"]


@pytest.mark.parametrize(
    ("lang", "waiting"), [("sv", "Utkorg: 1 väntar"), ("en", "Outbox: 1 waiting")]
)
def test_a_waiting_outbox_passes_axe_and_fits_a_phone(browser, live_server, lang, waiting):
    phone = {"width": 360, "height": 740}
    context = browser.new_context(base_url=live_server, bypass_csp=True, viewport=phone)
    try:
        page = context.new_page()
        page.goto(f"/{lang}/report")
        wait_for_service_worker(page)
        fill_in(page, "Someone tried the doors.")
        context.set_offline(True)
        send(page, lang)
        expect(outbox_items(page)).to_have_count(1)
        expect(page.locator("#outbox-badge")).to_have_text(waiting)
        assert axe_violations(page) == []
        # WCAG reflow: nothing makes the person scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= phone["width"]
    finally:
        context.close()


def test_a_refused_report_needs_attention_and_can_be_edited_and_sent(
    live_app, context, report_page
):
    page = report_page
    page.locator("#harbour").select_option(label="Femöresund")
    page.locator("#place").fill("Brygga C")
    page.locator("#plates-0-text").fill("abi 123")
    context.set_offline(True)
    send(page)
    expect(page.locator("#outbox-announcement")).to_contain_text("sparad i telefonen")
    context.set_offline(False)
    item = outbox_items(page).first
    expect(item).to_contain_text("Behöver åtgärdas", timeout=DELIVERY)
    expect(item).to_contain_text("Vad hände? Beskriv vad som hände.")
    expect(item).to_contain_text("inget registreringsnummer")
    expect(page.locator("#outbox-announcement")).to_have_text(
        "En rapport i utkorgen behöver åtgärdas av dig."
    )
    expect(item.get_by_role("button", name="Skicka nu")).to_be_hidden()
    assert stored(live_app) == 0
    # Edit: the report goes back into the form, with what was typed.
    item.get_by_role("button", name="Ändra").click()
    expect(page.locator("#place")).to_have_value("Brygga C")
    expect(page.locator("#plates-0-text")).to_have_value("abi 123")
    expect(item).to_contain_text("Öppnad i formuläret")
    client_id = page.locator("#client_id").input_value()
    page.locator("#plates-0-text").fill("abc 123")
    page.locator("#categories-boat").check()
    page.locator("#what_happened").fill("En gummibåt utan lanternor.")
    send(page)
    wait_for_receipt(page, live_app, "sv")
    assert [str(stored_id) for stored_id in stored_client_ids(live_app)] == [client_id]
    page.goto("/sv/report")
    expect(page.locator("#outbox")).to_be_hidden()
    expect(page.locator("#outbox-badge")).to_be_hidden()


def test_a_report_for_a_harbour_taken_out_meanwhile_needs_attention_and_goes_to_another(
    live_app, context, report_page
):
    page = report_page
    client_id = page.locator("#client_id").input_value()
    queue_offline(context, page, "Någon bar en utombordsmotor till en bil.")
    with live_app.app_context():
        harbour = db.session.scalars(select(Harbour).filter_by(name="Femöresund")).one()
        operations.update_harbour(None, harbour, active=False)
        db.session.commit()
    # The app opened again with a network: the form no longer offers the harbour.
    context.set_offline(False)
    page.goto("/sv/report")
    expect(page.locator("#harbour option", has_text="Femöresund")).to_have_count(0)
    item = outbox_items(page).first
    expect(item).to_contain_text("Behöver åtgärdas", timeout=DELIVERY)
    expect(item).to_contain_text("Rapporten togs inte emot. Ändra den och rätta detta:")
    expect(item).to_contain_text(
        "Hamn: Femöresund tar inte längre emot rapporter här. Välj en annan hamn och skicka "
        "rapporten igen."
    )
    assert stored(live_app) == 0
    item.get_by_role("button", name="Ändra").click()
    expect(page.locator("#harbour")).to_have_value("")
    expect(page.locator("#what_happened")).to_have_value("Någon bar en utombordsmotor till en bil.")
    page.locator("#harbour").select_option(label="Oxelösunds gästhamn")
    send(page)
    wait_for_receipt(page, live_app, "sv")
    assert [str(stored_id) for stored_id in stored_client_ids(live_app)] == [client_id]


def test_a_report_kept_with_an_added_plate_row_is_edited_and_sent_with_it(
    live_app, context, report_page
):
    page = report_page
    rows = page.locator("[data-plate-row]")
    fill_in(page, "Två bilar vid sjösättningsrampen.")
    page.get_by_role("button", name="Lägg till ett registreringsnummer").click()
    page.locator("#plates-1-text").fill("def 456")
    context.set_offline(True)
    send(page)
    expect(page.locator("#outbox-announcement")).to_contain_text("sparad i telefonen")
    expect(rows).to_have_count(1)
    outbox_items(page).first.get_by_role("button", name="Ändra").click()
    expect(rows).to_have_count(2)
    expect(page.locator("#plates-0-text")).to_have_value("abc 123")
    expect(page.locator("#plates-1-text")).to_have_value("def 456")
    context.set_offline(False)
    send(page)
    wait_for_receipt(page, live_app, "sv")
    with live_app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert [plate.text for plate in report.plates] == ["ABC123", "DEF456"]


def test_a_waiting_report_can_be_deleted_after_confirmation(live_app, context, report_page):
    page = report_page
    queue_offline(context, page, "Skrivet av misstag.")
    item = outbox_items(page).first
    item.get_by_role("button", name="Skicka nu").click()
    expect(page.locator("#outbox-announcement")).to_have_text(
        "Det finns ingen uppkoppling just nu. Rapporten skickas automatiskt när uppkopplingen "
        "är tillbaka."
    )
    page.once("dialog", lambda dialog: dialog.dismiss())
    item.get_by_role("button", name="Radera").click()
    expect(outbox_items(page)).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("button", name="Radera").click()
    expect(page.locator("#outbox-announcement")).to_have_text("Rapporten är raderad.")
    expect(outbox_items(page)).to_have_count(0)
    expect(page.locator("#outbox-badge")).to_be_hidden()
    context.set_offline(False)
    page.reload()
    # The page's sender has had its round since the reload (it writes the count, 0, into the
    # hidden badge after sending), and no other sender is at work.
    expect(page.locator("#outbox-badge")).to_have_text("Utkorg: 0 väntar")
    wait_for_senders(page)
    assert stored(live_app) == 0


def test_a_report_without_an_answer_in_time_waits_in_the_outbox(live_app, report_page):
    page = report_page
    hanging = []

    def hold_the_first_post(route):
        if route.request.method == "POST" and not hanging:
            hanging.append(route)
        else:
            route.fallback()

    # Hold the form's post: no answer ever comes, as from an overloaded server, or on a dead
    # connection that looks alive.
    page.route("**/report", hold_the_first_post)
    fill_in(page, "Ingen svarar.")
    send(page)
    # Kept once the form's post has waited OUTBOX_TIMEOUT_SECONDS.
    expect(outbox_items(page)).to_have_count(1, timeout=DELIVERY)
    expect(page.locator("#what_happened")).to_have_value("")
    assert len(hanging) == 1
    # The outbox sends it on its own once the first back-off is over.
    expect(outbox_items(page)).to_have_count(0, timeout=DELIVERY)
    assert stored(live_app) == 1


@pytest.fixture
def lone_page(browser, live_server):
    """A page without the service worker: it sends on its own, as in Safari and Firefox, which
    have no Background Sync, and the test's routes see all it sends."""
    context = browser.new_context(base_url=live_server, locale="sv-SE", service_workers="block")
    yield context.new_page()
    context.close()


@pytest.fixture
def outbox_waits(live_app):
    """Let a test set the outbox's waits that the pages it opens next carry.

    For a lone_page only: a service worker would serve pages cached with the settings they
    had when it was installed.
    """
    names = ("OUTBOX_NETWORK_RETRY_SECONDS", "OUTBOX_BACK_OFF_SECONDS")
    saved = {name: live_app.config[name] for name in names}
    yield live_app.config.update
    live_app.config.update(saved)


def refuse_posts(route):
    """Refuse the connection of a post, as a dead signal or a server that is down would."""
    if route.request.method == "POST":
        route.abort("connectionrefused")
    else:
        route.fallback()


def queue_unconnected(page, what_happened, waiting=1):
    """Send the form while posts are refused: the page still counts itself online."""
    fill_in(page, what_happened)
    send(page)
    expect(outbox_items(page)).to_have_count(waiting)
    expect(page.locator("#outbox-announcement")).to_contain_text("sparad i telefonen")


def test_a_report_is_sent_soon_after_a_dead_signal_comes_back_without_an_online_event(
    live_app, lone_page, outbox_waits, wait_until_stored
):
    # A back-off far longer than the test: only the short interval sends in time.
    outbox_waits(OUTBOX_BACK_OFF_SECONDS=(120,))
    page = lone_page
    page.goto("/sv/report")
    page.evaluate(
        "() => { window.onlineEvents = 0; addEventListener('online', () => onlineEvents++); }"
    )
    page.route("**/report", refuse_posts)
    queue_unconnected(page, "Ingen täckning vid bryggan.")
    # The outbox's own tries are refused too, and come again at the same short interval.
    expect(outbox_items(page).first).to_contain_text(
        "försökt skicka den 3 gånger", timeout=2 * NETWORK_RETRY
    )
    page.unroute("**/report")
    assert wait_until_stored(1, timeout=NETWORK_RETRY) == 1
    wait_for_senders(page)
    assert stored(live_app) == 1
    assert page.evaluate("() => [navigator.onLine, window.onlineEvents]") == [True, 0]


# Back in view, or back from the back/forward cache, as a browser tells a page.
SHOW_AGAIN = """(event) => {
    if (document.visibilityState !== "visible") throw new Error("The page is hidden.");
    if (event === "pageshow") {
        window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    } else {
        document.dispatchEvent(new Event("visibilitychange"));
    }
}"""


@pytest.mark.parametrize("event", ["visibilitychange", "pageshow"])
def test_a_report_is_sent_at_once_when_the_app_is_in_view_again(
    live_app, lone_page, outbox_waits, wait_until_stored, event
):
    # Waits far longer than the test: only coming into view sends in time.
    outbox_waits(OUTBOX_NETWORK_RETRY_SECONDS=120, OUTBOX_BACK_OFF_SECONDS=(120,))
    page = lone_page
    page.goto("/sv/report")
    page.route("**/report", refuse_posts)
    queue_unconnected(page, "Någon gick ombord.")
    page.unroute("**/report")
    page.evaluate(SHOW_AGAIN, event)
    assert wait_until_stored(1) == 1
    wait_for_senders(page)
    assert stored(live_app) == 1


def test_once_one_report_gets_through_the_others_without_a_connection_follow(
    live_app, lone_page, outbox_waits, wait_until_stored
):
    outbox_waits(OUTBOX_NETWORK_RETRY_SECONDS=120, OUTBOX_BACK_OFF_SECONDS=(120,))
    page = lone_page
    page.goto("/sv/report")
    page.route("**/report", refuse_posts)
    queue_unconnected(page, "Den första.")
    queue_unconnected(page, "Den andra.", waiting=2)
    page.unroute("**/report")
    # Sending one now finds the connection back, and the other goes with it.
    outbox_items(page).first.get_by_role("button", name="Skicka nu").click()
    assert wait_until_stored(2) == 2
    wait_for_senders(page)
    assert stored(live_app) == 2


@pytest.mark.parametrize(("answer", "failure"), [("a 500", "server"), ("none", "timeout")])
def test_a_failing_or_silent_server_is_tried_again_only_after_the_back_off(
    lone_page, outbox_waits, answer, failure
):
    outbox_waits(OUTBOX_BACK_OFF_SECONDS=(60,))
    page = lone_page
    page.goto("/sv/report")
    posts = []

    def fail(route):
        if route.request.method != "POST":
            route.fallback()
            return
        posts.append(route)
        if answer == "a 500":
            route.fulfill(status=500, body="The server broke")

    page.route("**/report", fail)
    fill_in(page, "Ett larm gick.")
    send(page)
    item = outbox_items(page).first
    expect(item).to_be_visible(timeout=DELIVERY)
    # The outbox's own try, at once, and its failure.
    item.get_by_role("button", name="Skicka nu").click()
    expect(item).to_contain_text("försökt skicka den 2 gånger", timeout=DELIVERY)
    last_failure, waits = page.evaluate(
        """async () => {
            const [record] = await outbox.list();
            return [record.lastFailure, record.nextAttemptAt - Date.now()];
        }"""
    )
    # The back-off, not the short interval for tries that made no connection.
    assert last_failure == failure
    assert waits > 30_000
    # Coming into view again does not hurry it either.
    for event in ["visibilitychange", "pageshow"]:
        page.evaluate(SHOW_AGAIN, event)
    wait_for_senders(page)
    assert len(posts) == 2
