"""The filters and validators that every form uses."""

import re
import unicodedata

from flask_babel import gettext as _
from wtforms.validators import StopValidation

#: Control characters other than tab and line breaks, and lone surrogates (from JSON), which
#: no one types on purpose and which PostgreSQL refuses to store.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
#: What has no place in a one-line field such as a name: every control character (line
#: breaks and tabs too, and C1's NEL) and Unicode's line and paragraph separators. A harbour's
#: name goes into the Subject of e-mails, where a line break would end the header.
NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(value):
    """Drop characters no one types, unify line breaks and trim."""
    if not isinstance(value, str):
        return value
    value = UNPRINTABLE.sub("", unicodedata.normalize("NFC", value))
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def is_one_line(text):
    """Tell whether a text has no line break, tab or other control character."""
    return not NOT_ONE_LINE.search(text or "")


def one_line(form, field):
    """Refuse a line break, tab or control character in a one-line field such as a name."""
    if not is_one_line(field.data):
        raise StopValidation(
            _("Write it on one line, without line breaks, tabs or control characters.")
        )


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
