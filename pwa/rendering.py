"""One way to answer with HTML: the whole page, or for htmx only the fragment it asked for."""

import functools
import hashlib

from flask import current_app, jsonify, make_response, render_template
from htmx_flask import request
from werkzeug.http import quote_etag

from .assets import ENCODINGS, compress
from .shell import version


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


#: What a view says about its page; the rest (length, encoding, ETag) is the cache's to say.
KEPT_HEADERS = ("Content-Type", "Vary")


def shared_page(view=None, *, revision=None):
    """Answer a page that is the same for everyone from the app's cache: rendered and
    compressed once per release, address (which holds the language) and encoding, with an
    ETag for each, so that a browser or the service worker revalidating it gets a 304.

    A page that shows data the administrator changes names a `revision`, a function that
    returns what the data's state is (cheaply, from the database at each request): the page
    is rendered again when it changes, in every process of the app.

    Only a request without a query and without a session cookie is answered from the cache or
    fills it: a query shows in the page's language links, and a logged-in person's page is
    theirs. The hooks that run after the view (security headers, `Vary: Accept-Encoding`, the
    `lang` cookie, a session's cookie) add to a cached page what they add to any other.
    """
    if view is None:
        return functools.partial(shared_page, revision=revision)

    @functools.wraps(view)
    def answer(**kwargs):
        if request.query_string or current_app.config["SESSION_COOKIE_NAME"] in request.cookies:
            return view(**kwargs)
        encoding = request.accept_encodings.best_match(ENCODINGS)
        pages = current_app.extensions.setdefault("shared_pages", {})
        key = (version(), revision() if revision else None, request.path, encoding)
        if key not in pages:
            response = view(**kwargs)
            if response.status_code != 200:
                return response
            pages[key] = SharedPage(response, encoding)
        response = pages[key].response()
        if "If-None-Match" in request.headers:
            response.make_conditional(request)
        return response

    return answer


class SharedPage:
    """A page as every visitor gets it in one encoding: its bytes and its headers."""

    def __init__(self, response, encoding):
        content = response.get_data()
        # As for static files (assets.py): the content's hash, and the encoding that makes it
        # another representation with other bytes.
        etag = hashlib.sha256(content).hexdigest()
        self.headers = [(name, value) for name, value in response.headers if name in KEPT_HEADERS]
        config = current_app.config
        if (
            encoding
            and response.mimetype in config["COMPRESS_MIMETYPES"]
            and len(content) >= config["COMPRESS_MIN_SIZE"]
        ):
            content = compress(content, encoding)
            etag = f"{etag}-{encoding}"
            self.headers.append(("Content-Encoding", encoding))
        self.headers.append(("ETag", quote_etag(etag)))
        self.content = content

    def response(self):
        return current_app.response_class(self.content, headers=self.headers)


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
