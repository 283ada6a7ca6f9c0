"""The checklist, boat card, stolen-boat and phone-data pages as the server renders them."""

import json
import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from pwa.config import ROOT
from pwa.i18n import LANGUAGES
from pwa.public import boat_card, checklist

PAGES = {
    "checklist": "js/checklist-page.js",
    "boat-card": "js/boat-card-page.js",
    "stolen-boat": "js/stolen-boat-page.js",
    "phone-data": "js/phone-data-page.js",
}


class Elements(HTMLParser):
    """Collect every element's attributes, by tag."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def all(self, tag=None, **wanted):
        return [
            attrs
            for found, attrs in self.found
            if tag in (None, found) and all(attrs.get(k) == v for k, v in wanted.items())
        ]


def page(client, lang, name):
    response = client.get(f"/{lang}/{name}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def texts(html):
    """Return the messages the page hands to its JavaScript."""
    found = {}
    for attrs in Elements(html).all("div"):
        if "data-texts" in attrs:
            found.update({k: v for k, v in attrs.items() if k not in ("data-texts", "hidden")})
    return found


@pytest.fixture(scope="module")
def swedish():
    """The Swedish catalogue: each English message and its Swedish translation."""
    with (ROOT / "translations/sv/LC_MESSAGES/messages.po").open("rb") as file:
        return {message.id: message.string for message in read_po(file) if message.id}


@pytest.mark.parametrize("name", PAGES)
def test_the_messages_for_javascript_are_translated(client, swedish, name):
    """The English page hands its script the catalogue's messages, the Swedish page theirs."""
    english, in_swedish = texts(page(client, "en", name)), texts(page(client, "sv", name))
    assert "data-storage-unavailable" in english and "data-storage-full" in english
    assert in_swedish.keys() == english.keys()
    for key, message in english.items():
        assert message in swedish, f"{key}: {message!r} is not a message of the code"
        assert in_swedish[key] == swedish[message], key
        assert sorted(re.findall(r"\{\w+\}", message)) == sorted(
            re.findall(r"\{\w+\}", in_swedish[key])
        ), key


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_each_page_loads_only_its_own_module_and_says_saving_needs_javascript(
    app, client, lang, name
):
    html = page(client, lang, name)
    with app.test_request_context():
        urls = {key: app.extensions["assets"].url(module) for key, module in PAGES.items()}
    assert f'<script type="module" src="{urls[name]}">' in html
    assert not [url for key, url in urls.items() if key != name and url in html]
    assert "<noscript>" in html
    assert 'role="alert"' in html


def test_the_home_page_loads_none_of_the_feature_modules(client):
    html = page(client, "sv", "")
    assert not [module for module in PAGES.values() if module.split("/")[1][:-3] in html]
    for name in ["checklist", "boat-card", "stolen-boat"]:
        assert f'href="/sv/{name}"' in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_menu_links_the_checklist_and_the_boat_card(client, lang):
    nav = page(client, lang, "contact").split('class="site-nav"')[1].split("</nav>")[0]
    assert f'href="/{lang}/checklist"' in nav
    assert f'href="/{lang}/boat-card"' in nav


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_checklist_page_lists_every_item_with_its_why(app, client, lang):
    html = page(client, lang, "checklist")
    elements = Elements(html)
    with app.test_request_context(f"/{lang}/checklist"):
        for item in checklist.ITEMS:
            box = elements.all("input", id=f"item-{item.id}")[0]
            assert box["data-item"] == item.id
            assert box["aria-describedby"] == f"why-{item.id}"
            assert "disabled" in box  # until the phone's storage has been opened
            assert str(item.title) in html
    for season in checklist.SEASONS:
        section = elements.all("section", id=season.id)[0]
        assert section["data-months"] == " ".join(map(str, season.months))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_boat_card_field_has_a_label_a_visible_limit_and_a_place_for_its_error(client, lang):
    html = page(client, lang, "boat-card")
    elements = Elements(html)
    for prefix, fields in [
        ("boat", boat_card.BOAT_FIELDS),
        ("engine-__N__", boat_card.ENGINE_FIELDS),
    ]:
        for field in fields:
            id = f"{prefix}-{field.name}"
            assert elements.all("label", **{"for": id}), id
            assert elements.all("p", id=f"{id}-error"), id
            control = next(attrs for attrs in elements.all() if attrs.get("id") == id)
            # No maxlength: the browser would cut off what was typed without a word.
            assert "maxlength" not in control
            if field.kind != "select":
                assert control["data-max-length"] == str(field.max_length)
                assert control["aria-describedby"] == f"{id}-hint"
                hint = html.split(f'id="{id}-hint">', 1)[1].split("</p>", 1)[0]
                assert str(field.max_length) in hint


def test_the_stolen_boat_page_gives_the_numbers_and_the_police_report_page(client):
    for lang in LANGUAGES:
        html = page(client, lang, "stolen-boat")
        main = html.split('<main id="main"', 1)[1]
        assert 'href="tel:112"' in main and 'href="tel:11414"' in main
        assert 'href="https://polisen.se/utsatt-for-brott/polisanmalan/"' in main


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_privacy_page_says_the_data_stays_on_the_phone(client, lang):
    html = page(client, lang, "privacy")
    assert f'href="/{lang}/phone-data"' in html
    assert {"sv": "skickas aldrig", "en": "never sent"}[lang] in html


def test_imported_modules_are_cached_for_offline_use_under_their_plain_names(client):
    source = client.get("/sw.js").get_data(as_text=True)
    precache = json.loads(source.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    for path in ["/sv/checklist", "/en/boat-card", "/sv/stolen-boat", "/en/phone-data"]:
        assert path in precache
    modules = ["database", "phone-data", "texts", "notices", "cin", "fields", "backup", "photos"]
    for module in modules:
        assert f"/static/js/{module}.js" in precache
    # The pages load their own module by its hashed name: that is the one to cache, once.
    for module in PAGES.values():
        assert f"/static/{module}" not in precache
        assert len([url for url in precache if url.startswith(f"/static/{module[:-3]}.")]) == 1
