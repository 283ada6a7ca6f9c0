"""Error pages in the language of the address that was asked for."""

from flask_babel import lazy_gettext as _l

from .rendering import render

#: What to tell a person, by status code.
MESSAGES = {
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


def init_app(app):
    # Flask hands an unhandled exception to the 500 handler, after logging it.
    for code in MESSAGES:
        app.register_error_handler(code, show_error)


def show_error(error):
    """Render the error page in the person's language."""
    title, message = MESSAGES[error.code]
    return render("errors/error.html", status=error.code, title=title, message=message)
