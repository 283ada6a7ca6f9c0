"""Error pages in the language of the address that was asked for."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError

from .rendering import json_error, render, wants_json

#: What to tell a person, by status code.
MESSAGES = {
    400: (
        _l("The request could not be read"),
        _l("What was sent did not arrive in a form we can read. Go back and try again."),
    ),
    404: (
        _l("Page not found"),
        _l("There is no page at this address. It may have moved, or the address may be mistyped."),
    ),
    405: (
        _l("This cannot be done here"),
        _l("The address does not accept this kind of request. Go back and try again."),
    ),
    413: (
        _l("Too much data"),
        _l(
            "What you sent was larger than we accept. "
            "Shorten the text or leave out attachments, then try again."
        ),
    ),
    500: (
        _l("Something went wrong"),
        _l("The error is ours, not yours. Try again in a while."),
    ),
}


#: A form's CSRF token has expired or its session has ended: it was open too long.
EXPIRED = (
    _l("The form had expired"),
    _l(
        "The form had been open too long, so nothing was saved. "
        "Go back, reload the page and send it again."
    ),
)


def init_app(app):
    # Flask hands an unhandled exception to the 500 handler, after logging it.
    for code in MESSAGES:
        app.register_error_handler(code, show_error)
    app.register_error_handler(429, show_too_many)
    app.register_error_handler(CSRFError, show_expired)
    app.register_error_handler(SecurityError, refuse_host)


def show_error(error):
    """Render the error page, or a JSON error for a JSON client, in the person's language."""
    title, message = MESSAGES[error.code]
    return answer(error.code, title, message)


def refuse_host(error):
    """Answer a request for a host this site is not (TRUSTED_HOSTS) in plain text, in both
    languages: no page can be made, as no address on this site can be built for that host."""
    return current_app.response_class(
        "Okänd adress: den här webbplatsen har en annan.\n"
        "Unknown address: this site has another.\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def show_expired(error):
    """Say that a form was open too long, rather than that the request could not be read."""
    return answer(400, *EXPIRED)


def show_too_many(error):
    """Say that the limit was reached and when to try again."""
    seconds = retry_after_seconds(error)
    minutes = max(1, round(seconds / 60))
    message = ngettext(
        "You have sent many requests in a short time. Try again in %(num)s minute.",
        "You have sent many requests in a short time. Try again in %(num)s minutes.",
        minutes,
    )
    response = answer(429, _("Please wait a moment"), message)
    response.headers["Retry-After"] = str(seconds)
    return response


def answer(status, title, message):
    if wants_json():
        return json_error(status, message)
    return render("errors/error.html", status=status, title=title, message=message)


def retry_after_seconds(error):
    """Return how long until the limit that was reached lets posts through again."""
    return getattr(error, "retry_after", None) or 60
