"""Settings, read from environment variables."""

import os
from datetime import timedelta
from pathlib import Path

from sqlalchemy.pool import StaticPool

ROOT = Path(__file__).resolve().parent.parent


def flag(name, default):
    """Read a yes/no setting: 1, true, yes or on is yes."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    #: Signs the session and CSRF tokens. Set it in production; the default only suits a laptop.
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    #: SQLite under instance/ by default; PostgreSQL through DATABASE_URL.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "")
    #: A release identifier (for example the commit) to name the offline cache; by default
    #: a hash of the files that make the pages, so every change reaches the phones.
    APP_VERSION = os.environ.get("APP_VERSION", "")
    #: Trust X-Forwarded-Proto/-For from this many proxies (for HTTPS behind nginx).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = 3600
    COMPRESS_MIMETYPES = (
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
    )
    COMPRESS_MIN_SIZE = 512
    #: Flask-Compress picks br, then gzip, by what the browser accepts.
    COMPRESS_ALGORITHM = ("br", "gzip")
    MAX_CONTENT_LENGTH = 64 * 1024
    #: Where Flask-Limiter counts requests: memory:// suits one process; with several
    #: gunicorn workers use a shared store, for example redis://localhost:6379.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    #: Reports per client address. Loose enough for an outbox that sends 20 queued reports at once.
    REPORT_RATE_LIMIT = os.environ.get("REPORT_RATE_LIMIT", "30 per minute; 100 per hour")
    #: Status look-ups per client address: enough for people, too few to guess codes.
    STATUS_RATE_LIMIT = os.environ.get("STATUS_RATE_LIMIT", "20 per minute; 200 per day")
    #: Shown on the privacy page: a report is deleted this many days after it is closed,
    #: discarded or marked a duplicate, and at the latest this many days after it was sent.
    REPORT_RETENTION_CLOSED_DAYS = int(os.environ.get("REPORT_RETENTION_CLOSED_DAYS", "30"))
    REPORT_RETENTION_MAX_DAYS = int(os.environ.get("REPORT_RETENTION_MAX_DAYS", "90"))
    #: The audit log (who read and changed which report) is kept this many days: long
    #: enough to follow up access a year on, not for ever, as it names the staff.
    AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "365"))
    #: Whether each process deletes old reports daily; off in the tests unless one asks.
    PURGE_SCHEDULED = flag("PURGE_SCHEDULED", True)
    #: A session of a contact person ends after this long without a request ...
    PERMANENT_SESSION_LIFETIME = timedelta(
        minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
    )
    #: ... and this long after logging in, however active.
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    #: Log-in attempts per client address, and failed ones per e-mail address.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour")
    LOGIN_EMAIL_RATE_LIMIT = os.environ.get("LOGIN_EMAIL_RATE_LIMIT", "10 per hour")
    #: How passwords are hashed: argon2id with one of argon2-cffi's named profiles. The
    #: RFC 9106 low-memory one (64 MiB, 3 passes) is what OWASP recommends.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"
    #: How often each process asks whether the daily deletion of old reports is due.
    PURGE_CHECK_SECONDS = int(os.environ.get("PURGE_CHECK_SECONDS", "3600"))

    #: The mail server that tells contact persons of new reports; without one no mail is sent.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    #: TLS from the first byte (usually port 465), instead of STARTTLS.
    MAIL_USE_SSL = flag("MAIL_USE_SSL", False)
    #: STARTTLS: by default whenever a password is sent.
    MAIL_USE_TLS = flag("MAIL_USE_TLS", bool(MAIL_USERNAME) and not MAIL_USE_SSL)
    #: The sender, for example "Båtsamverkan Oxelösund <batsamverkan@example.org>".
    MAIL_FROM = os.environ.get("MAIL_FROM", "") or MAIL_USERNAME
    #: Seconds to wait for the mail server before giving up.
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))
    #: The site's address in links sent by e-mail, for example https://batsamverkan.example.org;
    #: by default the address the report was sent to.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")
    #: How often an open inbox asks for new reports, in seconds.
    INBOX_POLL_SECONDS = int(os.environ.get("INBOX_POLL_SECONDS", "20"))
    #: Seconds a report's post waits for an answer, from the form and from the phone's outbox,
    #: before the report waits in the outbox to be tried again.
    OUTBOX_TIMEOUT_SECONDS = int(os.environ.get("OUTBOX_TIMEOUT_SECONDS", "15"))
    #: Seconds the outbox waits, each ±20 % at random, after a try that made no connection:
    #: the server saw nothing, so this need not grow, and a page finds a connection that came
    #: back without the browser's `online` event this soon.
    OUTBOX_NETWORK_RETRY_SECONDS = int(os.environ.get("OUTBOX_NETWORK_RETRY_SECONDS", "10"))
    #: Seconds the outbox waits after the server's first, second … failure (no answer in time,
    #: 5xx, 429 without Retry-After), each ±20 % at random; the last one repeats for ever.
    #: Comma-separated in the environment.
    OUTBOX_BACK_OFF_SECONDS = tuple(
        int(seconds)
        for seconds in os.environ.get(
            "OUTBOX_BACK_OFF_SECONDS", "5, 10, 30, 60, 120, 300, 600, 900"
        ).split(",")
    )
    #: Where to report a security problem, in /.well-known/security.txt (RFC 9116): a mailto:
    #: or https: URI. By default the municipality's address, as on the contact page.
    SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "mailto:kommun@oxelosund.se")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    #: One shared connection, so that an in-memory SQLite database is the same in every thread.
    SQLALCHEMY_ENGINE_OPTIONS = (
        {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        if SQLALCHEMY_DATABASE_URI == "sqlite://"
        else {}
    )
    RATELIMIT_STORAGE_URI = "memory://"
    #: Hashing at 64 MiB for every account the tests make would take most of their time.
    PASSWORD_HASH_PROFILE = "CHEAPEST"
    #: The tests choose their own mail server and start the daily deletion themselves.
    MAIL_SERVER = ""
    MAIL_USERNAME = MAIL_PASSWORD = ""
    MAIL_USE_SSL = MAIL_USE_TLS = False
    MAIL_FROM = "batsamverkan@example.org"
    PUBLIC_URL = ""
    PURGE_SCHEDULED = False
    #: New reports appear in an open inbox within a second.
    INBOX_POLL_SECONDS = 1
    #: Long enough for any answer of the test server on a busy machine, short enough to wait
    #: out in a test of a post that is never answered.
    OUTBOX_TIMEOUT_SECONDS = 3
    #: A first retry soon, but not before the service worker's Background Sync, which the
    #: browser tests expect to send first.
    OUTBOX_BACK_OFF_SECONDS = (2, 3, 5, 10)
    #: As soon, for the same reason.
    OUTBOX_NETWORK_RETRY_SECONDS = 2
