"""One way to answer with HTML: the whole page, or for htmx only the fragment it asked for."""

import functools
import hashlib
import math
import time

from flask import current_app, has_app_context, jsonify, make_response, render_template
from htmx_flask import request
from sqlalchemy import event
from werkzeug.http import quote_etag

from .assets import ENCODINGS, compress
from .extensions import db
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
    returns what the data's state is, from the database: the page is rendered again when it
    changes. Each process reads it at most once every PAGE_REVISION_SECONDS (see
    `current_revision`).

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
        key = (version(), current_revision(revision), request.path, encoding)
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


def init_app(app):
    # One session for every app of the process (the tests make many): listen once.
    if not event.contains(db.session, "after_commit", forget_revisions):
        event.listen(db.session, "after_commit", forget_revisions)


def current_revision(revision):
    """Return `revision()`, read from the database at most once every PAGE_REVISION_SECONDS
    in this process: a change made in another process shows within that time, one made in
    this one at once (forget_revisions). Every visit would otherwise wait for the database,
    which costs a cached page more than all else it does."""
    if revision is None:
        return None
    known = current_app.extensions.setdefault("revisions", {})
    now = time.monotonic()
    value, read_at = known.get(revision, (None, -math.inf))
    if now - read_at >= current_app.config["PAGE_REVISION_SECONDS"]:
        value = revision()
        known[revision] = (value, now)
    return value


def forget_revisions(session=None):
    """Read every revision again at the next request: this process has committed a change,
    perhaps to what a shared page shows (called after every commit)."""
    if has_app_context():
        current_app.extensions.get("revisions", {}).clear()


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
