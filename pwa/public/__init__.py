"""The pages everyone may read, in every language, online and offline."""

from flask import Blueprint, request

from .. import i18n
from ..extensions import limiter

bp = Blueprint("public", __name__, url_prefix=i18n.PREFIX, template_folder="templates")
i18n.localise(bp)


@limiter.request_filter
def unlimited():
    """Spare the public pages, which have no rate limit, Flask-Limiter's look at each request."""
    return request.blueprint == bp.name
