"""The pages everyone may read, in every language, online and offline."""

from flask import Blueprint

from .. import i18n

bp = Blueprint("public", __name__, url_prefix=i18n.PREFIX, template_folder="templates")
i18n.localise(bp)
