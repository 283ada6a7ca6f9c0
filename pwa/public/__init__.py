"""The pages everyone may read, in every language, online and offline."""

from flask import Blueprint

from .. import i18n

bp = Blueprint("public", __name__, url_prefix="/<any(sv, en):lang>", template_folder="templates")
i18n.localise(bp)
