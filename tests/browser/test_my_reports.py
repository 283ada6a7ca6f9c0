"""The reference code is not lost: the receipt copies and shares it, and "My reports" on the
phone keeps every report sent from it, online or from the outbox, until the person deletes it.

The phone tests run in Chromium, Firefox and WebKit, as tests/browser/test_phone_outbox.py.
"""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import Account, Harbour, Report
from tests.browser.helpers import axe_violations
from tests.browser.test_phone_outbox import (
    ITEMS,
    fill_in,
    fresh_limits,  # noqa: F401 (autouse: each test's reports counted alone)
    open_form,
    queue,
    send,
    wait_for_receipt,
)
from tests.staff import ADMIN, PASSWORD

ENTRIES = "#my-reports-list > li"
CODE = "7K3M9QX2PB"
RECEIVED = {
    "sv": "Tack: din rapport har tagits emot",
    "en": "Thank you: your report has been received",
}
CONTACT_PERSON = {
    "sv": "Den har gått till kontaktombudet för Femöresund",
    "en": "It has gone to the contact person for Femöresund",
}


def references(live_app):
    with live_app.app_context():
        return db.session.scalars(select(Report.reference).order_by(Report.id)).all()


def test_my_reports_keeps_reports_sent_online_and_from_the_outbox_until_deleted(
    live_app, phone, network
):
    tab = open_form(phone, "sv")
    assert tab.run("return document.getElementById('my-reports').hidden;") is False
    tab.wait_for_text("#my-reports-empty", "Ingen rapport har skickats från den här telefonen")

    fill_in(tab, "Två personer bar en utombordsmotor till en skåpbil.")
    send(tab)
    online = wait_for_receipt(tab, "sv")
    tab.wait_for_text("[data-readers]", "Den har gått till kontaktombudet för Femöresund")
    # Copying always; sharing only where the browser has Web Share.
    can_share = tab.run("return typeof navigator.share === 'function';")
    assert tab.run("return document.querySelector('[data-keep-code]').hidden;") is False
    assert tab.run("return document.querySelector('[data-share]').hidden;") is not can_share
    # Where the engine will not write the clipboard, the code is selected to copy by hand.
    tab.click("[data-copy]")
    said = tab.wait_until("return document.querySelector('[data-keep-code-status]').textContent;")
    assert said in (
        "Referenskoden är kopierad.",
        "Det gick inte att kopiera här. Markera koden och kopiera den själv.",
    )
    if said != "Referenskoden är kopierad.":
        assert tab.run("return getSelection().toString().trim();") == online

    # A report waits in the outbox while its harbour loses its last contact person: it is
    # stored all the same, and the phone is told that the administrator reads it.
    tab.goto("/sv/report")
    network.cut()
    queue(tab, "sv", "En jolle drev loss från brygga C.")
    with live_app.app_context():
        db.session.execute(update(Account).values(active=False))
        db.session.commit()
    network.restore()
    # Delivered: it leaves the outbox, and My reports is the one list of what was sent.
    tab.wait_for_count(ITEMS, 0)
    tab.wait_for_count(ENTRIES, 2)
    assert references(live_app)[0] == online
    queued = references(live_app)[1]
    newest, oldest = tab.texts(ENTRIES)
    assert queued in newest and "Femöresund har inget kontaktombud just nu" in newest
    assert "kommunens administratör läser den" in newest
    assert online in oldest and "kontaktombudet för Femöresund" in oldest
    assert "Skickad" in newest and "Skickad" in oldest
    posted = "return [...document.querySelectorAll(args[0])].map((input) => input.value);"
    assert tab.run(posted, f"{ENTRIES} input[name=code]") == [queued, online]

    # With no connection, the page from the worker's cache still lists them, and a code can
    # be deleted from the phone.
    network.cut()
    tab.goto("/sv/report")
    tab.wait_for_count(ENTRIES, 2)
    tab.click(f"{ENTRIES}:nth-child(1) button[data-forget]")
    tab.wait_for_count(ENTRIES, 1)
    tab.wait_for_text("#my-reports-announcement", f"Koden {queued} är borttagen från telefonen")
    network.restore()
    tab.reload()
    tab.wait_for_count(ENTRIES, 1)
    assert online in tab.text(ENTRIES)
    # Its status is looked up by posting the code: no address holds it.
    tab.click(f"{ENTRIES} button[type=submit]")
    tab.wait_for_text("main dd.reference", online)
    assert tab.run("return location.pathname + location.search + location.hash;") == "/sv/status"


#: The outbox's database as a release before this one left it (schema version 2): a report
#: delivered stayed in the outbox as "sent", with its code, beside one still waiting.
OLD_OUTBOX = """const [sent, waiting] = args;
const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("batsamverkan-outbox", 2);
    request.onupgradeneeded = () => {
        request.result.createObjectStore("reports", { keyPath: "clientId" });
        request.result.createObjectStore("mine", { keyPath: "reference" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
});
const tx = db.transaction(["reports"], "readwrite");
tx.objectStore("reports").put(sent);
tx.objectStore("reports").put(waiting);
await new Promise((resolve) => { tx.oncomplete = resolve; });
db.close();"""
QUEUED_AT = 1_780_000_000_000
OLD_SENT = {
    "clientId": "6b1c5f0e-0000-4000-8000-000000000001",
    "lang": "sv",
    "queuedAt": QUEUED_AT,
    "state": "sent",
    "sentAt": QUEUED_AT + 60_000,
    "reference": CODE,
}
OLD_WAITING = {
    "clientId": "6b1c5f0e-0000-4000-8000-000000000002",
    "url": "/sv/report",
    "lang": "sv",
    "body": "",
    "summary": {"harbour": "Femöresund", "categories": ["En båt"], "plate": ""},
    "queuedAt": QUEUED_AT,
    "state": "attention",
    "attempts": 1,
    "status": 422,
}


def test_a_phone_upgraded_from_the_old_outbox_keeps_the_codes_it_was_sent(phone):
    """The first visit after the upgrade moves each "sent" entry's code into My reports, and
    leaves the outbox with only what still waits."""
    # An address of the site that runs no script, so that nothing opens the database first.
    tab = phone.open("/robots.txt")
    tab.run(OLD_OUTBOX, OLD_SENT, OLD_WAITING)
    tab.goto("/sv/report")
    tab.wait_for_count(ENTRIES, 1)
    assert CODE in tab.text(ENTRIES)
    tab.wait_for_count(ITEMS, 1)
    assert "Femöresund · En båt" in tab.text(ITEMS)
    assert tab.text("#outbox-count") == "1 rapport väntar på att skickas."


#: Whether My reports on the phone holds the code `reference`, within five seconds.
KEPT = """async (reference) => {
    for (let tries = 0; tries < 100; tries += 1) {
        const entries = await globalThis.outbox.mine();
        if (entries.some((entry) => entry.reference === reference)) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
}"""


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_report_posted_before_the_scripts_ran_is_kept_in_my_reports(live_app, page, lang):
    """On a slow connection the person may send before the form's scripts have loaded: the
    browser posts the form itself, and the server answers with the receipt page, whose script
    then keeps the code in My reports."""
    page.goto(f"/{lang}/report")
    page.locator("#harbour").select_option(label="Femöresund")
    page.locator("#categories-boat").check()
    page.locator("#what_happened").fill("A dinghy without a name, tied to the fuel pier.")
    # A native submission: htmx, which would send it otherwise, never sees it.
    page.evaluate("document.getElementById('report-form').submit()")
    expect(page.locator("h1")).to_have_text(RECEIVED[lang])
    [reference] = references(live_app)
    expect(page.locator("dd.reference")).to_have_text(reference)
    # The receipt page's script keeps it on the phone while the person reads the page.
    page.wait_for_function("() => globalThis.outbox !== undefined")
    assert page.evaluate(KEPT, reference), "the receipt was not kept on the phone"
    page.goto(f"/{lang}/report")
    expect(page.locator(ENTRIES)).to_have_count(1)
    expect(page.locator(ENTRIES).first).to_contain_text(reference)
    expect(page.locator(ENTRIES).first).to_contain_text(CONTACT_PERSON[lang])


def test_the_receipt_copies_the_code(context, page):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/en/report/receipt#{CODE}")
    page.get_by_role("button", name="Copy the code").click()
    expect(page.locator("[data-keep-code-status]")).to_have_text("The reference code is copied.")
    assert page.evaluate("navigator.clipboard.readText()") == CODE
    if page.evaluate("typeof navigator.share") != "function":
        expect(page.locator("[data-share]")).to_be_hidden()


def test_the_receipt_shares_the_code_where_the_browser_can(context, page):
    page.add_init_script("navigator.share = async (data) => { window.shared = data; };")
    page.goto(f"/sv/report/receipt#{CODE}")
    page.get_by_role("button", name="Dela koden").click()
    shared = page.wait_for_function("window.shared").json_value()
    assert shared == {"text": f"Referenskoden för min rapport till Båtsamverkan Oxelösund: {CODE}"}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_receipt_and_my_reports_pass_axe(axe_page, lang):
    axe_page.goto(f"/{lang}/report/receipt#{CODE}")
    expect(axe_page.locator("[data-keep-code]")).to_be_visible()
    assert axe_violations(axe_page) == []
    axe_page.goto(f"/{lang}/report")
    expect(axe_page.locator("#my-reports")).to_be_visible()
    assert axe_violations(axe_page) == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_administrators_warning_passes_axe(axe_page, live_app, lang):
    with live_app.app_context():
        db.session.add(Harbour(name="Jogersö"))
        create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True)
        db.session.commit()
    axe_page.goto(f"/{lang}/login?next=/{lang}/inbox/")
    axe_page.locator("#email").fill(ADMIN)
    axe_page.locator("#password").fill(PASSWORD)
    axe_page.locator("#password").press("Enter")
    axe_page.wait_for_url(f"**/{lang}/inbox/")
    expect(axe_page.locator(".unread-harbours")).to_contain_text("Jogersö")
    assert axe_violations(axe_page) == []
