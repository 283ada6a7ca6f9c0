"""Settings, read from environment variables."""

import os
from pathlib import Path

from sqlalchemy.pool import StaticPool

ROOT = Path(__file__).resolve().parent.parent


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
    #: Planned defaults, shown on the privacy page: a report is deleted this many days after
    #: it is closed, and at the latest this many days after it was sent.
    REPORT_RETENTION_CLOSED_DAYS = int(os.environ.get("REPORT_RETENTION_CLOSED_DAYS", "30"))
    REPORT_RETENTION_MAX_DAYS = int(os.environ.get("REPORT_RETENTION_MAX_DAYS", "90"))


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
