"""The log-in form and the form to change one's own password."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from ..forms import Form
from ..validators import clean
from . import accounts


def login_email(value):
    """Read an e-mail address typed in the log-in form as the account look-up and the limit
    on attempts both read it: a character that one drops cannot get round the other."""
    value = clean(value)
    return accounts.normalise_email(value) if isinstance(value, str) else value


class LoginForm(Form):
    email = EmailField(
        _l("E-mail address"),
        filters=[login_email],
        validators=[InputRequired(_l("Write your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(_l("Write your password.")), Length(max=200)]
    )


class PasswordForm(Form):
    current = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Write your current password."))]
    )
    new = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(_l("Write a new password.")),
            Length(
                min=accounts.MIN_PASSWORD_LENGTH,
                max=200,
                message=_l(
                    "Use %(min)s to %(max)s characters.",
                    min=accounts.MIN_PASSWORD_LENGTH,
                    max=200,
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("new", _l("The two new passwords are not the same."))],
    )

    def validate_current(self, field):
        if not accounts.password_matches(current_user.password_hash, field.data):
            raise ValidationError(_("This is not your current password."))

    def validate_new(self, field):
        # A password someone else chose, typed again, would still be known to them.
        if field.data and field.data == self.current.data:
            raise ValidationError(_("Choose a password other than the current one."))
