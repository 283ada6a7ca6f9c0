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


def is_same_origin():
    """Tell whether a post may come from this site: refuse only a browser that says it does not.

    For the anonymous posts of the public pages (a report, a phone's subscription to alerts).
    No session-bound CSRF token: it has expired when an outbox sends a report hours later,
    and it would need a session cookie on every public page. Browsers say where a post
    comes from: Sec-Fetch-Site in current ones, and Origin on every cross-origin post in all
    of them since about 2020; neither can be forged by another site's page. A client that
    sends neither (curl, a script) is not a browser carrying someone's cookies: an anonymous
    report has no ambient authority to borrow, so it may post as anyone may.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("Origin")
    if origin is not None:
        return is_this_site(origin)
    return True


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
