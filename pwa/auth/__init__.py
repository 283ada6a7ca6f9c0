"""Logging in and out, and changing one's password: for contact persons and administrators."""

from flask import Blueprint

from .. import i18n

#: Its commands (`flask sessions ...`) sit at the top level, as those of pwa/cli.py do.
bp = Blueprint(
    "auth", __name__, url_prefix=i18n.PREFIX, template_folder="templates", cli_group=None
)
i18n.localise(bp)
