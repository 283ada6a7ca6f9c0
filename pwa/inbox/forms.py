"""The inbox's filters and the triage form."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional, ValidationError

from .. import paging
from ..auth import accounts
from ..forms import Form
from ..models import STATUS_LABELS, ReportStatus
from ..reports import plates
from ..reports.submission import CATEGORIES, find_report
from ..validators import at_most, clean, to_int
from . import queries

#: As the police write it: region, K and a serial number, year. For example 5000-K123456-24.
CASE_NUMBER = re.compile(r"[0-9]{4}-K[0-9]{1,8}-[0-9]{2}")


def status_choices():
    # The enum's plain value: a StrEnum member would be compared and rendered as itself.
    return [SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()]


def upper_clean(value):
    value = clean(value)
    return "".join(value.split()).upper() if isinstance(value, str) else value


def choices(labels):
    """Return the options of a select field from a dict of labels by value."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class FilterForm(paging.FilterForm):
    harbour = SelectField(_l("Harbour"), coerce=to_int, validate_choice=False)
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("All statuses")), *status_choices()],
        default="",
    )
    category = SelectField(
        _l("What was seen"),
        choices=[SelectChoice("", _l("Everything")), *choices(CATEGORIES)],
        default="",
    )
    received_from = DateField(
        _l("Received from"),
        validators=[Optional(), paging.plausible_day],
        render_kw={"autocomplete": "off"},
    )
    received_to = DateField(
        _l("Received until"),
        validators=[Optional(), paging.plausible_day, paging.not_before("received_from")],
    )
    plate = StringField(_l("Registration number"), filters=[clean])

    def __init__(self, harbours, **kwargs):
        super().__init__(**kwargs)
        self.harbour.choices = [
            # Empty, as the other filters' "all": it then stays out of the address.
            SelectChoice("", _("All my harbours")),
            *(SelectChoice(harbour.id, harbour.name) for harbour in harbours),
        ]
        self.visible_harbour_ids = {harbour.id for harbour in harbours}

    def validate_harbour(self, field):
        if field.data is not None and field.data not in self.visible_harbour_ids:
            raise ValidationError(_("Choose one of your harbours."))

    def validate_plate(self, field):
        if field.data and len(plates.normalise(field.data)) > plates.MAX_LENGTH:
            raise ValidationError(
                _("A registration number has at most %(max)s characters.", max=plates.MAX_LENGTH)
            )

    def filters(self):
        """Return the Filters the form describes (call after validate())."""
        return queries.Filters(
            harbour_id=self.harbour.data,
            status=ReportStatus(self.status.data) if self.status.data else None,
            category=self.category.data or None,
            received_from=self.received_from.data,
            received_to=self.received_to.data,
            plate=plates.normalise(self.plate.data) if self.plate.data else None,
        )


class ExportForm(Form):
    """What an export holds besides the report itself: neither unless the person ticks it."""

    class Meta:
        # The post's token is checked for every post by CSRFProtect (see extensions.py).
        csrf = False

    include_phone = BooleanField(_l("The reporter's phone number"))
    include_note = BooleanField(_l("The note that only contact persons see"))

    def included(self):
        """Return the keys of details.OPTIONAL that the person ticked."""
        return [key for key in ("phone", "note") if self[f"include_{key}"].data]


class TriageForm(Form):
    status = SelectField(_l("Status"), choices=status_choices())
    case_number = StringField(
        _l("Police case number"),
        filters=[upper_clean],
        description=_l("Needed when the report is passed to the police, e.g. 5000-K123456-24."),
    )
    duplicate_of = StringField(
        _l("Duplicate of report"),
        filters=[upper_clean],
        description=_l("The reference code of the earlier report, when this one repeats it."),
    )
    note = TextAreaField(
        _l("Note"),
        filters=[clean],
        validators=[at_most(2000)],
        description=_l("Only contact persons see it, never the person who reported."),
    )

    def __init__(self, report, **kwargs):
        super().__init__(**kwargs)
        self.report = report
        self.original = None
        #: The original an administrator named that the person may not read: never shown,
        #: and kept while the field is left empty.
        self.unseen_original = None
        if report.duplicate_of and not accounts.may_read(current_user, report.duplicate_of):
            self.unseen_original = report.duplicate_of
            self.duplicate_of.description = _(
                "Marked as a duplicate of a report of another harbour."
                " Leave the field empty to keep that."
            )

    def validate_case_number(self, field):
        if self.status.data != ReportStatus.PASSED_TO_POLICE:
            return
        if not field.data:
            raise ValidationError(_("Write the police case number, for example 5000-K123456-24."))
        if not CASE_NUMBER.fullmatch(field.data):
            raise ValidationError(
                _("A police case number looks like 5000-K123456-24. Check what you wrote.")
            )

    def validate_duplicate_of(self, field):
        if self.status.data != ReportStatus.DUPLICATE:
            return
        if not field.data and self.unseen_original is not None:
            self.original = self.unseen_original
            return
        if not field.data:
            raise ValidationError(_("Write the reference code of the report this one repeats."))
        original = find_report(field.data)
        if original is None or not accounts.may_read(current_user, original):
            raise ValidationError(_("None of your reports has this reference code."))
        if original.id == self.report.id:
            raise ValidationError(_("A report cannot be a duplicate of itself."))
        self.original = original
