"""Sessions kept on the server: log-out, log-in and the end of every session reach a copied
cookie; public pages store none."""

from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import select

from pwa import create_app
from pwa.auth import sessions
from pwa.config import TestConfig
from pwa.extensions import db
from pwa.models import Account
from tests.staff import BO, KIM, PASSWORD, add_staff, csrf_token, log_in


def session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie and cookie.value


def copy_of(app, client):
    """Return a new client holding the session cookie of `client`, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", session_cookie(client))
    return thief


def export(client, token):
    return client.post("/sv/inbox/export.csv", data={"csrf_token": token})


def opens_nothing(client, token="none"):
    """Tell whether the inbox sends the client to the log-in page, and the CSV export, posted
    with the token the session had, gives nothing."""
    inbox = client.get("/sv/inbox/")
    exported = export(client, token)
    return (
        inbox.status_code == 303
        and inbox.headers["Location"].startswith("/sv/login?next=")
        and exported.status_code != 200
        and "text/csv" not in exported.content_type
    )


def log_out(client):
    token = csrf_token(client, "/sv/account/password")
    return client.post("/sv/logout", data={"csrf_token": token})


def test_a_cookie_copied_before_logging_out_opens_nothing(app, client, staff):
    log_in(client, KIM)
    thief = copy_of(app, client)
    token = csrf_token(thief, "/sv/account/password")
    assert export(thief, token).status_code == 200
    assert log_out(client).status_code == 303
    assert opens_nothing(thief, token)
    assert opens_nothing(client, token)


def test_logging_in_gives_a_new_session_id(app, client, staff):
    client.get("/sv/login")
    before = session_cookie(client)
    assert before
    log_in(client, KIM)
    after = session_cookie(client)
    assert after and after != before
    planted = app.test_client()
    planted.set_cookie("session", before)
    assert opens_nothing(planted)
    assert client.get("/sv/inbox/").status_code == 200


@pytest.mark.parametrize("how", ["deactivated", "password_changed"])
def test_ending_an_accounts_sessions_ends_copied_cookies_too(app, client, staff, how):
    log_in(client, KIM)
    thief = copy_of(app, client)
    other = app.test_client()
    log_in(other, BO)
    with app.app_context():
        account = db.session.scalars(select(Account).filter_by(email=KIM)).one()
        if how == "deactivated":
            account.active = False
        else:
            account.session_version += 1
        db.session.commit()
    assert opens_nothing(thief)
    assert opens_nothing(client)
    assert other.get("/sv/inbox/").status_code == 200


@pytest.fixture
def own_store_app(make_app, tmp_path):
    """An app whose sessions are its own: files in a folder of the test, or Redis keys."""

    class OwnStore(TestConfig):
        SESSION_DIRECTORY = str(tmp_path / "sessions")
        SESSION_KEY_PREFIX = f"{TestConfig.SESSION_KEY_PREFIX}{tmp_path.name}:"

    app = make_app(OwnStore)
    with app.app_context():
        add_staff()
    yield app
    stored(app, delete=True)


def stored(app, delete=False):
    """Return the keys or files of the sessions the app keeps; delete them first, if asked."""
    interface = app.session_interface
    if isinstance(interface, sessions.FileSessions):
        if delete:
            interface.cache.clear()
        return sorted(path.name for path in Path(app.config["SESSION_DIRECTORY"]).iterdir())
    with Redis.from_url(app.config["REDIS_URL"]) as redis:
        keys = sorted(redis.scan_iter(match=interface.key_prefix + "*"))
        if delete and keys:
            redis.delete(*keys)
            return []
        return keys


def test_flask_sessions_end_all_logs_everyone_out(own_store_app):
    app = own_store_app
    kim, bo = app.test_client(), app.test_client()
    log_in(kim, KIM)
    log_in(bo, BO)
    assert stored(app)
    result = app.test_cli_runner().invoke(args=["sessions", "end-all"])
    assert result.exit_code == 0, result.output
    assert "Ended every session" in result.output
    assert stored(app) == []
    assert opens_nothing(kim)
    assert opens_nothing(bo)
    assert log_in(kim, KIM).status_code == 303


@pytest.mark.parametrize("url", ["/sv/", "/sv/promise", "/en/"])
def test_public_pages_store_no_session_and_set_no_cookie(own_store_app, url):
    client = own_store_app.test_client()
    answer = client.get(url)
    assert answer.status_code == 200
    assert not [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert client.get_cookie("session") is None
    assert stored(own_store_app) == []


def test_logging_out_keeps_no_session_of_the_account(own_store_app):
    client = own_store_app.test_client()
    log_in(client, KIM)
    (logged_in,) = stored(own_store_app)
    assert log_out(client).status_code == 303
    assert logged_in not in stored(own_store_app)


def test_a_new_password_gives_this_session_a_new_id(app, client, staff):
    log_in(client, KIM)
    before = session_cookie(client)
    thief = copy_of(app, client)
    answer = client.post(
        "/sv/account/password",
        data={
            "csrf_token": csrf_token(client, "/sv/account/password"),
            "current": PASSWORD,
            "new": "another long enough password",
            "confirm": "another long enough password",
        },
    )
    assert answer.status_code == 303
    assert session_cookie(client) != before
    assert client.get("/sv/inbox/").status_code == 200
    assert opens_nothing(thief)


def test_without_redis_sessions_are_files_and_the_app_makes_no_connection(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SESSION_DIRECTORY": str(tmp_path),
        }
    )
    assert isinstance(app.session_interface, sessions.FileSessions)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    # Nothing listens on port 1: the app is made all the same, and asks Redis only when used.
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "REDIS_URL": "redis://127.0.0.1:1",
        }
    )
    assert not isinstance(app.session_interface, sessions.FileSessions)
    assert app.test_client().get("/sv/boat-watch").status_code == 200


def test_the_files_of_expired_sessions_are_deleted(own_store_app):
    app = own_store_app
    if not isinstance(app.session_interface, sessions.FileSessions):
        pytest.skip("Redis deletes expired sessions itself")
    interface = app.session_interface
    interface.cache.set("session:expired", {"_user_id": "1:1"}, timeout=-60)
    (expired,) = stored(app)
    client = app.test_client()
    log_in(client, KIM)
    assert expired in stored(app)
    interface.swept_at -= sessions.SWEEP_SECONDS + 1
    client.get("/sv/inbox/")
    assert expired not in stored(app)
    assert len(stored(app)) == 1
