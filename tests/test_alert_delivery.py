"""Alerts pushed to phones through a real push service on loopback (tests/push_service.py),
which checks the VAPID signature and decrypts each push with the keys only the browser has."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from pwa.alerts import delivery
from pwa.alerts.operations import send_alert, subscribe, withdraw_alert
from pwa.alerts.push import Pusher, new_private_key
from pwa.extensions import db
from pwa.models import Alert, AlertPriority, Harbour, PushDelivery, PushSubscription, utc_now
from tests.push_service import PushService

SWEDISH = delivery.SWEDISH_TIME


@pytest.fixture
def service():
    with PushService() as service:
        yield service


@pytest.fixture
def pusher():
    return Pusher(new_private_key(), "mailto:kommun@oxelosund.se")


@pytest.fixture
def senders():
    with ThreadPoolExecutor(4) as senders:
        yield senders


@pytest.fixture
def harbours(app):
    with app.app_context():
        guest, femoresund = Harbour(name="Oxelösunds gästhamn"), Harbour(name="Femöresund")
        db.session.add_all([guest, femoresund])
        db.session.commit()
        return guest.id, femoresund.id


def phone(app, service, harbour_ids, language="sv", quiet=(None, None)):
    """Subscribe a new browser of the push service to these harbours; return the browser."""
    browser = service.subscribe()
    keys = browser.subscription()
    with app.app_context():
        subscribe(
            keys["endpoint"],
            **keys["keys"],
            harbour_ids=harbour_ids,
            language=language,
            quiet_from=quiet[0],
            quiet_until=quiet[1],
        )
        db.session.commit()
    return browser


def alert(app, harbour_id, priority=AlertPriority.URGENT, hours=24, **texts):
    """Send an alert as the command line would (no account); return its id."""
    texts.setdefault("title", "Motorstölder vid bryggan")
    texts.setdefault("text", "Kontrollera din båt.")
    with app.app_context():
        harbour = db.session.get(Harbour, harbour_id) if harbour_id else None
        sent = send_alert(
            None, harbour, priority=priority, ends_at=utc_now() + timedelta(hours=hours), **texts
        )
        db.session.commit()
        return sent.id


def deliver(app, pusher, senders, now=None):
    """Do what a serving process's courier does: send batches until none is due."""
    with app.app_context():
        while delivery.deliver_due(pusher, senders, now):
            pass


def counts(app, alert_id):
    with app.app_context():
        sent = db.session.get(Alert, alert_id)
        waiting = db.session.scalar(select(func.count()).select_from(PushDelivery))
        return sent.sent_to, sent.accepted, waiting


def test_the_push_decrypts_to_the_alert_and_says_how_urgent(
    app, service, pusher, senders, harbours
):
    browser = phone(app, service, [harbours[0]])
    alert_id = alert(app, harbours[0])
    deliver(app, pusher, senders)
    [message] = service.wait_for(1)
    assert message.endpoint == browser.endpoint
    assert message.payload == {
        "web_push": 8030,
        "notification": {
            "title": "Motorstölder vid bryggan",
            "lang": "sv",
            "navigate": f"http://localhost/sv/alerts/#alert-{alert_id}",
            "tag": f"alert-{alert_id}",
            "data": {"id": alert_id, "priority": "urgent"},
        },
    }
    # The text is not in the push: the app shows it from the Alerts page.
    assert "Kontrollera" not in str(message.payload)
    assert message.urgency == "high"
    # The push service may keep it while the alert lasts, and no longer.
    assert 24 * 3600 - 60 < message.ttl <= 24 * 3600
    assert counts(app, alert_id) == (1, 1, 0)


def test_an_english_phone_gets_the_english_title_or_the_swedish_one_marked_swedish(
    app, service, pusher, senders, harbours
):
    phone(app, service, [harbours[0]], language="en")
    alert(app, harbours[0], title="Stöld", title_en="Theft", text_en="Check your boat.")
    alert(app, harbours[0], title="Bara svenska")
    deliver(app, pusher, senders)
    notifications = sorted(
        (message.payload["notification"] for message in service.wait_for(2)),
        key=lambda notification: notification["data"]["id"],
    )
    assert [(n["title"], n["lang"]) for n in notifications] == [
        ("Theft", "en"),
        ("Bara svenska", "sv"),
    ]
    assert all(n["navigate"].startswith("http://localhost/en/alerts/#") for n in notifications)


def test_only_the_harbours_phones_get_it_and_an_alert_to_all_reaches_each_phone_once(
    app, service, pusher, senders, harbours
):
    guest, femoresund = harbours
    at_guest = phone(app, service, [guest])
    at_femoresund = phone(app, service, [femoresund])
    at_both = phone(app, service, [guest, femoresund])
    only_guest = alert(app, guest)
    deliver(app, pusher, senders)
    assert {message.endpoint for message in service.wait_for(2)} == {
        at_guest.endpoint,
        at_both.endpoint,
    }
    to_all = alert(app, None, priority=AlertPriority.INFORMATION)
    deliver(app, pusher, senders)
    later = service.wait_for(5)[2:]
    assert sorted(message.endpoint for message in later) == sorted(
        [at_guest.endpoint, at_femoresund.endpoint, at_both.endpoint]
    )
    assert counts(app, only_guest)[:2] == (2, 2)
    assert counts(app, to_all) == (3, 3, 0)
    assert {message.urgency for message in later} == {"normal"}


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_that_has_ended_is_deleted(app, service, pusher, senders, harbours, status):
    gone = phone(app, service, [harbours[0]])
    kept = phone(app, service, [harbours[0]])
    service.answer(gone, status)
    alert_id = alert(app, harbours[0])
    deliver(app, pusher, senders)
    assert [message.endpoint for message in service.wait_for(1)] == [kept.endpoint]
    with app.app_context():
        endpoints = db.session.scalars(select(PushSubscription.endpoint)).all()
    assert endpoints == [kept.endpoint]
    assert counts(app, alert_id) == (2, 1, 0)


def test_a_subscription_to_a_host_that_is_no_push_service_is_deleted_unsent(
    app, service, pusher, senders, harbours
):
    """A subscription kept from before PUSH_SERVICE_HOSTS, or to a push service taken out of
    it since, gets no post: the server posts only to the push services named."""
    phone(app, service, [harbours[0]])
    alert_id = alert(app, harbours[0])
    # Outside the tests the loopback service is no push service.
    app.config["TESTING"] = False
    try:
        deliver(app, pusher, senders)
    finally:
        app.config["TESTING"] = True
    assert service.count()["messages"] == service.count()["refused"] == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0
    assert counts(app, alert_id) == (1, 0, 0)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_failure_is_tried_again_later_and_arrives_once(
    app, service, pusher, senders, harbours, status
):
    browser = phone(app, service, [harbours[0]])
    service.answer(browser, status, status)
    alert_id = alert(app, harbours[0])
    deliver(app, pusher, senders)
    assert service.messages == []
    assert counts(app, alert_id) == (1, 0, 1)
    # Not again before its back-off: 10 s after the first failure, 60 s after the second.
    deliver(app, pusher, senders, utc_now() + timedelta(seconds=5))
    deliver(app, pusher, senders, utc_now() + timedelta(seconds=15))
    assert service.messages == [] and counts(app, alert_id) == (1, 0, 1)
    deliver(app, pusher, senders, utc_now() + timedelta(seconds=90))
    assert [message.endpoint for message in service.wait_for(1)] == [browser.endpoint]
    deliver(app, pusher, senders, utc_now() + timedelta(hours=1))
    assert len(service.messages) == 1
    assert counts(app, alert_id) == (1, 1, 0)


def test_a_push_is_given_up_after_the_last_try_and_the_alert_stays(
    app, service, pusher, senders, harbours
):
    browser = phone(app, service, [harbours[0]])
    service.answer(browser, *[500] * 20)
    alert_id = alert(app, harbours[0], hours=48)
    now = utc_now()
    for seconds in [0, *delivery.BACK_OFF_SECONDS]:
        now += timedelta(seconds=seconds + 1)
        deliver(app, pusher, senders, now)
    assert service.messages == []
    assert counts(app, alert_id) == (1, 0, 0)
    with app.app_context():
        assert db.session.get(Alert, alert_id).withdrawn_at is None


def next_local(hour, minute=0):
    """Return the next time it is hour:minute in Sweden, at least a minute from now."""
    now = utc_now().astimezone(SWEDISH)
    moment = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if moment <= now + timedelta(minutes=1):
        moment += timedelta(days=1)
    return moment


def test_quiet_hours_hold_back_information_but_not_urgent_alerts(
    app, service, pusher, senders, harbours
):
    browser = phone(app, service, [harbours[0]], quiet=(22, 7))
    night = next_local(23, 30)
    information = alert(app, harbours[0], priority=AlertPriority.INFORMATION, hours=72)
    urgent = alert(app, harbours[0], priority=AlertPriority.URGENT, hours=72)
    deliver(app, pusher, senders, night)
    [message] = service.wait_for(1)
    assert message.payload["notification"]["data"]["id"] == urgent
    deliver(app, pusher, senders, night + timedelta(hours=7))  # 06:30
    assert len(service.messages) == 1
    morning = night.replace(hour=7, minute=0) + timedelta(days=1)
    deliver(app, pusher, senders, morning + timedelta(seconds=1))
    messages = service.wait_for(2)
    assert [m.payload["notification"]["data"]["id"] for m in messages] == [urgent, information]
    assert {m.endpoint for m in messages} == {browser.endpoint}
    assert counts(app, information) == (1, 1, 0)


def test_quiet_hours_within_one_day():
    phone = PushSubscription(quiet_from=12, quiet_until=14)
    noon = datetime(2026, 7, 1, 12, 30, tzinfo=SWEDISH)
    assert delivery.quiet_until(phone, noon) == datetime(2026, 7, 1, 14, 0, tzinfo=SWEDISH)
    assert delivery.quiet_until(phone, noon.replace(hour=14)) is None
    assert delivery.quiet_until(PushSubscription(), noon) is None


def test_a_withdrawn_or_ended_alert_is_not_pushed(app, service, pusher, senders, harbours):
    phone(app, service, [harbours[0]])
    withdrawn = alert(app, harbours[0])
    ended = alert(app, harbours[0], hours=1)
    with app.app_context():
        withdraw_alert(None, db.session.get(Alert, withdrawn))
        db.session.commit()
    deliver(app, pusher, senders, utc_now() + timedelta(hours=2))
    assert service.messages == []
    assert counts(app, ended)[1:] == (0, 0)


def test_a_phone_that_chooses_no_harbour_is_forgotten(app, service, harbours):
    browser = phone(app, service, [harbours[0]])
    keys = browser.subscription()
    with app.app_context():
        assert subscribe(keys["endpoint"], **keys["keys"], harbour_ids=[], language="sv") is None
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_the_keys_command_makes_a_key_the_app_signs_with(make_app, service):
    made = make_app().test_cli_runner().invoke(args=["alerts", "keys"])
    assert made.exit_code == 0, made.output
    lines = made.output.splitlines()
    private_key = lines[0].removeprefix("VAPID_PRIVATE_KEY=")
    pusher = Pusher(private_key, "mailto:kommun@oxelosund.se")
    assert lines[1].endswith(pusher.public_key)
    # A push service accepts what it signs.
    browser = service.subscribe()
    assert pusher.send(browser.subscription(), {"hello": "hej"}, 60, "normal") == 201
    assert service.wait_for(1)[0].payload == {"hello": "hej"}
