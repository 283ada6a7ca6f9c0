"""Alerts from contact persons to the boat owners of their harbours, pushed to phones.

Two blueprints under /<lang>/alerts: the boat owners' page, which opens offline, with the
address their phones subscribe at; and the contact persons' pages, behind the log-in.
"""

from flask import Blueprint

from .. import i18n

bp = Blueprint("alerts", __name__, url_prefix=i18n.PREFIX + "/alerts", template_folder="templates")
i18n.localise(bp)
staff = Blueprint("alert_desk", __name__, url_prefix=i18n.PREFIX + "/alerts")
i18n.localise(staff)
