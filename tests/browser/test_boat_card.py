"""The boat card, the stolen-boat screen and export/import in real Chromium."""

import json

import pytest
from playwright.sync_api import expect

from pwa.i18n import LANGUAGES
from tests.browser.helpers import axe_violations, wait_for_service_worker
from tests.browser.phone import png, stored, wait_until_ready

SOLVIND = {
    "name": "Solvind",
    "type": "Motorbåt",
    "make_model": "Buster XL",
    "colour": "Grå aluminium",
    "length": "5,8",
    "cin": "se-abc 12345 d404",
    "features": "Röd dekal på fören, lagad repa babord",
    "harbour": "Oxelösunds gästhamn",
    "berth": "B12",
    "insurer": "Sjöförsäkringar AB",
    "policy": "123-456",
}
YAMAHA = {
    "make": "Yamaha F40",
    "power": "40",
    "serial": "6BG-1012345",
    "marking": "dna",
    "marking_id": "DNA-4711",
    "tracker": "Boatraker, app på telefonen",
}
PHOTO = {"name": "boat.png", "mimeType": "image/png", "buffer": png(2000, 1000)}


def open_form(page):
    page.locator("[data-add-boat]").click()
    expect(page.locator("[data-boat-form]")).to_be_visible()


def fill_boat(page, boat, engines=(), photos=()):
    for name, value in boat.items():
        page.fill(f"#boat-{name}", value)
    while page.locator("[data-engine-fields]").count() < len(engines):
        page.locator("[data-add-engine]").click()
    while page.locator("[data-engine-fields]").count() > len(engines):
        page.locator("[data-engine-fields]").last.locator("[data-remove-engine]").click()
    for index, engine in enumerate(engines):
        fieldset = page.locator("[data-engine-fields]").nth(index)
        for name, value in engine.items():
            if name == "marking":
                fieldset.locator(f"[name={name}]").select_option(value)
            else:
                fieldset.locator(f"[name={name}]").fill(value)
    if photos:
        page.set_input_files("#boat-photos", files=list(photos))
        expect(page.locator("[data-photo-list] img")).to_have_count(
            sum(file["mimeType"].startswith("image/") for file in photos)
        )


def save(page):
    page.locator("[data-boat-form] button[type=submit]").click()


def add_boat(page, boat, engines=(), photos=()):
    open_form(page)
    fill_boat(page, boat, engines, photos)
    save(page)
    expect(page.locator("[data-boat-form]")).to_be_hidden()
    expect(page.locator("[data-boat-list] h3", has_text=boat["name"])).to_be_visible()


def boat_card(page, lang="sv"):
    page.goto(f"/{lang}/boat-card")
    wait_until_ready(page)


def test_create_edit_and_delete_several_boats_offline(context, page):
    boat_card(page)
    wait_for_service_worker(page)
    context.set_offline(True)
    page.reload()
    wait_until_ready(page)
    expect(page.locator("[data-no-boats]")).to_be_visible()
    open_form(page)
    expect(page.locator("[data-form-title]")).to_be_focused()
    expect(page.locator("[data-engine-fields]")).to_have_count(1)
    fill_boat(page, SOLVIND, [YAMAHA])
    save(page)
    expect(page.locator("[data-status]")).to_have_text("Båtkortet för Solvind är sparat.")
    expect(page.locator("[data-boat-list] h3", has_text="Solvind")).to_be_focused()
    add_boat(page, {"name": "Kajsa", "type": "Kanot"})

    boats = sorted(stored(page)["boats"], key=lambda boat: boat["created"])
    assert [boat["name"] for boat in boats] == ["Solvind", "Kajsa"]
    solvind = boats[0]
    assert solvind["cin"] == "SE-ABC12345D404"
    assert solvind["engines"] == [YAMAHA]
    assert {key: solvind[key] for key in SOLVIND if key != "cin"} == {
        key: value for key, value in SOLVIND.items() if key != "cin"
    }
    assert boats[1]["engines"] == []

    page.locator(f"[data-boat='{solvind['id']}'] [data-edit]").click()
    expect(page.locator("[data-form-title]")).to_have_text("Ändra båtkortet för Solvind")
    expect(page.locator("#boat-cin")).to_have_value("SE-ABC12345D404")
    expect(page.locator("[data-engine-fields] [name=serial]")).to_have_value("6BG-1012345")
    page.fill("#boat-colour", "Vit med blå rand")
    page.locator("[data-add-engine]").click()
    page.locator("[data-engine-fields]").nth(1).locator("[name=make]").fill("Honda BF2.3")
    save(page)
    expect(page.locator("[data-status]")).to_have_text("Båtkortet för Solvind är sparat.")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Radera Kajsa", exact=True).click()
    expect(page.locator("[data-status]")).to_have_text("Båtkortet för Kajsa är raderat.")
    page.reload()
    wait_until_ready(page)
    expect(page.locator("[data-boat-list] > li")).to_have_count(1)
    boats = stored(page)["boats"]
    assert len(boats) == 1
    assert boats[0]["id"] == solvind["id"] and boats[0]["created"] == solvind["created"]
    assert boats[0]["colour"] == "Vit med blå rand"
    assert [engine["make"] for engine in boats[0]["engines"]] == ["Yamaha F40", "Honda BF2.3"]


def test_a_mistyped_cin_and_too_long_fields_are_explained_and_what_was_typed_stays(page):
    boat_card(page, "en")
    open_form(page)
    typed = {"name": "S" * 61, "cin": "SE-ABC12345M4O4", "length": "five"}
    fill_boat(page, typed, [{"power": "40 hp"}])
    save(page)

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_count(4)
    expect(page.locator("#boat-name-error")).to_have_text(
        "At most 60 characters: you have written 61."
    )
    expect(page.locator("#boat-cin-error")).to_contain_text(
        "Character 11 is the month of production, a letter from A (January) to L (December),"
        " but you wrote “M”."
    )
    expect(page.locator("#boat-cin-error")).to_contain_text(
        "Characters 13–14 are the model year in two digits, such as 04, but you wrote “O4”."
    )
    expect(page.locator("#boat-length-error")).to_have_text("Write only a number, for example 5.8.")
    expect(page.locator("[data-engine-fields] .field-error").filter(has_text="5.8")).to_have_count(
        1
    )
    for name, value in typed.items():
        expect(page.locator(f"#boat-{name}")).to_have_value(value)
    cin = page.locator("#boat-cin")
    expect(cin).to_have_attribute("aria-invalid", "true")
    assert "boat-cin-error" in cin.get_attribute("aria-describedby").split()
    assert stored(page)["boats"] == []

    summary.get_by_role("link", name="Hull identification number (CIN)").click()
    expect(cin).to_be_focused()
    cin.fill("SE-ABC12345L404")
    expect(page.locator("#boat-cin-error")).to_be_hidden()
    assert "boat-cin-error" not in cin.get_attribute("aria-describedby").split()
    page.fill("#boat-name", "Sjöstjärnan")
    page.fill("#boat-length", "6.2")
    page.locator("[data-engine-fields] [name=power]").fill("40")
    save(page)
    expect(page.locator("[data-status]")).to_have_text("The boat card for Sjöstjärnan is saved.")
    assert stored(page)["boats"][0]["cin"] == "SE-ABC12345L404"


def test_photos_are_scaled_down_on_the_phone_before_they_are_stored(page):
    boat_card(page, "en")
    open_form(page)
    not_a_photo = {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}
    fill_boat(page, {"name": "Solvind"}, photos=[PHOTO, not_a_photo])
    expect(page.locator("#boat-photos-error")).to_have_text(
        "notes.txt could not be opened as a photo."
    )
    save(page)
    expect(page.locator("[data-status]")).to_have_text("The boat card for Solvind is saved.")
    photos = stored(page)["photos"]
    assert len(photos) == 1
    assert (photos[0]["width"], photos[0]["height"], photos[0]["type"]) == (1280, 640, "image/jpeg")
    assert photos[0]["data"].startswith("data:image/jpeg;base64,")
    assert len(photos[0]["data"]) < 200_000


def test_a_full_storage_is_told_and_the_form_keeps_what_was_typed(page):
    boat_card(page, "en")
    open_form(page)
    fill_boat(page, {"name": "Solvind", "cin": "SE-ABC12345D404"})
    page.evaluate(
        """() => {
            IDBObjectStore.prototype.put = function () {
                throw new DOMException("Quota exceeded", "QuotaExceededError");
            };
        }"""
    )
    save(page)
    expect(page.locator("[role=alert]")).to_contain_text("storage on this phone is full")
    expect(page.locator("[data-boat-form]")).to_be_visible()
    expect(page.locator("#boat-name")).to_have_value("Solvind")


def test_the_stolen_boat_screen_shows_what_was_entered_also_offline(context, page):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    boat_card(page)
    wait_for_service_worker(page)
    add_boat(page, SOLVIND, [YAMAHA], [PHOTO])
    add_boat(page, {"name": "Kajsa", "type": "Kanot", "colour": "Gul"})
    solvind = next(boat for boat in stored(page)["boats"] if boat["name"] == "Solvind")
    page.locator(f"[data-boat='{solvind['id']}'] [data-stolen]").click()
    page.wait_for_url(f"**/sv/stolen-boat#boat-{solvind['id']}")
    wait_until_ready(page)

    boat = page.locator("[data-stolen-boat]")
    expect(boat.locator("h3")).to_have_text("Solvind")
    expect(boat.locator("[data-value=cin]")).to_have_text("SE-ABC 12345 D4 04")
    expect(boat.locator("[data-engine] [data-value=serial]")).to_have_text("6BG-1012345")
    expect(boat.locator("[data-engine] [data-value=marking]")).to_have_text("DNA-märkning")
    expect(boat.locator("[data-value=insurer]")).to_have_text("Sjöförsäkringar AB")
    expect(boat.locator("img")).to_have_attribute("alt", "Foto 1 av Solvind")
    expect(page.locator("#stolen-boat-choice")).to_have_value(solvind["id"])
    expect(
        page.locator("a[href='https://polisen.se/utsatt-for-brott/polisanmalan/']")
    ).to_be_visible()

    page.get_by_role("button", name="Kopiera beskrivningen").click()
    expect(page.locator("[data-status]")).to_have_text(
        "Beskrivningen är kopierad. Klistra in den i ett meddelande, ett mejl eller polisanmälan."
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Stulen båt: Solvind\n")
    for line in ["Skrovnummer (CIN): SE-ABC 12345 D4 04", "Serienummer: 6BG-1012345",
                 "Märkning: DNA-märkning", "Motor 1", "Båtplats: B12"]:  # fmt: skip
        assert line in copied.splitlines(), line
    assert "Berth" not in copied and "Färg: Grå aluminium" in copied

    page.select_option("#stolen-boat-choice", label="Kajsa")
    expect(boat.locator("h3")).to_have_text("Kajsa")
    expect(boat.locator("[data-row=cin]")).to_be_hidden()
    expect(boat.locator("img")).to_have_count(0)

    context.set_offline(True)
    other = context.new_page()
    other.goto(f"/sv/stolen-boat#boat-{solvind['id']}")
    wait_until_ready(other)
    expect(other.locator("[data-stolen-boat] [data-value=cin]")).to_have_text("SE-ABC 12345 D4 04")

    other.emulate_media(media="print")
    expect(other.locator("[data-stolen-actions]")).to_be_hidden()
    expect(other.locator(".site-nav")).to_be_hidden()
    expect(other.locator("[data-stolen-boat] [data-value=cin]")).to_be_visible()


def test_where_the_browser_can_share_the_description_is_shared_with_the_photos(page):
    page.add_init_script(
        """navigator.share = async (data) => {
            const files = (data.files || []).length;
            window.shared = { title: data.title, text: data.text, files };
            document.body.dataset.shared = "yes";
        };
        navigator.canShare = () => true;"""
    )
    boat_card(page, "en")
    add_boat(page, SOLVIND, [YAMAHA], [PHOTO])
    page.goto("/en/stolen-boat")
    wait_until_ready(page)
    expect(page.get_by_role("button", name="Copy the description")).to_be_hidden()
    page.get_by_role("button", name="Share").click()
    page.locator("body[data-shared]").wait_for(state="attached")
    shared = page.evaluate("window.shared")
    assert shared["title"] == "Stolen boat: Solvind"
    assert "Hull identification number (CIN): SE-ABC 12345 D4 04" in shared["text"]
    assert shared["files"] == 1


def test_the_stolen_boat_screen_without_a_boat_card_points_to_one(page):
    page.goto("/en/stolen-boat")
    wait_until_ready(page)
    expect(page.locator("[data-no-boats]")).to_be_visible()
    expect(page.locator("[data-stolen-boat]")).to_be_hidden()
    expect(page.locator("a[href='tel:11414']").first).to_be_visible()


def fill_the_phone(page):
    page.goto("/en/checklist")
    wait_until_ready(page)
    page.locator("label[for='item-record-numbers']").click()
    page.fill("#own-winter-title", "Check the cover after storms")
    page.locator("#winter [data-add-own] button").click()
    expect(page.locator("#winter [data-own-items] li")).to_have_count(1)
    boat_card(page, "en")
    add_boat(page, SOLVIND, [YAMAHA], [PHOTO])
    add_boat(page, {"name": "Kajsa"})


def export(page, tmp_path):
    with page.expect_download() as download:
        page.locator("[data-export]").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def import_file(page, path):
    page.set_input_files("#import-file", str(path))
    page.locator("[data-import-button]").click()


def test_export_delete_everything_and_import_give_back_exactly_the_same_data(page, tmp_path):
    fill_the_phone(page)
    page.goto("/en/phone-data")
    wait_until_ready(page)
    expect(page.locator("[data-count=boats]")).to_have_text("2")
    expect(page.locator("[data-count=photos]")).to_have_text("1")
    expect(page.locator("[data-persisted]:visible, [data-not-persisted]:visible")).to_have_count(1)
    before = stored(page)

    path = export(page, tmp_path)
    assert path.name.startswith("batsamverkan-") and path.suffix == ".json"
    exported = json.loads(path.read_text())
    assert exported["format"] == "batsamverkan-oxelosund/phone-data"
    assert exported["version"] == 1
    expect(page.locator("[data-status]")).to_contain_text(path.name)

    page.locator("[data-delete-all]").click()
    confirmation = page.locator("[data-confirm-delete]")
    expect(confirmation).to_be_focused()
    confirmation.get_by_role("button", name="Cancel").click()
    expect(page.locator("[data-delete-all]")).to_be_focused()
    assert stored(page) == before
    page.locator("[data-delete-all]").click()
    confirmation.get_by_role("button", name="Yes, delete everything").click()
    expect(page.locator("[data-status]")).to_have_text("Everything is deleted from this phone.")
    expect(page.locator("[data-count=boats]")).to_have_text("0")
    assert stored(page) == {"checks": [], "ownItems": [], "boats": [], "photos": []}

    import_file(page, path)
    expect(page.locator("[data-status]")).to_have_text(
        "The file is imported: everything on this phone now comes from it."
    )
    expect(page.locator("[data-count=boats]")).to_have_text("2")
    assert stored(page) == before
    page.goto("/en/checklist")
    wait_until_ready(page)
    expect(page.locator("#item-record-numbers")).to_be_checked()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda text: "\x89PNG not json", "This file is not an export from Boat Watch Oxelösund."),
        (lambda text: json.dumps({"format": "another-app", "version": 1}), "not an export"),
        (lambda text: text.replace('"version":1', '"version":2'), "from a newer version"),
        (lambda text: text[: len(text) // 2], "The file is damaged or incomplete"),
        (lambda text: text.replace('"engines":[]', '"engines":"none"'), "damaged"),
        (lambda text: text.replace("base64,", "base64,!!"), "damaged"),
        (lambda text: text.replace('"ownItems":[{', '"ownItems":[7,{'), "damaged"),
    ],
)
def test_a_file_that_is_not_ours_newer_or_damaged_is_refused_and_nothing_changes(
    page, tmp_path, damage, message
):
    fill_the_phone(page)
    page.goto("/en/phone-data")
    wait_until_ready(page)
    path = export(page, tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(damage(path.read_text()))
    assert bad.read_text() != path.read_text()
    before = stored(page)

    import_file(page, bad)
    error = page.locator("#import-file-error")
    expect(error).to_contain_text(message)
    expect(error).to_contain_text("Nothing was changed.")
    expect(page.locator("#import-file")).to_be_focused()
    assert stored(page) == before


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_violations_on_the_filled_pages_and_with_errors(axe_page, lang):
    page = axe_page
    boat_card(page, lang)
    add_boat(page, SOLVIND, [YAMAHA], [PHOTO])
    page.locator("[data-boat-list] details summary").click()
    assert axe_violations(page) == [], "boat list"
    open_form(page)
    fill_boat(page, {"name": "x" * 70, "cin": "SE-ABC"}, [YAMAHA], [PHOTO])
    save(page)
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert axe_violations(page) == [], "form with errors"

    page.goto(f"/{lang}/stolen-boat")
    wait_until_ready(page)
    expect(page.locator("[data-stolen-boat]")).to_be_visible()
    assert axe_violations(page) == [], "stolen boat"

    page.goto(f"/{lang}/phone-data")
    wait_until_ready(page)
    page.locator("[data-import-button]").click()
    expect(page.locator("#import-file-error")).to_be_visible()
    page.locator("[data-delete-all]").click()
    assert axe_violations(page) == [], "phone data"
