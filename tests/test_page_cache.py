"""Public pages rendered and compressed once, answered with ETags, and what is kept out."""

import gzip
import re

import brotli
import pytest

from pwa.extensions import db
from pwa.models import Harbour
from tests.staff import KIM, log_in

BR = {"Accept-Encoding": "br"}
#: Headers that differ between any two answers, or between two compressions of one page.
UNSTABLE = {"Date", "Content-Length", "ETag"}


def decoded(response):
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    return response.data


def headers(response, leave_out=frozenset({"Date"})):
    """Return the response's headers as a sorted list, every Set-Cookie kept (without its
    Expires, a date to the second, which two requests a moment apart may give differently)."""
    return sorted(
        (name, re.sub(r"Expires=[^;]*; ", "", value) if name == "Set-Cookie" else value)
        for name, value in response.headers
        if name not in leave_out
    )


@pytest.mark.parametrize("path", ["/sv/", "/en/promise", "/sv/checklist", "/en/privacy"])
def test_a_second_request_gets_the_same_bytes_and_headers(app, path):
    first = app.test_client().get(path, headers=BR)
    second = app.test_client().get(path, headers=BR)

    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert headers(first) == headers(second)
    assert first.headers["Content-Encoding"] == "br"
    assert first.headers["ETag"].endswith('-br"')


@pytest.mark.parametrize("cookie", [None, "sv", "en"])
def test_a_cached_page_has_every_header_an_uncached_one_has(app, monkeypatch, cookie):
    """The security headers, Vary and the `lang` cookie are as without the cache."""

    def get():
        client = app.test_client()
        if cookie:
            client.set_cookie("lang", cookie)
        return client.get("/sv/promise", headers=BR)

    get()
    cached = get()
    view = app.view_functions["public.promise"]
    monkeypatch.setitem(app.view_functions, "public.promise", view.__wrapped__)
    uncached = get()

    assert headers(cached, UNSTABLE) == headers(uncached, UNSTABLE)
    assert ("Set-Cookie" in cached.headers) == (cookie != "sv")
    assert cached.headers["Vary"] == "HX-Request, Accept-Encoding, Cookie"
    assert "ETag" not in uncached.headers
    assert decoded(cached) == decoded(uncached)


def test_a_matching_etag_gets_a_304_with_the_headers_of_the_200(app):
    page = app.test_client().get("/sv/promise", headers=BR)

    again = app.test_client().get(
        "/sv/promise", headers={**BR, "If-None-Match": page.headers["ETag"]}
    )

    assert again.status_code == 304
    assert again.data == b""
    body_headers = UNSTABLE | {"Content-Type", "Content-Encoding"}
    assert headers(again, body_headers) == headers(page, body_headers)
    assert again.headers["ETag"] == page.headers["ETag"]


def test_each_encoding_is_a_representation_of_its_own(client):
    answers = {
        encoding: client.get("/sv/promise", headers={"Accept-Encoding": encoding})
        for encoding in ("br", "gzip", "identity")
    }

    assert len({answer.headers["ETag"] for answer in answers.values()}) == 3
    assert len({decoded(answer) for answer in answers.values()}) == 1
    assert "Content-Encoding" not in answers["identity"].headers
    # An ETag of one encoding does not revalidate another.
    brotli_etag = answers["br"].headers["ETag"]
    other = client.get(
        "/sv/promise", headers={"Accept-Encoding": "gzip", "If-None-Match": brotli_etag}
    )
    assert other.status_code == 200


def test_swedish_and_english_are_different_pages(client):
    swedish = client.get("/sv/promise", headers=BR)
    english = client.get("/en/promise", headers=BR)

    assert swedish.headers["ETag"] != english.headers["ETag"]
    assert b'lang="sv"' in decoded(swedish)
    assert b'lang="en"' in decoded(english)


def test_a_new_release_renders_the_pages_again(app, client):
    app.config["APP_VERSION"] = "1"
    before = client.get("/en/privacy", headers=BR)
    # Settings come with a release: without a new one the page stays as it was.
    app.config["REPORT_RETENTION_CLOSED_DAYS"] = 45
    unchanged = client.get("/en/privacy", headers=BR)
    app.config["APP_VERSION"] = "2"
    released = client.get("/en/privacy", headers=BR)

    assert unchanged.headers["ETag"] == before.headers["ETag"]
    assert released.headers["ETag"] != before.headers["ETag"]
    assert b"45 days" in decoded(released)
    assert b"45 days" not in decoded(before)


def test_a_query_is_not_answered_from_the_cache(client):
    """The language links keep the query, so the page is not everyone's."""
    page = client.get("/sv/promise?from=qr", headers=BR)

    assert "ETag" not in page.headers
    assert b"/en/promise?from=qr" in decoded(page)
    assert b"?from=qr" not in decoded(client.get("/sv/promise", headers=BR))


def test_a_logged_in_person_is_neither_answered_from_nor_stored_in_the_cache(app, client, staff):
    client.get("/sv/promise", headers=BR)
    log_in(client, KIM)
    kept = dict(app.extensions["shared_pages"])

    page = client.get("/sv/promise", headers=BR)
    home = client.get("/sv/", headers=BR)

    assert page.status_code == home.status_code == 200
    assert "ETag" not in page.headers and "ETag" not in home.headers
    assert app.extensions["shared_pages"] == kept


def client_id(page):
    return re.search(rb'name="client_id" id="client_id" value="([^"]+)"', decoded(page))[1]


def test_the_report_form_is_never_shared(app, client, harbour):
    """Each load carries a new identity for the report, which a browser without JavaScript
    sends as it is: a shared copy, or a 304, would give two reports one identity."""
    first = client.get("/sv/report", headers=BR)
    second = client.get("/sv/report", headers=BR)

    assert client_id(first) != client_id(second)
    assert "ETag" not in first.headers and "ETag" not in second.headers


def test_the_report_form_shows_a_renamed_or_new_harbour_at_once(app, client, harbour):
    client.get("/sv/report")
    with app.app_context():
        db.session.get(Harbour, harbour).name = "Gästhamnen"
        db.session.add(Harbour(name="Femöresund"))
        db.session.commit()

    page = decoded(client.get("/sv/report", headers=BR)).decode()

    assert "Gästhamnen" in page and "Femöresund" in page
    assert "Oxelösunds gästhamn" not in page
