"""The administrator's pages: harbours, the accounts of contact persons, the citizen promises,
and the audit log."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit, i18n, paging, security
from ..auth import accounts
from ..auth.sessions import admin_required
from ..extensions import db
from ..models import Account, Harbour, Promise
from ..public import promises
from ..rendering import render
from ..reports import readers
from . import bp, operations
from .forms import (
    PROMISE_FIELDS,
    ROLES,
    AccountForm,
    AuditFilterForm,
    HarbourForm,
    NewAccountForm,
    PromiseForm,
    SetPasswordForm,
)


@bp.before_request
@admin_required
def require_admin():
    """Every page here is for administrators only."""


bp.after_request(security.no_store)


@bp.get("/harbours")
def list_harbours():
    """List the harbours with the number of active contact persons of each."""
    counts = readers.contact_person_counts()
    harbours = db.session.scalars(select(Harbour).order_by(Harbour.sort_order, Harbour.name))
    return render("admin/list_harbours.html", harbours=harbours, counts=counts)


@bp.route("/harbours/new", methods=["GET", "POST"])
def add_harbour():
    """Add a harbour."""
    form = HarbourForm(data={"active": True, "sort_order": "0"})
    if not form.validate_on_submit():
        return render_form("admin/edit_harbour.html", form, harbour=None)
    try:
        harbour = operations.add_harbour(current_user, **form.values())
    except (operations.NameTaken, IntegrityError):
        return refuse_name(form, harbour=None)
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
    try:
        operations.update_harbour(current_user, harbour, **form.values())
    except (operations.NameTaken, IntegrityError):
        return refuse_name(form, harbour=harbour)
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
            active=form.active.data,
            actor=current_user,
            must_change_password=True,
        )
    except (accounts.EmailTaken, IntegrityError):
        db.session.rollback()
        form.email.errors.append(_("An account with this e-mail address already exists."))
        return render_form("admin/edit_account.html", form, account=None)
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
    accounts.update_account(
        current_user,
        account,
        name=form.name.data,
        is_admin=form.role.data == "admin",
        harbours=form.chosen_harbours(),
        language=form.language.data,
        active=form.active.data,
    )
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
    accounts.set_password(current_user, account, form.password.data)
    db.session.commit()
    if account.id == current_user.id:
        # This session carries the old version: keep the administrator logged in.
        login_user(account)
    flash(_("%(name)s has a new password.", name=account.name))
    return redirect(url_for("admin.list_accounts"), 303)


@bp.get("/promises")
def list_promises():
    """List the citizen promises, drafts and published, the latest period first."""
    rows = db.session.scalars(
        select(Promise).order_by(Promise.first_year.desc(), Promise.id.desc())
    ).all()
    current = promises.current()
    return render("admin/list_promises.html", promises=rows, current=current)


@bp.route("/promises/new", methods=["GET", "POST"])
def add_promise():
    """Write a new citizen promise as a draft, to read through before publishing it."""
    form = PromiseForm()
    if not form.validate_on_submit():
        return render_form("admin/edit_promise.html", form, promise=None)
    promise = operations.add_promise(current_user, **form.values())
    db.session.commit()
    flash(_("The draft has been saved. Read it through below, then publish it."))
    return redirect(url_for("admin.edit_promise", promise_id=promise.id), 303)


@bp.route("/promises/<int:promise_id>", methods=["GET", "POST"])
def edit_promise(promise_id):
    """Change a promise, and see it in both languages as the public pages will show it."""
    promise = db.get_or_404(Promise, promise_id)
    form = PromiseForm(data={name: str(getattr(promise, name)) for name in PROMISE_FIELDS})
    if not form.validate_on_submit():
        return render_form(
            "admin/edit_promise.html",
            form,
            promise=promise,
            previews={lang: promises.shown(promise, lang, top_level=4) for lang in i18n.LANGUAGES},
        )
    operations.update_promise(current_user, promise, **form.values())
    db.session.commit()
    flash(_("The citizen promise has been saved."))
    return redirect(url_for("admin.edit_promise", promise_id=promise.id), 303)


@bp.post("/promises/<int:promise_id>/publish")
def publish_promise(promise_id):
    """Publish a draft on the public pages, in both languages."""
    promise = db.get_or_404(Promise, promise_id)
    operations.publish_promise(current_user, promise)
    db.session.commit()
    flash(_("The citizen promise has been published."))
    return redirect(url_for("admin.list_promises"), 303)


@bp.get("/audit")
def list_audit_events():
    """Show who read and changed what, newest first, by account, kind and days, page by page."""
    all_accounts = db.session.scalars(select(Account).order_by(Account.name, Account.email)).all()
    form = AuditFilterForm(all_accounts, formdata=request.args)
    status = 200
    if form.validate():
        page = audit.page_of(
            form.account.data,
            form.kind.data or None,
            since=form.since.data,
            until=form.until.data,
            before=paging.before_id(),
        )
    else:
        page, status = paging.Page([]), 422
    codes = audit.report_codes(page.items)
    names = audit.Names(
        accounts={account.id: account.name for account in all_accounts},
        harbours=dict(db.session.execute(select(Harbour.id, Harbour.name)).all()),
        reports=codes,
    )
    return render(
        "admin/list_audit_events.html",
        status=status,
        form=form,
        page=page,
        names=names,
        codes=codes,
    )


def render_form(template, form, **context):
    """Show a form, with 422 when what was sent is wrong; passwords are never sent back."""
    for field in form:
        if field.type == "PasswordField":
            field.data = ""
    status = 422 if form.errors else 200
    return render(template, form=form, status=status, roles=ROLES, **context)


def refuse_name(form, harbour):
    """Show the form again when another request took the same name meanwhile."""
    db.session.rollback()
    form.name.errors.append(_("A harbour with this name already exists."))
    return render_form("admin/edit_harbour.html", form, harbour=harbour)
