"""Logging in and out, and changing one's password: for contact persons and administrators."""

import time
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from . import accounts, i18n
from .extensions import db, limiter, login_manager
from .forms import clean
from .rendering import render

bp = Blueprint("auth", __name__, url_prefix="/<any(sv, en):lang>")
i18n.localise(bp)

#: The session key holding when the person logged in: a session ends this long after, active or not.
LOGIN_AT = "login_at"
#: The session key holding when the person last did something: a session ends after an idle while.
SEEN_AT = "seen_at"
#: Requests made by a page on its own, not by the person: they keep no session alive.
BACKGROUND_ENDPOINTS = {"coordinator.list_new_reports"}


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[clean],
        validators=[InputRequired(_l("Write your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(_l("Write your password.")), Length(max=200)]
    )


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Write your current password."))]
    )
    new = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(_l("Write a new password.")),
            Length(
                min=accounts.MIN_PASSWORD_LENGTH,
                max=200,
                message=_l(
                    "Use %(min)s to %(max)s characters.",
                    min=accounts.MIN_PASSWORD_LENGTH,
                    max=200,
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("new", _l("The two new passwords are not the same."))],
    )

    def validate_current(self, field):
        if not accounts.password_matches(current_user.password_hash, field.data):
            raise ValidationError(_("This is not your current password."))


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


def login_rate_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def login_email_key():
    """Count failed log-ins per e-mail address too, whatever addresses they come from."""
    return "login:" + accounts.normalise_email(request.form.get("email", ""))


def failed(response):
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_EMAIL_RATE_LIMIT"],
    key_func=login_email_key,
    methods=["POST"],
    deduct_when=failed,
)
def login():
    """Log a contact person or administrator in with e-mail address and password."""
    if current_user.is_authenticated:
        return redirect(safe_next() or url_for("coordinator.list_reports"), 303)
    form = LoginForm()
    if not form.validate_on_submit():
        return render("auth/login.html", form=form, status=422 if form.errors else 200)
    account = accounts.authenticate(form.email.data, form.password.data)
    if account is None:
        # The same answer for an unknown address and a wrong password.
        form.form_errors.append(_("The e-mail address or the password is wrong."))
        form.password.data = ""
        return render("auth/login.html", form=form, status=401)
    session.clear()
    session.permanent = True
    session[LOGIN_AT] = session[SEEN_AT] = time.time()
    login_user(account)
    accounts.record(account, "logged_in")
    db.session.commit()
    return redirect(safe_next() or url_for("coordinator.list_reports"), 303)


@bp.post("/logout")
def logout():
    """End the session."""
    if current_user.is_authenticated:
        accounts.record(current_user, "logged_out")
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."))
    return redirect(url_for("auth.login"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Let the person choose a new password; their other sessions end."""
    form = PasswordForm()
    if not form.validate_on_submit():
        return render("auth/change_password.html", form=form, status=422 if form.errors else 200)
    accounts.set_password(current_user, form.new.data)
    accounts.record(current_user, "password_changed")
    db.session.commit()
    # This session carries the old version: log in again under the new one.
    login_user(current_user)
    flash(_("Your password has been changed."))
    return redirect(url_for("coordinator.list_reports"), 303)


def safe_next():
    """Return the `next` address if it is a path on this site, else None."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return None
    if "\\" in target:
        return None
    return target
