"""Who reads a harbour's reports: its active contact persons, or else the administrator.

A contact person is an active account that is not an administrator, assigned to the
harbour; they get an e-mail of each new report (notifications.py). The administrator reads
every report in the inbox, so a report to a harbour without a contact person is still
stored and read: the form offers only harbours with one, but a form kept by the service
worker, or a report waiting in a phone's outbox, may name a harbour that has lost its last.
"""

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from ..extensions import db
from ..models import Account, Harbour, harbour_assignment


class Reader(enum.StrEnum):
    """Who reads the reports of a harbour (the JSON receipt's `read_by`)."""

    CONTACT_PERSON = "contact_person"
    ADMINISTRATOR = "administrator"


#: What a receipt says of who reads the report, `{harbour}` its name: the server fills it in
#: on the receipt it renders, the phone's scripts on the cached receipt and in "My reports".
#: Never a person's name or address.
READERS = {
    Reader.CONTACT_PERSON: _l("It has gone to the contact person for {harbour}, who reads it."),
    Reader.ADMINISTRATOR: _l(
        "{harbour} has no contact person at the moment. The report is kept, and the "
        "municipality’s administrator reads it."
    ),
}


def contact_persons():
    """Return a query of (harbour id, account id) of every active contact person."""
    return (
        select(harbour_assignment.c.harbour_id, harbour_assignment.c.account_id)
        .join(Account, Account.id == harbour_assignment.c.account_id)
        .where(Account.active, ~Account.is_admin)
    )


def contact_person_counts():
    """Return {harbour id: number of active contact persons}, for the harbours with any."""
    counted = contact_persons().subquery()
    return dict(
        db.session.execute(
            select(counted.c.harbour_id, func.count()).group_by(counted.c.harbour_id)
        ).all()
    )


@dataclass(frozen=True)
class FormHarbours:
    """The harbours as the report form takes them, each with its id and name."""

    #: Active, with a contact person: offered in the form.
    offered: list
    #: Active, without one: only the administrator reads their reports.
    unread: list
    #: No longer taking reports.
    withdrawn: list


#: Every harbour, in the order of the form, and whether an active contact person reads it.
FORM_HARBOURS = select(
    Harbour.id,
    Harbour.name,
    Harbour.active,
    exists()
    .where(harbour_assignment.c.harbour_id == Harbour.id)
    .where(Account.id == harbour_assignment.c.account_id, Account.active, ~Account.is_admin)
    .label("read"),
).order_by(Harbour.sort_order, Harbour.name)


def form_harbours():
    """Return every harbour, in the order of the form, sorted by who reads it.

    One statement, made once and run on the session's connection without the ORM's work:
    every report's post asks it.
    """
    found = FormHarbours([], [], [])
    for harbour in db.session.connection().execute(FORM_HARBOURS):
        kind = found.offered if harbour.read else found.unread
        (kind if harbour.active else found.withdrawn).append(harbour)
    return found


#: The harbours that take reports, as a page lists them: their ids and names, in its order.
ACTIVE_HARBOURS = (
    select(Harbour.id, Harbour.name)
    .where(Harbour.active)
    .order_by(Harbour.sort_order, Harbour.name)
)


def active_harbours():
    """Return the harbours that take reports, in the order of the form: rows of id and name,
    read on the session's connection without the ORM's work."""
    return db.session.connection().execute(ACTIVE_HARBOURS).all()


def revision():
    """Name the state of the active harbours as a page lists them.

    Part of the cache key of a shared page that lists them (the home page's alerts): adding,
    renaming, reordering or taking out a harbour changes it, in every process of the app.
    """
    return tuple(tuple(row) for row in active_harbours())


def harbours_without_contact_person():
    """Return the active harbours whose reports only the administrator reads."""
    return form_harbours().unread
