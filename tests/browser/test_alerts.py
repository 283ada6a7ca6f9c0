"""Alerts on the phone: the Alerts page offline in every engine, turning alerts on and off, a
push shown by the service worker (Chromium, through the DevTools protocol), and an alert that
reaches Firefox ESR through a push service of its own, end to end."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
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
// push service on loopback, with keys the test made as a browser would. Kept in the tab's
// sessionStorage, as the browser keeps a real one across reloads.
const given = %s;
const asSubscription = (keys) => ({
  endpoint: keys.endpoint,
  options: { applicationServerKey: null },
  toJSON: () => keys,
  unsubscribe: async () => { sessionStorage.removeItem("subscribed"); return true; },
});
PushManager.prototype.subscribe = async function (options) {
  window.subscribedWith = options;
  sessionStorage.setItem("subscribed", "yes");
  return asSubscription(given);
};
PushManager.prototype.getSubscription = async function () {
  return sessionStorage.getItem("subscribed") ? asSubscription(given) : null;
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
        page.check("text=Femöresund")
        page.select_option("#quiet-from", "23")
        page.select_option("#quiet-until", "6")
        page.click("#alerts-save")
        page.wait_for_selector("#alerts-off:not([hidden])")
        on = "Larmen är på" if lang == "sv" else "Alerts are on"
        assert on in page.inner_text("#alerts-state")
        # subscribe() was asked for visible notifications, with the app's VAPID key.
        key_length = page.evaluate("() => window.subscribedWith.applicationServerKey.length")
        assert key_length == 65
        assert page.evaluate("() => window.subscribedWith.userVisibleOnly") is True
        with live_app.app_context():
            [stored] = db.session.scalars(select(PushSubscription)).all()
            assert stored.endpoint == browser_keys["endpoint"]
            assert [harbour.name for harbour in stored.harbours] == ["Femöresund"]
            assert (stored.language, stored.quiet_from, stored.quiet_until) == (lang, 23, 6)
        # The choices are shown as left, on the next visit.
        page.reload()
        page.wait_for_selector("#alerts-off:not([hidden])")
        assert page.is_checked("text=Femöresund")
        assert not page.is_checked("text=Oxelösunds gästhamn")
        page.click("#alerts-off")
        page.wait_for_selector("#alerts-off[hidden]", state="attached")
        with live_app.app_context():
            assert db.session.scalars(select(PushSubscription)).all() == []
    finally:
        context.close()


def test_a_push_is_shown_as_a_notification_and_the_page_removes_a_withdrawn_ones(
    live_app, browser, live_server
):
    context = browser.new_context(base_url=live_server)
    context.grant_permissions(["notifications"], origin=live_server)
    try:
        page = context.new_page()
        page.goto("/sv/alerts/")
        wait_for_service_worker(page)
        cdp = context.new_cdp_session(page)
        registrations = []
        cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: registrations.extend(event["registrations"]),
        )
        cdp.send("ServiceWorker.enable")
        for _ in range(50):
            if registrations:
                break
            page.wait_for_timeout(100)
        registration_id = registrations[0]["registrationId"]
        alert_id = publish(live_app, "Stöld vid brygga C")
        with live_app.app_context():
            from pwa.alerts.delivery import payload

            pushed = payload(db.session.get(Alert, alert_id), "sv")
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server, "registrationId": registration_id, "data": json.dumps(pushed)},
        )
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
        tab.click(f"#alert-harbour-{harbour_id}")
        tab.click("#alerts-save")
        tab.wait_until("return !document.querySelector('#alerts-off').hidden;", message="alerts on")
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
                "navigate": f"{live_app.config['PUBLIC_URL']}/{lang}/alerts#alert-{alert_id}",
            },
            "sticky": True,
        }
        tab.reload()
        tab.wait_for_text(f"#alert-{alert_id}", title)
        # Turned off, the subscription ends at the push service too.
        tab.click("#alerts-off")
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


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(("lang", "says"), [("sv", "hemskärmen"), ("en", "Home Screen")])
def test_an_iphone_not_added_to_the_home_screen_is_told_how_in_two_steps(
    browser, live_server, lang, says
):
    # Safari on an iPhone offers push only to the app added to the Home Screen.
    context = browser.new_context(base_url=live_server, user_agent=IPHONE)
    context.add_init_script("delete window.PushManager;")
    try:
        page = context.new_page()
        page.goto(f"/{lang}/alerts/")
        page.wait_for_selector("#push-unavailable:not([hidden])")
        assert says in page.inner_text("#push-unavailable")
        assert len(page.locator("#ios-steps li").all()) == 2
        assert page.is_visible("#ios-steps")
        assert not page.is_visible("#alert-choices")
    finally:
        context.close()
