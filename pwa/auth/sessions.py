"""Sessions of contact persons and administrators: who is logged in, for how long, and where
the server keeps them."""

import math
import re
import time
from functools import wraps
from pathlib import Path
from urllib.parse import urlsplit

import click
from cachelib.file import FileSystemCache
from flask import abort, current_app, flash, redirect, request, session, url_for
from flask.cli import AppGroup
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_session.cachelib import CacheLibSessionInterface

from .. import audit, i18n
from ..extensions import db, login_manager
from . import accounts, bp

#: The session key holding when the person logged in: a session ends this long after, active or not.
LOGIN_AT = "login_at"
#: The session key holding when the person last did something: a session ends after an idle while.
SEEN_AT = "seen_at"
#: Requests made by a page on its own, not by the person: they keep no session alive.
BACKGROUND_ENDPOINTS = {"inbox.list_new_reports"}
#: Flask-Login's session key of the logged-in account.
USER_ID = "_user_id"
#: The pages of contact persons and administrators: closed until a given password is changed.
STAFF_BLUEPRINTS = ("inbox", "admin")
#: How often a process deletes the files of expired sessions.
SWEEP_SECONDS = 3600


class SecureOverHttps:
    """Mark the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return super().get_cookie_secure(app) or request.is_secure


class FileSessions(SecureOverHttps, CacheLibSessionInterface):
    """Sessions kept in files, for the processes of one machine."""

    def __init__(self, directory, **options):
        # No threshold: with one, a flood of new sessions would delete the oldest live ones,
        # logging people out. Without one, cachelib deletes nothing, even expired files.
        super().__init__(client=FileSystemCache(str(directory), threshold=0), **options)
        self.swept_at = time.time()

    def _upsert_session(self, session_lifetime, session, store_id):
        super()._upsert_session(session_lifetime, session, store_id)
        now = time.time()
        if now - self.swept_at > SWEEP_SECONDS:
            self.swept_at = now
            self.cache._remove_expired(now)

    def end_all(self):
        self.cache.clear()


def redis_sessions(app, **options):
    """Return sessions kept in Redis, shared by every process and machine."""
    # Imported here: without REDIS_URL, neither redis nor a connection is needed.
    from flask_session.redis import RedisSessionInterface
    from redis import Redis

    class RedisSessions(SecureOverHttps, RedisSessionInterface):
        def end_all(self):
            pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self.key_prefix) + "*"
            for key in self.client.scan_iter(match=pattern):
                self.client.delete(key)

    return RedisSessions(app, client=Redis.from_url(app.config["REDIS_URL"]), **options)


def init_app(app):
    """Keep sessions on the server (Redis, or files under instance/sessions/), so that one
    can be ended there: the cookie holds only its random id."""
    options = {"key_prefix": app.config["SESSION_KEY_PREFIX"], "permanent": True}
    if app.config["REDIS_URL"]:
        app.session_interface = redis_sessions(app, **options)
    else:
        directory = app.config["SESSION_DIRECTORY"] or Path(app.instance_path) / "sessions"
        app.session_interface = FileSessions(directory, **options)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(ask_to_log_in)
    app.before_request(end_old_sessions)
    app.before_request(require_own_password)


def load_user(session_id):
    return accounts.load_account(session_id)


def end_old_sessions():
    """Log out a session idle for longer than its lifetime, or begun SESSION_MAX_HOURS ago.

    The cookie's own expiry ends an idle session in the browser; this ends it on the server
    too, for a cookie kept or copied, and for an inbox left open whose poll alone still asks.
    A logged-in session without readable times is no session of ours: it ends too.
    """
    if USER_ID not in session and LOGIN_AT not in session:
        return
    started = session.get(LOGIN_AT)
    seen = session.get(SEEN_AT, started)
    if not is_past_time(started) or not is_past_time(seen):
        end_session()
        return
    reason = why_ended(started, seen)
    if reason is None:
        if request.endpoint not in BACKGROUND_ENDPOINTS:
            session[SEEN_AT] = time.time()
        return
    # Said on the log-in page the person is sent to next.
    end_session(reason)


def require_own_password():
    """Send a person whose password someone else chose to change it, from every staff page.

    Logging out and the change itself stay open: they are not in STAFF_BLUEPRINTS.
    """
    if request.blueprint not in STAFF_BLUEPRINTS or not current_user.is_authenticated:
        return None
    if not current_user.must_change_password:
        return None
    url = url_for("auth.change_password", lang=i18n.current_language())
    if request.headers.get("HX-Request"):
        response = current_app.response_class(status=204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def is_past_time(value):
    """Tell whether `value` is a time (seconds since 1970) not later than now, give a minute."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value <= time.time() + 60
    )


def begin_session(account):
    """Log the account in, in a session with a new id: one known before (fixation) opens nothing."""
    session.clear()
    session.permanent = True
    session[LOGIN_AT] = session[SEEN_AT] = time.time()
    login_user(account)
    current_app.session_interface.regenerate(session)


def end_session(message=None):
    """Log out, delete the session on the server, and start an empty one with a new id."""
    logout_user()
    session.clear()
    if message:
        flash(message)
    current_app.session_interface.regenerate(session)


def why_ended(started, seen):
    """Say why a session begun and last used at these times has ended; None if it has not."""
    now = time.time()
    hours = current_app.config["SESSION_MAX_HOURS"]
    if now - started > hours * 3600:
        return ngettext(
            "You were logged out %(num)d hour after logging in.",
            "You were logged out %(num)d hours after logging in.",
            hours,
        )
    idle = current_app.permanent_session_lifetime.total_seconds()
    if now - seen > idle:
        return ngettext(
            "You were logged out after %(num)d minute without activity.",
            "You were logged out after %(num)d minutes without activity.",
            max(1, round(idle / 60)),
        )
    return None


def ask_to_log_in():
    """Send an anonymous visitor to the log-in page, and back here afterwards."""
    url = url_for("auth.login", lang=i18n.current_language(), next=return_address())
    if request.headers.get("HX-Request"):
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def return_address():
    """Return where to come back to after logging in: for htmx, the page that asked.

    The address of an htmx request is a fragment (the inbox's poll, a filtered list), which
    would be shown bare after logging in.
    """
    if not request.headers.get("HX-Request"):
        return request.full_path
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    if page.netloc != request.host or not page.path.startswith("/"):
        return None
    return page.path + (f"?{page.query}" if page.query else "")


def admin_required(view):
    """Let only administrators through; others get 404, as if the page did not exist."""

    @wraps(view)
    @login_required
    def check(*args, **kwargs):
        if not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return check


sessions_group = AppGroup(
    "sessions", help="End the sessions of contact persons and administrators."
)
bp.cli.add_command(sessions_group)


@sessions_group.command("end-all")
def end_all():
    """Log everyone out, everywhere: every session in the store ends."""
    current_app.session_interface.end_all()
    audit.record(None, "sessions_ended")
    db.session.commit()
    click.echo("Ended every session: everyone must log in again")
