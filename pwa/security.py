"""Security headers on every response."""

from urllib.parse import urlsplit

from flask import request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}
TWO_YEARS = 2 * 365 * 24 * 3600


def init_app(app):
    app.after_request(add_security_headers)


def is_this_site(address):
    """Tell whether an Origin or Referer names this site (scheme, host and port)."""
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}" == request.host_url.rstrip("/")


def no_store(response):
    """Keep a page out of every browser and proxy cache: it holds personal data."""
    response.headers["Cache-Control"] = "no-store"
    return response


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = f"max-age={TWO_YEARS}; includeSubDomains"
    return response
