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
#: What cannot be seen in a name, or changes how the text around it is shown: Unicode's
#: control and format characters (zero-width spaces and joiners, direction marks, the soft
#: hyphen), line and paragraph separators, surrogates, private use and unassigned code points.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
#: Letters and symbols drawn as nothing (Hangul fillers, the blank Braille pattern), and the
#: replacement character that name_text puts for a lone surrogate.
BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\ufffd")
#: Unicode's spaces (category Zs): a run of them is one plain space in a name.
SPACES = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
SURROGATES = re.compile(r"[\ud800-\udfff]")
NAME_LENGTH = 100


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


def name_text(value):
    """Write a name one way: composed (NFC), each run of spaces one plain space, trimmed.

    Nothing else is dropped: name_is_visible refuses what should not be there, so that the
    person sees what was wrong rather than a name silently changed. A lone surrogate (from
    JSON) becomes U+FFFD, which name_is_visible refuses too: it could not be shown again.
    """
    if not isinstance(value, str):
        return value
    value = SURROGATES.sub("\ufffd", value)
    return SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def name_is_visible(name):
    """Tell whether every character of a name can be seen: no control, format or blank one."""
    return not any(
        unicodedata.category(character) in INVISIBLE_CATEGORIES or character in BLANK
        for character in name
    )


def visible_name(form, field):
    """Refuse a name with a character that cannot be seen (see name_is_visible)."""
    if field.data and not name_is_visible(field.data):
        raise StopValidation(
            _(
                "Write the name with visible characters only: it has a line break, tab, "
                "zero-width space or another invisible character."
            )
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
