"""Alerts through the pages: the contact person writes, previews, sends and withdraws one; the
boat owner's phone subscribes and reads them; nobody reaches another harbour's alerts."""

import html
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pwa.alerts import delivery
from pwa.alerts.push import new_private_key
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.formatting import local_input_text
from pwa.models import Alert, AuditEvent, Harbour, PushSubscription, utc_now
from pwa.retention import purge
from tests.push_service import PushService
from tests.staff import ADMIN, BO, KIM, csrf_token, log_in

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


class PushConfig(TestConfig):
    VAPID_PRIVATE_KEY = new_private_key()


@pytest.fixture
def push_app(make_app, staff):
    return make_app(PushConfig)


@pytest.fixture
def service():
    with PushService() as service:
        yield service


def alert_form(client, lang="sv", **values):
    """Return the fields of the alert form as a person fills it in, with `values` changed."""
    fields = {
        "csrf_token": csrf_token(client, f"/{lang}/alerts/write"),
        "title": "Motorstölder vid bränslebryggan",
        "text": "I natt stals två utombordare. Kontrollera din båt.",
        "priority": "urgent",
        "ends_at": local_input_text(utc_now() + timedelta(hours=24)),
    }
    fields.update(values)
    return {name: value for name, value in fields.items() if value is not None}


def write(client, lang="sv", send=True, **values):
    data = alert_form(client, lang, **values)
    data["send" if send else "preview"] = "1"
    return client.post(f"/{lang}/alerts/write", data=data)


def subscribe(client, browser, harbours, lang="sv", **extra):
    return client.post(
        f"/{lang}/alerts/subscription",
        json={**browser.subscription(), "harbours": harbours, **extra},
        headers=SAME_ORIGIN,
    )


def stored_alerts(app):
    with app.app_context():
        return db.session.scalars(select(Alert).order_by(Alert.id)).all()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_contact_person_previews_then_sends_an_alert_that_reaches_the_harbours_phones(
    push_app, staff, service, lang
):
    guest, femoresund = staff
    phone = push_app.test_client()
    at_guest, at_femoresund = service.subscribe(), service.subscribe()
    assert subscribe(phone, at_guest, [guest], lang=lang).status_code == 204
    assert subscribe(phone, at_femoresund, [femoresund]).status_code == 204
    client = push_app.test_client()
    log_in(client, KIM, lang=lang)
    form = client.get(f"/{lang}/alerts/write").get_data(as_text=True)
    # Kim writes for his own harbour only.
    assert "Oxelösunds gästhamn" in form and "Femöresund" not in form
    preview = write(client, lang, send=False, harbour=str(guest))
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "I natt stals två utombordare" in page
    assert 'name="send"' in page
    assert stored_alerts(push_app) == []
    answer = write(client, lang, harbour=str(guest))
    assert answer.status_code == 303
    [alert] = stored_alerts(push_app)
    assert (alert.harbour_id, alert.sent_to, alert.accepted) == (guest, 1, 0)
    sent = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert ("skickas till 1 telefon." if lang == "sv" else "being sent to 1 phone.") in sent
    pusher = push_app.extensions["alert_pusher"]
    with push_app.app_context(), ThreadPoolExecutor(2) as senders:
        delivery.deliver_due(pusher, senders)
    [message] = service.wait_for(1)
    assert message.endpoint == at_guest.endpoint
    assert message.payload["notification"]["title"] == "Motorstölder vid bränslebryggan"
    assert message.payload["notification"]["navigate"].endswith(f"/{lang}/alerts/#alert-{alert.id}")
    listed = client.get(f"/{lang}/alerts/sent").get_data(as_text=True)
    assert (
        "Skickat till 1, mottaget för 1" if lang == "sv" else "Sent to 1, accepted for 1"
    ) in listed
    with push_app.app_context():
        event = db.session.scalar(select(AuditEvent).filter_by(action="alert_sent"))
        assert event.actor == KIM
        assert event.details == {
            "alert_id": alert.id,
            "harbour_id": guest,
            "priority": "urgent",
            "sent_to": 1,
        }


def test_the_alerts_page_shows_current_alerts_in_the_readers_language(client, staff):
    guest, _ = staff
    log_in(client, KIM)
    write(client, harbour=str(guest), title="Bara svenska", text="Svensk text.")
    write(
        client,
        harbour=str(guest),
        title="Stöld",
        text="Text.",
        title_en="Theft",
        text_en="Check your boat.",
    )
    write(
        client,
        harbour=str(guest),
        title="Slutar snart",
        text="Snart slut.",
        ends_at=local_input_text(utc_now() + timedelta(minutes=2)),
    )
    visitor = client.application.test_client()
    english = visitor.get("/en/alerts/").get_data(as_text=True)
    assert "Theft" in english and "Check your boat." in english
    # Without an English version the Swedish text is shown, marked as Swedish for screen readers.
    assert re.search(r'<article[^>]*lang="sv"[^>]*>.*?Bara svenska', english, re.S)
    assert "in Swedish" in english
    swedish = visitor.get("/sv/alerts/").get_data(as_text=True)
    assert "Stöld" in swedish and "Theft" not in swedish
    # Withdrawn and ended alerts leave the page.
    [_bara, theft, ending] = stored_alerts(client.application)
    client.post(
        f"/sv/alerts/{theft.id}/withdraw",
        data={"csrf_token": csrf_token(client, "/sv/alerts/write")},
    )
    with client.application.app_context():
        db.session.get(Alert, ending.id).ends_at = utc_now() - timedelta(seconds=1)
        db.session.commit()
    swedish = visitor.get("/sv/alerts/").get_data(as_text=True)
    assert "Bara svenska" in swedish and "Stöld" not in swedish and "Slutar snart" not in swedish


@pytest.mark.parametrize(
    ("lang", "values", "field", "message"),
    [
        ("sv", {"title": ""}, "title", "Ge larmet en rubrik."),
        ("en", {"text": ""}, "text", "Write what boat owners should know."),
        ("en", {"title": "x" * 81}, "title", "Write at most 80 characters (now 81)."),
        ("sv", {"ends_at": "igår"}, "ends_at", "Skriv datum och tid"),
        (
            "en",
            {"ends_at": local_input_text(utc_now() + timedelta(days=15))},
            "ends_at",
            "at most 14 days",
        ),
        (
            "en",
            {"ends_at": local_input_text(utc_now() - timedelta(hours=1))},
            "ends_at",
            "must be in the future",
        ),
        ("sv", {"title_en": "Theft"}, "text_en", "engelska rubriken och den engelska texten"),
        ("en", {"title": "Stöld\u2028av motor"}, "title", "on one line"),
        ("en", {"priority": "panic"}, "priority", "Choose the priority."),
    ],
)
def test_a_wrong_alert_is_refused_in_the_persons_language_and_keeps_what_was_typed(
    client, staff, lang, values, field, message
):
    guest, _ = staff
    log_in(client, KIM, lang=lang)
    answer = write(client, lang, harbour=str(guest), **values)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page or f'href="#{field}"' in page
    assert "I natt stals två utombordare" in page or field == "text"
    assert stored_alerts(client.application) == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_plate_shaped_string_needs_a_second_look_before_sending(client, staff, lang):
    guest, _ = staff
    log_in(client, KIM, lang=lang)
    answer = write(
        client, lang, harbour=str(guest), text="En vit skåpbil, ABC 123, syntes vid bryggan."
    )
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "ABC 123" in page and 'name="no_plate"' in page
    assert stored_alerts(client.application) == []
    answer = write(
        client, lang, harbour=str(guest), text="Ny bommar vid ABC 123-bryggan.", no_plate="y"
    )
    assert answer.status_code == 303
    assert len(stored_alerts(client.application)) == 1


def test_a_contact_person_cannot_write_see_or_withdraw_another_harbours_alert(client, staff):
    _guest, femoresund = staff
    log_in(client, BO)
    write(client, harbour=str(femoresund), title="Femöresunds larm")
    [theirs] = stored_alerts(client.application)
    client.post("/sv/logout", data={"csrf_token": csrf_token(client, "/sv/alerts/write")})
    log_in(client, KIM)
    # Not for Femöresund, nor for every harbour.
    for harbour in (str(femoresund), "all", "", "999"):
        assert write(client, harbour=harbour).status_code == 422
    assert len(stored_alerts(client.application)) == 1
    listed = client.get("/sv/alerts/sent").get_data(as_text=True)
    assert "Femöresunds larm" not in listed
    token = csrf_token(client, "/sv/alerts/write")
    for alert_id in (theirs.id, theirs.id + 1, 0):
        answer = client.post(f"/sv/alerts/{alert_id}/withdraw", data={"csrf_token": token})
        assert answer.status_code == 404
    assert stored_alerts(client.application)[0].withdrawn_at is None


def test_the_administrator_writes_to_every_harbour_and_withdraws_any(client, staff):
    _guest, _femoresund = staff
    log_in(client, ADMIN)
    assert write(client, harbour="all").status_code == 303
    [alert] = stored_alerts(client.application)
    assert alert.harbour_id is None
    answer = client.post(
        f"/sv/alerts/{alert.id}/withdraw",
        data={"csrf_token": csrf_token(client, "/sv/alerts/write")},
    )
    assert answer.status_code == 303
    assert stored_alerts(client.application)[0].withdrawn_at is not None
    with client.application.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["alert_sent", "alert_withdrawn"]
    log = client.get("/sv/admin/audit?kind=alerts").get_data(as_text=True)
    assert "skickade ett larm för alla hamnar till 0 telefoner" in log
    assert "drog tillbaka ett larm för alla hamnar" in log


def test_a_phone_subscribes_changes_its_harbours_and_unsubscribes(client, staff, service):
    guest, femoresund = staff
    browser = service.subscribe()
    assert subscribe(client, browser, [guest], quiet_from=22, quiet_until=7).status_code == 204
    assert subscribe(client, browser, [guest, femoresund], lang="en").status_code == 204
    with client.application.app_context():
        [phone] = db.session.scalars(select(PushSubscription)).all()
        assert {harbour.id for harbour in phone.harbours} == {guest, femoresund}
        assert (phone.language, phone.quiet_from, phone.quiet_until) == ("en", None, None)
    answer = client.post(
        "/sv/alerts/unsubscription", json={"endpoint": browser.endpoint}, headers=SAME_ORIGIN
    )
    assert answer.status_code == 204
    with client.application.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bH",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABn",
        "https://web.push.apple.com/QGxZ3k1",
        "https://wns2-db5p.notify.windows.com/w/?token=BQYAAAD",
    ],
)
def test_the_browsers_push_services_are_taken(client, staff, service, endpoint):
    body = {**service.subscribe().subscription(), "endpoint": endpoint, "harbours": [staff[0]]}
    assert client.post("/en/alerts/subscription", json=body, headers=SAME_ORIGIN).status_code == 204
    with client.application.app_context():
        assert db.session.scalars(select(PushSubscription.endpoint)).all() == [endpoint]


@pytest.mark.parametrize(
    "change",
    [
        {"endpoint": "http://evil.example/push"},
        {"endpoint": "https://push.example/" + "a" * 1000},
        # Only the browsers' push services: the server posts each alert to this address.
        {"endpoint": "https://push.example/send/abc"},
        {"endpoint": "http://fcm.googleapis.com/fcm/send/abc"},
        {"endpoint": "https://fcm.googleapis.com.evil.example/fcm/send/abc"},
        {"endpoint": "https://fcm.googleapis.com@evil.example/fcm/send/abc"},
        {"endpoint": "https://evil.example/fcm.googleapis.com/"},
        {"endpoint": "https://evilfcm.googleapis.com/fcm/send/abc"},
        {"endpoint": "https://fcm.googleapis.com:8443/fcm/send/abc"},
        {"endpoint": "https://fcm.googleapis.com:port/fcm/send/abc"},
        {"endpoint": "https://127.0.0.1/push"},
        {"keys": {"p256dh": "short", "auth": "x"}},
        {"keys": "none"},
        {"harbours": "all"},
        {"quiet_from": 25, "quiet_until": 7},
        {"quiet_from": 22},
    ],
)
def test_a_subscription_that_cannot_be_one_is_refused(client, staff, service, change):
    browser = service.subscribe()
    body = {
        **browser.subscription(),
        "harbours": [staff[0]],
        "quiet_from": None,
        "quiet_until": None,
    }
    body.update(change)
    answer = client.post("/en/alerts/subscription", json=body, headers=SAME_ORIGIN)
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "The phone's subscription could not be read. Try again."
    with client.application.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_another_site_cannot_subscribe_or_unsubscribe_a_phone(client, staff, service):
    browser = service.subscribe()
    cross = {"Sec-Fetch-Site": "cross-site"}
    answer = client.post(
        "/sv/alerts/subscription",
        json={**browser.subscription(), "harbours": [staff[0]]},
        headers=cross,
    )
    assert answer.status_code == 403
    assert subscribe(client, browser, [staff[0]]).status_code == 204
    answer = client.post(
        "/sv/alerts/unsubscription",
        json={"endpoint": browser.endpoint},
        headers={"Origin": "https://evil.example"},
    )
    assert answer.status_code == 403
    with client.application.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 1


def test_alerts_are_deleted_with_their_pushes_when_their_time_after_the_end_has_passed(
    app, client, staff
):
    guest, _ = staff
    log_in(client, KIM)
    write(client, harbour=str(guest), title="Gammalt")
    write(client, harbour=str(guest), title="Nytt")
    old, new = stored_alerts(app)
    with app.app_context():
        db.session.get(Alert, old.id).ends_at = utc_now() - timedelta(days=31)
        db.session.get(Alert, new.id).ends_at = utc_now() - timedelta(days=29)
        db.session.commit()
        purge()
    assert [alert.title for alert in stored_alerts(app)] == ["Nytt"]


def test_the_alerts_page_is_a_data_page_of_the_service_worker(client):
    worker = client.get("/sw.js").get_data(as_text=True)
    assert '"/sv/alerts/"' in worker.split("const DATA_PAGES")[1].split(";")[0]
    assert '"/en/alerts/"' in worker.split("const PRECACHE")[1].split(";")[0]
    assert "/alerts/write" not in worker and "/alerts/sent" not in worker


def toggles(page):
    """Return the alert toggles of a page: {harbour id: name}."""
    return {
        int(harbour): name
        for harbour, name in re.findall(
            # Disabled until the script has checked that this browser can have alerts.
            r'<button type="button" class="toggle" aria-pressed="false" data-harbour="(\d+)" '
            r"disabled>"
            r'<span class="toggle-mark" aria-hidden="true"></span>([^<]+)</button>',
            page,
        )
    }


@pytest.mark.parametrize(
    ("lang", "privacy", "no_script"),
    [
        ("sv", "bara webbläsarens push-adress, hamnarna du valt", "behövs JavaScript"),
        ("en", "only your browser's push address, the harbours you chose", "needs JavaScript"),
    ],
)
def test_the_home_report_and_alerts_pages_turn_alerts_on_for_each_active_harbour(
    push_app, lang, privacy, no_script
):
    with push_app.app_context():
        # Not in the report form, which offers only harbours with a contact person: its
        # alerts may still be wanted.
        db.session.add(Harbour(name="Jogersö", sort_order=5))
        db.session.add(Harbour(name="Badhusviken", active=False))
        db.session.commit()
        expected = {
            harbour.id: harbour.name
            for harbour in db.session.scalars(select(Harbour).filter_by(active=True))
        }
        assert len(expected) == 3
        key = push_app.extensions["alert_pusher"].public_key
    client = push_app.test_client()
    for path in (f"/{lang}/", f"/{lang}/report", f"/{lang}/alerts/"):
        page = html.unescape(client.get(path).get_data(as_text=True))
        assert page.count('id="alert-toggles"') == 1, path
        assert toggles(page) == expected, path
        assert f'data-public-key="{key}"' in page, path
        assert f'data-subscribe-url="/{lang}/alerts/subscription"' in page, path
        assert privacy in page and no_script in page, path
    for path in (f"/{lang}/", f"/{lang}/report"):
        page = client.get(path).get_data(as_text=True)
        assert f'href="/{lang}/alerts/"' in page, path
    # The report form given back with its errors, or with one more plate row, keeps them.
    for data in ({"place": "Brygga C"}, {"add_plate": "1"}):
        answer = client.post(
            f"/{lang}/report", data=data, headers={"Sec-Fetch-Site": "same-origin"}
        )
        assert toggles(html.unescape(answer.get_data(as_text=True))) == expected, data


def test_without_a_key_the_pages_say_that_alerts_are_not_pushed(client, staff):
    page = client.get("/en/").get_data(as_text=True)
    assert 'data-public-key=""' in page
    assert "This site does not send alerts to phones at the moment." in page


def test_the_home_page_lists_a_renamed_new_or_withdrawn_harbour_at_once(app, client, harbour):
    """The home page is rendered once for everyone: the harbours are part of its cache key."""
    before = client.get("/sv/")
    with app.app_context():
        db.session.get(Harbour, harbour).name = "Gästhamnen"
        db.session.add(Harbour(name="Femöresund", sort_order=1))
        db.session.commit()
    renamed = client.get("/sv/", headers={"If-None-Match": before.headers["ETag"]})
    assert renamed.status_code == 200
    assert set(toggles(html.unescape(renamed.get_data(as_text=True))).values()) == {
        "Gästhamnen",
        "Femöresund",
    }
    with app.app_context():
        db.session.get(Harbour, harbour).active = False
        db.session.commit()
    withdrawn = html.unescape(client.get("/sv/").get_data(as_text=True))
    assert set(toggles(withdrawn).values()) == {"Femöresund"}
