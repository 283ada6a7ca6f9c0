"""What a phone keeps and shows with no connection, proven in Chromium, Firefox and WebKit.

"No connection" is a cut connection (tests/browser/network.py): the browser is not told it is
offline, so these flows take the same path in every engine, as at sea with a dead signal.
"""

import pytest

from pwa.shell import public_pages


@pytest.fixture(scope="module")
def pages(live_app):
    with live_app.test_request_context():
        return public_pages()


def test_after_one_visit_every_public_page_opens_with_no_connection(phone, network, pages):
    tab = phone.open("/sv/")
    tab.wait_for_service_worker()
    network.cut()
    for path in pages:
        tab.goto(path)
        seen = tab.run(
            """return {
                lang: document.documentElement.lang,
                title: document.title,
                h1: document.querySelector("h1")?.textContent.trim(),
                text: document.querySelector("main")?.textContent.trim().length,
                call112: !!document.querySelector('a[href="tel:112"]'),
            };"""
        )
        assert seen["lang"] == path.split("/")[1], path
        assert " – " in seen["title"], path
        assert seen["h1"], path
        assert seen["text"] > 40, path
        assert seen["call112"], path
    # Both languages were read, including pages never opened. An address that was never
    # cached shows the offline page in its own language.
    for lang, offline in [("sv", "Du är offline"), ("en", "You are offline")]:
        tab.goto(f"/{lang}/not-cached")
        assert tab.run("return document.documentElement.lang;") == lang
        assert tab.text("h1") == offline
