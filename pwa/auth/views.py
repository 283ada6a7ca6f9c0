"""Logging in and out, and changing one's password: for contact persons and administrators."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from .. import audit, rate_limits
from ..extensions import db
from ..rendering import render
from . import accounts, bp, devices
from .forms import LoginForm, PasswordForm, login_email
from .sessions import begin_session, end_session


def login_email_key():
    """Count log-in attempts per e-mail address, read as the account look-up reads it.

    A browser with the account's device cookie counts on its own: a stranger's attempts
    cannot lock the owner out. Counted before the password is checked, so that attempts sent
    at once cannot all pass before the first is counted.
    """
    email = login_email(request.form.get("email", ""))
    device = devices.device_id(email)
    return f"login-device:{device}" if device else f"login:{email}"


def password_check_key():
    return f"password-check:{current_user.id}"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log a contact person or administrator in with e-mail address and password."""
    if request.method == "POST":
        rate_limits.check("LOGIN_RATE_LIMIT")
        rate_limits.check("LOGIN_EMAIL_RATE_LIMIT", login_email_key())
    if current_user.is_authenticated:
        return redirect(safe_next() or url_for("inbox.list_reports"), 303)
    form = LoginForm()
    if not form.validate_on_submit():
        return render("auth/login.html", form=form, status=422 if form.errors else 200)
    account = accounts.authenticate(form.email.data, form.password.data)
    if account is None:
        accounts.record_failed_login(form.email.data)
        db.session.commit()
        # The same answer for an unknown address and a wrong password.
        form.form_errors.append(_("The e-mail address or the password is wrong."))
        form.password.data = ""
        return render("auth/login.html", form=form, status=401)
    begin_session(account)
    audit.record(account, "logged_in")
    db.session.commit()
    return devices.remember(redirect(safe_next() or url_for("inbox.list_reports"), 303), account)


@bp.post("/logout")
def logout():
    """End the session, on the server too: a copy of its cookie opens nothing."""
    if current_user.is_authenticated:
        audit.record(current_user, "logged_out")
        db.session.commit()
    end_session(_("You have logged out."))
    return redirect(url_for("auth.login"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Let the person choose a new password; their other sessions end."""
    if request.method == "POST":
        rate_limits.check("PASSWORD_CHECK_RATE_LIMIT", password_check_key())
    form = PasswordForm()
    if not form.validate_on_submit():
        return render("auth/change_password.html", form=form, status=422 if form.errors else 200)
    accounts.change_own_password(current_user, form.new.data)
    db.session.commit()
    # This session carries the old version: log in again under the new one, with a new id.
    login_user(current_user)
    current_app.session_interface.regenerate(session)
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
