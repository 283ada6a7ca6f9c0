"""Commands for `flask`."""

import os
import sys

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po
from flask import Blueprint
from flask.cli import AppGroup
from sqlalchemy import select

from . import i18n, retention, seed
from .admin import operations
from .alerts.push import Pusher, new_private_key
from .auth import accounts
from .config import ROOT
from .extensions import db
from .models import Account, Harbour
from .validators import NAME_LENGTH, is_one_line, name_is_visible, name_text

bp = Blueprint("cli", __name__, cli_group=None)
POT = ROOT / "translations" / "messages.pot"
#: The language the messages are written in: its catalogue repeats them, for editors to amend.
SOURCE_LANGUAGE = "en"
NOT_ONE_LINE_MESSAGE = "write it on one line, without line breaks, tabs or control characters"
INVISIBLE_MESSAGE = (
    "write the name with visible characters only: no line breaks, tabs, zero-width spaces or "
    "other invisible characters"
)


@bp.cli.command("translate")
def translate():
    """Extract the messages and merge them into every catalogue."""
    os.chdir(ROOT)
    pybabel = CommandLineInterface().run
    pybabel(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--no-location",
            "--sort-output",
            "-o",
            str(POT),
            ".",
        ]
    )
    pybabel(
        [
            "pybabel",
            "-q",
            "update",
            "-i",
            str(POT),
            "-d",
            "translations",
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        ]
    )
    fill_source_catalogue(ROOT / "translations" / SOURCE_LANGUAGE / "LC_MESSAGES" / "messages.po")
    click.echo("Catalogues updated: translate the empty entries in translations/sv.")


def fill_source_catalogue(path):
    """Give every new message of the source language's catalogue its own text."""
    with path.open("rb") as file:
        catalogue = read_po(file)
    for message in catalogue:
        # A plural message has a tuple of forms, empty strings until translated.
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and not any(forms):
            message.string = message.id
    with path.open("wb") as file:
        write_po(file, catalogue, sort_output=True, omit_header=False, include_previous=False)


harbours = AppGroup("harbours", help="Manage the harbours offered in the report form.")
bp.cli.add_command(harbours)


@harbours.command("add")
@click.argument("name")
@click.option("--sort-order", type=int, default=0, help="Lower comes first in the form.")
def add_harbour(name, sort_order):
    """Add a harbour to the report form."""
    name = checked_name(name, "NAME")
    try:
        operations.add_harbour(None, name, sort_order=sort_order)
    except operations.NameTaken:
        raise click.ClickException(f"{name} is already listed") from None
    db.session.commit()
    click.echo(f"Added {name}")


def checked_name(name, param_hint):
    """Return a name written as the forms write it, or refuse it as they would."""
    name = name_text(name)
    if not 0 < len(name) <= NAME_LENGTH:
        raise click.BadParameter(
            f"give a name of 1 to {NAME_LENGTH} characters", param_hint=param_hint
        )
    if not name_is_visible(name):
        raise click.BadParameter(INVISIBLE_MESSAGE, param_hint=param_hint)
    return name


@harbours.command("seed")
def seed_harbours():
    """Add Oxelösund's harbours from the seed file, if there are no harbours yet."""
    try:
        seeded = seed.read_harbours()
    except seed.SeedError as error:
        raise click.ClickException(str(error)) from None
    try:
        added = operations.seed_harbours(seeded)
    except operations.InvisibleInName as error:
        raise click.ClickException(
            f"{error.args[0]!r} in the seed file: {INVISIBLE_MESSAGE}"
        ) from None
    if not added:
        click.echo("Harbours are already listed: none added from the seed file")
        return
    db.session.commit()
    click.echo(f"Added {len(added)} harbours from the seed file")


@harbours.command("list")
def list_harbours():
    """List the harbours, the active ones first."""
    rows = db.session.scalars(
        select(Harbour).order_by(Harbour.active.desc(), Harbour.sort_order, Harbour.name)
    )
    for harbour in rows:
        state = "active" if harbour.active else "inactive"
        click.echo(f"{harbour.id}\t{harbour.name}\t{state}\t{harbour.sort_order}")


reports = AppGroup("reports", help="Look after the stored reports.")
bp.cli.add_command(reports)


@reports.command("purge")
def purge_reports():
    """Delete the reports kept as long as the privacy page allows."""
    count = retention.purge()
    click.echo(f"Deleted {count} report{'' if count == 1 else 's'}")


alerts = AppGroup("alerts", help="Alerts to the boat owners' phones.")
bp.cli.add_command(alerts)


@alerts.command("keys")
def make_vapid_keys():
    """Make a VAPID key pair: the private key for VAPID_PRIVATE_KEY, and its public key.

    Phones subscribed with one key are not reached with another: keep the key for good.
    """
    private_key = new_private_key()
    click.echo(f"VAPID_PRIVATE_KEY={private_key}")
    public_key = Pusher(private_key, "").public_key
    click.echo(f"# its public key, which the Alerts page gives the phones: {public_key}")


accounts_group = AppGroup(
    "accounts", help="Manage the accounts of contact persons and administrators."
)
bp.cli.add_command(accounts_group)


def read_password():
    """Ask twice without echo at a terminal; from a script, take the first line of stdin."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < accounts.MIN_PASSWORD_LENGTH:
        raise click.ClickException(
            f"the password must have at least {accounts.MIN_PASSWORD_LENGTH} characters"
        )
    return password


def existing_account(email):
    account = accounts.account_with_email(email)
    if account is None:
        raise click.ClickException(f"no account has the address {email}")
    return account


@accounts_group.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The person's name, as shown in the app.")
@click.option("--admin", is_flag=True, help="An administrator: manages harbours and accounts.")
@click.option(
    "--harbour",
    "harbour_names",
    multiple=True,
    help="A harbour whose reports the person reads; repeat for several.",
)
@click.option(
    "--language",
    type=click.Choice(i18n.LANGUAGES),
    default=i18n.DEFAULT_LANGUAGE,
    show_default=True,
)
def add_account(email, name, admin, harbour_names, language):
    """Add an account; the password is asked for (or read from stdin)."""
    email, name = email.strip(), checked_name(name, "--name")
    if not accounts.EMAIL.fullmatch(email) or len(email) > 254:
        raise click.BadParameter("give an e-mail address such as name@example.org")
    if not is_one_line(email):
        raise click.BadParameter(NOT_ONE_LINE_MESSAGE, param_hint="EMAIL")
    if accounts.account_with_email(email):
        raise click.ClickException(f"an account with the address {email} already exists")
    harbours = []
    for harbour_name in harbour_names:
        harbour = db.session.scalar(select(Harbour).filter_by(name=harbour_name.strip()))
        if harbour is None:
            known = ", ".join(db.session.scalars(select(Harbour.name).order_by(Harbour.name)))
            raise click.ClickException(
                f"no harbour is called {harbour_name} (there are: {known or 'none'})"
            )
        harbours.append(harbour)
    password = read_password()
    account = accounts.create_account(
        email,
        name,
        password,
        is_admin=admin,
        harbours=harbours,
        language=language,
        must_change_password=True,
    )
    db.session.commit()
    click.echo(f"Added {account.email}")


@accounts_group.command("list")
def list_accounts():
    """List the accounts: address, name, role, harbours, and whether it may log in."""
    rows = db.session.scalars(
        select(Account).order_by(Account.active.desc(), Account.is_admin.desc(), Account.email)
    )
    for account in rows:
        role = "admin" if account.is_admin else "contact person"
        state = "active" if account.active else "deactivated"
        harbours = ", ".join(harbour.name for harbour in account.harbours) or "-"
        click.echo(f"{account.email}\t{account.name}\t{role}\t{harbours}\t{state}")


@accounts_group.command("set-password")
@click.argument("email")
def set_password(email):
    """Give an account a new password (asked for, or read from stdin); its sessions end."""
    account = existing_account(email)
    accounts.set_password(None, account, read_password())
    db.session.commit()
    click.echo(f"New password set for {account.email}")


@accounts_group.command("deactivate")
@click.argument("email")
def deactivate(email):
    """Stop an account from logging in, and end its sessions."""
    account = existing_account(email)
    if not account.active:
        click.echo(f"{account.email} was already deactivated")
        return
    accounts.deactivate_account(None, account)
    db.session.commit()
    click.echo(f"Deactivated {account.email}")
