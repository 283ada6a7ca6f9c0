"""Settings, read from environment variables."""

import os
from pathlib import Path

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


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
