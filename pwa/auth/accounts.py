"""Accounts of contact persons and administrators: passwords, log-in, who may read what."""

import logging
import re
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select

from .. import audit, i18n
from ..extensions import db
from ..models import Account, Harbour
from ..validators import name_text

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
#: Enough to catch a slip of the keyboard; whether the address works shows when mail arrives.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def normalise_email(email):
    return email.strip().lower()


@cache
def hasher_of(profile):
    """Return the argon2id hasher of one of argon2's named profiles (PASSWORD_HASH_PROFILE)."""
    return PasswordHasher.from_parameters(getattr(profiles, profile))


@cache
def absent_hash_of(profile):
    """Return a hash to verify when no account has the e-mail address, so that such an
    answer takes as long as a wrong password does."""
    return hasher_of(profile).hash("no account has this address")


def hasher():
    return hasher_of(current_app.config["PASSWORD_HASH_PROFILE"])


def hash_password(password):
    return hasher().hash(password)


class EmailTaken(ValueError):
    """Another account has this e-mail address."""


def create_account(
    email,
    name,
    password,
    *,
    is_admin=False,
    harbours=(),
    language=i18n.DEFAULT_LANGUAGE,
    active=True,
    actor=None,
    must_change_password=False,
):
    """Add an account; raise EmailTaken if the address has one already.

    `actor` is the administrator who adds it, or None for the command line. Both chose the
    password for the person, and say `must_change_password`: the person must then change it
    at the first log-in.
    """
    if account_with_email(email):
        raise EmailTaken(email)
    account = Account(
        email=normalise_email(email),
        name=name_text(name),
        password_hash=hash_password(password),
        is_admin=is_admin,
        harbours=list(harbours),
        language=language,
        active=active,
        must_change_password=must_change_password,
    )
    db.session.add(account)
    db.session.flush()
    audit.record(actor, "account_added", **audit_details(account))
    return account


def update_account(actor, account, **values):
    """Change an account's name, role (is_admin), harbours, language or whether it is active.

    Deactivating ends its sessions at once. The log says what changed, but of a name only
    that it changed: the log keeps no names. Return the logged changes.
    """
    before, name_before = audit_details(account), account.name
    was_active = account.active
    for key, value in values.items():
        setattr(account, key, value)
    if was_active and not account.active:
        account.session_version += 1
    db.session.flush()
    after = audit_details(account)
    changes = {key: value for key, value in after.items() if before[key] != value}
    if name_before != account.name:
        changes["name_changed"] = True
    if changes:
        audit.record(actor, "account_changed", account_id=account.id, **changes)
    return changes


def deactivate_account(actor, account):
    """Stop the account from logging in, and end its sessions."""
    return update_account(actor, account, active=False)


def account_with_email(email):
    return db.session.scalar(select(Account).filter_by(email=normalise_email(email)))


def authenticate(email, password):
    """Return the active account with this e-mail address and password, or None.

    An unknown address costs a verification too: the time of the answer must not tell
    which addresses have accounts.
    """
    account = account_with_email(email)
    if account is None:
        password_matches(absent_hash_of(current_app.config["PASSWORD_HASH_PROFILE"]), password)
        return None
    if not password_matches(account.password_hash, password) or not account.active:
        return None
    if hasher().check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


def record_failed_login(email):
    """Write a failed log-in to an account in the audit log, and one line of log for any.

    Neither names the address typed: it may be someone's password, typed in the wrong field.
    """
    account = account_with_email(email)
    if account is None:
        log.warning("failed log-in to an address that has no account")
        return
    audit.record(account, "login_failed")
    log.warning("failed log-in to account %s", account.id)


def password_matches(password_hash, password):
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(actor, account, password):
    """Give an account a new password and end its sessions; `actor` None is the command line.

    Unless the administrator sets their own, the person must change it at the next log-in.
    """
    renew_password(account, password)
    account.must_change_password = actor is None or actor.id != account.id
    audit.record(actor, "password_set", account_id=account.id)


def change_own_password(account, password):
    """Change one's own password; every session of the account ends."""
    renew_password(account, password)
    account.must_change_password = False
    audit.record(account, "password_changed")


def renew_password(account, password):
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


def visible_harbours(account):
    """Return the harbours whose reports (and alerts and counts) the account may see."""
    if account.is_admin:
        return db.session.scalars(select(Harbour).order_by(Harbour.name)).all()
    return account.harbours


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
