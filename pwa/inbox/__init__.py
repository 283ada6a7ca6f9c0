"""The contact person's inbox: the reports of their harbours, triage, exports."""

from flask import Blueprint

from .. import i18n

bp = Blueprint("inbox", __name__, url_prefix=i18n.PREFIX + "/inbox", template_folder="templates")
i18n.localise(bp)
