"""The administrator's forms: a harbour, an account, a password, the audit log's filters."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import EqualTo, Optional, ValidationError

from .. import audit, i18n, paging
from ..auth import accounts
from ..extensions import db
from ..forms import Form
from ..models import Harbour
from ..validators import (
    NAME_LENGTH,
    at_most,
    clean,
    name_text,
    one_line,
    required,
    to_int,
    visible_name,
)
from . import operations

SORT_ORDER_RANGE = (0, 9999)
MAX_PASSWORD_LENGTH = 200
ROLES = {"contact": _l("Contact person"), "admin": _l("Administrator")}


class HarbourForm(Form):
    name = StringField(
        _l("Name"),
        filters=[name_text],
        validators=[required(_l("Write the harbour's name.")), visible_name, at_most(NAME_LENGTH)],
    )
    sort_order = StringField(
        _l("Place in lists"),
        filters=[clean],
        description=_l("A number from 0 to 9999: lower comes first, equal ones by name."),
    )
    active = BooleanField(
        _l("Active: offered in the report form"),
        description=_l("Reports already sent keep their harbour either way."),
    )

    def __init__(self, harbour=None, **kwargs):
        super().__init__(**kwargs)
        self.harbour = harbour

    def validate_name(self, field):
        if operations.harbour_name_taken(field.data, self.harbour):
            raise ValidationError(_("A harbour with this name already exists."))

    def validate_sort_order(self, field):
        low, high = SORT_ORDER_RANGE
        value = field.data or "0"
        if not re.fullmatch(r"[0-9]{1,4}", value) or not low <= int(value) <= high:
            raise ValidationError(_("Write a whole number from 0 to 9999."))

    def values(self):
        """Return the harbour's values as the operations take them (call after validate())."""
        return {
            "name": self.name.data,
            "sort_order": int(self.sort_order.data or 0),
            "active": self.active.data,
        }


#: The years a promise's period may name.
YEAR_RANGE = (2000, 2099)
#: Markdown texts longer than a promise ever is are a mistake (a file pasted twice).
MAX_PROMISE_TEXT = 50_000
MAX_SIGNATORIES = 300


class PromiseForm(Form):
    """A citizen promise: its period, and its text and signatories in Swedish and English."""

    first_year = StringField(_l("First year"), filters=[clean])
    last_year = StringField(
        _l("Last year"),
        filters=[clean],
        description=_l("The same as the first year for a promise of one year."),
    )
    text_sv = TextAreaField(
        _l("Text in Swedish"),
        filters=[clean],
        validators=[
            required(_l("Write the promise's text in Swedish.")),
            at_most(MAX_PROMISE_TEXT),
        ],
        description=_l(
            "Markdown: an empty line between paragraphs, ## before a heading, - before an item "
            "of a list, [text](https://…) for a link. HTML and images are not shown."
        ),
    )
    text_en = TextAreaField(
        _l("Text in English"),
        filters=[clean],
        validators=[at_most(MAX_PROMISE_TEXT)],
        description=_l("If left empty, the English pages show the Swedish text."),
    )
    signatories_sv = StringField(
        _l("Signatories in Swedish"),
        filters=[clean],
        validators=[
            required(_l("Write who signed the promise.")),
            one_line,
            at_most(MAX_SIGNATORIES),
        ],
        description=_l("One line, for example: Signed by … and …."),
    )
    signatories_en = StringField(
        _l("Signatories in English"),
        filters=[clean],
        validators=[one_line, at_most(MAX_SIGNATORIES)],
    )

    def validate_first_year(self, field):
        field.data = year(field.data)

    def validate_last_year(self, field):
        field.data = year(field.data)
        first = self.first_year.data
        if isinstance(first, int) and field.data < first:
            raise ValidationError(_("The last year cannot come before the first."))

    def validate_signatories_en(self, field):
        if self.text_en.data and not field.data:
            raise ValidationError(_("Write who signed it in English too, with the English text."))

    def values(self):
        """Return the promise's columns as the operations take them (call after validate())."""
        return {name: self[name].data for name in PROMISE_FIELDS}


PROMISE_FIELDS = (
    "first_year",
    "last_year",
    "text_sv",
    "text_en",
    "signatories_sv",
    "signatories_en",
)


def year(value):
    """Read a year of YEAR_RANGE, or say what is wrong."""
    low, high = YEAR_RANGE
    if not re.fullmatch(r"[0-9]{4}", value or "") or not low <= int(value) <= high:
        raise ValidationError(_("Write a year from %(low)s to %(high)s.", low=low, high=high))
    return int(value)


def password_validators():
    return [
        required(_l("Write a password.")),
        length_between(accounts.MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH),
    ]


def length_between(low, high):
    def check(form, field):
        if field.data and not low <= len(field.data) <= high:
            raise ValidationError(
                _("The password needs %(min)s to %(max)s characters.", min=low, max=high)
            )

    return check


class AccountForm(Form):
    """What the administrator may change of an account."""

    name = StringField(
        _l("Name"),
        filters=[name_text],
        validators=[required(_l("Write the person's name.")), visible_name, at_most(NAME_LENGTH)],
    )
    role = RadioField(
        _l("Role"),
        validate_choice=False,
        choices=[SelectChoice(key, label) for key, label in ROLES.items()],
        default="contact",
    )
    harbours = SelectMultipleField(
        _l("Harbours"),
        coerce=to_int,
        validate_choice=False,
        description=_l("A contact person reads the reports of these harbours only."),
    )
    language = RadioField(
        _l("Language of e-mails"),
        validate_choice=False,
        choices=[SelectChoice(key, label) for key, label in i18n.NATIVE_NAMES.items()],
        default=i18n.DEFAULT_LANGUAGE,
    )
    active = BooleanField(
        _l("Active: may log in"),
        description=_l("Deactivating logs the person out at once."),
    )

    def __init__(self, account=None, **kwargs):
        super().__init__(**kwargs)
        self.account = account
        self.all_harbours = db.session.scalars(
            select(Harbour).order_by(Harbour.sort_order, Harbour.name)
        ).all()
        self.harbours.choices = [
            SelectChoice(harbour.id, harbour.name) for harbour in self.all_harbours
        ]

    def validate_role(self, field):
        if field.data not in ROLES:
            raise ValidationError(_("Choose a role."))
        if self.is_own() and field.data != "admin":
            raise ValidationError(_("You cannot take away your own administrator role."))

    def validate_harbours(self, field):
        known = {harbour.id for harbour in self.all_harbours}
        if not set(field.data or ()) <= known:
            raise ValidationError(_("Choose among the listed harbours."))

    def validate_language(self, field):
        if field.data not in i18n.LANGUAGES:
            raise ValidationError(_("Choose a language."))

    def validate_active(self, field):
        if self.is_own() and not field.data:
            raise ValidationError(_("You cannot deactivate your own account."))

    def is_own(self):
        return self.account is not None and self.account.id == current_user.id

    def chosen_harbours(self):
        chosen = set(self.harbours.data or ())
        return [harbour for harbour in self.all_harbours if harbour.id in chosen]


class NewAccountForm(AccountForm):
    email = EmailField(
        _l("E-mail address"),
        filters=[clean],
        validators=[required(_l("Write the person's e-mail address.")), one_line, at_most(254)],
        description=_l("The person logs in with it."),
    )
    password = PasswordField(
        _l("Password"),
        validators=password_validators(),
        description=_l(
            "At least %(count)s characters. Give it to the person, who changes it after "
            "logging in.",
            count=accounts.MIN_PASSWORD_LENGTH,
        ),
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
    )

    def validate_email(self, field):
        if not accounts.EMAIL.fullmatch(field.data):
            raise ValidationError(_("Write an e-mail address such as name@example.org."))
        if accounts.account_with_email(field.data):
            raise ValidationError(_("An account with this e-mail address already exists."))


class SetPasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        validators=password_validators(),
        description=_l(
            "At least %(count)s characters. The person's sessions end; give them the new password.",
            count=accounts.MIN_PASSWORD_LENGTH,
        ),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("password", _l("The two passwords are not the same."))],
    )


class AuditFilterForm(paging.FilterForm):
    """Whose entries, which kind and which days the audit log shows."""

    account = SelectField(_l("Account"), coerce=to_int, validate_choice=False)
    kind = SelectField(
        _l("What was done"),
        choices=[
            SelectChoice("", _l("Everything")),
            *(SelectChoice(key, label) for key, (label, _actions) in audit.KINDS.items()),
        ],
        default="",
    )
    since = DateField(
        _l("From"),
        validators=[Optional(), paging.plausible_day],
        render_kw={"autocomplete": "off"},
    )
    until = DateField(
        _l("Until"),
        validators=[Optional(), paging.plausible_day, paging.not_before("since")],
        render_kw={"autocomplete": "off"},
    )

    def __init__(self, all_accounts, **kwargs):
        super().__init__(**kwargs)
        self.account.choices = [
            SelectChoice("", _("All accounts")),
            *(SelectChoice(account.id, account_label(account)) for account in all_accounts),
        ]
        self.known_account_ids = {account.id for account in all_accounts}

    def validate_account(self, field):
        if field.data is not None and field.data not in self.known_account_ids:
            raise ValidationError(_("Choose one of the listed accounts."))


def account_label(account):
    return f"{account.name} ({account.email})"
