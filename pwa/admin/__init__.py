"""The administrator's pages: harbours, the accounts of contact persons, and the audit log."""

from flask import Blueprint

from .. import i18n

bp = Blueprint("admin", __name__, url_prefix=i18n.PREFIX + "/admin", template_folder="templates")
i18n.localise(bp)
