"""The layout on a phone: what is on the first screen, the menu, the dark theme, installing,
and no page wider than a 320 px screen."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import Account, Harbour, Report
from pwa.shell import public_pages
from tests.browser.helpers import axe_violations, wider_than
from tests.browser.test_admin import log_in
from tests.staff import ADMIN, KIM, PASSWORD, add_report

PHONE = {"width": 360, "height": 740}
#: A harbour name of 100 characters without a space, put straight into the database as a
#: form that checked names less strictly could have let through.
LONG_NAME = "Hamn" + "x" * 92 + "vik"
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)
MENU = {"sv": "Meny", "en": "Menu"}
ADD_PLATE = {"sv": "Lägg till ett registreringsnummer", "en": "Add a registration number"}


@pytest.fixture
def phone_context(browser, live_server):
    """Chromium as a 360 × 740 phone; no service worker, so that every page is the server's."""
    context = browser.new_context(base_url=live_server, viewport=PHONE, service_workers="block")
    yield context
    context.close()


def bottom(page, selector):
    return page.locator(selector).first.evaluate("(e) => e.getBoundingClientRect().bottom")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_call_box_and_the_first_field_are_on_a_phones_first_screen(phone_context, lang):
    page = phone_context.new_page()
    page.goto(f"/{lang}/report")
    assert bottom(page, ".site-header") <= 120
    assert bottom(page, ".police a[href='tel:112']") <= 120
    assert bottom(page, ".police a[href='tel:11414']") <= 120
    assert bottom(page, ".right-now") <= PHONE["height"]
    assert bottom(page, "#harbour") <= PHONE["height"]
    expect(page.locator("[data-plate-row]")).to_have_count(1)
    # No page scrolls sideways, and the menu's list waits behind its button.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.get_by_role("navigation", name=re.compile("Huvudmeny|Main menu"))).to_be_hidden()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_police_numbers_are_at_the_top_of_every_public_page(live_app, phone_context, lang):
    with live_app.test_request_context():
        paths = [path for path in public_pages() if path.startswith(f"/{lang}/")]
    page = phone_context.new_page()
    for path in paths:
        page.goto(path)
        assert bottom(page, ".police a[href='tel:112']") <= 120, path
        assert bottom(page, ".police a[href='tel:11414']") <= 120, path
        assert bottom(page, ".site-header") <= 120, path


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_menu_opens_from_the_keyboard_and_its_links_follow_by_tab(phone_context, lang):
    page = phone_context.new_page()
    page.goto(f"/{lang}/report")
    summary = page.locator(".menu > summary")
    expect(summary).to_have_accessible_name(MENU[lang])
    nav = page.locator("nav.site-nav")
    links = nav.get_by_role("link")
    expect(links.first).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(links.first).to_be_visible()
    for index in range(links.count()):
        page.keyboard.press("Tab")
        expect(links.nth(index)).to_be_focused()
    # The page's own link says so.
    expect(nav.locator("[aria-current=page]")).to_have_attribute("href", f"/{lang}/report")
    summary.focus()
    page.keyboard.press("Space")
    expect(links.first).to_be_hidden()
    page.keyboard.press("Space")
    expect(links.first).to_be_visible()


def test_the_menu_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sv/")
    contact = page.locator("nav.site-nav").get_by_role("link", name="Kontakt")
    expect(contact).to_be_hidden()
    page.locator(".menu > summary").click()
    contact.click()
    page.wait_for_url("**/sv/contact")
    context.close()


def test_a_wide_screen_shows_the_menus_links_without_a_button(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto("/en/")
    expect(page.locator(".menu > summary")).to_be_hidden()
    page.locator("nav.site-nav").get_by_role("link", name="Checklist").click()
    page.wait_for_url("**/en/checklist")
    context.close()


def test_another_plate_row_is_added_and_takes_the_focus(phone_context):
    page = phone_context.new_page()
    page.goto("/en/report")
    rows = page.locator("[data-plate-row]")
    expect(rows).to_have_count(1)
    page.locator("#plates-0-text").fill("abc 123")
    page.get_by_role("button", name=ADD_PLATE["en"]).click()
    expect(rows).to_have_count(2)
    expect(page.locator("#plates-1-text")).to_be_focused()
    expect(rows.nth(1).locator("legend")).to_have_text("Registration number 2")
    # Enter in a field still sends the report (here: refused, as it lacks a description).
    with page.expect_response(re.compile(r"/en/report$")) as answer:
        page.locator("#place").press("Enter")
    assert answer.value.status == 422
    expect(rows).to_have_count(2)


def stored_plates(live_app):
    with live_app.app_context():
        report = db.session.scalars(select(Report)).one()
        return [plate.text for plate in report.plates]


def test_without_javascript_the_server_adds_the_plate_row(browser, live_server, live_app):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sv/report")
    rows = page.locator("[data-plate-row]")
    expect(rows).to_have_count(1)
    page.locator("#harbour").select_option(label="Femöresund")
    page.locator("#plates-0-text").fill("abc 123")
    page.get_by_role("button", name=ADD_PLATE["sv"]).click()
    # The same form as typed, a row more, its field focused; nothing checked or stored yet.
    expect(rows).to_have_count(2)
    expect(page.locator("#plates-1-text")).to_be_focused()
    expect(page.locator("#plates-0-text")).to_have_value("abc 123")
    expect(page.locator("#harbour option:checked")).to_have_text("Femöresund")
    expect(page.locator("#error-summary")).to_have_count(0)
    with live_app.app_context():
        assert db.session.scalars(select(Report)).all() == []
    page.keyboard.type("def 456")
    page.locator("#categories").check()
    page.locator("#what_happened").fill("Två bilar vid rampen.")
    page.get_by_role("button", name="Skicka rapporten").click()
    expect(page.locator(".reference")).to_be_visible()
    assert stored_plates(live_app) == ["ABC123", "DEF456"]
    context.close()


@pytest.fixture
def staff(live_app):
    """An administrator, a contact person of a harbour with a very long name, and a report
    there with a plate."""
    with live_app.app_context():
        harbour = Harbour(name=LONG_NAME, sort_order=3)
        db.session.add(harbour)
        db.session.flush()
        create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True, harbours=[harbour])
        create_account(KIM, "Kim" + "k" * 60, PASSWORD, harbours=[harbour])
        db.session.commit()
        report = add_report(harbour.id, plates=("ABC123",), place="P" * 100)
        account = db.session.scalar(select(Account.id).filter_by(email=KIM))
        return {"harbour_id": harbour.id, "account_id": account, "report_id": report.id}


def staff_pages(live_app, values):
    """Every page of the contact persons and the administrator, by the URL map."""
    with live_app.test_request_context():
        adapter = live_app.url_map.bind("localhost")
        return [
            adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})
            for rule in live_app.url_map.iter_rules()
            if rule.endpoint.split(".")[0] in ("inbox", "admin", "auth")
            and "GET" in rule.methods
            and rule.arguments <= values.keys()
        ]


def every_page(live_app, lang, values):
    with live_app.test_request_context():
        public = [path for path in public_pages() if path.startswith(f"/{lang}/")]
    return public + staff_pages(live_app, {**values, "lang": lang})


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_page_is_wider_than_a_320_px_phone(browser, live_server, live_app, staff, lang):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 320, "height": 640}, service_workers="block"
    )
    page = context.new_page()
    log_in(page, lang)
    paths = every_page(live_app, lang, staff)
    assert f"/{lang}/admin/harbours" in paths and f"/{lang}/inbox/{staff['report_id']}" in paths
    wide = wider_than(page, paths, 320)
    # The long name is on the pages, wrapped.
    page.goto(f"/{lang}/admin/harbours")
    expect(page.locator("main")).to_contain_text(LONG_NAME)
    assert wide == {}
    context.close()


def test_the_harbour_table_keeps_every_column_on_a_phone(browser, live_server, staff):
    context = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640})
    page = context.new_page()
    log_in(page, "en")
    page.goto("/en/admin/harbours")
    row = page.locator("tbody tr").filter(has_text="Femöresund")
    # Each value under its column's name, all within the screen.
    for label in ("In the report form", "Place in lists", "Contact persons"):
        cell = row.locator(f"td[data-label='{label}']")
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
        content = cell.evaluate("(e) => getComputedStyle(e, '::before').content")
        assert content == f'"{label}: "'
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_either_theme(browser, live_server, live_app, staff, scheme):
    context = browser.new_context(
        base_url=live_server,
        viewport=PHONE,
        color_scheme=scheme,
        bypass_csp=True,
        service_workers="block",
    )
    page = context.new_page()
    found = {}
    log_in(page, "sv")
    for lang in ("sv", "en"):
        for path in every_page(live_app, lang, staff):
            page.goto(path)
            found[path] = axe_violations(page)
        page.goto(f"/{lang}/report")
        page.locator(".menu > summary").click()
        found["open menu"] = axe_violations(page)
    # The theme is the one asked for: the page's ground is dark or light.
    ground = page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
    assert ground == {"light": "rgb(255, 255, 255)", "dark": "rgb(15, 27, 36)"}[scheme]
    assert {path: v for path, v in found.items() if v} == {}
    context.close()


def test_the_theme_colour_follows_the_theme(page):
    page.goto("/sv/")
    metas = page.locator("meta[name=theme-color]")
    expect(metas).to_have_count(2)
    assert {
        metas.nth(index).get_attribute("media"): metas.nth(index).get_attribute("content")
        for index in range(2)
    } == {"(prefers-color-scheme: light)": "#0a3a5a", "(prefers-color-scheme: dark)": "#0b1822"}
    for scheme, colour in [("light", "rgb(10, 58, 90)"), ("dark", "rgb(11, 24, 34)")]:
        page.emulate_media(color_scheme=scheme)
        assert (
            page.locator(".site-header").evaluate("(e) => getComputedStyle(e).backgroundColor")
            == colour
        )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_safari_on_an_iphone_explains_the_two_steps_until_dismissed(browser, live_server, lang):
    context = browser.new_context(base_url=live_server, viewport=PHONE, user_agent=IPHONE_SAFARI)
    page = context.new_page()
    page.goto(f"/{lang}/")
    help = page.locator("#install-help")
    expect(help).to_be_visible()
    expect(help.locator("ol li")).to_have_count(2)
    step = {"sv": "Lägg till på hemskärmen", "en": "Add to Home Screen"}[lang]
    expect(help).to_contain_text(step)
    expect(help.locator("[data-install-app]")).to_be_hidden()
    # After the page's own content, so that showing it moves nothing (as on the report form).
    assert page.locator("#install-help").evaluate("(e) => e === e.parentNode.lastElementChild")
    page.goto(f"/{lang}/report")
    assert page.locator("#install-help").evaluate(
        "(e) => !!(document.getElementById('report-form').compareDocumentPosition(e)"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    page.reload()
    expect(page.locator("#install-help")).to_be_visible()
    page.locator("#install-help [data-install-dismiss]").click()
    expect(page.locator("#install-help")).to_be_hidden()
    expect(page.locator("#main")).to_be_focused()
    for path in (f"/{lang}/report", f"/{lang}/", f"/{lang}/contact"):
        page.goto(path)
        page.reload()
        expect(page.locator("#install-help")).to_be_hidden()
    context.close()


def test_nothing_is_explained_once_installed_or_elsewhere(browser, live_server):
    installed = browser.new_context(base_url=live_server, user_agent=IPHONE_SAFARI)
    installed.add_init_script("Object.defineProperty(navigator, 'standalone', { value: true });")
    page = installed.new_page()
    page.goto("/en/")
    page.wait_for_function("() => document.readyState === 'complete'")
    expect(page.locator("#install-help")).to_be_hidden()
    installed.close()
    desktop = browser.new_context(base_url=live_server)
    page = desktop.new_page()
    page.goto("/en/")
    page.wait_for_function("() => document.readyState === 'complete'")
    expect(page.locator("#install-help")).to_be_hidden()
    desktop.close()


def test_a_browser_that_offers_to_install_gets_a_button_that_asks_it(page):
    page.goto("/en/")
    expect(page.locator("#install-help")).to_be_hidden()
    prevented = page.evaluate(
        """() => {
            const offer = new Event("beforeinstallprompt", { cancelable: true });
            window.prompted = 0;
            offer.prompt = async () => { window.prompted += 1; };
            offer.userChoice = Promise.resolve({ outcome: "accepted", platform: "web" });
            window.dispatchEvent(offer);
            return offer.defaultPrevented;
        }"""
    )
    assert prevented
    button = page.get_by_role("button", name="Install the app")
    expect(button).to_be_visible()
    expect(page.locator("#install-help ol")).to_be_hidden()
    button.click()
    expect(page.locator("#install-help")).to_be_hidden()
    assert page.evaluate("() => window.prompted") == 1


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_phones_first_screen_and_its_menu_in_every_engine(phone, lang):
    tab = phone.open()
    tab.resize(PHONE["width"], PHONE["height"])
    tab.goto(f"/{lang}/report")
    seen = tab.run(
        """const bottom = (selector) =>
            document.querySelector(selector).getBoundingClientRect().bottom;
        return {
            width: innerWidth,
            scrollWidth: document.documentElement.scrollWidth,
            header: bottom(".site-header"),
            call112: bottom(".police a[href='tel:112']"),
            rightNow: bottom(".right-now"),
            harbour: bottom("#harbour"),
            rows: document.querySelectorAll("[data-plate-row]").length,
            menuShown: document.querySelector("nav.site-nav a").checkVisibility(),
        };"""
    )
    # MiniBrowser's window keeps its toolbar whole: its page is at least 447 px wide.
    assert seen["width"] == PHONE["width"] or (phone.engine == "webkit" and seen["width"] < 450)
    assert seen["scrollWidth"] <= seen["width"]
    assert seen["header"] <= 120 and seen["call112"] <= 120
    assert seen["rightNow"] <= PHONE["height"] and seen["harbour"] <= PHONE["height"]
    assert seen["rows"] == 1
    assert not seen["menuShown"]
    # A tap on the button opens the menu, and the links lead on.
    tab.click(".menu > summary")
    assert tab.run("return document.querySelector('nav.site-nav a').checkVisibility();")
    tab.click(f"nav.site-nav a[href='/{lang}/contact']")
    tab.wait_until("return location.pathname === args[0];", f"/{lang}/contact")


def test_a_wide_screen_shows_the_menus_links_in_every_engine(phone):
    tab = phone.open()
    tab.resize(1280, 800)
    tab.goto("/en/")
    assert tab.run(
        """const visible = (selector) => document.querySelector(selector).checkVisibility();
        return [visible(".menu > summary"), visible("nav.site-nav a")];"""
    ) == [False, True]
