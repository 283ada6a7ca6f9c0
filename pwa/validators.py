"""The filters and validators that every form uses."""

import re
import unicodedata

from flask_babel import gettext as _
from wtforms.validators import StopValidation

#: Control characters other than tab and line breaks, and lone surrogates (from JSON), which
#: no one types on purpose and which PostgreSQL refuses to store.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean(value):
    """Drop characters no one types, unify line breaks and trim."""
    if not isinstance(value, str):
        return value
    value = UNPRINTABLE.sub("", unicodedata.normalize("NFC", value))
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def to_int(value):
    """Coerce a choice to a number without the library's untranslated message on failure."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def at_most(limit):
    def check(form, field):
        if field.data and len(field.data) > limit:
            raise StopValidation(
                _(
                    "Write at most %(max)s characters (now %(length)s).",
                    max=limit,
                    length=len(field.data),
                )
            )

    return check


def required(message):
    def check(form, field):
        if not field.data:
            raise StopValidation(message)

    return check
