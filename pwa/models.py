"""The stored data: harbours, reports and their plates, accounts, and the audit log."""

import enum
import sqlite3
import uuid
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .reports.plates import KNOWN_START


class UTCDateTime(TypeDecorator):
    """A moment in UTC: SQLite keeps no time zone, so it is stored naive and read back as UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("A moment must carry its time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: The INSERT of each database the app runs on, which can say what to do ON CONFLICT.
INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def utc_now():
    return datetime.now(UTC)


def stored_as_text(kind):
    """Store an enum by its values as text: no database type to alter when one is added."""
    return Enum(
        kind,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


class Harbour(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: As people in the municipality say it, for example "Oxelösunds gästhamn".
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: Only active harbours are offered in the form; old reports keep theirs.
    active: Mapped[bool] = mapped_column(default=True)
    #: Lower comes first in the list; equal ones by name.
    sort_order: Mapped[int] = mapped_column(default=0)

    def __repr__(self):
        return f"<Harbour {self.name!r}>"


class ReportStatus(enum.StrEnum):
    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    PASSED_TO_POLICE = "passed_to_police"
    CLOSED = "closed"
    #: The same observation as an earlier report, which duplicate_of names.
    DUPLICATE = "duplicate"
    #: Nothing to pass on: a mistake, a joke, or not a matter for the police.
    DISCARDED = "discarded"


#: Statuses after which nothing more is done: the report is deleted some days later.
ENDED_STATUSES = frozenset({ReportStatus.CLOSED, ReportStatus.DUPLICATE, ReportStatus.DISCARDED})
#: How the inbox names each status (the reporter's status page explains them in its own words).
STATUS_LABELS = {
    ReportStatus.RECEIVED: _l("New"),
    ReportStatus.UNDER_REVIEW: _l("Under review"),
    ReportStatus.PASSED_TO_POLICE: _l("Passed to the police"),
    ReportStatus.CLOSED: _l("Closed"),
    ReportStatus.DUPLICATE: _l("Duplicate"),
    ReportStatus.DISCARDED: _l("Discarded"),
}


class Report(db.Model):
    __table_args__ = (
        # The inbox of a harbour, newest first, and its filters: keyset pages walk these.
        Index("ix_report_harbour_id_id", "harbour_id", "id"),
        Index("ix_report_status_id", "status", "id"),
        # Few reports are unread at any time: counting them must not read the others.
        Index(
            "ix_report_unread",
            "harbour_id",
            sqlite_where=text("read_at IS NULL"),
            postgresql_where=text("read_at IS NULL"),
        ),
        # Deleting a report sets duplicate_of to NULL where it is named: without an index
        # every deleted report would read the whole table to find those few.
        Index(
            "ix_report_duplicate_of_id",
            "duplicate_of_id",
            sqlite_where=text("duplicate_of_id IS NOT NULL"),
            postgresql_where=text("duplicate_of_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Made on the phone when the form was opened: the same report sent twice has the same one.
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    #: Given to the person on the receipt to look up the status; short and unguessable.
    reference: Mapped[str] = mapped_column(String(10), unique=True)
    harbour_id: Mapped[int] = mapped_column(ForeignKey("harbour.id"))
    harbour: Mapped[Harbour] = relationship()
    #: Where in the harbour, in the person's words ("pontoon C, by the fuel jetty").
    place: Mapped[str] = mapped_column(String(100), default="")
    #: When it was seen, in UTC.
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: What was seen: a sorted list of CATEGORIES keys.
    categories: Mapped[list[str]] = mapped_column(JSON)
    #: Description of the vehicle or boat.
    vehicle: Mapped[str] = mapped_column(Text, default="")
    #: Direction of travel.
    direction: Mapped[str] = mapped_column(String(200), default="")
    what_happened: Mapped[str] = mapped_column(Text)
    #: The phone's position, only when the person chose to send it (WGS 84 degrees).
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    #: For the contact person to call back, only when given.
    phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[ReportStatus] = mapped_column(
        stored_as_text(ReportStatus), default=ReportStatus.RECEIVED
    )
    #: When it was received: the maximum age for deletion counts from here.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now, index=True)
    #: When a contact person first opened it; None is unread.
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When it reached one of ENDED_STATUSES: it is deleted a set number of days later.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: The police's case number once passed on, for example "5000-K123456-24".
    police_case_number: Mapped[str | None] = mapped_column(String(20))
    #: The earlier report this one repeats, when its status is DUPLICATE.
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("report.id", ondelete="SET NULL")
    )
    duplicate_of: Mapped["Report | None"] = relationship(remote_side=[id])
    #: The contact person's own note; never shown to the person who reported.
    note: Mapped[str] = mapped_column(Text, default="")
    #: sha256 of the validated content: a repeat of the same client_id must match it.
    fingerprint: Mapped[str] = mapped_column(String(64))
    plates: Mapped[list["Plate"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Plate.id"
    )

    def __repr__(self):
        return f"<Report {self.reference}>"


def text_head(context):
    return context.get_current_parameters()["text"][:KNOWN_START]


class Plate(db.Model):
    __table_args__ = (
        # Every report of a plate, newest first, read from the index alone.
        Index("ix_plate_text_report_id", "text", "report_id"),
        # The known plates a partial one could be: those that begin as it does.
        Index("ix_plate_head_text_report_id", "head", "text", "report_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    report: Mapped[Report] = relationship(back_populates="plates")
    #: A key of plates.COUNTRIES, for example "SE" or "other".
    country: Mapped[str] = mapped_column(String(5))
    #: Upper case, without spaces or hyphens: "ABC123"; a partial plate has "?" for each
    #: character not read: "AB?12".
    text: Mapped[str] = mapped_column(String(10))
    #: The first characters of the text, which even a partial plate has known. The known
    #: plates a partial one could be are found by equality on them: a range of texts from
    #: "AB" would depend on the order in which the database's collation sorts them.
    head: Mapped[str] = mapped_column(String(KNOWN_START), default=text_head)
    #: The person was unsure or saw only part of it; the format was not checked.
    uncertain: Mapped[bool] = mapped_column(default=False)

    def __repr__(self):
        return f"<Plate {self.country} {self.text}>"


#: Which harbours' reports a contact person may read.
harbour_assignment = db.Table(
    "harbour_assignment",
    Column("account_id", ForeignKey("account.id", ondelete="CASCADE"), primary_key=True),
    Column("harbour_id", ForeignKey("harbour.id", ondelete="CASCADE"), primary_key=True),
)


class Account(UserMixin, db.Model):
    """A contact person or an administrator: the only people who read reports."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: In lower case, as the person logs in with it.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: argon2id, with its parameters and salt (see pwa/accounts.py).
    password_hash: Mapped[str] = mapped_column(String(200))
    #: The municipality's administrator: manages harbours and accounts, reads every report.
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: A deactivated account cannot log in, and its sessions end.
    active: Mapped[bool] = mapped_column(default=True)
    #: The language of the e-mails the account is sent.
    language: Mapped[str] = mapped_column(String(2), default="sv")
    #: Raised on a new password or deactivation: every session of the old value ends.
    session_version: Mapped[int] = mapped_column(default=1)
    #: Set when someone else chose the password (a new account, a password given by the
    #: administrator or the command line): the person must choose their own before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    harbours: Mapped[list[Harbour]] = relationship(
        secondary=harbour_assignment, order_by=Harbour.name
    )

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def __repr__(self):
        return f"<Account {self.email!r}>"


class AuditEvent(db.Model):
    """Who did what to which report, and when: every view and every change.

    It holds no personal data of a report, so it outlives the report it names.
    """

    __table_args__ = (
        Index("ix_audit_event_report_id_id", "report_id", "id"),
        # The administrator's log filtered by account or by action, newest first: without
        # these a rare kind of entry would be looked for through the whole log.
        Index("ix_audit_event_account_id_id", "account_id", "id"),
        Index("ix_audit_event_action_id", "action", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    account: Mapped[Account | None] = relationship()
    #: The account's e-mail address at the time, kept if the account is deleted.
    actor: Mapped[str] = mapped_column(String(254))
    #: What was done, for example "viewed", "status", "note", "exported", "deleted".
    action: Mapped[str] = mapped_column(String(30))
    #: Not a foreign key: the entry stays when the report is deleted.
    report_id: Mapped[int | None]
    #: What changed, without personal data: {"from": "received", "to": "under_review"}.
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class Promise(db.Model):
    """A citizen promise (medborgarlöfte) of the municipality and the police, for some years.

    The latest published one is shown as the current promise; the earlier ones stay readable
    in the archive. The texts are Markdown, rendered and sanitised when shown (promises.py).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The period, in whole years: 2024 and 2025 for "2024–2025"; equal for one year.
    first_year: Mapped[int]
    last_year: Mapped[int]
    text_sv: Mapped[str] = mapped_column(Text)
    #: Empty until translated: the Swedish text is then shown, marked as Swedish.
    text_en: Mapped[str] = mapped_column(Text, default="")
    #: Who signed it, as one line: "Signed by … and …".
    signatories_sv: Mapped[str] = mapped_column(String(300))
    signatories_en: Mapped[str] = mapped_column(String(300), default="")
    #: None while a draft, seen only by administrators.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    #: Changed by every save: the public pages' cache key reads it (promises.revision).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    def __repr__(self):
        return f"<Promise {self.first_year}–{self.last_year}>"


class ScheduledTask(db.Model):
    """When a daily task last ran, so that several app processes run it once between them."""

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AlertPriority(enum.StrEnum):
    #: Sent at once, whatever the hour: "a boat is being stolen at pontoon C now".
    URGENT = "urgent"
    #: Waits for the end of a phone's quiet hours: "thefts at the fuel jetty last night".
    INFORMATION = "information"


class Alert(db.Model):
    """A contact person's warning to the boat owners of a harbour, or the administrator's to all.

    It names no person and no registration number (the form says so and warns of a plate).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None: every harbour (only the administrator may write one).
    harbour_id: Mapped[int | None] = mapped_column(ForeignKey("harbour.id"), index=True)
    harbour: Mapped[Harbour | None] = relationship()
    title: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    #: The English version; empty, English readers get the Swedish text, marked as Swedish.
    title_en: Mapped[str] = mapped_column(String(80), default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[AlertPriority] = mapped_column(stored_as_text(AlertPriority))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    #: Shown until then; deleted the report retention period after it.
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    author_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    #: How many subscribed phones it was sent to, and how many push services accepted it.
    sent_to: Mapped[int] = mapped_column(default=0)
    accepted: Mapped[int] = mapped_column(default=0)


#: Which harbours' alerts a phone asked for.
subscription_harbour = db.Table(
    "subscription_harbour",
    Column(
        "subscription_id", ForeignKey("push_subscription.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("harbour_id", ForeignKey("harbour.id", ondelete="CASCADE"), primary_key=True),
)


class PushSubscription(db.Model):
    """A phone's browser that asked for alerts: its push address and keys, nothing of a person."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The push service's address for this browser (Mozilla's, Google's or Apple's).
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    #: The browser's public key and secret, with which each push is encrypted for it alone.
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(50))
    #: The language the alerts' notifications are written in.
    language: Mapped[str] = mapped_column(String(2), default="sv")
    #: Hours of the day (0–23, Swedish time) between which information alerts wait.
    quiet_from: Mapped[int | None]
    quiet_until: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    harbours: Mapped[list[Harbour]] = relationship(
        secondary=subscription_harbour, order_by=Harbour.name
    )

    def keys(self):
        """Return the subscription as the browser gave it, for sending."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushDelivery(db.Model):
    """A push still to be sent: the queue, kept in the database so that a restart loses none.

    A sender claims a row by moving due_at ahead, sends, and deletes it once a push service
    has answered for good; a row whose sender died is claimed again when due_at comes.
    """

    __table_args__ = (UniqueConstraint("alert_id", "subscription_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("push_subscription.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    #: Tries so far; each failure waits longer, and after the last the push is given up.
    attempts: Mapped[int] = mapped_column(default=0)


def init_app(app):
    # Every connection of every engine: the listener checks the driver itself.
    if not event.contains(Engine, "connect", configure_sqlite):
        event.listen(Engine, "connect", configure_sqlite)


def configure_sqlite(dbapi_connection, connection_record):
    """Let readers and a writer work at once (WAL), and make SQLite enforce foreign keys."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL syncs the log at each checkpoint rather than at each commit: a
    # commit is written to the log before it returns, so a killed process loses nothing,
    # and the database is never corrupted; only a power cut or a crash of the machine may
    # undo the last commits (https://www.sqlite.org/pragma.html#pragma_synchronous).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
