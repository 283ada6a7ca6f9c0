"""Accounts of contact persons and administrators: passwords, log-in, who may read what."""

import re
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Account

MIN_PASSWORD_LENGTH = 12
#: Enough to catch a slip of the keyboard; whether the address works shows when mail arrives.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normalise_email(email):
    return email.strip().lower()


@cache
def hasher_of(profile):
    """Return the argon2id hasher of one of argon2's named profiles, and a hash to verify
    when no account has the e-mail address, so that such an answer takes as long."""
    hasher = PasswordHasher.from_parameters(getattr(profiles, profile))
    return hasher, hasher.hash("no account has this address")


def hasher():
    return hasher_of(current_app.config["PASSWORD_HASH_PROFILE"])[0]


def hash_password(password):
    return hasher().hash(password)


def create_account(email, name, password, *, is_admin=False, harbours=(), language="sv"):
    """Add an account; the caller checks that the e-mail address is free."""
    account = Account(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=hash_password(password),
        is_admin=is_admin,
        harbours=list(harbours),
        language=language,
    )
    db.session.add(account)
    db.session.flush()
    return account


def account_with_email(email):
    return db.session.scalar(select(Account).filter_by(email=normalise_email(email)))


def authenticate(email, password):
    """Return the active account with this e-mail address and password, or None.

    An unknown address costs a verification too: the time of the answer must not tell
    which addresses have accounts.
    """
    account = account_with_email(email)
    if account is None:
        password_matches(hasher_of(current_app.config["PASSWORD_HASH_PROFILE"])[1], password)
        return None
    if not password_matches(account.password_hash, password) or not account.active:
        return None
    if hasher().check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


def password_matches(password_hash, password):
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(account, password):
    """Change the password and end every session of the account."""
    account.password_hash = hash_password(password)
    account.session_version += 1


def load_account(session_id):
    """Return the active account a session belongs to, or None if that session has ended."""
    account_id, _, version = session_id.partition(":")
    if not account_id.isdigit() or not version.isdigit():
        return None
    account = db.session.get(Account, int(account_id))
    if account is None or not account.active or account.session_version != int(version):
        return None
    return account


def visible_harbour_ids(account):
    """Return the ids of the harbours whose reports the account may read; None means all."""
    if account.is_admin:
        return None
    return {harbour.id for harbour in account.harbours}


def may_read(account, report):
    harbour_ids = visible_harbour_ids(account)
    return harbour_ids is None or report.harbour_id in harbour_ids


def audit_details(account):
    """Describe an account for the audit log: no password, and neither name nor address."""
    return {
        "account_id": account.id,
        "admin": account.is_admin,
        "harbour_ids": sorted(harbour.id for harbour in account.harbours),
        "language": account.language,
        "active": account.active,
    }
