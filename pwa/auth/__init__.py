"""Logging in and out, and changing one's password: for contact persons and administrators."""

from flask import Blueprint

from .. import i18n

bp = Blueprint("auth", __name__, url_prefix=i18n.PREFIX, template_folder="templates")
i18n.localise(bp)
