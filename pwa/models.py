"""The stored data: harbours, reports of observations and the plates they name."""

import enum
import sqlite3
import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


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


def utc_now():
    return datetime.now(UTC)


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


class Report(db.Model):
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
        Enum(
            ReportStatus,
            native_enum=False,
            length=20,
            values_callable=lambda statuses: [status.value for status in statuses],
        ),
        default=ReportStatus.RECEIVED,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    #: sha256 of the validated content: a repeat of the same client_id must match it.
    fingerprint: Mapped[str] = mapped_column(String(64))
    plates: Mapped[list["Plate"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Plate.id"
    )

    def __repr__(self):
        return f"<Report {self.reference}>"


class Plate(db.Model):
    __table_args__ = (Index("ix_plate_text_country", "text", "country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    report: Mapped[Report] = relationship(back_populates="plates")
    #: A key of plates.COUNTRIES, for example "SE" or "other".
    country: Mapped[str] = mapped_column(String(5))
    #: Upper case, without spaces or hyphens: "ABC123".
    text: Mapped[str] = mapped_column(String(10))
    #: The person was unsure or saw only part of it; the format was not checked.
    uncertain: Mapped[bool] = mapped_column(default=False)

    def __repr__(self):
        return f"<Plate {self.country} {self.text}>"


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
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
