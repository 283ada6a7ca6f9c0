"""The report form, and the form to look up a report's status."""

import math
import re
import uuid

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from ..formatting import parse_local_time
from ..forms import Form
from ..validators import at_most, clean, required, to_int
from . import plates
from .readers import Reader
from .submission import (
    CATEGORIES,
    REFERENCE_LENGTH,
    REFERENCE_PATTERN,
    Observation,
    PlateEntry,
    normalise_reference,
    time_problem,
)

PHONE = re.compile(r"\+?[0-9 ()\-]+")
#: What the field limits are; the form shows them beside each field.
LIMITS = {"place": 100, "vehicle": 500, "direction": 200, "what_happened": 2000, "phone": 20}
PLATE_INPUT_LENGTH = 15
MAX_PLATES = 10
#: Plate rows read from a post: more than MAX_PLATES filled in are refused rather than cut
#: short, and the form shows what was typed again; beyond this many rows nothing is read.
PLATE_ROWS_READ = 2 * MAX_PLATES
#: The rows the form starts with: one, so that the form fits a phone; more are added on request.
PLATE_ROWS = 1


class PlateForm(wtforms.Form):
    """One row of registration numbers (a plain Form: the report form has no token of its own)."""

    country = SelectField(
        _l("Country"),
        choices=[SelectChoice(key, name) for key, name in plates.COUNTRIES.items()],
        default=plates.DEFAULT_COUNTRY,
        validate_choice=False,
        filters=[clean],
    )
    text = StringField(_l("Registration number"), filters=[clean])
    uncertain = BooleanField(_l("Uncertain or partial"))

    def validate_country(self, field):
        if field.data not in plates.COUNTRIES:
            raise ValidationError(_("Choose a country from the list."))

    def validate_text(self, field):
        if not field.data:
            return
        if len(field.data) > PLATE_INPUT_LENGTH:
            raise ValidationError(_("Write at most %(max)s characters.", max=PLATE_INPUT_LENGTH))
        text = plates.normalise(field.data)
        if not text or not plates.WRITTEN.fullmatch(text):
            raise ValidationError(
                _("Use only letters and digits, and ? for a character you could not read.")
            )
        if plates.is_partial(text) and not self.uncertain.data:
            raise ValidationError(
                _("To write ? for a character you could not read, tick “Uncertain or partial”.")
            )
        if len(text) > plates.MAX_LENGTH:
            raise ValidationError(
                _("A registration number has at most %(max)s characters.", max=plates.MAX_LENGTH)
            )
        if plates.is_partial(text) and not plates.PARTIAL.fullmatch(text):
            raise ValidationError(
                _(
                    "Write at least the first %(count)s characters, and ? for each one after "
                    "them that you could not read.",
                    count=plates.KNOWN_START,
                )
            )
        country = self.country.data
        if country in plates.COUNTRIES and not plates.is_valid(country, text, self.uncertain.data):
            raise ValidationError(
                _(
                    "This is not a registration number from %(country)s. Check it, or tick "
                    "“Uncertain or partial”.",
                    country=plates.COUNTRIES[country],
                )
            )

    def entry(self):
        """Return the normalised plate, or None for an empty row."""
        if not self.text.data:
            return None
        return PlateEntry(
            self.country.data, plates.normalise(self.text.data), bool(self.uncertain.data)
        )


class ReportForm(Form):
    #: Shown beside the fields as well as checked.
    limits = LIMITS
    max_plates = MAX_PLATES

    class Meta:
        # The report endpoint checks the origin instead: see security.is_same_origin.
        csrf = False

    client_id = HiddenField(filters=[clean])
    harbour = SelectField(_l("Harbour"), coerce=to_int, validate_choice=False)
    place = StringField(_l("Where in the harbour"), filters=[clean])
    observed_at = StringField(_l("When did you see it?"), filters=[clean])
    categories = SelectMultipleField(
        _l("What did you see?"),
        choices=[SelectChoice(key, name) for key, name in CATEGORIES.items()],
        validate_choice=False,
    )
    plates = FieldList(FormField(PlateForm), min_entries=PLATE_ROWS, max_entries=PLATE_ROWS_READ)
    vehicle = TextAreaField(_l("Description of the vehicle or boat"), filters=[clean])
    direction = StringField(_l("Direction of travel"), filters=[clean])
    what_happened = TextAreaField(_l("What happened?"), filters=[clean])
    latitude = HiddenField(filters=[clean])
    longitude = HiddenField(filters=[clean])
    phone = StringField(_l("Your phone number"), filters=[clean])

    def __init__(self, *args, harbours=(), unread=(), withdrawn=(), **kwargs):
        """Offer `harbours`, which have contact persons; take `unread` ones without offering
        them; name those `withdrawn` from the form when a report chooses one."""
        super().__init__(*args, **kwargs)
        self.offered = {harbour.id: harbour.name for harbour in harbours}
        #: Active, but no contact person reads them: only the administrator does. A form the
        #: service worker kept, or a report waiting in an outbox, may still name one.
        self.unread = {harbour.id: harbour.name for harbour in unread}
        self.withdrawn = {harbour.id: harbour.name for harbour in withdrawn}
        chosen = self.harbour.data
        #: A new installation, where no harbour has a contact person yet: every harbour is
        #: offered, and the form and the receipt say that the administrator reads the reports.
        self.only_administrator = not self.offered
        # Offered again if the person chose it, so that the form keeps what they sent.
        shown = self.offered | ({chosen: self.unread[chosen]} if chosen in self.unread else {})
        if self.only_administrator:
            shown = self.unread
        self.harbour.choices = [SelectChoice("", _("Choose a harbour"))] + [
            SelectChoice(key, name) for key, name in shown.items()
        ]
        self.place.validators = [at_most(LIMITS["place"])]
        self.vehicle.validators = [at_most(LIMITS["vehicle"])]
        self.direction.validators = [at_most(LIMITS["direction"])]
        self.what_happened.validators = [
            required(_("Describe what happened.")),
            at_most(LIMITS["what_happened"]),
        ]
        self.phone.validators = [at_most(LIMITS["phone"])]
        self.observed_at.validators = [required(_("Give the time when you saw it."))]
        self.position = None

    def validate_client_id(self, field):
        try:
            field.uuid = uuid.UUID(field.data)
        except (TypeError, ValueError):
            raise ValidationError(
                _("This form has expired. Reload the page and fill it in again.")
            ) from None

    def validate_harbour(self, field):
        if field.data in self.withdrawn:
            # A report written in a form (or kept in an outbox) from before the harbour was
            # taken out: the person must choose again, not correct a typing mistake.
            raise ValidationError(
                _(
                    "%(harbour)s no longer takes reports here. Choose another harbour and "
                    "send the report again.",
                    harbour=self.withdrawn[field.data],
                )
            )
        if field.data not in self.offered and field.data not in self.unread:
            raise ValidationError(_("Choose the harbour from the list."))

    def validate_observed_at(self, field):
        moment = parse_local_time(field.data)
        if moment is None:
            raise ValidationError(_("Write the date and time, for example 2025-06-30 14:30."))
        problem = time_problem(moment)
        if problem:
            raise ValidationError(problem)
        field.moment = moment

    def validate_categories(self, field):
        if not field.data:
            raise ValidationError(_("Choose at least one thing that you saw."))
        if not set(field.data) <= set(CATEGORIES):
            raise ValidationError(_("Choose from the list."))

    def validate_plates(self, field):
        if sum(1 for row in field if row.form.text.data) > MAX_PLATES:
            raise ValidationError(
                _(
                    "Give at most %(max)s registration numbers. Write any others in the "
                    "description of what happened.",
                    max=MAX_PLATES,
                )
            )

    def validate_latitude(self, field):
        latitude, longitude = to_degrees(field.data), to_degrees(self.longitude.data)
        if not field.data and not self.longitude.data:
            return
        if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
            raise ValidationError(_("The position could not be read. Remove it or try again."))
        self.position = (round(latitude, 6), round(longitude, 6))

    def validate_phone(self, field):
        if not field.data:
            return
        digits = sum(character.isdigit() for character in field.data)
        if not PHONE.fullmatch(field.data) or not 5 <= digits <= 15:
            raise ValidationError(
                _("Write a phone number of 5 to 15 digits, for example 070-123 45 67.")
            )

    def reader(self):
        """Return who reads the chosen harbour's reports (call after validate())."""
        return Reader.ADMINISTRATOR if self.harbour.data in self.unread else Reader.CONTACT_PERSON

    def harbour_name(self):
        return self.offered.get(self.harbour.data) or self.unread[self.harbour.data]

    def observation(self):
        """Return the validated content (call after validate())."""
        latitude, longitude = self.position or (None, None)
        entries = [row.form.entry() for row in self.plates]
        return Observation(
            harbour_id=self.harbour.data,
            place=self.place.data or "",
            observed_at=self.observed_at.moment,
            categories=tuple(sorted(set(self.categories.data))),
            plates=tuple(entry for entry in entries if entry),
            vehicle=self.vehicle.data or "",
            direction=self.direction.data or "",
            what_happened=self.what_happened.data,
            latitude=latitude,
            longitude=longitude,
            phone=self.phone.data or None,
        )

    def error_list(self):
        """Return (field id, label, message) of every error, in the order of the form."""
        found = []
        for field in self:
            if field.name == "plates":
                found += [
                    (field[0].form.text.id, _("Registration numbers"), message)
                    for message in whole_list_errors(field)
                ]
                for number, row in enumerate(field, start=1):
                    for subfield in row.form:
                        for message in subfield.errors:
                            label = _("Registration number %(number)s", number=number)
                            found.append((subfield.id, label, message))
            elif field.name in ("latitude", "longitude"):
                found += [("position", _("Position"), message) for message in field.errors]
            elif field.name == "client_id":
                # Hidden: nothing to link to or to correct but the whole form.
                found += [(None, _("Form"), message) for message in field.errors]
            else:
                found += [(field.id, field.label.text, message) for message in field.errors]
        return found

    def errors_by_name(self):
        """Return {field name: [messages]}, plate rows as plates-N-text, for JSON clients."""
        found = {}
        for field in self:
            if field.name == "plates":
                if whole_list_errors(field):
                    found["plates"] = [str(message) for message in whole_list_errors(field)]
                for row in field:
                    for subfield in row.form:
                        if subfield.errors:
                            found[subfield.name] = [str(message) for message in subfield.errors]
            elif field.errors:
                found[field.name] = [str(message) for message in field.errors]
        return found


def whole_list_errors(field_list):
    """Return the errors of a list of rows as a whole: its `errors` holds each row's too."""
    return [message for message in field_list.errors if not isinstance(message, dict)]


def to_degrees(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


class StatusForm(Form):
    class Meta:
        csrf = False

    code = StringField(_l("Reference code"), filters=[clean])

    def validate_code(self, field):
        """Say what is wrong with a code that cannot be one, without repeating it as read."""
        if not field.data:
            raise ValidationError(_("Write the reference code from your receipt."))
        code = normalise_reference(field.data)
        if len(code) != REFERENCE_LENGTH:
            raise ValidationError(
                ngettext(
                    "A reference code has ten letters and digits; you wrote %(num)s character.",
                    "A reference code has ten letters and digits; you wrote %(num)s characters.",
                    len(code),
                )
            )
        if not REFERENCE_PATTERN.fullmatch(code):
            raise ValidationError(
                _("A reference code has only letters and digits, for example 7K3M9QX2PB.")
            )
        field.reference = code
