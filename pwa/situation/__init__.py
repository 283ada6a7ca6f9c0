"""The lägesbild: anonymous counts of the reports, kept after the reports are deleted, shown
to the administrator and contact persons, and in public as "How it is going"."""

from flask import Blueprint

from .. import i18n

#: The pages of the administrator and the contact persons.
bp = Blueprint(
    "situation", __name__, url_prefix=i18n.PREFIX + "/situation", template_folder="templates"
)
i18n.localise(bp)
#: The public page, linked from the citizen promise.
public_bp = Blueprint("progress", __name__, url_prefix=i18n.PREFIX, template_folder="templates")
i18n.localise(public_bp)
