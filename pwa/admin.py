"""The administrator's pages: harbours, the accounts of contact persons, and the audit log."""

import re

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import EqualTo, ValidationError

from . import accounts, audit, i18n, security
from .auth import admin_required
from .coordinator import before_id
from .extensions import db
from .forms import at_most, clean, required, to_int
from .models import Account, Harbour, harbour_assignment
from .rendering import render

bp = Blueprint("admin", __name__, url_prefix="/<any(sv, en):lang>/admin")
i18n.localise(bp)

SORT_ORDER_RANGE = (0, 9999)
MAX_PASSWORD_LENGTH = 200
ROLES = {"contact": _l("Contact person"), "admin": _l("Administrator")}
LANGUAGES = {"sv": "Svenska", "en": "English"}


@bp.before_request
@admin_required
def require_admin():
    """Every page here is for administrators only."""


bp.after_request(security.no_store)


class HarbourForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[clean],
        validators=[required(_l("Write the harbour's name.")), at_most(100)],
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
        if harbour_name_taken(field.data, self.harbour):
            raise ValidationError(_("A harbour with this name already exists."))

    def validate_sort_order(self, field):
        low, high = SORT_ORDER_RANGE
        value = field.data or "0"
        if not re.fullmatch(r"[0-9]{1,4}", value) or not low <= int(value) <= high:
            raise ValidationError(_("Write a whole number from 0 to 9999."))

    def sort_order_value(self):
        return int(self.sort_order.data or 0)


def harbour_name_taken(name, harbour=None):
    """Tell whether another harbour has this name, whatever its case."""
    others = db.session.scalars(select(Harbour)).all()
    return any(
        other.name.casefold() == (name or "").casefold() and other is not harbour
        for other in others
    )


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


class AccountForm(FlaskForm):
    """What the administrator may change of an account."""

    name = StringField(
        _l("Name"),
        filters=[clean],
        validators=[required(_l("Write the person's name.")), at_most(100)],
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
        choices=[SelectChoice(key, label) for key, label in LANGUAGES.items()],
        default="sv",
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
        if field.data not in LANGUAGES:
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
        validators=[required(_l("Write the person's e-mail address.")), at_most(254)],
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


class SetPasswordForm(FlaskForm):
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


class AuditFilterForm(FlaskForm):
    """Whose entries and which kind the audit log shows; sent by GET, so without a token."""

    class Meta:
        csrf = False

    account = SelectField(_l("Account"), coerce=to_int, validate_choice=False)
    kind = SelectField(
        _l("What was done"),
        choices=[
            SelectChoice("", _l("Everything")),
            *(SelectChoice(key, label) for key, (label, _actions) in audit.KINDS.items()),
        ],
        default="",
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

    def query_args(self):
        """Return the filters as URL arguments, for links to other pages of the same list."""
        return {
            field.name: field.raw_data[0] for field in self if field.raw_data and field.raw_data[0]
        }


def account_label(account):
    return f"{account.name} ({account.email})"


@bp.get("/harbours")
def list_harbours():
    """List the harbours with the number of active contact persons of each."""
    counts = dict(
        db.session.execute(
            select(harbour_assignment.c.harbour_id, func.count())
            .join(Account, Account.id == harbour_assignment.c.account_id)
            .where(Account.active, ~Account.is_admin)
            .group_by(harbour_assignment.c.harbour_id)
        ).all()
    )
    harbours = db.session.scalars(select(Harbour).order_by(Harbour.sort_order, Harbour.name))
    return render("admin/list_harbours.html", harbours=harbours, counts=counts)


@bp.route("/harbours/new", methods=["GET", "POST"])
def add_harbour():
    """Add a harbour."""
    form = HarbourForm(data={"active": True, "sort_order": "0"})
    if not form.validate_on_submit():
        return render_form("admin/edit_harbour.html", form, harbour=None)
    harbour = Harbour(
        name=form.name.data, sort_order=form.sort_order_value(), active=form.active.data
    )
    db.session.add(harbour)
    try:
        db.session.flush()
    except IntegrityError:
        return refuse(
            form,
            form.name,
            _("A harbour with this name already exists."),
            "admin/edit_harbour.html",
            harbour=None,
        )
    accounts.record(
        current_user,
        "harbour_added",
        harbour_id=harbour.id,
        name=harbour.name,
        sort_order=harbour.sort_order,
        active=harbour.active,
    )
    db.session.commit()
    flash(_("%(name)s has been added.", name=harbour.name))
    return redirect(url_for("admin.list_harbours"), 303)


@bp.route("/harbours/<int:harbour_id>", methods=["GET", "POST"])
def edit_harbour(harbour_id):
    """Rename a harbour, move it in the lists, or take it out of the report form."""
    harbour = db.get_or_404(Harbour, harbour_id)
    form = HarbourForm(
        harbour,
        data={
            "name": harbour.name,
            "sort_order": str(harbour.sort_order),
            "active": harbour.active,
        },
    )
    if not form.validate_on_submit():
        return render_form("admin/edit_harbour.html", form, harbour=harbour)
    changes = changed(
        harbour,
        name=form.name.data,
        sort_order=form.sort_order_value(),
        active=form.active.data,
    )
    try:
        db.session.flush()
    except IntegrityError:
        return refuse(
            form,
            form.name,
            _("A harbour with this name already exists."),
            "admin/edit_harbour.html",
            harbour=harbour,
        )
    if changes:
        accounts.record(current_user, "harbour_changed", harbour_id=harbour.id, **changes)
        db.session.commit()
    flash(_("%(name)s has been saved.", name=harbour.name))
    return redirect(url_for("admin.list_harbours"), 303)


@bp.get("/accounts")
def list_accounts():
    """List the accounts: administrators first, then by name."""
    rows = db.session.scalars(
        select(Account).order_by(Account.active.desc(), Account.is_admin.desc(), Account.name)
    )
    return render("admin/list_accounts.html", accounts=rows, roles=ROLES)


@bp.route("/accounts/new", methods=["GET", "POST"])
def add_account():
    """Add an account for a contact person or an administrator."""
    form = NewAccountForm(data={"active": True})
    if not form.validate_on_submit():
        return render_form("admin/edit_account.html", form, account=None)
    try:
        account = accounts.create_account(
            form.email.data,
            form.name.data,
            form.password.data,
            is_admin=form.role.data == "admin",
            harbours=form.chosen_harbours(),
            language=form.language.data,
        )
    except IntegrityError:
        return refuse(
            form,
            form.email,
            _("An account with this e-mail address already exists."),
            "admin/edit_account.html",
            account=None,
        )
    account.active = form.active.data
    accounts.record(current_user, "account_added", **accounts.audit_details(account))
    db.session.commit()
    flash(_("The account of %(name)s has been added.", name=account.name))
    return redirect(url_for("admin.list_accounts"), 303)


@bp.route("/accounts/<int:account_id>", methods=["GET", "POST"])
def edit_account(account_id):
    """Change an account's name, role, harbours, language or whether it may log in."""
    account = db.get_or_404(Account, account_id)
    form = AccountForm(
        account,
        data={
            "name": account.name,
            "role": "admin" if account.is_admin else "contact",
            "harbours": [harbour.id for harbour in account.harbours],
            "language": account.language,
            "active": account.active,
        },
    )
    if not form.validate_on_submit():
        return render_form("admin/edit_account.html", form, account=account)
    before = accounts.audit_details(account)
    name_before = account.name
    was_active = account.active
    account.name = form.name.data
    account.is_admin = form.role.data == "admin"
    account.harbours = form.chosen_harbours()
    account.language = form.language.data
    account.active = form.active.data
    if was_active and not account.active:
        # Its sessions end now, not at the next log-in.
        account.session_version += 1
    after = accounts.audit_details(account)
    changes = {key: value for key, value in after.items() if before[key] != value}
    if name_before != account.name:
        # That it changed, not to what: the log keeps no names.
        changes["name_changed"] = True
    if changes:
        accounts.record(current_user, "account_changed", account_id=account.id, **changes)
    db.session.commit()
    flash(_("The account of %(name)s has been saved.", name=account.name))
    return redirect(url_for("admin.list_accounts"), 303)


@bp.route("/accounts/<int:account_id>/password", methods=["GET", "POST"])
def set_account_password(account_id):
    """Give an account a new password; its sessions end."""
    account = db.get_or_404(Account, account_id)
    form = SetPasswordForm()
    if not form.validate_on_submit():
        return render_form("admin/set_password.html", form, account=account)
    accounts.set_password(account, form.password.data)
    accounts.record(current_user, "password_set", account_id=account.id)
    db.session.commit()
    if account.id == current_user.id:
        # This session carries the old version: keep the administrator logged in.
        login_user(account)
    flash(_("%(name)s has a new password.", name=account.name))
    return redirect(url_for("admin.list_accounts"), 303)


@bp.get("/audit")
def list_audit_events():
    """Show who read and changed what, newest first, by account and kind, page by page."""
    all_accounts = db.session.scalars(select(Account).order_by(Account.name, Account.email)).all()
    form = AuditFilterForm(all_accounts, formdata=request.args)
    status = 200
    if form.validate():
        page = audit.page_of(form.account.data, form.kind.data or None, before=before_id())
    else:
        page, status = audit.Page([], None, set()), 422
    names = audit.Names(
        accounts={account.id: account.name for account in all_accounts},
        harbours=dict(db.session.execute(select(Harbour.id, Harbour.name)).all()),
    )
    return render(
        "admin/list_audit_events.html",
        status=status,
        form=form,
        page=page,
        names=names,
        first_page=before_id() is None,
    )


def render_form(template, form, **context):
    """Show a form, with 422 when what was sent is wrong; passwords are never sent back."""
    for field in form:
        if field.type == "PasswordField":
            field.data = ""
    status = 422 if form.errors else 200
    return render(template, form=form, status=status, roles=ROLES, **context)


def refuse(form, field, message, template, **context):
    """Show the form again when another request took the same name or address meanwhile."""
    db.session.rollback()
    field.errors.append(message)
    return render_form(template, form, **context)


def changed(harbour, **values):
    """Set the harbour's values; return those that changed, as {name: new value}."""
    changes = {}
    for key, value in values.items():
        if getattr(harbour, key) != value:
            changes[key] = value
            setattr(harbour, key, value)
    return changes
