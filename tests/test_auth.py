"""Logging in and out, sessions that end, and passwords, through the Flask client."""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.serving import make_server

from pwa.auth.sessions import LOGIN_AT, SEEN_AT, USER_ID
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.models import Account, AuditEvent
from tests.databases import app_with_tables, threaded_config
from tests.staff import ADMIN, BO, KIM, PASSWORD, add_staff, csrf_token, log_in

NEW_PASSWORD = "another long enough password"


def text(response):
    return response.get_data(as_text=True)


def without_token(response):
    """Return the page without its CSRF token, which differs on every page."""
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", text(response))


def in_language(app, lang, message, **variables):
    """Return a message as the catalogue of `lang` has it."""
    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return _(message, **variables)


def is_logged_in(client, lang="sv"):
    return client.get(f"/{lang}/inbox/").status_code == 200


def post_login(client, lang="sv", next_url=None, **data):
    url = f"/{lang}/login" + (f"?next={next_url}" if next_url is not None else "")
    return client.post(url, data={"csrf_token": csrf_token(client, f"/{lang}/login"), **data})


@pytest.mark.parametrize(("lang", "email"), [("sv", KIM), ("en", " Kim@Example.ORG ")])
def test_the_right_password_logs_in(app, client, staff, lang, email):
    answer = log_in(client, email, lang=lang)
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/{lang}/inbox/"
    page = client.get(f"/{lang}/inbox/")
    assert page.status_code == 200
    assert "Kim Kontakt" in text(page)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).filter_by(action="logged_in")).one()
        assert event.actor == KIM


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_login_page_is_in_its_language(app, client, lang):
    page = text(client.get(f"/{lang}/login"))
    assert f'<html lang="{lang}"' in page
    assert in_language(app, lang, "Log in") in page
    assert 'autocomplete="current-password"' in page


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(app, client, staff, lang):
    wrong_password = post_login(client, lang, email=KIM, password="not the password at all")
    unknown = post_login(client, lang, email="nobody@example.org", password=PASSWORD)
    assert wrong_password.status_code == unknown.status_code == 401
    assert without_token(wrong_password).replace(KIM, "") == without_token(unknown).replace(
        "nobody@example.org", ""
    )
    message = in_language(app, lang, "The e-mail address or the password is wrong.")
    assert message in text(unknown)
    # The address stays in the form; the password does not.
    assert 'value="nobody@example.org"' in text(unknown)
    assert PASSWORD not in text(unknown)
    assert not is_logged_in(client, lang)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("sv", "en inloggning på det här kontot misslyckades"),
        ("en", "a log-in to this account failed"),
    ],
)
def test_a_failed_log_in_is_in_the_audit_log_and_the_log_without_what_was_typed(
    app, client, staff, caplog, lang, words
):
    """The administrator sees attempts on an account; nothing typed is kept, as a password
    typed in the address field would be."""
    post_login(client, lang, email=KIM, password="not the password at all")
    post_login(client, lang, email="hunter2 typed here", password=PASSWORD)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).filter_by(action="login_failed")).all()
        assert [(event.actor, event.details) for event in events] == [(KIM, {})]
    messages = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(messages) == 2
    assert not any("hunter2" in message or "not the password" in message for message in messages)
    log_in(client, ADMIN, lang=lang)
    audit_page = client.get(f"/{lang}/admin/audit").get_data(as_text=True)
    assert words in audit_page


def test_a_deactivated_account_cannot_log_in(app, client, staff):
    with app.app_context():
        db.session.scalars(select(Account).filter_by(email=KIM)).one().active = False
        db.session.commit()
    deactivated = post_login(client, email=KIM, password=PASSWORD)
    unknown = post_login(client, email="nobody@example.org", password=PASSWORD)
    assert deactivated.status_code == unknown.status_code == 401
    assert without_token(deactivated).replace(KIM, "") == without_token(unknown).replace(
        "nobody@example.org", ""
    )
    assert not is_logged_in(client)


def test_deactivating_an_account_ends_its_sessions(app, client, staff):
    log_in(client, KIM)
    assert is_logged_in(client)
    with app.app_context():
        db.session.scalars(select(Account).filter_by(email=KIM)).one().active = False
        db.session.commit()
    assert not is_logged_in(client)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_empty_form_says_what_is_missing(app, client, lang):
    answer = post_login(client, lang, email="", password="")
    assert answer.status_code == 422
    page = text(answer)
    assert in_language(app, lang, "Write your e-mail address.") in page
    assert in_language(app, lang, "Write your password.") in page
    assert 'aria-describedby="email-error"' in page


class LimitedConfig(TestConfig):
    LOGIN_RATE_LIMIT = "3 per minute"
    LOGIN_EMAIL_RATE_LIMIT = "2 per hour"


@pytest.fixture
def limited_app(make_app):
    app = make_app(LimitedConfig)
    with app.app_context():
        add_staff()
    return app


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_many_log_ins_from_one_address_are_refused_for_a_while(limited_app, lang):
    client = limited_app.test_client()
    for number in range(3):
        answer = post_login(client, lang, email=f"person{number}@example.org", password="wrong")
        assert answer.status_code == 401
    answer = post_login(client, lang, email=KIM, password=PASSWORD)
    assert answer.status_code == 429
    assert 0 < int(answer.headers["Retry-After"]) <= 60
    assert f'<html lang="{lang}"' in text(answer)
    assert in_language(limited_app, lang, "Please wait a moment") in text(answer)
    assert not is_logged_in(client, lang)


def test_failed_log_ins_to_one_address_are_refused_from_any_address(limited_app):
    client = limited_app.test_client()
    for address in ("192.0.2.1", "192.0.2.2"):
        answer = client.post(
            "/en/login",
            data={"csrf_token": csrf_token(client, "/en/login"), "email": BO, "password": "wrong"},
            environ_base={"REMOTE_ADDR": address},
        )
        assert answer.status_code == 401
    answer = client.post(
        "/en/login",
        data={
            "csrf_token": csrf_token(client, "/en/login"),
            "email": "BO@example.org ",
            "password": PASSWORD,
        },
        environ_base={"REMOTE_ADDR": "192.0.2.3"},
    )
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) > 0
    assert "Please wait a moment" in text(answer)
    # Another person's address is not locked by it.
    other = limited_app.test_client()
    answer = other.post(
        "/sv/login",
        data={"csrf_token": csrf_token(other, "/sv/login"), "email": KIM, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.4"},
    )
    assert answer.status_code == 303


def test_log_ins_from_the_owners_browser_do_not_count_against_the_address(limited_app):
    """The first log-in gives the browser a device cookie; with it, it counts on its own."""
    client = limited_app.test_client()
    for number in range(3):
        answer = client.post(
            "/sv/login",
            data={
                "csrf_token": csrf_token(client, "/sv/login"),
                "email": KIM,
                "password": PASSWORD,
            },
            environ_base={"REMOTE_ADDR": f"192.0.2.{number + 10}"},
        )
        assert answer.status_code == 303
        token = csrf_token(client, "/sv/account/password")
        assert client.post("/sv/logout", data={"csrf_token": token}).status_code == 303


def post_from(client, address, email, password, lang="sv"):
    """Post the log-in form from a client address of its own."""
    return log_in(client, email, password, lang, environ_base={"REMOTE_ADDR": address})


#: Characters that the form drops from an address (control characters) or trims (white space).
DROPPED = [chr(code) for code in [*range(0x00, 0x20), 0x7F]] + [" "]


def test_characters_the_form_drops_do_not_get_round_the_limit_of_an_address(limited_app):
    assert len(DROPPED) == 34
    for number in range(2):
        answer = post_from(limited_app.test_client(), f"192.0.2.{number}", KIM, "wrong")
        assert answer.status_code == 401
    assert post_from(limited_app.test_client(), "192.0.2.9", KIM, PASSWORD).status_code == 429
    for number, character in enumerate(DROPPED):
        for variant in (KIM + character, character + KIM.upper()):
            client = limited_app.test_client()
            answer = post_from(client, f"198.51.100.{number}", variant, PASSWORD)
            assert answer.status_code == 429, repr(variant)
            assert not is_logged_in(client)


def test_the_owners_browser_logs_in_while_the_address_is_limited_for_others(limited_app):
    owner, stranger = limited_app.test_client(), limited_app.test_client()
    answer = post_from(owner, "192.0.2.1", KIM, PASSWORD)
    assert answer.status_code == 303
    cookies = [value for value in answer.headers.getlist("Set-Cookie") if "device=" in value]
    assert {cookie.split(";")[0] for cookie in cookies} == {cookies[0].split(";")[0]}
    for cookie in cookies:
        attributes = {part.strip().lower() for part in cookie.split(";")}
        assert {"httponly", "samesite=strict"} <= attributes
        assert attributes & {"path=/sv/login", "path=/en/login"}
        assert "max-age=31536000" in attributes
    assert log_out(owner).status_code == 303

    # The owner's log-in from a new browser counted too: one attempt is left for strangers.
    assert post_from(stranger, "203.0.113.1", KIM, "wrong").status_code == 401
    assert post_from(stranger, "203.0.113.2", KIM, PASSWORD).status_code == 429
    # A device cookie of another account is no way in to this one.
    assert post_from(stranger, "203.0.113.10", BO, PASSWORD).status_code == 303
    assert log_out(stranger).status_code == 303
    assert post_from(stranger, "203.0.113.11", KIM, PASSWORD).status_code == 429

    assert post_from(owner, "192.0.2.2", KIM, PASSWORD, lang="en").status_code == 303
    assert is_logged_in(owner)
    # The owner's browser has a limit of its own, which the stranger did not touch.
    assert log_out(owner).status_code == 303
    assert post_from(owner, "192.0.2.3", KIM, "wrong").status_code == 401
    assert post_from(owner, "192.0.2.4", KIM, "wrong").status_code == 401
    assert post_from(owner, "192.0.2.5", KIM, PASSWORD).status_code == 429


def test_a_forged_device_cookie_is_no_way_in(limited_app):
    for number in range(2):
        assert post_from(limited_app.test_client(), f"192.0.2.{number}", KIM, "wrong").status_code
    client = limited_app.test_client()
    client.set_cookie("device", '[1, "abc"]', path="/sv/login")
    assert post_from(client, "192.0.2.5", KIM, PASSWORD).status_code == 429


class ConcurrentConfig(TestConfig):
    LOGIN_RATE_LIMIT = "1000 per minute"
    LOGIN_EMAIL_RATE_LIMIT = "5 per hour"


@pytest.fixture
def live_server(tmp_path):
    """Serve an app of its own on a port, each request in a thread of its own."""
    with app_with_tables(threaded_config(tmp_path, ConcurrentConfig)) as app:
        with app.app_context():
            add_staff()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        thread.join()


def test_attempts_sent_at_once_get_no_more_wrong_answers_than_the_limit(live_server):
    attempts = 30
    barrier = threading.Barrier(attempts)
    statuses = []

    def attempt():
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = browser.open(f"{live_server}/sv/login").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = {"csrf_token": token, "email": BO, "password": "wrong"}
        barrier.wait()
        try:
            status = browser.open(f"{live_server}/sv/login", urllib.parse.urlencode(form).encode())
            statuses.append(status.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == attempts
    assert set(statuses) == {401, 429}
    assert statuses.count(401) <= 5


def log_out(client):
    token = csrf_token(client, "/sv/account/password")
    return client.post("/sv/logout", data={"csrf_token": token})


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_logging_out_ends_the_session(app, client, staff, lang):
    log_in(client, KIM, lang=lang)
    assert is_logged_in(client, lang)
    token = csrf_token(client, f"/{lang}/account/password")
    answer = client.post(f"/{lang}/logout", data={"csrf_token": token})
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/{lang}/login"
    assert in_language(app, lang, "You have logged out.") in text(client.get(f"/{lang}/login"))
    assert not is_logged_in(client, lang)
    with app.app_context():
        assert db.session.scalars(select(AuditEvent).filter_by(action="logged_out")).one()


def test_logging_out_needs_a_post_with_a_token(client, staff):
    log_in(client, KIM)
    assert client.get("/sv/logout").status_code == 405
    assert client.post("/sv/logout").status_code == 400
    assert is_logged_in(client)


def test_a_session_ends_some_hours_after_logging_in_however_active(app, client, staff):
    log_in(client, KIM)
    hours = app.config["SESSION_MAX_HOURS"]
    with client.session_transaction() as session:
        session[LOGIN_AT] = time.time() - hours * 3600 + 600
    assert is_logged_in(client)
    with client.session_transaction() as session:
        session[LOGIN_AT] = time.time() - hours * 3600 - 1
    answer = client.get("/sv/inbox/")
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith("/sv/login?next=")
    assert f"Du loggades ut {hours} timmar efter inloggningen." in text(
        client.get(answer.headers["Location"])
    )
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (LOGIN_AT, None),
        (LOGIN_AT, "yesterday"),
        (LOGIN_AT, True),
        (LOGIN_AT, float("nan")),
        (LOGIN_AT, time.time() + 24 * 3600),
        (SEEN_AT, "now"),
        (SEEN_AT, [1]),
    ],
)
def test_a_logged_in_session_without_a_readable_time_is_logged_out(client, staff, key, value):
    log_in(client, KIM)
    with client.session_transaction() as session:
        if value is None:
            del session[key]
        else:
            session[key] = value
    answer = client.get("/sv/inbox/")
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith("/sv/login?next=")
    assert not is_logged_in(client)


def test_a_session_with_an_account_but_no_log_in_time_is_no_session(app, client, staff):
    with app.app_context():
        account = db.session.scalars(select(Account).filter_by(email=ADMIN)).one()
        user_id = account.get_id()
    with client.session_transaction() as session:
        session[USER_ID] = user_id
    assert client.get("/sv/inbox/").status_code == 303
    assert client.get("/sv/admin/accounts").status_code in {303, 404}
    assert not is_logged_in(client)


def last_seen(client, seconds_ago=None):
    """Return when the session last saw the person; first move that back, if asked."""
    with client.session_transaction() as session:
        if seconds_ago is not None:
            session[SEEN_AT] = time.time() - seconds_ago
        return session.get(SEEN_AT)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("sv", "Du loggades ut efter 60 minuter utan aktivitet."),
        ("en", "You were logged out after 60 minutes without activity."),
    ],
)
def test_a_session_ends_on_the_server_after_an_idle_while(app, client, staff, lang, message):
    log_in(client, KIM)
    idle = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    last_seen(client, seconds_ago=idle - 60)
    assert is_logged_in(client, lang)
    assert last_seen(client) == pytest.approx(time.time(), abs=30)

    last_seen(client, seconds_ago=idle + 1)
    answer = client.get(f"/{lang}/inbox/")
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith(f"/{lang}/login?next=")
    assert message in text(client.get(answer.headers["Location"]))
    assert not is_logged_in(client, lang)


def test_the_inbox_poll_keeps_no_session_alive(app, client, staff):
    log_in(client, KIM)
    idle = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    before = last_seen(client, seconds_ago=idle - 60)
    poll = {"HX-Request": "true", "HX-Current-URL": "http://localhost/sv/inbox/"}
    assert client.get("/sv/inbox/new?after=0", headers=poll).status_code == 200
    assert last_seen(client) == before

    last_seen(client, seconds_ago=idle + 1)
    answer = client.get("/sv/inbox/new?after=0", headers=poll)
    assert answer.status_code == 401
    assert answer.headers["HX-Redirect"].startswith("/sv/login?next=")
    assert not is_logged_in(client)


def test_a_session_is_kept_only_for_a_while_without_requests(app, client, staff):
    log_in(client, KIM)
    cookie = client.get_cookie("session")
    assert cookie.expires is not None
    idle = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    assert abs(cookie.expires.timestamp() - time.time() - idle) < 300


def change_password(client, lang="sv", current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        f"/{lang}/account/password",
        data={
            "csrf_token": csrf_token(client, f"/{lang}/account/password"),
            "current": current,
            "new": new,
            "confirm": new if confirm is None else confirm,
        },
    )


def test_a_new_password_ends_the_other_sessions_but_keeps_this_one(app, staff):
    here, elsewhere = app.test_client(), app.test_client()
    log_in(here, KIM)
    log_in(elsewhere, KIM)
    assert is_logged_in(here) and is_logged_in(elsewhere)
    answer = change_password(here)
    assert answer.status_code == 303
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)
    assert log_in(elsewhere, KIM).status_code == 401
    assert log_in(elsewhere, KIM, NEW_PASSWORD).status_code == 303
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).filter_by(action="password_changed")).all()
        assert [event.actor for event in events] == [KIM]
        assert NEW_PASSWORD not in str(events[0].details)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_password_change_explains_what_is_wrong(app, client, staff, lang):
    log_in(client, KIM, lang=lang)
    cases = [
        ({"current": "not it"}, "This is not your current password."),
        ({"new": "short"}, "Use %(min)s to %(max)s characters."),
        ({"confirm": "something else entirely"}, "The two new passwords are not the same."),
    ]
    for changes, message in cases:
        answer = change_password(client, lang, **changes)
        assert answer.status_code == 422
        assert in_language(app, lang, message, min=12, max=200) in text(answer)
    assert log_in(app.test_client(), KIM).status_code == 303


class CheckLimitedConfig(TestConfig):
    PASSWORD_CHECK_RATE_LIMIT = "3 per 15 minutes"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_current_password_may_be_tried_only_a_few_times(make_app, lang):
    app = make_app(CheckLimitedConfig)
    with app.app_context():
        add_staff()
    client = app.test_client()
    log_in(client, BO, lang=lang)
    tried = [f"guess number {number}" for number in range(3)]
    for guess in tried:
        answer = change_password(client, lang, current=guess)
        assert answer.status_code == 422
        assert guess not in text(answer)
    # Counted before the check: the right password waits too.
    answer = change_password(client, lang)
    assert answer.status_code == 429
    assert 0 < int(answer.headers["Retry-After"]) <= 15 * 60
    page = text(answer)
    assert f'<html lang="{lang}"' in page
    assert in_language(app, lang, "Please wait a moment") in page
    assert not any(secret in page for secret in [*tried, PASSWORD, NEW_PASSWORD])
    # Another account is not limited by it, and the password was not changed.
    other = app.test_client()
    log_in(other, KIM)
    assert change_password(other).status_code == 303
    assert log_in(app.test_client(), BO).status_code == 303


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "http:/evil.example",
        "/%09/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_goes_only_to_this_site(client, staff, next_url):
    answer = post_login(client, next_url=next_url, email=KIM, password=PASSWORD)
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/sv/inbox/"


def test_next_goes_to_the_page_asked_for(client, staff):
    answer = post_login(client, next_url="/sv/inbox/?status=closed", email=KIM, password=PASSWORD)
    assert answer.headers["Location"] == "/sv/inbox/?status=closed"
    # Someone already logged in who opens the log-in page goes on at once.
    answer = client.get("/sv/login?next=//evil.example")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/sv/inbox/"


def test_passwords_are_stored_as_argon2id(app, staff):
    with app.app_context():
        for account in db.session.scalars(select(Account)):
            assert account.password_hash.startswith("$argon2id$")
            assert PASSWORD not in account.password_hash


def test_the_session_cookie_is_http_only_and_same_site(client, staff):
    answer = log_in(client, ADMIN)
    cookies = [
        value for value in answer.headers.getlist("Set-Cookie") if value.startswith("session=")
    ]
    assert len(cookies) == 1
    attributes = {part.strip().lower() for part in cookies[0].split(";")}
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_the_session_cookie_is_secure_over_https(client, staff):
    client.get("/sv/login", base_url="https://localhost")
    answer = client.post(
        "/sv/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/sv/login"},
        data={
            "csrf_token": csrf_token(client, "/sv/login"),
            "email": KIM,
            "password": PASSWORD,
        },
    )
    cookie = next(
        value for value in answer.headers.getlist("Set-Cookie") if value.startswith("session=")
    )
    assert "secure" in {part.strip().lower() for part in cookie.split(";")}


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("sv", "Formuläret hade varit öppet för länge, så inget sparades."),
        ("en", "The form had been open too long, so nothing was saved."),
    ],
)
def test_an_expired_form_says_so(client, staff, lang, message):
    answer = client.post(
        f"/{lang}/login", data={"csrf_token": "expired", "email": KIM, "password": PASSWORD}
    )
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
