"""What a phone keeps and shows with no connection, proven in Chromium, Firefox and WebKit.

"No connection" is a cut connection (tests/browser/network.py): the browser is not told it is
offline, so these flows take the same path in every engine, as at sea with a dead signal.
"""

import pytest

from pwa.shell import public_pages
from tests.browser.helpers import AXE


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


def test_a_new_release_replaces_the_cache_on_the_next_visit(live_app, phone, network):
    tab = phone.open("/sv/")
    tab.wait_for_service_worker()
    old = tab.run("return (await caches.keys()).filter((name) => name.startsWith('pages-'));")
    assert len(old) == 1
    live_app.config["APP_VERSION"] = "next-release"
    try:
        tab.goto("/sv/promise")
        tab.wait_until(
            "const names = await caches.keys();"
            " return names.includes('pages-next-release') && !names.includes(args[0]);",
            old[0],
        )
        tab.wait_until("return !document.getElementById('update-notice').hidden;")
        network.cut()
        tab.goto("/en/sspf")
        assert tab.run("return document.documentElement.lang;") == "en"
    finally:
        live_app.config["APP_VERSION"] = ""


READY = "[data-item]:not([disabled]), [data-add-boat]:not([hidden]), [data-no-boats]:not([hidden])"


def ready(tab, path):
    """Open `path` and wait until its script has opened the phone's storage."""
    tab.goto(path)
    tab.wait_until("return !!document.querySelector(args[0]);", READY)
    return tab


@pytest.mark.parametrize(("lang", "done"), [("sv", "av"), ("en", "of")])
def test_the_checklist_is_kept_across_a_reload_with_no_connection_and_in_a_new_tab(
    phone, network, lang, done
):
    tab = ready(phone.open(), f"/{lang}/checklist")
    tab.wait_for_service_worker()
    for item in ("record-numbers", "lock-trailer"):
        tab.click(f"label[for='item-{item}']")
        tab.wait_until("return document.getElementById(args[0]).checked;", f"item-{item}")
    tab.fill("#own-summer-title", "Byt batteri i spårsändaren")
    tab.click("#summer [data-add-own] button")
    tab.wait_for_text("#summer [data-own-items] label", "Byt batteri i spårsändaren")
    progress = tab.text("[data-total-progress]")
    assert progress.startswith(f"2 {done} ")

    def kept(tab):
        ready(tab, f"/{lang}/checklist")
        assert tab.run(
            "return ['item-record-numbers', 'item-lock-trailer', 'item-photograph']"
            ".map((id) => document.getElementById(id).checked);"
        ) == [True, True, False]
        assert tab.texts("#summer [data-own-items] label") == ["Byt batteri i spårsändaren"]
        assert tab.text("[data-total-progress]") == progress

    kept(tab)
    network.cut()
    kept(tab)
    kept(phone.open())


BOAT = {"name": "Solvind", "type": "Motorbåt", "colour": "Grå aluminium", "berth": "B12"}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_boat_card_is_kept_across_a_reload_with_no_connection_and_in_a_new_tab(
    phone, network, lang
):
    tab = ready(phone.open(), f"/{lang}/boat-card")
    tab.wait_for_service_worker()
    network.cut()
    ready(tab, f"/{lang}/boat-card")
    tab.click("[data-add-boat]")
    for name, value in BOAT.items():
        tab.fill(f"#boat-{name}", value)
    tab.click("[data-boat-form] button[type=submit]")
    tab.wait_for_text("[data-boat-list] h3", "Solvind")

    def kept(tab):
        ready(tab, f"/{lang}/boat-card")
        tab.wait_for_text("[data-boat-list] h3", "Solvind")
        assert tab.run("return document.querySelectorAll('[data-boat-list] > li').length;") == 1

    kept(tab)
    kept(phone.open())
    network.restore()
    kept(phone.open())


def axe_violations(tab):
    """Run axe-core in the page, put there by the driver as the page's own scripts cannot be."""
    tab.run(AXE.read_text(encoding="utf-8") + "\nwindow.axe = axe;")
    return tab.run(
        """const result = await axe.run(document, {
            runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
        });
        return result.violations.map((v) => [v.id, v.nodes.map((n) => n.target.join(" "))]);"""
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_axe_finds_nothing_on_the_phone_pages_in_every_engine(phone, network, lang):
    tab = phone.open()
    for path in ("/", "/report"):
        tab.goto(f"/{lang}{path}")
        assert axe_violations(tab) == [], path
    for path in ("/checklist", "/boat-card"):
        ready(tab, f"/{lang}{path}")
        assert axe_violations(tab) == [], path
    tab.goto(f"/{lang}/report")
    # The report form with a report waiting in the outbox.
    tab.wait_for_service_worker()
    network.cut()
    tab.choose("#harbour", "Femöresund")
    tab.click("#report-form button[type=submit]")
    tab.wait_for_count("#outbox-list > li", 1)
    assert axe_violations(tab) == []
