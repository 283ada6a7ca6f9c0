"""Commands for `flask`."""

import os

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po
from flask import Blueprint
from flask.cli import AppGroup
from sqlalchemy import select

from .config import ROOT
from .extensions import db
from .models import Harbour

bp = Blueprint("cli", __name__, cli_group=None)
POT = ROOT / "translations" / "messages.pot"
#: The language the messages are written in: its catalogue repeats them, for editors to amend.
SOURCE_LANGUAGE = "en"


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
        if message.id and not message.string:
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
    name = name.strip()
    if not name or len(name) > 100:
        raise click.BadParameter("give a name of 1 to 100 characters", param_hint="NAME")
    if db.session.scalar(select(Harbour).filter_by(name=name)):
        raise click.ClickException(f"{name} is already listed")
    db.session.add(Harbour(name=name, sort_order=sort_order))
    db.session.commit()
    click.echo(f"Added {name}")


@harbours.command("list")
def list_harbours():
    """List the harbours, the active ones first."""
    rows = db.session.scalars(
        select(Harbour).order_by(Harbour.active.desc(), Harbour.sort_order, Harbour.name)
    )
    for harbour in rows:
        state = "active" if harbour.active else "inactive"
        click.echo(f"{harbour.id}\t{harbour.name}\t{state}\t{harbour.sort_order}")
