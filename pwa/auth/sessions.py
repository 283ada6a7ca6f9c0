"""Sessions of contact persons and administrators: who is logged in, and for how long."""

import time
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from .. import i18n
from ..extensions import login_manager
from . import accounts

#: The session key holding when the person logged in: a session ends this long after, active or not.
LOGIN_AT = "login_at"
#: The session key holding when the person last did something: a session ends after an idle while.
SEEN_AT = "seen_at"
#: Requests made by a page on its own, not by the person: they keep no session alive.
BACKGROUND_ENDPOINTS = {"inbox.list_new_reports"}


def init_app(app):
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(ask_to_log_in)
    app.before_request(end_old_sessions)


def load_user(session_id):
    return accounts.load_account(session_id)


def end_old_sessions():
    """Log out a session idle for longer than its lifetime, or begun SESSION_MAX_HOURS ago.

    The cookie's own expiry ends an idle session in the browser; this ends it on the server
    too, for a cookie kept or copied, and for an inbox left open whose poll alone still asks.
    """
    started = session.get(LOGIN_AT)
    if started is None:
        return
    reason = why_ended(started, session.get(SEEN_AT, started))
    if reason is None:
        if request.endpoint not in BACKGROUND_ENDPOINTS:
            session[SEEN_AT] = time.time()
        return
    logout_user()
    session.pop(LOGIN_AT, None)
    session.pop(SEEN_AT, None)
    # Said on the log-in page the person is sent to next.
    flash(reason)


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
