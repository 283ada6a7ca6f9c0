import html
import re

import pytest
from babel.messages.pofile import read_po
from flask import url_for

from pwa import create_app
from pwa.config import ROOT, TestConfig
from pwa.shell import public_pages


def all_public_pages():
    app = create_app(TestConfig)
    with app.test_request_context():
        return public_pages()


PATHS = all_public_pages()


def swedish_catalogue():
    """Return the Swedish catalogue: each English message and its Swedish translation."""
    with (ROOT / "translations/sv/LC_MESSAGES/messages.po").open("rb") as file:
        return {message.id: message.string for message in read_po(file) if message.id}


def headings(client, path):
    """Return the parts of the page's title, and its main heading."""
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    title = html.unescape(re.search(r"<title>([^<]+)</title>", page).group(1))
    heading = html.unescape(re.search(r"<h1>([^<]+)</h1>", page).group(1))
    return [*title.split(" – "), heading]


def in_swedish(text, swedish):
    """Return the Swedish of an English text that is a message of the catalogue, its
    variables (as "Citizen promise %(period)s" has) filled in as in the English; None if none."""
    if text in swedish:
        return swedish[text]
    for message, translation in swedish.items():
        if "%(" not in message:
            continue
        parts = re.split(r"%\((\w+)\)s", message)
        pattern = "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
            for index, part in enumerate(parts)
        )
        found = re.fullmatch(pattern, text)
        if found:
            return translation % found.groupdict()
    return None


def test_every_public_page_is_in_english_and_in_swedish(client):
    """The English page shows the catalogue's messages; the Swedish one their translations."""
    swedish = swedish_catalogue()
    pages = {path.split("/", 2)[2] for path in PATHS}
    assert len(pages) >= 9
    for page in pages:
        english = headings(client, f"/en/{page}")
        assert english[-2] == "Boat Watch Oxelösund", page
        for message, translation in zip(english, headings(client, f"/sv/{page}"), strict=True):
            expected = in_swedish(message, swedish)
            assert expected, f"/en/{page}: {message!r} is not a message of the code"
            assert translation == expected != message, f"/sv/{page}: {translation!r}"


@pytest.mark.parametrize("path", PATHS)
def test_page_answers_in_its_language(client, path):
    lang = path.split("/")[1]
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert re.search(r"<title>[^<]+ – [^<]+</title>", html)
    assert re.search(r"<h1>[^<]+</h1>", html)
    assert 'href="tel:112"' in html
    assert 'href="tel:11414"' in html


@pytest.mark.parametrize("path", PATHS)
def test_language_switch_leads_to_the_same_page(client, path):
    lang = path.split("/")[1]
    other = "en" if lang == "sv" else "sv"
    html = client.get(path).get_data(as_text=True)
    twin = f"/{other}/" + path.split("/", 2)[2]
    assert f'class="language-switch" href="{twin}" hreflang="{other}"' in html
    assert f'hreflang="{other}" href="http://localhost{twin}"' in html
    assert f'hreflang="{lang}" href="http://localhost{path}"' in html


def test_titles_differ_between_languages(client):
    sv = client.get("/sv/promise").get_data(as_text=True)
    en = client.get("/en/promise").get_data(as_text=True)
    assert "<title>Medborgarlöfte" in sv
    assert "<title>Citizen promise" in en


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        (None, None, "/sv/"),
        (None, "en-GB,en;q=0.9", "/en/"),
        (None, "de-DE,de;q=0.9", "/sv/"),
        (None, "de;q=0.9,en;q=0.5,sv;q=0.8", "/sv/"),
        ("en", "sv-SE", "/en/"),
        ("sv", "en", "/sv/"),
        ("xx", "en", "/en/"),
    ],
)
def test_root_sends_to_saved_choice_else_accept_language_else_swedish(
    client, cookie, accept, expected
):
    if cookie:
        client.set_cookie("lang", cookie)
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert {"Cookie", "Accept-Language"} <= set(response.vary)


def test_reading_a_page_saves_its_language_for_the_next_visit(client):
    client.get("/en/contact", headers={"Accept-Language": "sv"})
    assert client.get("/", headers={"Accept-Language": "sv"}).headers["Location"] == "/en/"
    client.get("/sv/contact")
    assert client.get("/", headers={"Accept-Language": "en"}).headers["Location"] == "/sv/"


@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [
        ("/sv/does-not-exist", "sv", "Sidan finns inte"),
        ("/en/does-not-exist", "en", "Page not found"),
    ],
)
def test_not_found_page_speaks_the_language_of_the_address(client, path, lang, text):
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert text in html


def test_unknown_language_is_not_found(client):
    assert client.get("/de/").status_code == 404


def test_an_unexpected_error_gives_a_page_in_the_language_of_the_address(make_app):
    app = make_app()
    app.config["TESTING"] = False  # let the app handle it, as in production

    @app.get("/en/broken")
    def broken():
        raise RuntimeError("boom")

    response = app.test_client().get("/en/broken")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Something went wrong" in html
    assert "boom" not in html


def test_a_wrong_method_gets_a_page_not_a_crash(client):
    response = client.post("/sv/promise")
    assert response.status_code == 405
    assert '<html lang="sv">' in response.get_data(as_text=True)


def test_the_language_switch_keeps_the_query(client):
    page = client.get("/en/contact?from=poster").get_data(as_text=True)
    assert 'href="/sv/contact?from=poster"' in page


def test_no_language_switch_repeats_a_code_from_an_old_status_link(client):
    """The status page forgets a `?code=` before any link could repeat it."""
    response = client.get("/sv/status?code=4Z8R2W6N1T")
    assert (response.status_code, response.location) == (303, "/sv/status")
    page = client.get(response.location).get_data(as_text=True)
    assert 'href="/en/status"' in page and "4Z8R2W6N1T" not in page


def public_get_addresses(app):
    """Return every GET address of the public blueprints and the shell, in every language."""
    from pwa.i18n import LANGUAGES

    addresses = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            blueprint = rule.endpoint.split(".")[0]
            if blueprint not in ("public", "reports", "shell") or "GET" not in rule.methods:
                continue
            for lang in LANGUAGES if "lang" in rule.arguments else [None]:
                values = {name: "7K3M9QX2PB" for name in rule.arguments - {"lang"}}
                if lang:
                    values["lang"] = lang
                addresses.append(url_for(rule.endpoint, **values))
    return sorted(set(addresses))


def cookies_set(response):
    return {header.split("=", 1)[0] for header in response.headers.getlist("Set-Cookie")}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_language_is_remembered_for_a_page_opened_not_for_a_worker_s_fetch(app, lang):
    client = app.test_client()
    kept = client.get(f"/{lang}/promise", headers={"Sec-Fetch-Mode": "cors"})
    assert (kept.status_code, cookies_set(kept)) == (200, set())
    opened = client.get(f"/{lang}/promise", headers={"Sec-Fetch-Mode": "navigate"})
    assert cookies_set(opened) == {"lang"}
    assert client.get_cookie("lang").value == lang


def test_the_public_pages_set_no_cookie_but_the_language(app, harbour):
    """The privacy page says so: no session cookie, whatever a visitor reads or sends."""
    from tests.test_reports import form_data, json_body

    client = app.test_client()
    addresses = public_get_addresses(app)
    assert {"/sv/report", "/en/status", "/sv/privacy", "/sw.js"} <= set(addresses)
    found = {address: cookies_set(client.get(address)) for address in addresses}
    for lang in ("sv", "en"):
        found[f"POST /{lang}/report"] = cookies_set(
            client.post(
                f"/{lang}/report", data=form_data(harbour), headers={"Origin": "http://localhost"}
            )
        )
        found[f"POST /{lang}/report (JSON)"] = cookies_set(
            client.post(
                f"/{lang}/report", json=json_body(harbour), headers={"Accept": "application/json"}
            )
        )
        found[f"POST /{lang}/status"] = cookies_set(
            client.post(f"/{lang}/status", data={"code": "7K3M9QX2PB"})
        )
        found[f"GET /{lang}/status?code="] = cookies_set(
            client.get(f"/{lang}/status", query_string={"code": "7K3M9QX2PB"})
        )
    assert {address: names - {"lang"} for address, names in found.items() if names - {"lang"}} == {}
    assert client.get_cookie("session") is None
