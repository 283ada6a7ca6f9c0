"""Changes to the harbours and the citizen promises: each flushes and writes its audit entry;
the caller commits."""

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Harbour, Promise, utc_now
from ..validators import name_is_visible


class NameTaken(ValueError):
    """Another harbour has this name, whatever its case."""


class InvisibleInName(ValueError):
    """A harbour's name has a character that cannot be seen: a line break, a tab, a zero-width
    space, another control or format character (see validators.name_is_visible).

    It goes into the Subject of the e-mails of every report for the harbour, where a line
    break would make every one of them fail; the forms say so, this guards every other way in.
    """


def harbour_name_taken(name, harbour=None):
    """Tell whether a harbour other than `harbour` has this name, whatever its case."""
    others = db.session.scalars(select(Harbour)).all()
    return any(
        other.name.casefold() == (name or "").casefold() and other is not harbour
        for other in others
    )


def add_harbour(actor, name, *, sort_order=0, active=True):
    """Add a harbour; raise NameTaken if another has its name.

    `actor` is the account that acts, or None for the command line. Raise InvisibleInName for
    a name with a character that cannot be seen.
    """
    if not name_is_visible(name):
        raise InvisibleInName(name)
    if harbour_name_taken(name):
        raise NameTaken(name)
    harbour = Harbour(name=name, sort_order=sort_order, active=active)
    db.session.add(harbour)
    db.session.flush()
    audit.record(
        actor,
        "harbour_added",
        harbour_id=harbour.id,
        name=harbour.name,
        sort_order=harbour.sort_order,
        active=harbour.active,
    )
    return harbour


def seed_harbours(harbours):
    """Add the harbours, each a dict with a name and a sort_order, if there are none yet.

    Return those added: none if the database has a harbour, active or not, for then its list
    is the installation's own.
    """
    if db.session.scalar(select(Harbour.id).limit(1)) is not None:
        return []
    return [
        add_harbour(None, harbour["name"], sort_order=harbour["sort_order"]) for harbour in harbours
    ]


def update_harbour(actor, harbour, **values):
    """Rename a harbour, move it in the lists or take it out of the report form.

    Return what changed, as {name: new value}; raise NameTaken if another has the new name,
    InvisibleInName if it has a character that cannot be seen.
    """
    if "name" in values and not name_is_visible(values["name"]):
        raise InvisibleInName(values["name"])
    if "name" in values and harbour_name_taken(values["name"], harbour):
        raise NameTaken(values["name"])
    changes = {key: value for key, value in values.items() if getattr(harbour, key) != value}
    for key, value in changes.items():
        setattr(harbour, key, value)
    db.session.flush()
    if changes:
        audit.record(actor, "harbour_changed", harbour_id=harbour.id, **changes)
    return changes


def add_promise(actor, **values):
    """Add a citizen promise as a draft, which only administrators see until it is published.

    `values` are Promise's columns: first_year, last_year, the texts and signatories.
    """
    promise = Promise(**values, updated_at=utc_now())
    db.session.add(promise)
    db.session.flush()
    audit.record(actor, "promise_added", **promise_details(promise))
    return promise


def update_promise(actor, promise, **values):
    """Change a promise's period, texts or signatories, published or not; return what changed.

    The log names the fields changed, not their texts, which the promise itself keeps.
    """
    changes = [key for key, value in values.items() if getattr(promise, key) != value]
    for key in changes:
        setattr(promise, key, values[key])
    if changes:
        promise.updated_at = utc_now()
        db.session.flush()
        audit.record(actor, "promise_changed", **promise_details(promise), fields=sorted(changes))
    return changes


def publish_promise(actor, promise):
    """Publish a draft: the public pages show it from now on, as the current promise if its
    period is the latest."""
    if promise.published_at is not None:
        return
    promise.published_at = promise.updated_at = utc_now()
    promise.published_by_id = actor.id if actor else None
    db.session.flush()
    audit.record(actor, "promise_published", **promise_details(promise))


def promise_details(promise):
    return {
        "promise_id": promise.id,
        "first_year": promise.first_year,
        "last_year": promise.last_year,
    }
