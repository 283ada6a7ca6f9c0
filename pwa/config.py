"""Settings, read from environment variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.pool import StaticPool

ROOT = Path(__file__).resolve().parent.parent


def flag(name, default):
    """Read a yes/no setting: 1, true, yes or on is yes."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def names(name, default=""):
    """Read a comma-separated setting as a tuple of its names, without blanks."""
    return tuple(part.strip() for part in os.environ.get(name, default).split(",") if part.strip())


class Config:
    #: A laptop or a demonstration (`make run` sets it): without SECRET_KEY a key of its own is
    #: kept under instance/, and PUBLIC_URL defaults to the local address. Anywhere else the
    #: app refuses to start without both.
    DEVELOPMENT = flag("DEVELOPMENT", False)
    #: Signs the session, CSRF and device tokens: at least 32 random characters.
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    #: SQLite under instance/ by default; PostgreSQL through DATABASE_URL.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "")
    #: A release identifier (for example the commit) to name the offline cache; by default
    #: a hash of the files that make the pages, so every change reaches the phones.
    APP_VERSION = os.environ.get("APP_VERSION", "")
    #: Trust X-Forwarded-Proto/-For from this many proxies (for HTTPS behind nginx). Never
    #: X-Forwarded-Host: the proxy passes the Host it checked, and links use PUBLIC_URL.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    #: Host names answered besides PUBLIC_URL's, comma-separated; any other Host gets 400.
    EXTRA_HOSTS = names("EXTRA_HOSTS")

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
    #: Redis, for example redis://localhost:6379/0, for several processes or machines: the
    #: sessions are kept there, and the rate limits too unless RATELIMIT_STORAGE_URI says
    #: otherwise. Without it the sessions are files under instance/sessions/ (one machine).
    REDIS_URL = os.environ.get("REDIS_URL", "")
    #: Where the rate limits are counted (pwa/rate_limits.py): memory:// suits one process;
    #: with several gunicorn workers use a shared store, for example redis://localhost:6379.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    #: Report posts per client address. Loose enough for an outbox that sends 20 queued
    #: reports at once; over it, a repeat of a stored report still gets its receipt.
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
    #: The lägesbild's anonymous counts (per day, harbour, category and hour; no report, plate
    #: or text) are kept this many years, then deleted month by month with the daily deletion.
    STATISTICS_RETENTION_YEARS = int(os.environ.get("STATISTICS_RETENTION_YEARS", "10"))
    #: Whether each process deletes old reports daily; off in the tests unless one asks.
    PURGE_SCHEDULED = flag("PURGE_SCHEDULED", True)
    #: A session of a contact person ends after this long without a request ...
    PERMANENT_SESSION_LIFETIME = timedelta(
        minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
    )
    #: ... and this long after logging in, however active.
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    #: The sessions' keys in Redis start with this.
    SESSION_KEY_PREFIX = "batsamverkan:session:"
    #: The folder of the sessions' files without Redis; by default instance/sessions/.
    SESSION_DIRECTORY = ""
    #: Log-in attempts per client address, and per e-mail address from browsers that have not
    #: logged in to it before; a browser that has counts on its own (see docs/security.md).
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour")
    LOGIN_EMAIL_RATE_LIMIT = os.environ.get("LOGIN_EMAIL_RATE_LIMIT", "10 per hour")
    #: Tries of one's current password to change it, per account.
    PASSWORD_CHECK_RATE_LIMIT = os.environ.get("PASSWORD_CHECK_RATE_LIMIT", "5 per 15 minutes")
    #: How passwords are hashed: argon2id with one of argon2-cffi's named profiles. The
    #: RFC 9106 low-memory one (64 MiB, 3 passes) is what OWASP recommends.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"
    #: How often each process asks whether the daily deletion of old reports is due.
    PURGE_CHECK_SECONDS = int(os.environ.get("PURGE_CHECK_SECONDS", "3600"))
    #: How long a process serves a public page that shows the promise or the harbours without
    #: asking the database whether they changed: a change made in another process shows within
    #: this time (rendering.current_revision).
    PAGE_REVISION_SECONDS = float(os.environ.get("PAGE_REVISION_SECONDS", "1"))

    #: The mail server that tells contact persons of new reports; without one no mail is sent.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    #: TLS from the first byte (usually port 465), instead of STARTTLS.
    MAIL_USE_SSL = flag("MAIL_USE_SSL", False)
    #: STARTTLS, with the server's certificate checked: a server that does not offer it gets
    #: no mail. Only MAIL_USE_TLS=false sends in plain text.
    MAIL_USE_TLS = flag("MAIL_USE_TLS", not MAIL_USE_SSL)
    #: The sender, for example "Båtsamverkan Oxelösund <batsamverkan@example.org>".
    MAIL_FROM = os.environ.get("MAIL_FROM", "") or MAIL_USERNAME
    #: Seconds to wait for the mail server before giving up.
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))
    #: The site's address, for example https://batsamverkan.example.org: every link sent by
    #: e-mail starts with it, never with the Host a request named, and only its host (and
    #: EXTRA_HOSTS) is answered.
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
    #: The e-mail address of the municipality's data protection officer (dataskyddsombud), on
    #: the privacy page. By default the municipality's own address, which reaches the officer.
    DATA_PROTECTION_OFFICER = os.environ.get("DATA_PROTECTION_OFFICER", "kommun@oxelosund.se")
    #: The app's VAPID key, which every alert pushed to a phone is signed with: the raw P-256
    #: private key in base64url, as `flask alerts keys` prints it. Without one, alerts are
    #: shown on the Alerts page but not pushed. `make run` keeps one in instance/vapid_key.
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
    #: Whom the push services may contact about the app's pushes: a mailto: or https: URI.
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:kommun@oxelosund.se")
    #: The push services a phone's subscription may name, with the hosts under them: those of
    #: Chrome and the other Chromium browsers on Android (Google's FCM), Firefox (Mozilla),
    #: Safari (Apple) and Edge on Windows (Microsoft). The server posts each alert to the
    #: address a phone gave: any other host is refused, so that no one can make it post
    #: elsewhere. Comma-separated.
    PUSH_SERVICE_HOSTS = names(
        "PUSH_SERVICE_HOSTS",
        "fcm.googleapis.com,push.services.mozilla.com,push.apple.com,notify.windows.com",
    )
    #: Pushes sent at once by each serving process.
    PUSH_SENDERS = int(os.environ.get("PUSH_SENDERS", "8"))
    #: How often each serving process looks for pushes that have become due (after quiet
    #: hours, or to try again), in seconds; a new alert is sent at once.
    PUSH_CHECK_SECONDS = int(os.environ.get("PUSH_CHECK_SECONDS", "30"))


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
    #: Sessions in Redis when TEST_REDIS_URL is set, else in files; under keys or in a folder
    #: that tests/conftest.py gives each run.
    REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
    #: Hashing at 64 MiB for every account the tests make would take most of their time.
    PASSWORD_HASH_PROFILE = "CHEAPEST"
    #: The tests choose their own mail server and start the daily deletion themselves.
    MAIL_SERVER = ""
    MAIL_USERNAME = MAIL_PASSWORD = ""
    MAIL_USE_SSL = MAIL_USE_TLS = False
    MAIL_FROM = "batsamverkan@example.org"
    #: The test client's own address.
    PUBLIC_URL = "http://localhost"
    PURGE_SCHEDULED = False
    #: Pushes are sent by the tests themselves (delivery.deliver_due), not by a courier thread.
    PUSH_SENDERS = 0
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


#: Keys that have been published: never a key in production.
KNOWN_KEYS = {"dev-only-not-secret", "test", "secret", "changeme", "development"}
MIN_KEY_LENGTH = 32
DEVELOPMENT_URL = "http://127.0.0.1:5000"


class SettingsError(RuntimeError):
    """The app cannot run safely with these settings; the message says what to set."""


def complete(config, instance_path):
    """Fill in what development may leave out, or refuse settings unsafe in production.

    In production, TRUSTED_HOSTS is PUBLIC_URL's host and EXTRA_HOSTS: a request naming
    another Host gets 400 before any view runs. Over HTTPS the session cookie is __Host-.
    """
    if config["TESTING"]:
        return
    if config["DEVELOPMENT"]:
        config["SECRET_KEY"] = config["SECRET_KEY"] or local_key(
            Path(instance_path) / "secret_key", lambda: secrets.token_urlsafe(48)
        )
        if not config["VAPID_PRIVATE_KEY"]:
            from .alerts.push import new_private_key

            config["VAPID_PRIVATE_KEY"] = local_key(
                Path(instance_path) / "vapid_key", new_private_key
            )
        config["PUBLIC_URL"] = config["PUBLIC_URL"] or DEVELOPMENT_URL
        return
    problems = []
    key = config["SECRET_KEY"]
    if not key or key in KNOWN_KEYS or len(key) < MIN_KEY_LENGTH:
        problems.append(
            f"SECRET_KEY must be a secret of at least {MIN_KEY_LENGTH} random characters, such "
            "as: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    host = urlsplit(config["PUBLIC_URL"]).hostname
    if not host:
        problems.append(
            "PUBLIC_URL must be the site's address, e.g. https://batsamverkan.example.org"
        )
    if problems:
        raise SettingsError(
            "Refusing to start in production (set DEVELOPMENT=1 on a laptop):\n- "
            + "\n- ".join(problems)
        )
    config["TRUSTED_HOSTS"] = [host, *config["EXTRA_HOSTS"]]
    if config["PUBLIC_URL"].startswith("https://"):
        # The browser keeps a __Host- cookie for this host alone, takes it only over HTTPS
        # and from no other host, not even a subdomain (ASVS 3.4.4).
        config["SESSION_COOKIE_NAME"] = "__Host-session"
        config["SESSION_COOKIE_SECURE"] = True


def local_key(path, make):
    """Return a development key kept in a file under instance/, made by `make` on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(make())
    return path.read_text().strip()
