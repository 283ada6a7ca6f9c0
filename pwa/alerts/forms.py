"""The form of an alert, and what it refuses or warns of."""

import re
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from ..formatting import local_input_text, parse_local_time
from ..forms import Form
from ..models import AlertPriority, utc_now
from ..reports import plates
from ..validators import at_most, clean, one_line, required

#: What the form shows beside each field.
LIMITS = {"title": 80, "text": 1000}
DEFAULT_DURATION = timedelta(hours=24)
MAX_DURATION = timedelta(days=14)
#: Three letters, two digits and a digit or letter, with or without a space or hyphen between:
#: the shape of a Swedish plate, looked for in the text before an alert is sent.
PLATE_SHAPED = re.compile(r"\b[A-ZÅÄÖ]{3}[ \-]?[0-9]{2}[0-9A-ZÅÄÖ]\b", re.IGNORECASE)
#: The value of the harbour field for an alert to every harbour (the administrator's only).
EVERY_HARBOUR = "all"
PRIORITIES = {
    AlertPriority.URGENT: _l("Urgent: sent at once, day and night"),
    AlertPriority.INFORMATION: _l("Information: waits for the end of the phone's quiet hours"),
}


def plate_shaped(text):
    """Return the strings of `text` that could be a Swedish registration number."""
    found = (match.group() for match in PLATE_SHAPED.finditer(text or ""))
    return [shape for shape in found if plates.is_swedish(plates.normalise(shape))]


class AlertForm(Form):
    harbour = SelectField(_l("Harbour"), validate_choice=False)
    title = StringField(_l("Title"), filters=[clean])
    text = TextAreaField(_l("Text"), filters=[clean])
    title_en = StringField(_l("Title in English (optional)"), filters=[clean])
    text_en = TextAreaField(_l("Text in English (optional)"), filters=[clean])
    priority = RadioField(
        _l("Priority"),
        choices=[SelectChoice(priority.value, label) for priority, label in PRIORITIES.items()],
        default=AlertPriority.INFORMATION.value,
        validate_choice=False,
    )
    ends_at = StringField(_l("Shown until"), filters=[clean])
    #: Ticked after the warning of a plate-shaped string: it is not a registration number.
    no_plate = BooleanField(_l("I have checked: the alert names no registration number"))

    limits = LIMITS

    def __init__(self, harbours, every_harbour=False, *args, **kwargs):
        """Offer `harbours`, and with `every_harbour` (the administrator) all of them at once."""
        super().__init__(*args, **kwargs)
        choices = [SelectChoice(str(harbour.id), harbour.name) for harbour in harbours]
        if every_harbour:
            choices.insert(0, SelectChoice(EVERY_HARBOUR, _("Every harbour")))
        self.harbour.choices = choices
        self.harbours = {str(harbour.id): harbour for harbour in harbours}
        self.every_harbour = every_harbour
        if not self.ends_at.data:
            self.ends_at.data = local_input_text(utc_now() + DEFAULT_DURATION)
        self.title.validators = [
            required(_("Give the alert a title.")),
            one_line,
            at_most(LIMITS["title"]),
        ]
        self.text.validators = [
            required(_("Write what boat owners should know.")),
            at_most(LIMITS["text"]),
        ]
        self.title_en.validators = [one_line, at_most(LIMITS["title"])]
        self.text_en.validators = [at_most(LIMITS["text"])]
        self.ends_at.validators = [required(_("Give the time until which the alert is shown."))]
        self.plates_found = []

    def validate_harbour(self, field):
        if field.data == EVERY_HARBOUR and self.every_harbour:
            return
        if field.data not in self.harbours:
            raise ValidationError(_("Choose the harbour from the list."))

    def validate_text_en(self, field):
        if bool(field.data) != bool(self.title_en.data):
            raise ValidationError(
                _("Give both the English title and the English text, or neither.")
            )

    def validate_priority(self, field):
        if field.data not in {priority.value for priority in AlertPriority}:
            raise ValidationError(_("Choose the priority."))

    def validate_ends_at(self, field):
        moment = parse_local_time(field.data)
        if moment is None:
            raise ValidationError(_("Write the date and time, for example 2025-06-30 14:30."))
        now = utc_now()
        if moment <= now:
            raise ValidationError(_("The time must be in the future."))
        if moment > now + MAX_DURATION:
            raise ValidationError(_("An alert is shown for at most 14 days."))
        field.moment = moment

    def validate_no_plate(self, field):
        texts = (self.title.data, self.text.data, self.title_en.data, self.text_en.data)
        self.plates_found = sorted({shape for text in texts for shape in plate_shaped(text)})
        if self.plates_found and not field.data:
            raise ValidationError(
                _(
                    "This looks like a registration number: %(found)s. An alert must not name "
                    "a vehicle or a person. Remove it, or tick the box if it is something else.",
                    found=", ".join(self.plates_found),
                )
            )

    def chosen_harbour(self):
        """Return the harbour chosen, or None for every harbour (call after validate())."""
        return self.harbours.get(self.harbour.data)

    def content(self):
        """Return the alert as send_alert takes it (call after validate())."""
        return {
            "title": self.title.data,
            "text": self.text.data,
            "title_en": self.title_en.data or "",
            "text_en": self.text_en.data or "",
            "priority": AlertPriority(self.priority.data),
            "ends_at": self.ends_at.moment,
        }
