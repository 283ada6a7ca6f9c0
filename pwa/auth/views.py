"""Logging in and out, and changing one's password: for contact persons and administrators."""

import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import audit
from ..extensions import db, limiter
from ..rendering import render
from . import accounts, bp
from .forms import LoginForm, PasswordForm
from .sessions import LOGIN_AT, SEEN_AT


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
        return redirect(safe_next() or url_for("inbox.list_reports"), 303)
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
    audit.record(account, "logged_in")
    db.session.commit()
    return redirect(safe_next() or url_for("inbox.list_reports"), 303)


@bp.post("/logout")
def logout():
    """End the session."""
    if current_user.is_authenticated:
        audit.record(current_user, "logged_out")
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
    accounts.change_own_password(current_user, form.new.data)
    db.session.commit()
    # This session carries the old version: log in again under the new one.
    login_user(current_user)
    flash(_("Your password has been changed."))
    return redirect(url_for("inbox.list_reports"), 303)


def safe_next():
    """Return the `next` address if it is a path on this site, else None."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return None
    if "\\" in target:
        return None
    return target
