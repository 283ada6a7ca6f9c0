"""One way to answer with HTML: the whole page, or for htmx only the fragment it asked for."""

from flask import make_response, render_template
from htmx_flask import request


def render(template, fragment=None, status=200, **context):
    """Render `template`, or only `fragment` for an htmx request that swaps part of a page.

    A boosted request or a history restore wants the whole page, and caches must keep the
    two answers apart, hence `Vary: HX-Request`.
    """
    wants_fragment = (
        fragment
        and request.htmx
        and not request.htmx.boosted
        and not request.htmx.history_restore_request
    )
    response = make_response(
        render_template(fragment if wants_fragment else template, **context), status
    )
    response.vary.add("HX-Request")
    return response


def wants_json():
    """Tell whether the client asked for JSON (the outbox does) rather than a page."""
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return best == "application/json"
