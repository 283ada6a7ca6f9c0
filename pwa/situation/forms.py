"""The lägesbild's filters, and the administrator's form of the training line."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from .. import paging
from ..forms import Form
from ..validators import at_most, clean, one_line, to_int
from .figures import Scope

MAX_TRAINING_LENGTH = 300


class SituationForm(paging.FilterForm):
    """Which days and harbours the lägesbild shows; by default this year, all one's harbours."""

    first = DateField(_l("From"), validators=[Optional(), paging.plausible_day])
    last = DateField(
        _l("To"), validators=[Optional(), paging.plausible_day, paging.not_before("first")]
    )
    harbour = SelectField(_l("Harbour"), coerce=to_int, validate_choice=False)

    def __init__(self, harbours, today, **kwargs):
        super().__init__(**kwargs)
        self.today = today
        self.harbour.choices = [
            SelectChoice("", _("All my harbours")),
            *(SelectChoice(harbour.id, harbour.name) for harbour in harbours),
        ]
        self.visible_harbour_ids = frozenset(harbour.id for harbour in harbours)

    def validate_harbour(self, field):
        if field.data and field.data not in self.visible_harbour_ids:
            raise ValidationError(_("Choose one of your harbours."))

    def scope(self):
        """Return the days and harbours chosen (call after validate())."""
        # Without a first day, from 1 January of the last day's year; without a last, to today.
        first = self.first.data or date((self.last.data or self.today).year, 1, 1)
        last = self.last.data or max(self.today, first)
        harbour_ids = (
            frozenset({self.harbour.data}) if self.harbour.data else self.visible_harbour_ids
        )
        return Scope(first, last, harbour_ids)


class TrainingForm(Form):
    """When the contact persons' training is, in both languages, for the public page."""

    sv = StringField(
        _l("In Swedish"),
        filters=[clean],
        validators=[one_line, at_most(MAX_TRAINING_LENGTH)],
        description=_l("For example: Nästa utbildning: 12 mars 2027 kl. 18 i kommunhuset."),
    )
    en = StringField(
        _l("In English"),
        filters=[clean],
        validators=[one_line, at_most(MAX_TRAINING_LENGTH)],
        description=_l("For example: Next training: 12 March 2027, 6 pm in the town hall."),
    )
