"""Commands for `flask`."""

import os

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po
from flask import Blueprint

from .config import ROOT

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
