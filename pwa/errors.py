"""Error pages in the language of the page that was asked for."""

from .rendering import render


def init_app(app):
    app.register_error_handler(404, not_found)
    app.register_error_handler(413, too_large)


def not_found(error):
    return render("errors/404.html", status=404)


def too_large(error):
    return render("errors/413.html", status=413)
