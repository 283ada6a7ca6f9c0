"""One way to answer with HTML: the whole page, or for htmx only the fragment it asked for."""

from flask import jsonify, make_response, render_template
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


def json_answer(body, status):
    """Answer a JSON client; caches keep it apart from the page at the same address."""
    response = jsonify(body)
    response.status_code = status
    response.vary.add("Accept")
    return response


def json_error(status, message, **details):
    """Answer a JSON client's failed request, always in one shape.

    `error` says what went wrong in the person's language; `details` may add what a client
    acts on, such as `errors` (messages by field) or a new `client_id`.
    """
    return json_answer({"error": str(message), **details}, status)


def wants_json():
    """Tell whether the client asked for JSON (the outbox does) rather than a page."""
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return best == "application/json"
