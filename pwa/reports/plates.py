"""Registration numbers: written one way, and checked against each country's format.

What is accepted, after normalising (upper case, no spaces or hyphens):

- Sweden (SE): ordinary plates ABC123 and ABC12A, whose letters are never I, Q, V, Å, Ä
  or Ö and whose last letter is never O; personal plates (personliga skyltar) of 2–7
  characters A–Z, Å, Ä, Ö, 0–9 with at least one letter, unless they have the shape of an
  ordinary plate (three letters, two digits, a digit or letter) without being one.
- Finland (FI): 1–3 letters and 1–3 digits (ABC123).
- Norway (NO): 2 letters and 4–5 digits (AB12345).
- Denmark (DK): 2 letters and 5 digits (AB12345).
- Germany (DE): 2–5 letters (district and series) and 1–4 digits, then E or H
  (electric, historic), 9 characters at most (B-AB 1234 → BAB1234).
- Poland (PL): 2–3 letters (district), then 4–5 letters or digits with at least one digit.
- Lithuania (LT): 3 letters and 3 digits. Latvia (LV): 2 letters and 1–4 digits.
  Estonia (EE): 3 digits and 3 letters.
- Other: 2–10 letters or digits.

Special plates (diplomatic, military, trade, temporary) are not listed: they can be sent
as uncertain, which stores 1–10 letters or digits without the format check.

A plate seen only in part is sent as uncertain with `?` for each character not read:
"AB? 12" is stored as the pattern AB?12, which the contact person's cross-reference turns
into the known plates it could be (ABC12, ABD12). The first KNOWN_START characters must be
known: the candidates are looked up by them, and `???` must not list every plate.
"""

import re
import unicodedata

from flask_babel import lazy_gettext as _l

COUNTRIES = {
    "SE": _l("Sweden"),
    "FI": _l("Finland"),
    "NO": _l("Norway"),
    "DK": _l("Denmark"),
    "DE": _l("Germany"),
    "PL": _l("Poland"),
    "LT": _l("Lithuania"),
    "LV": _l("Latvia"),
    "EE": _l("Estonia"),
    "other": _l("Other country"),
}
DEFAULT_COUNTRY = "SE"
#: The letters of every country above: A–Z and the Nordic and German ones.
CHARACTER = "[0-9A-ZÅÄÖÆØÜ]"
CHARACTERS = re.compile(f"{CHARACTER}+")
MAX_LENGTH = 10
#: Spaces and every kind of hyphen or dash people type between the parts.
SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")
#: Stands for one character that the person could not read.
UNKNOWN = "?"
#: The characters a partial plate must begin with: its candidates are looked up by them.
KNOWN_START = 2
#: What may be written at all: letters, digits and unread characters.
WRITTEN = re.compile(rf"(?:{CHARACTER}|\?)+")
PARTIAL = re.compile(rf"{CHARACTER}{{{KNOWN_START}}}(?:{CHARACTER}|\?)*")

SWEDISH_LETTER = "[A-HJ-PR-UW-Z]"
SWEDISH_ORDINARY = re.compile(rf"{SWEDISH_LETTER}{{3}}[0-9]{{2}}(?:[0-9]|[A-HJ-NPR-UW-Z])")
SWEDISH_ORDINARY_SHAPE = re.compile(r"[A-ZÅÄÖ]{3}[0-9]{2}[0-9A-ZÅÄÖ]")
SWEDISH_PERSONAL = re.compile(r"(?=.*[A-ZÅÄÖ])[0-9A-ZÅÄÖ]{2,7}")
FORMATS = {
    "FI": re.compile(r"[A-ZÅÄÖ]{1,3}[0-9]{1,3}"),
    "NO": re.compile(r"[A-Z]{2}[0-9]{4,5}"),
    "DK": re.compile(r"[A-Z]{2}[0-9]{5}"),
    "DE": re.compile(r"(?=.{3,9}$)[A-ZÄÖÜ]{2,5}[0-9]{1,4}[EH]?"),
    "PL": re.compile(r"(?=.{6,8}$)[A-Z]{2,3}(?=[A-Z]*[0-9])[0-9A-Z]{4,5}"),
    "LT": re.compile(r"[A-Z]{3}[0-9]{3}"),
    "LV": re.compile(r"[A-Z]{2}[0-9]{1,4}"),
    "EE": re.compile(r"[0-9]{3}[A-Z]{3}"),
    "other": re.compile(r"[0-9A-ZÅÄÖÆØÜ]{2,10}"),
}


def normalise(text):
    """Return the plate in upper case without spaces or hyphens."""
    return SEPARATORS.sub("", unicodedata.normalize("NFC", text)).upper()


def is_partial(text):
    """Tell whether a normalised plate has characters that were not read."""
    return UNKNOWN in text


def is_valid(country, text, uncertain=False):
    """Tell whether a normalised plate can be stored for that country."""
    if country not in COUNTRIES or not 0 < len(text) <= MAX_LENGTH:
        return False
    if uncertain:
        return bool(CHARACTERS.fullmatch(text) or PARTIAL.fullmatch(text))
    if not CHARACTERS.fullmatch(text):
        return False
    if country == "SE":
        return is_swedish(text)
    return bool(FORMATS[country].fullmatch(text))


def is_swedish(text):
    """Tell whether a normalised plate is an ordinary or a personal Swedish plate."""
    if SWEDISH_ORDINARY.fullmatch(text):
        return True
    return not SWEDISH_ORDINARY_SHAPE.fullmatch(text) and bool(SWEDISH_PERSONAL.fullmatch(text))


def like_pattern(pattern):
    """Return a partial plate as a LIKE pattern with the escape character "\\"."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace(UNKNOWN, "_")


def partial_patterns(text):
    """Return every partial plate that a known plate fits: its start, then each other
    character either as seen or unread. At most 2⁸ − 1 of them, for 10 characters."""
    start, rest = text[:KNOWN_START], text[KNOWN_START:]
    found = [""]
    for character in rest:
        found = [pattern + choice for pattern in found for choice in (character, UNKNOWN)]
    return [start + pattern for pattern in found if UNKNOWN in pattern]
