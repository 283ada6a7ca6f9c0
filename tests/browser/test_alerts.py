"""Alerts on the phone: the Alerts page offline in every engine, turning alerts on and off, a
push shown by the service worker (Chromium, through the DevTools protocol), and an alert that
reaches Firefox ESR through a push service of its own, end to end."""

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from pwa.alerts import delivery
from pwa.alerts.operations import send_alert, withdraw_alert
from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import Alert, AlertPriority, Harbour, PushSubscription, utc_now
from tests.autopush import AutoPush
from tests.browser import engines
from tests.browser.conftest import require
from tests.browser.helpers import axe_violations, wait_for_service_worker
from tests.push_service import PushService
from tests.staff import ADMIN, PASSWORD


def publish(live_app, title, harbour="Oxelösunds gästhamn", **texts):
    with live_app.app_context():
        chosen = db.session.scalar(select(Harbour).filter_by(name=harbour))
        alert = send_alert(
            None,
            chosen,
            title=title,
            text=texts.pop("text", "Kontrollera din båt."),
            priority=AlertPriority.URGENT,
            ends_at=utc_now() + timedelta(hours=24),
            **texts,
        )
        db.session.commit()
        return alert.id


@pytest.fixture(autouse=True)
def no_alerts(live_app):
    yield
    with live_app.app_context():
        db.session.execute(delete(Alert))
        db.session.execute(delete(PushSubscription))
        db.session.commit()


@pytest.mark.parametrize(
    ("lang", "offline_text"), [("sv", "Du är offline"), ("en", "You are offline")]
)
def test_the_alerts_page_opens_with_no_connection_as_the_phone_last_saw_it(
    live_app, phone, network, lang, offline_text
):
    publish(
        live_app,
        "Stölder vid bränslebryggan",
        title_en="Thefts at the fuel jetty",
        text_en="Check your boat.",
    )
    tab = phone.open(f"/{lang}/alerts/")
    tab.wait_for_service_worker()
    withdrawn = publish(live_app, "Återkallat larm")
    publish(live_app, "Nytt larm i natt")
    with live_app.app_context():
        withdraw_alert(None, db.session.get(Alert, withdrawn))
        db.session.commit()
    # Online, the page is always the server's: the new alert, not the withdrawn one.
    tab.goto(f"/{lang}/alerts/")
    tab.wait_for_text("main", "Nytt larm i natt")
    seen_online = tab.text("#alerts-shown-at")
    network.cut()
    tab.goto(f"/{lang}/alerts/")
    titles = tab.texts("article h3")
    first = "Thefts at the fuel jetty" if lang == "en" else "Stölder vid bränslebryggan"
    assert titles == ["Nytt larm i natt", first]
    # When the phone last saw them.
    assert tab.text("#alerts-shown-at") == seen_online
    assert tab.run("return document.documentElement.lang;") == lang
    if phone.can_go_offline:
        phone.go_offline()
        tab.reload()
        tab.wait_for_text("#alerts-offline", offline_text)


FAKE_PUSH = """
// The browser's own push service cannot be reached here: subscriptions point at the tests'
// push service on loopback, with keys the test made as a browser would. Kept in the site's
// localStorage, as the browser keeps a real one for the site's worker, in every tab.
const given = %s;
const asSubscription = (keys) => ({
  endpoint: keys.endpoint,
  options: { applicationServerKey: null },
  toJSON: () => keys,
  unsubscribe: async () => { localStorage.removeItem("subscribed"); return true; },
});
PushManager.prototype.subscribe = async function (options) {
  window.subscribedWith = options;
  localStorage.setItem("subscribed", "yes");
  return asSubscription(given);
};
PushManager.prototype.getSubscription = async function () {
  return localStorage.getItem("subscribed") ? asSubscription(given) : null;
};
"""


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_turning_alerts_on_and_off_for_a_harbour(live_app, browser, live_server, lang):
    with PushService() as service:
        browser_keys = service.subscribe().subscription()
    context = browser.new_context(base_url=live_server)
    context.grant_permissions(["notifications"], origin=live_server)
    context.add_init_script(FAKE_PUSH % json.dumps(browser_keys))
    try:
        page = context.new_page()
        page.goto(f"/{lang}/alerts/")
        wait_for_service_worker(page)
        # Quiet hours chosen before any harbour are kept for when alerts are turned on.
        page.select_option("#quiet-from", "23")
        page.select_option("#quiet-until", "6")
        toggle(page, "Femöresund").click()
        expect(toggle(page, "Femöresund")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#alerts-off")).to_be_visible()
        on = "Larmen är på för: Femöresund." if lang == "sv" else "Alerts are on for: Femöresund."
        expect(page.locator("#alerts-state")).to_have_text(on)
        # subscribe() was asked for visible notifications, with the app's VAPID key.
        key_length = page.evaluate("() => window.subscribedWith.applicationServerKey.length")
        assert key_length == 65
        assert page.evaluate("() => window.subscribedWith.userVisibleOnly") is True
        [stored] = subscriptions_when(live_app, page, lambda stored: len(stored) == 1)
        assert stored == (browser_keys["endpoint"], ["Femöresund"], lang, 23, 6)
        # The choices are shown as left, on the next visit.
        page.reload()
        expect(toggle(page, "Femöresund")).to_have_attribute("aria-pressed", "true")
        expect(toggle(page, "Oxelösunds gästhamn")).to_have_attribute("aria-pressed", "false")
        assert page.input_value("#quiet-from") == "23"
        # A change of the quiet hours is sent at once.
        page.select_option("#quiet-from", "")
        subscriptions_when(live_app, page, lambda stored: stored and stored[0][3:] == (None, None))
        page.click("#alerts-off")
        expect(page.locator("#alerts-off")).to_be_hidden()
        expect(toggle(page, "Femöresund")).to_have_attribute("aria-pressed", "false")
        subscriptions_when(live_app, page, lambda stored: stored == [])
        assert page.evaluate("() => localStorage.getItem('subscribed')") is None
    finally:
        context.close()


@pytest.fixture
def push_context(browser, live_server):
    """Chromium with notifications allowed and a subscription the tests' push service takes."""
    with PushService() as service:
        browser_keys = service.subscribe().subscription()
    context = browser.new_context(base_url=live_server)
    context.grant_permissions(["notifications"], origin=live_server)
    context.add_init_script(FAKE_PUSH % json.dumps(browser_keys))
    context.endpoint = browser_keys["endpoint"]
    yield context
    context.close()


@pytest.mark.parametrize("path", ["/{lang}/", "/{lang}/report"])
@pytest.mark.parametrize(
    ("lang", "on", "off"),
    [
        ("sv", "Larmen är på för: Femöresund.", "Larmen är avstängda på den här telefonen."),
        ("en", "Alerts are on for: Femöresund.", "Alerts are off on this phone."),
    ],
)
def test_one_tap_on_the_home_or_report_page_turns_a_harbours_alerts_on_and_one_off(
    live_app, push_context, path, lang, on, off
):
    page = push_context.new_page()
    page.goto(path.format(lang=lang))
    wait_for_service_worker(page)
    expect(page.locator("#alerts-state")).to_have_text(off)
    toggle(page, "Femöresund").click()
    expect(toggle(page, "Femöresund")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#alerts-state")).to_have_text(on)
    # The Alerts page's quiet hours until others are chosen there.
    [stored] = subscriptions_when(live_app, page, lambda stored: len(stored) == 1)
    assert stored == (push_context.endpoint, ["Femöresund"], lang, 22, 7)
    toggle(page, "Femöresund").click()
    expect(toggle(page, "Femöresund")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#alerts-state")).to_have_text(off)
    subscriptions_when(live_app, page, lambda stored: stored == [])
    assert page.evaluate("() => localStorage.getItem('subscribed')") is None


def test_the_three_pages_show_the_same_harbours_turned_on(live_app, push_context):
    home = push_context.new_page()
    home.goto("/en/")
    wait_for_service_worker(home)
    toggle(home, "Oxelösunds gästhamn").click()
    expect(toggle(home, "Oxelösunds gästhamn")).to_have_attribute("aria-pressed", "true")
    report = push_context.new_page()
    report.goto("/en/report")
    expect(toggle(report, "Oxelösunds gästhamn")).to_have_attribute("aria-pressed", "true")
    expect(toggle(report, "Femöresund")).to_have_attribute("aria-pressed", "false")
    alerts = push_context.new_page()
    alerts.goto("/en/alerts/")
    expect(toggle(alerts, "Oxelösunds gästhamn")).to_have_attribute("aria-pressed", "true")
    expect(alerts.locator("#alerts-off")).to_be_visible()
    # A second harbour on the Alerts page: the pages already open show it without a reload.
    toggle(alerts, "Femöresund").click()
    both = "Alerts are on for: Femöresund, Oxelösunds gästhamn."
    expect(alerts.locator("#alerts-state")).to_have_text(both)
    for page in (home, report):
        expect(toggle(page, "Femöresund")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#alerts-state")).to_have_text(both)
    subscriptions_when(
        live_app,
        alerts,
        lambda stored: (
            [sorted(harbours) for _, harbours, *_ in stored]
            == [["Femöresund", "Oxelösunds gästhamn"]]
        ),
    )
    # One off from the report page leaves the other on, everywhere.
    toggle(report, "Oxelösunds gästhamn").click()
    expect(toggle(alerts, "Oxelösunds gästhamn")).to_have_attribute("aria-pressed", "false")
    expect(toggle(home, "Femöresund")).to_have_attribute("aria-pressed", "true")
    subscriptions_when(
        live_app,
        report,
        lambda stored: [harbours for _, harbours, *_ in stored] == [["Femöresund"]],
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_home_and_report_pages_with_alerts_on_pass_axe_at_320_px(browser, live_server, lang):
    with PushService() as service:
        browser_keys = service.subscribe().subscription()
    context = browser.new_context(
        base_url=live_server, bypass_csp=True, viewport={"width": 320, "height": 640}
    )
    context.grant_permissions(["notifications"], origin=live_server)
    context.add_init_script(FAKE_PUSH % json.dumps(browser_keys))
    try:
        page = context.new_page()
        found, widths = {}, {}
        for path in (f"/{lang}/", f"/{lang}/report"):
            page.goto(path)
            wait_for_service_worker(page)
            if path.endswith("/"):
                toggle(page, "Femöresund").click()
            expect(toggle(page, "Femöresund")).to_have_attribute("aria-pressed", "true")
            found[path] = axe_violations(page)
            widths[path] = page.evaluate("() => document.documentElement.scrollWidth")
        assert {path: v for path, v in found.items() if v} == {}
        assert max(widths.values()) <= 320, widths
    finally:
        context.close()


def toggle(page, harbour):
    """Return the button that turns a harbour's alerts on or off."""
    return page.locator("#alert-toggles [data-harbour]", has_text=harbour)


def subscriptions_when(live_app, page, condition, tries=50):
    """Return the server's subscriptions, as (endpoint, harbours, language, quiet from, quiet
    until), once `condition` holds of them."""
    for _ in range(tries):
        with live_app.app_context():
            stored = [
                (
                    subscription.endpoint,
                    [harbour.name for harbour in subscription.harbours],
                    subscription.language,
                    subscription.quiet_from,
                    subscription.quiet_until,
                )
                for subscription in db.session.scalars(select(PushSubscription))
            ]
        if condition(stored):
            return stored
        page.wait_for_timeout(100)
    raise AssertionError(f"the subscriptions stored: {stored}")


def test_a_push_is_shown_as_a_notification_and_the_page_removes_a_withdrawn_ones(
    live_app, browser, live_server
):
    context = browser.new_context(base_url=live_server)
    context.grant_permissions(["notifications"], origin=live_server)
    try:
        page = context.new_page()
        page.goto("/sv/alerts/")
        wait_for_service_worker(page)
        alert_id = publish(live_app, "Stöld vid brygga C")
        pushed = push(live_app, page, alert_id, "sv")
        [shown] = notifications_when(page, lambda shown: len(shown) == 1)
        assert shown == {
            "title": "Stöld vid brygga C",
            "tag": f"alert-{alert_id}",
            "lang": "sv",
            "data": {
                "id": alert_id,
                "priority": "urgent",
                "navigate": pushed["notification"]["navigate"],
            },
            "sticky": True,
        }
        # Withdrawn: the next look at the Alerts page takes the notification away.
        with live_app.app_context():
            withdraw_alert(None, db.session.get(Alert, alert_id))
            db.session.commit()
        page.reload()
        notifications_when(page, lambda shown: shown == [])
    finally:
        context.close()


def push(live_app, page, alert_id, lang):
    """Deliver an alert's push to the page's service worker as its push service would (through
    the DevTools protocol), and return the payload once the worker's push event has ended.

    Asking for the notifications before then can lose them: Chromium's getNotifications()
    forgets a notification that is stored but not yet on the screen."""
    with live_app.app_context():
        pushed = delivery.payload(db.session.get(Alert, alert_id), lang)
    cdp = page.context.new_cdp_session(page)
    registrations, recorded = [], []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    # Recorded events stay with the browser's profile: those of earlier pushes come too.
    cdp.on(
        "BackgroundService.backgroundServiceEventReceived",
        lambda event: recorded.append(event["backgroundServiceEvent"]),
    )
    cdp.send("ServiceWorker.enable")
    cdp.send("BackgroundService.startObserving", {"service": "pushMessaging"})
    cdp.send("BackgroundService.setRecording", {"service": "pushMessaging", "shouldRecord": True})
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    origin = page.evaluate("() => location.origin")
    sent_at = time.time()
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": origin,
            "registrationId": registrations[0]["registrationId"],
            "data": json.dumps(pushed),
        },
    )
    for _ in range(50):
        ended = [
            item["value"]
            for event in recorded
            if event["eventName"] == "Push event completed" and event["timestamp"] >= sent_at
            for item in event["eventMetadata"]
            if item["key"] == "Status"
        ]
        if ended:
            break
        page.wait_for_timeout(100)
    cdp.detach()
    assert ended == ["Success"]
    return pushed


def tap_notification(worker, tag):
    """Do in the service worker what the browser does when the person taps the notification:
    headless Chromium shows notifications, but nobody can tap one. The event is the script's,
    not the browser's, so focus() and openWindow() are refused, as they would be after a tap
    that came too late."""
    worker.evaluate(
        """async (tag) => {
            const [notification] = await self.registration.getNotifications({ tag });
            if (!notification) throw new Error(`No notification ${tag}`);
            self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
        }""",
        tag,
    )


@pytest.mark.parametrize(
    ("lang", "title", "newer"),
    [
        ("sv", "Stölder vid bränslebryggan", "Nytt i natt"),
        ("en", "Thefts at the fuel jetty", "New tonight"),
    ],
)
def test_tapping_an_alerts_notification_opens_the_alert_in_the_open_tab(
    live_app, browser, live_server, lang, title, newer
):
    context = browser.new_context(base_url=live_server)
    context.grant_permissions(["notifications"], origin=live_server)
    try:
        page = context.new_page()
        page.goto(f"/{lang}/")
        wait_for_service_worker(page)
        first = publish(
            live_app,
            "Stölder vid bränslebryggan",
            title_en="Thefts at the fuel jetty",
            text_en="Check.",
        )
        push(live_app, page, first, lang)
        notifications_when(page, lambda shown: len(shown) == 1)
        [worker] = context.service_workers
        tap_notification(worker, f"alert-{first}")
        page.wait_for_url(f"{live_server}/{lang}/alerts/#alert-{first}")
        expect(page.locator(f"#alert-{first} h3")).to_have_text(title)
        notifications_when(page, lambda shown: shown == [])
        # The tab is on the Alerts page already, without the newer alert: its anchor alone
        # would not load the page again.
        second = publish(live_app, "Nytt i natt", title_en="New tonight", text_en="Check.")
        push(live_app, page, second, lang)
        notifications_when(page, lambda shown: len(shown) == 1)
        tap_notification(worker, f"alert-{second}")
        page.wait_for_url(f"{live_server}/{lang}/alerts/#alert-{second}")
        expect(page.locator(f"#alert-{second} h3")).to_have_text(newer)
        assert page.locator("article h3").all_inner_texts() == [newer, title]
    finally:
        context.close()


def test_with_no_window_of_the_app_open_a_tapped_notification_asks_for_a_new_one(
    live_app, browser, live_server
):
    """Only the branch: a tap in a test is not the person's, and the browser refuses to open
    a window for it ("Not allowed to open a window"), so openWindow is recorded instead."""
    context = browser.new_context(base_url=live_server)
    context.grant_permissions(["notifications"], origin=live_server)
    try:
        page = context.new_page()
        page.goto("/sv/")
        wait_for_service_worker(page)
        alert_id = publish(live_app, "Stöld vid brygga C")
        push(live_app, page, alert_id, "sv")
        notifications_when(page, lambda shown: len(shown) == 1)
        [worker] = context.service_workers
        worker.evaluate(
            """() => {
                self.clients.openWindow = async (address) => { self.openedWindow = address; };
            }"""
        )
        # The app closed; the browser still open.
        blank = context.new_page()
        page.close()
        tap_notification(worker, f"alert-{alert_id}")
        for _ in range(50):
            opened = worker.evaluate("() => self.openedWindow || null")
            if opened:
                break
            blank.wait_for_timeout(100)
        assert opened == f"{live_server}/sv/alerts/#alert-{alert_id}"
    finally:
        context.close()


def test_a_notification_opens_only_an_alerts_page_of_this_site(browser, live_server):
    """The push names the site by PUBLIC_URL; the app opens that page where it runs."""
    context = browser.new_context(base_url=live_server)
    try:
        page = context.new_page()
        page.goto("/en/")
        wait_for_service_worker(page)
        [worker] = context.service_workers
        addresses = {
            # PUBLIC_URL of the tests' app, and the address the app runs at.
            "http://localhost/sv/alerts/#alert-12": f"{live_server}/sv/alerts/#alert-12",
            f"{live_server}/en/alerts#alert-3": f"{live_server}/en/alerts/#alert-3",
            "/en/alerts/": f"{live_server}/en/alerts/",
            'http://localhost/sv/alerts/#x"><script>': f"{live_server}/sv/alerts/",
            "https://another.example/sv/alerts/#alert-12": None,
            "http://localhost/sv/admin/#alert-12": None,
            "http://localhost/de/alerts/#alert-12": None,
            "javascript:alert(1)": None,
            "": None,
        }
        opened = worker.evaluate(
            "(addresses) => addresses.map((address) => alertPage(address))", list(addresses)
        )
        assert dict(zip(addresses, opened, strict=True)) == addresses
    finally:
        context.close()


def notifications_when(page, condition, tries=50):
    """Return the service worker's notifications once `condition` holds of them."""
    for _ in range(tries):
        shown = page.evaluate(
            """async () => {
                const registration = await navigator.serviceWorker.ready;
                return (await registration.getNotifications()).map((n) => ({
                    title: n.title, tag: n.tag, lang: n.lang, data: n.data,
                    sticky: n.requireInteraction,
                }));
            }"""
        )
        if condition(shown):
            return shown
        page.wait_for_timeout(100)
    raise AssertionError(f"the notifications shown: {shown}")


@pytest.fixture(scope="module")
def autopush():
    with AutoPush() as service:
        yield service


@pytest.fixture(scope="module")
def firefox_with_push(autopush):
    """Firefox ESR whose push service is `autopush` on loopback, not Mozilla's."""
    require("firefox")
    firefox = engines.Firefox(autopush.preferences())
    yield firefox
    firefox.close()


SHOWN = """const registration = await navigator.serviceWorker.ready;
return (await registration.getNotifications()).map((n) => ({
    title: n.title, tag: n.tag, lang: n.lang, data: n.data, sticky: n.requireInteraction,
}));"""


@pytest.mark.parametrize(("lang", "title"), [("sv", "Stöld vid brygga C"), ("en", "Theft at C")])
def test_firefox_gets_an_alert_from_its_push_service_and_shows_it(
    live_app, live_server, autopush, firefox_with_push, lang, title
):
    # No PushManager of the test's: Firefox subscribes at its push service, the app pushes
    # there with pywebpush, and Firefox decrypts the push with keys that only it holds.
    phone = engines.FirefoxPhone(live_server, firefox_with_push)
    try:
        phone.allow_notifications()
        tab = phone.open(f"/{lang}/alerts/")
        tab.wait_for_service_worker()
        with live_app.app_context():
            harbour_id = db.session.scalar(select(Harbour.id).filter_by(name="Femöresund"))
        toggle = f'#alert-toggles [data-harbour="{harbour_id}"]'
        tab.click(toggle)
        tab.wait_until(
            f"return document.querySelector('{toggle}').getAttribute('aria-pressed') === 'true';",
            message="alerts on",
        )
        with live_app.app_context():
            [stored] = db.session.scalars(select(PushSubscription)).all()
            endpoint = stored.endpoint
            assert endpoint.startswith(f"{autopush.origin}/wpush/")
            assert [harbour.name for harbour in stored.harbours] == ["Femöresund"]
        alert_id = publish(
            live_app, "Stöld vid brygga C", harbour="Femöresund", title_en="Theft at C"
        )
        with live_app.app_context(), ThreadPoolExecutor(1) as senders:
            assert delivery.deliver_due(live_app.extensions["alert_pusher"], senders) == 1
            assert db.session.get(Alert, alert_id).accepted == 1
        # 100: decrypted and given to the service worker (101: it could not be decrypted).
        assert autopush.ack(endpoint) == 100
        [shown] = tab.wait_until(SHOWN, message="the notification")
        assert shown == {
            "title": title,
            "tag": f"alert-{alert_id}",
            "lang": lang,
            "data": {
                "id": alert_id,
                "priority": "urgent",
                "navigate": f"{live_app.config['PUBLIC_URL']}/{lang}/alerts/#alert-{alert_id}",
            },
            "sticky": True,
        }
        tab.reload()
        tab.wait_for_text(f"#alert-{alert_id}", title)
        # Its last harbour turned off, the subscription ends at the push service too.
        tab.wait_until(
            f"return document.querySelector('{toggle}').getAttribute('aria-pressed') === 'true';",
            message="alerts shown as on",
        )
        tab.click(toggle)
        autopush.wait_until_unregistered(endpoint)
    finally:
        phone.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_alert_desk_and_the_alerts_page_pass_axe_at_320_px(live_app, narrow_page, lang):
    with live_app.app_context():
        create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True)
        db.session.commit()
    publish(
        live_app,
        "Stölder vid bränslebryggan",
        title_en="Thefts at the fuel jetty",
        text_en="Check it.",
    )
    publish(live_app, "Bara på svenska")
    page = narrow_page
    page.goto(f"/{lang}/login?next=/{lang}/alerts/sent")
    page.locator("#email").fill(ADMIN)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url(f"**/{lang}/alerts/sent")
    found = {"sent": axe_violations(page)}
    page.goto(f"/{lang}/alerts/write")
    found["write"] = axe_violations(page)
    page.locator("#text").fill("En vit skåpbil ABC 123 stod vid bryggan.")
    page.locator("#title").fill("")
    page.locator("button[name=preview]").click()
    page.wait_for_selector("#title-error")
    found["write with errors"] = axe_violations(page)
    page.locator("#title").fill("Stöld")
    page.locator("#no_plate").check()
    page.locator("button[name=preview]").click()
    page.wait_for_selector(".alert-preview")
    found["preview"] = axe_violations(page)
    page.goto(f"/{lang}/alerts/")
    found["alerts page"] = axe_violations(page)
    widths = page.evaluate("() => document.documentElement.scrollWidth")
    assert {name: v for name, v in found.items() if v} == {}
    assert widths <= 320


def test_a_browser_without_push_says_so_on_the_home_and_report_pages(live_server, virtual_screen):
    """WebKitGTK has no PushManager, as Safari outside an app on the Home Screen."""
    phone = engines.WebKitPhone(live_server, virtual_screen.display)
    try:
        tab = phone.open("/sv/")
        assert tab.run("return 'PushManager' in window;") is False
        tab.wait_for_text("#push-unavailable", "Den här webbläsaren kan inte ta emot larm.")
        assert tab.run("return document.getElementById('alert-choices').hidden;") is True
        tab.goto("/en/report")
        tab.wait_for_text("#push-unavailable", "This browser cannot receive alerts.")
        assert tab.run("return document.getElementById('alert-choices').hidden;") is True
    finally:
        phone.close()


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize("path", ["/{lang}/alerts/", "/{lang}/", "/{lang}/report"])
@pytest.mark.parametrize(("lang", "says"), [("sv", "hemskärmen"), ("en", "Home Screen")])
def test_an_iphone_not_added_to_the_home_screen_is_told_how_in_two_steps(
    browser, live_server, path, lang, says
):
    # Safari on an iPhone offers push only to the app added to the Home Screen.
    context = browser.new_context(base_url=live_server, user_agent=IPHONE)
    context.add_init_script("delete window.PushManager;")
    try:
        page = context.new_page()
        page.goto(path.format(lang=lang))
        page.wait_for_selector("#push-unavailable:not([hidden])")
        assert says in page.inner_text("#push-unavailable")
        assert len(page.locator("#ios-steps li").all()) == 2
        assert page.is_visible("#ios-steps")
        assert not page.is_visible("#alert-choices")
    finally:
        context.close()
