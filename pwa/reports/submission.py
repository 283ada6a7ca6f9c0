"""Reports of observations: the time rules, and storing each report exactly once."""

import hashlib
import json
import re
import secrets
import uuid
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, select

from ..extensions import db
from ..models import INSERTS, Plate, Report, ReportStatus

#: A phone's clock may be a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
MAX_AGE = timedelta(days=30)
CATEGORIES = {
    "vehicle": _l("A vehicle"),
    "boat": _l("A boat"),
    "person": _l("Person or people"),
    "activity": _l("Activity"),
    "damage": _l("Damage"),
    "other": _l("Something else"),
}
#: Crockford's base32: no I, L, O or U, so a code read aloud or retyped is not misread.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 10
REFERENCE_PATTERN = re.compile(f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}")
#: 10 × 5 = 50 random bits: a clash is improbable, and retried when it happens.
REFERENCE_ATTEMPTS = 3


@dataclass(frozen=True)
class PlateEntry:
    country: str
    text: str
    uncertain: bool


@dataclass(frozen=True)
class Observation:
    """The validated content of a report."""

    harbour_id: int
    place: str
    observed_at: datetime
    categories: tuple[str, ...]
    plates: tuple[PlateEntry, ...]
    vehicle: str
    direction: str
    what_happened: str
    latitude: float | None
    longitude: float | None
    phone: str | None

    def fingerprint(self):
        """Hash the content written one canonical way: the fields by name, the time in UTC,
        the categories sorted and the plates as objects (what dataclasses.asdict gave, which
        the stored fingerprints were made with, without its deep copies)."""
        content = {field.name: getattr(self, field.name) for field in fields(self)}
        content["observed_at"] = self.observed_at.astimezone(UTC).isoformat()
        content["categories"] = sorted(self.categories)
        content["plates"] = [plate.__dict__ for plate in self.plates]
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Stored:
    """The report under this client_id, and whether this call stored it."""

    report_id: int
    reference: str
    status: ReportStatus
    created: bool

    @property
    def report(self):
        return db.session.get(Report, self.report_id)


@dataclass(frozen=True)
class Conflict:
    """Another report was stored earlier under this client_id."""

    report: Report


def time_problem(observed_at, now=None):
    """Return why a moment cannot be the time of an observation, or None."""
    now = now or datetime.now(UTC)
    if observed_at > now + CLOCK_SKEW:
        return _l("The time cannot be in the future.")
    if observed_at < now - MAX_AGE:
        return _l("The time cannot be more than 30 days ago.")
    return None


def new_reference():
    """Return a short, unguessable reference code: a random byte for each character, modulo
    the 32 letters, which divide 256, so that every letter is as likely."""
    letters = len(REFERENCE_ALPHABET)
    return "".join(
        REFERENCE_ALPHABET[byte % letters] for byte in secrets.token_bytes(REFERENCE_LENGTH)
    )


def normalise_reference(text):
    """Read a reference code as typed: any case, spaces or hyphens, O for 0 and I or L for 1."""
    cleaned = "".join(text.split()).replace("-", "").upper()
    return cleaned.translate(str.maketrans("OIL", "011"))


def find_report(reference):
    """Return the report with this reference code, or None."""
    reference = normalise_reference(reference)
    # Anything else cannot be a code, and need not reach the database (which refuses NUL).
    if not REFERENCE_PATTERN.fullmatch(reference):
        return None
    return db.session.scalar(select(Report).filter_by(reference=reference))


def submit_report(client_id: uuid.UUID, observation: Observation):
    """Store a report once per client_id; return Stored (new or a repeat) or Conflict.

    The insert comes first: almost every report is new, and the unique index on client_id
    decides even between requests that race. An insert it refuses does nothing (ON CONFLICT
    DO NOTHING), and only then is the stored report looked up. One statement for the report
    and one for its plates, without loading either back.
    """
    fingerprint = observation.fingerprint()
    for _attempt in range(REFERENCE_ATTEMPTS):
        reference = new_reference()
        connection = db.session.connection()
        report_id = connection.scalar(
            report_insert(connection.dialect.name),
            report_values(client_id, reference, observation, fingerprint),
        )
        if report_id is None:
            existing = report_of(client_id)
            if existing is not None:
                return compare(existing, observation)
            # Another report has this reference code: draw another.
            continue
        if observation.plates:
            connection.execute(
                insert(Plate.__table__),
                [
                    {
                        "report_id": report_id,
                        "country": plate.country,
                        "text": plate.text,
                        "uncertain": plate.uncertain,
                    }
                    for plate in observation.plates
                ],
            )
        return Stored(report_id, reference, ReportStatus.RECEIVED, created=True)
    raise RuntimeError("Could not find a free reference code")


@cache
def report_insert(dialect):
    """Return the insert of a report that a taken client_id or reference code makes do
    nothing, returning its id: made once, with the report as its parameters."""
    table = Report.__table__
    return INSERTS[dialect](table).on_conflict_do_nothing().returning(table.c.id)


def report_of(client_id):
    return db.session.scalar(select(Report).filter_by(client_id=client_id))


#: The id of the report stored under a client_id, if any.
STORED = select(Report.__table__.c.id).where(Report.__table__.c.client_id == bindparam("client_id"))


def is_stored(client_id):
    """Tell whether a report is stored under this client_id: a statement made once, run on the
    session's connection without the ORM's work."""
    return db.session.connection().scalar(STORED, {"client_id": client_id}) is not None


def compare(existing, observation):
    if existing.fingerprint == observation.fingerprint():
        return Stored(existing.id, existing.reference, existing.status, created=False)
    return Conflict(existing)


def report_values(client_id, reference, observation, fingerprint):
    return {
        "client_id": client_id,
        "reference": reference,
        "harbour_id": observation.harbour_id,
        "place": observation.place,
        "observed_at": observation.observed_at,
        "categories": sorted(observation.categories),
        "vehicle": observation.vehicle,
        "direction": observation.direction,
        "what_happened": observation.what_happened,
        "latitude": observation.latitude,
        "longitude": observation.longitude,
        "phone": observation.phone,
        "fingerprint": fingerprint,
    }
