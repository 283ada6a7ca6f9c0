"""Reports of observations: the form, the endpoint it and the outbox post to, receipts."""

from flask import Blueprint

from .. import i18n

bp = Blueprint("reports", __name__, url_prefix=i18n.PREFIX, template_folder="templates")
i18n.localise(bp)
