"""What a report holds, named once: for its page, its printed page and the CSV file."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..formatting import local_datetime, position_text
from ..models import STATUS_LABELS
from ..reports.plates import COUNTRIES
from ..reports.submission import CATEGORIES

#: Each field of a report with its label, in the order of the CSV file's columns.
FIELDS = (
    ("reference", _l("Reference")),
    ("received", _l("Received")),
    ("seen", _l("Seen")),
    ("harbour", _l("Harbour")),
    ("place", _l("Where in the harbour")),
    ("status", _l("Status")),
    ("case_number", _l("Police case number")),
    ("categories", _l("What was seen")),
    ("plates", _l("Registration numbers")),
    ("vehicle", _l("Vehicle or boat")),
    ("direction", _l("Direction of travel")),
    ("what_happened", _l("What happened")),
    ("position", _l("Position")),
    ("phone", _l("Phone")),
    ("note", _l("Note")),
)
#: What the police were not promised: an export holds each only when the contact person
#: chooses it (the reporter's phone number, and the note that only contact persons see).
OPTIONAL = ("phone", "note")
#: What the reporter typed in their own words: shown with its line breaks.
FREE_TEXT = {"place", "vehicle", "direction", "what_happened", "note"}


def left_out(included):
    """Return the keys of the OPTIONAL fields that an export leaves out."""
    return tuple(key for key in OPTIONAL if key not in included)


def text(report, key):
    """Return one field of the report as text in the current language; "" when it is empty."""
    match key:
        case "reference":
            return report.reference
        case "received":
            return local_datetime(report.created_at)
        case "seen":
            return local_datetime(report.observed_at)
        case "harbour":
            return report.harbour.name
        case "status":
            return str(STATUS_LABELS[report.status])
        case "case_number":
            return report.police_case_number or ""
        case "categories":
            return ", ".join(str(CATEGORIES.get(key, key)) for key in report.categories)
        case "plates":
            return "; ".join(plate_text(plate) for plate in report.plates)
        case "position":
            return position_text(report.latitude, report.longitude)
        case "phone":
            return report.phone or ""
    return getattr(report, key)


def plate_text(plate):
    """Write a plate with its country, and whether the person was unsure of it."""
    return f"{plate.text} ({plate_note(plate)})"


def plate_note(plate):
    country = str(COUNTRIES.get(plate.country, plate.country))
    return ", ".join([country, _("uncertain")]) if plate.uncertain else country
