"""Device cookies: a browser where an account has logged in keeps a way in to it while the
account's e-mail address is limited for everyone else (OWASP's "device cookie" pattern)."""

import secrets

from flask import current_app, request, url_for
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select

from .. import i18n
from ..extensions import db
from ..models import Account

COOKIE = "device"
MAX_AGE = 365 * 24 * 3600


def signer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="login-device")


def remember(response, account):
    """Give the browser a device cookie for the account, sent only with the log-in forms."""
    value = signer().dumps([account.id, secrets.token_urlsafe(16)])
    for lang in i18n.LANGUAGES:
        response.set_cookie(
            COOKIE,
            value,
            max_age=MAX_AGE,
            path=url_for("auth.login", lang=lang),
            secure=request.is_secure,
            httponly=True,
            samesite="Strict",
        )
    return response


def device_id(email):
    """Return the id of this browser's device cookie for the account of `email`, or None."""
    try:
        account_id, device = signer().loads(request.cookies.get(COOKIE, ""), max_age=MAX_AGE)
    except (BadData, TypeError, ValueError):
        return None
    owner = db.session.scalar(select(Account.id).filter_by(email=email))
    return device if owner is not None and owner == account_id else None
