"""The report form and endpoint through the Flask client, in both languages."""

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import event, func, select

from pwa.config import TestConfig
from pwa.extensions import db
from pwa.formatting import local_input_text
from pwa.models import Harbour, Plate, Report, ReportStatus

SAME_ORIGIN = {"Origin": "http://localhost"}
JSON = {**SAME_ORIGIN, "Accept": "application/json"}


def form_data(harbour_id, /, **changes):
    data = {
        "client_id": str(uuid.uuid4()),
        "harbour": str(harbour_id),
        "place": "Brygga C",
        "observed_at": local_input_text(datetime.now(UTC) - timedelta(hours=1)),
        "categories": ["boat", "person"],
        "plates-0-country": "SE",
        "plates-0-text": "abc 123",
        "plates-1-country": "NO",
        "plates-1-text": "ab-12345",
        "vehicle": "Vit Buster med blå kapell",
        "direction": "Mot Femöre",
        "what_happened": "Två personer bar en utombordsmotor till en bil.",
        "phone": "070-123 45 67",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def json_body(harbour_id, /, **changes):
    body = {
        "client_id": str(uuid.uuid4()),
        "harbour": harbour_id,
        "observed_at": local_input_text(datetime.now(UTC) - timedelta(minutes=10)),
        "categories": ["vehicle"],
        "plates": [{"country": "SE", "text": "ABC 12A", "uncertain": False}],
        "what_happened": "A van waited by the gate for an hour.",
        "latitude": 58.6652,
        "longitude": 17.1125,
    }
    body.update(changes)
    return body


def stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Report.id)))


def text(response):
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "title", "question"),
    [
        ("sv", "Rapportera en iakttagelse", "Händer något just nu?"),
        ("en", "Report an observation", "Is something happening right now?"),
    ],
)
def test_form_asks_first_whether_it_is_happening_now(client, harbour, lang, title, question):
    html = text(client.get(f"/{lang}/report"))
    assert title in html
    assert html.index(question) < html.index('href="tel:112"', html.index(question))
    assert html.index('class="call call-emergency call-large" href="tel:112"') < html.index("<form")
    assert "114 14" in html and "polisen.se" in html
    assert "Oxelösunds gästhamn" in html and "Badhusviken" not in html
    assert html.count('name="plates-') == 3  # one row: country, number, uncertain
    assert 'maxlength="2000"' in html
    assert 'name="client_id"' in html and "data-fresh" in html
    assert 'href="tel:112"' in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_without_javascript_another_plate_row_comes_back_with_what_was_typed(
    app, client, harbour, lang
):
    data = form_data(harbour, what_happened="", add_plate="1")
    answer = client.post(f"/{lang}/report", data=data, headers=SAME_ORIGIN)
    html = text(answer)
    # Nothing is checked or stored: the form as typed, a third row, its number focused.
    assert answer.status_code == 200
    assert 'id="error-summary"' not in html
    assert 'value="abc 123"' in html and 'value="ab-12345"' in html
    assert 'value="Brygga C"' in html and "data-fresh" not in html
    assert html.count('name="plates-') == 9
    assert re.search(r'id="plates-2-text" name="plates-2-text" value=""[^>]*autofocus', html)
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) == 0
    # At ten rows, no more: the button is hidden.
    rows = {f"plates-{index}-country": "SE" for index in range(10)}
    html = text(client.post(f"/{lang}/report", data={**data, **rows}, headers=SAME_ORIGIN))
    assert html.count('name="plates-') == 30
    assert re.search(r'<button type="submit"[^>]*id="add-plate"[^>]*\shidden', html)


def test_every_page_links_to_the_form(client):
    for path, link in [
        ("/sv/", "/sv/report"),
        ("/en/contact", "/en/report"),
        ("/en/nope", "/en/report"),
    ]:
        assert f'href="{link}"' in text(client.get(path))


def reference_on(page):
    """Return the reference code a receipt shows."""
    return page.split('class="reference">', 1)[1].split("<", 1)[0]


def test_a_report_is_stored_and_answered_with_its_receipt(app, client, harbour):
    data = form_data(harbour)
    response = client.post("/sv/report", data=data, headers=SAME_ORIGIN)
    # The receipt itself, not a redirect to an address with the code in it.
    assert response.status_code == 201
    assert "Location" not in response.headers
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert [(p.country, p.text, p.uncertain) for p in report.plates] == [
            ("SE", "ABC123", False),
            ("NO", "AB12345", False),
        ]
        assert report.categories == ["boat", "person"]
        assert report.status is ReportStatus.RECEIVED
        assert report.observed_at.tzinfo is not None
        assert len(report.reference) == 10
    receipt = text(response)
    assert reference_on(receipt) == report.reference
    assert "Tack: din rapport har tagits emot" in receipt
    assert "Mottagen" in receipt
    assert "utombordsmotor" not in receipt
    # The page the server fills in needs no script: it shows the receipt as it is.
    assert "data-receipt hidden" not in receipt and "data-no-receipt" not in receipt
    # Where scripts run on it (the form was sent before they had loaded), the phone keeps the
    # receipt in My reports, as the form's own receipt: the server's JSON, in the page.
    kept = re.search(r'<script type="application/json" id="receipt-data">(.*?)</script>', receipt)
    assert json.loads(kept[1]) == {
        "client_id": data["client_id"],
        "reference": report.reference,
        "status": "received",
        "status_url": "/sv/status",
        "harbour": "Oxelösunds gästhamn",
        "read_by": "contact_person",
    }


def test_local_swedish_time_is_stored_in_utc(app, client, harbour):
    summer = datetime.now(UTC) - timedelta(days=1)
    data = form_data(harbour, observed_at=local_input_text(summer))
    client.post("/en/report", data=data, headers=SAME_ORIGIN)
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert abs(report.observed_at - summer) < timedelta(minutes=1)


VALIDATION = [
    # (field changes, field id, Swedish message, English message)
    ({"harbour": ""}, "harbour", "Välj hamnen i listan.", "Choose the harbour from the list."),
    ({"harbour": "999"}, "harbour", "Välj hamnen i listan.", "Choose the harbour from the list."),
    (
        {"observed_at": ""},
        "observed_at",
        "Ange när du såg det.",
        "Give the time when you saw it.",
    ),
    (
        {"observed_at": "igår kväll"},
        "observed_at",
        "Skriv datum och tid, till exempel 2025-06-30 14:30.",
        "Write the date and time, for example 2025-06-30 14:30.",
    ),
    (
        {"observed_at": "2099-01-01T12:00"},
        "observed_at",
        "Tiden kan inte vara i framtiden.",
        "The time cannot be in the future.",
    ),
    (
        {"observed_at": "2020-01-01T12:00"},
        "observed_at",
        "Tiden kan inte vara mer än 30 dagar sedan.",
        "The time cannot be more than 30 days ago.",
    ),
    (
        {"categories": []},
        "categories",
        "Välj minst en sak som du såg.",
        "Choose at least one thing that you saw.",
    ),
    ({"categories": ["ufo"]}, "categories", "Välj i listan.", "Choose from the list."),
    (
        {"what_happened": "  "},
        "what_happened",
        "Beskriv vad som hände.",
        "Describe what happened.",
    ),
    (
        {"what_happened": "x" * 2001},
        "what_happened",
        "Skriv högst 2000 tecken (nu 2001).",
        "Write at most 2000 characters (now 2001).",
    ),
    (
        {"place": "p" * 101},
        "place",
        "Skriv högst 100 tecken (nu 101).",
        "Write at most 100 characters (now 101).",
    ),
    (
        {"vehicle": "v" * 501},
        "vehicle",
        "Skriv högst 500 tecken (nu 501).",
        "Write at most 500 characters (now 501).",
    ),
    (
        {"direction": "d" * 201},
        "direction",
        "Skriv högst 200 tecken (nu 201).",
        "Write at most 200 characters (now 201).",
    ),
    (
        {"phone": "ring mig"},
        "phone",
        "Skriv ett telefonnummer med 5 till 15 siffror, till exempel 070-123 45 67.",
        "Write a phone number of 5 to 15 digits, for example 070-123 45 67.",
    ),
    (
        {"plates-0-text": "ABI123"},
        "plates-0-text",
        "Det här är inget registreringsnummer från Sverige.",
        "This is not a registration number from Sweden.",
    ),
    (
        {"plates-1-text": "AB#1"},
        "plates-1-text",
        "Använd bara bokstäver och siffror, och ? för ett tecken som du inte kunde läsa.",
        "Use only letters and digits, and ? for a character you could not read.",
    ),
    (
        {"plates-0-text": "ABCDEFGHIJK", "plates-0-uncertain": "y"},
        "plates-0-text",
        "Ett registreringsnummer har högst 10 tecken.",
        "A registration number has at most 10 characters.",
    ),
    (
        {"plates-0-text": "A" * 16},
        "plates-0-text",
        "Skriv högst 15 tecken.",
        "Write at most 15 characters.",
    ),
    (
        {"plates-0-country": "XX"},
        "plates-0-country",
        "Välj ett land i listan.",
        "Choose a country from the list.",
    ),
    (
        {"latitude": "north", "longitude": "17.1"},
        "position",
        "Positionen kunde inte läsas. Ta bort den eller försök igen.",
        "The position could not be read. Remove it or try again.",
    ),
    (
        {"latitude": "95", "longitude": "17.1"},
        "position",
        "Positionen kunde inte läsas. Ta bort den eller försök igen.",
        "The position could not be read. Remove it or try again.",
    ),
    (
        {"client_id": "not-a-uuid"},
        "client_id",
        "Formuläret har gått ut. Ladda om sidan och fyll i det igen.",
        "This form has expired. Reload the page and fill it in again.",
    ),
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(("changes", "field", "sv", "en"), VALIDATION)
def test_every_mistake_is_explained_beside_its_field_and_the_text_kept(
    app, client, harbour, lang, changes, field, sv, en
):
    data = form_data(harbour, **changes)
    response = client.post(f"/{lang}/report", data=data, headers=SAME_ORIGIN)
    assert response.status_code == 422
    html = text(response)
    message = sv if lang == "sv" else en
    assert message in html
    assert 'class="error-summary"' in html
    if field != "client_id":
        assert f'id="{field}-error"' in html
        assert f'aria-describedby="{field}-error"' in html or (
            f'{field}-hint {field}-error"' in html
        )
    if field not in ("position", "client_id"):
        assert f'href="#{field}"' in html
    if field not in ("categories", "position", "client_id"):
        assert 'aria-invalid="true"' in html
    # What was typed is kept.
    assert "Två personer bar en utombordsmotor till en bil." in html or "what_happened" in changes
    assert "Vit Buster med blå kapell" in html or "vehicle" in changes
    assert 'value="abc 123"' in html or "plates-0-text" in changes
    assert 'value="boat" checked' in html or "categories" in changes
    assert stored(app) == 0


def inactive_harbour(app):
    with app.app_context():
        return db.session.scalars(select(Harbour).filter_by(name="Badhusviken")).one().id


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "sv",
            "Badhusviken tar inte längre emot rapporter här. Välj en annan hamn och skicka "
            "rapporten igen.",
        ),
        (
            "en",
            "Badhusviken no longer takes reports here. Choose another harbour and send the "
            "report again.",
        ),
    ],
)
def test_a_report_for_a_harbour_taken_out_of_the_form_says_to_choose_another(
    app, client, harbour, lang, message
):
    # As an outbox sends a report kept from before the harbour was taken out of the form.
    withdrawn = inactive_harbour(app)
    response = client.post(f"/{lang}/report", json=json_body(withdrawn), headers=JSON)
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["errors"] == {"harbour": [message]}
    assert answer["error"]
    # And as a form opened before then and sent now.
    page = client.post(f"/{lang}/report", data=form_data(withdrawn), headers=SAME_ORIGIN)
    assert page.status_code == 422
    assert message in text(page)
    assert stored(app) == 0


def test_an_error_keeps_the_client_id_so_the_corrected_report_is_one_report(app, client, harbour):
    data = form_data(harbour, what_happened="")
    html = text(client.post("/sv/report", data=data, headers=SAME_ORIGIN))
    assert f'value="{data["client_id"]}"' in html
    assert "data-fresh" not in html


def test_an_uncertain_plate_is_stored_without_the_format_check(app, client, harbour):
    data = form_data(harbour, **{"plates-0-text": "ab#", "plates-0-uncertain": "y"})
    assert client.post("/sv/report", data=data, headers=SAME_ORIGIN).status_code == 422
    data = form_data(harbour, **{"plates-0-text": "ab 1", "plates-0-uncertain": "y"})
    assert client.post("/sv/report", data=data, headers=SAME_ORIGIN).status_code == 201
    with app.app_context():
        plate = db.session.scalars(select(Plate).filter_by(country="SE")).one()
        assert (plate.text, plate.uncertain) == ("AB1", True)


def test_a_repeat_gives_the_same_receipt_and_stores_one_report(app, client, harbour):
    """A browser's "send the form again?" on reloading the receipt gets the same receipt."""
    data = form_data(harbour)
    first = client.post("/sv/report", data=data, headers=SAME_ORIGIN)
    again = client.post("/sv/report", data=data, headers=SAME_ORIGIN)
    assert (first.status_code, again.status_code) == (201, 200)
    assert reference_on(text(first)) == reference_on(text(again))
    assert stored(app) == 1


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_htmx_goes_to_the_receipt_with_the_code_in_the_fragment(app, client, harbour, lang):
    data = form_data(harbour)
    htmx = {**SAME_ORIGIN, "HX-Request": "true"}
    response = client.post(f"/{lang}/report", data=data, headers=htmx)
    with app.app_context():
        reference = db.session.scalars(select(Report.reference)).one()
    assert response.status_code == 200
    assert "Location" not in response.headers
    # The browser keeps the fragment to itself: the request it makes is for the page alone.
    address, fragment = response.headers["HX-Redirect"].split("#")
    assert (address, fragment) == (f"/{lang}/report/receipt", reference)
    repeat = client.post(f"/{lang}/report", data=data, headers=htmx)
    assert repeat.headers["HX-Redirect"] == response.headers["HX-Redirect"]
    assert stored(app) == 1


@pytest.mark.parametrize(
    ("lang", "title", "none"),
    [
        ("sv", "Kvitto på en rapport", "Den här sidan har inget kvitto"),
        ("en", "Receipt of a report", "This page holds no receipt"),
    ],
)
def test_the_receipt_page_is_one_page_for_everyone_filled_in_by_its_script(
    client, lang, title, none
):
    response = client.get(f"/{lang}/report/receipt")
    assert response.status_code == 200
    page = text(response)
    assert f"<title>{title} – " in page
    assert none in page
    # Until the script reads a code from the fragment: the receipt is hidden, the code empty,
    # and the status look-up's form is offered.
    assert "<div data-receipt hidden>" in page
    assert '<dd class="reference" data-reference></dd>' in page
    assert '<input type="hidden" name="code" value="">' in page
    assert f'<form class="status-form" method="post" action="/{lang}/status">' in page
    assert 'src="/static/js/show-receipt-page.' in page
    # Nothing of anyone's report: the status is not known to a page kept offline.
    assert "<dt>Status</dt>" not in page
    # A code in the query is no receipt: it is not shown as one.
    asked = text(client.get(f"/{lang}/report/receipt?code=7K3M9QX2PB"))
    assert '<dd class="reference" data-reference></dd>' in asked and none in asked


def test_different_content_under_one_identifier_is_refused(app, client, harbour):
    data = form_data(harbour)
    client.post("/sv/report", data=data, headers=SAME_ORIGIN)
    changed = {**data, "what_happened": "Något annat."}
    response = client.post("/sv/report", data=changed, headers=SAME_ORIGIN)
    assert response.status_code == 409
    html = text(response)
    assert "Ett annat meddelande" in html or "En annan rapport" in html
    assert f'value="{data["client_id"]}"' not in html
    assert "Något annat." in html
    assert stored(app) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "none"},
    ],
)
def test_a_post_from_another_site_is_refused(app, client, harbour, headers):
    response = client.post("/en/report", data=form_data(harbour), headers=headers)
    assert response.status_code == 403
    assert "another website" in text(response)
    json_response = client.post(
        "/sv/report", json=json_body(harbour), headers={**headers, "Accept": "application/json"}
    )
    assert json_response.status_code == 403
    assert "annan webbplats" in json_response.get_json()["error"]
    assert stored(app) == 0


def test_a_client_sending_neither_header_may_post_without_a_token(app, client, harbour):
    """curl or a script is no browser with someone's cookies: it may report as anyone may."""
    assert 'name="csrf_token"' not in text(client.get("/sv/report"))
    response = client.post("/sv/report", data=form_data(harbour))
    assert response.status_code == 201
    answer = client.post(
        "/en/report", json=json_body(harbour), headers={"Accept": "application/json"}
    )
    assert answer.status_code == 201
    assert stored(app) == 2


def test_same_origin_by_fetch_metadata_is_enough(app, client, harbour):
    response = client.post(
        "/sv/report", data=form_data(harbour), headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 201


def test_a_replay_after_the_session_expired_is_accepted_once(app, harbour):
    # The form was opened and the report queued; hours later the token and session are gone.
    opened = app.test_client()
    opened.get("/sv/report")
    body = json_body(harbour)
    later = app.test_client()
    assert later.get_cookie("session") is None
    headers = {**JSON, "Sec-Fetch-Site": "same-origin"}
    first = later.post("/sv/report", json=body, headers=headers)
    assert first.status_code == 201
    replay = app.test_client().post("/sv/report", json=body, headers=headers)
    assert replay.status_code == 200
    assert replay.get_json() == first.get_json()
    assert stored(app) == 1


def test_json_answers(app, client, harbour):
    body = json_body(harbour)
    created = client.post("/en/report", json=body, headers=JSON)
    assert created.status_code == 201
    receipt = created.get_json()
    assert set(receipt) == {
        "client_id",
        "reference",
        "status",
        "status_url",
        "harbour",
        "read_by",
    }
    assert receipt["client_id"] == body["client_id"]
    # Who reads it, for the phone's "My reports": never a person's name or address.
    assert (receipt["harbour"], receipt["read_by"]) == ("Oxelösunds gästhamn", "contact_person")
    assert receipt["status"] == "received"
    # The code is posted to the status page, never put in an address.
    assert receipt["status_url"] == "/en/status"
    assert "Accept" in created.headers["Vary"]

    repeat = client.post("/en/report", json=body, headers=JSON)
    assert (repeat.status_code, repeat.get_json()) == (200, receipt)

    conflict = client.post("/en/report", json={**body, "what_happened": "Else."}, headers=JSON)
    assert conflict.status_code == 409
    assert conflict.get_json()["client_id"] == body["client_id"]

    invalid = client.post(
        "/sv/report",
        json=json_body(harbour, categories=[], plates=[{"country": "SE", "text": "III111"}]),
        headers=JSON,
    )
    assert invalid.status_code == 422
    errors = invalid.get_json()["errors"]
    assert errors["categories"] == ["Välj minst en sak som du såg."]
    assert errors["plates-0-text"][0].startswith("Det här är inget registreringsnummer")
    assert stored(app) == 1
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert (report.latitude, report.longitude) == (58.6652, 17.1125)
        assert [(p.country, p.text) for p in report.plates] == [("SE", "ABC12A")]


def test_a_form_post_may_ask_for_json(app, client, harbour):
    response = client.post("/sv/report", data=form_data(harbour), headers=JSON)
    assert response.status_code == 201
    assert response.get_json()["status"] == "received"


def test_an_over_large_body_gets_413(app, client, harbour):
    big = form_data(harbour, what_happened="x" * 70_000)
    page = client.post("/sv/report", data=big, headers=SAME_ORIGIN)
    assert page.status_code == 413
    assert "För mycket data" in text(page)
    as_json = client.post("/en/report", json={"what_happened": "x" * 70_000}, headers=JSON)
    assert as_json.status_code == 413
    assert "larger than we accept" in as_json.get_json()["error"]
    assert stored(app) == 0


@pytest.fixture
def strict_app(make_app):
    class Strict(TestConfig):
        REPORT_RATE_LIMIT = "3 per minute"
        STATUS_RATE_LIMIT = "2 per minute"

    return make_app(Strict)


def test_too_many_reports_get_a_friendly_429_but_repeats_pass(strict_app):
    with strict_app.app_context():
        harbour = Harbour(name="Femöresund")
        db.session.add(harbour)
        db.session.commit()
        harbour = harbour.id
    client = strict_app.test_client()
    first = json_body(harbour)
    assert client.post("/sv/report", json=first, headers=JSON).status_code == 201
    for _ in range(2):
        assert client.post("/sv/report", json=json_body(harbour), headers=JSON).status_code == 201
    refused_body = json_body(harbour)
    refused = client.post("/sv/report", json=refused_body, headers=JSON)
    assert refused.status_code == 429
    # A limit of a minute: one minute, in the singular.
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["error"].endswith("Försök igen om 1 minut.")
    page = client.post("/en/report", data=form_data(harbour), headers=SAME_ORIGIN)
    assert page.status_code == 429
    assert "Try again in 1 minute." in text(page)
    # The outbox retrying a report that was stored is never refused.
    for _ in range(3):
        assert client.post("/sv/report", json=first, headers=JSON).status_code == 200
    # Nothing refused was stored: the three reports sent in time are.
    assert stored(strict_app) == 3
    with strict_app.app_context():
        refused_id = uuid.UUID(refused_body["client_id"])
        assert db.session.scalar(select(Report).filter_by(client_id=refused_id)) is None
    # Reading the form is not limited.
    assert client.get("/sv/report").status_code == 200


def test_reports_refused_for_what_they_say_count_against_the_limit(strict_app):
    client = strict_app.test_client()
    invalid = {"client_id": str(uuid.uuid4()), "what_happened": ""}
    for _ in range(3):
        assert client.post("/en/report", json=invalid, headers=JSON).status_code == 422
    refused = client.post("/en/report", json=invalid, headers=JSON)
    assert refused.status_code == 429
    assert "Try again in 1 minute." in refused.get_json()["error"]


def test_status_look_ups_are_limited(strict_app):
    client = strict_app.test_client()
    for _ in range(2):
        assert client.post("/sv/status", data={"code": "AAAAAAAAAA"}).status_code == 404
    refused = client.post("/en/status", data={"code": "AAAAAAAAAA"})
    assert refused.status_code == 429
    assert "Try again in" in text(refused)
    # The pages that look nothing up are not limited.
    assert client.get("/sv/status").status_code == 200
    assert client.get("/sv/status?code=AAAAAAAAAA").status_code == 303
    assert client.get("/sv/report/receipt").status_code == 200


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_code_in_the_status_address_is_neither_looked_up_nor_repeated(app, client, harbour, lang):
    """A link of an earlier version, `?code=`: the code goes no further than the access log."""
    client.post(f"/{lang}/report", data=form_data(harbour), headers=SAME_ORIGIN)
    with app.app_context():
        reference = db.session.scalars(select(Report.reference)).one()
    response = client.get(f"/{lang}/status", query_string={"code": reference})
    assert (response.status_code, response.location) == (303, f"/{lang}/status")
    page = text(client.get(response.location))
    assert reference not in page
    assert 'value=""' in page


@pytest.mark.parametrize(("lang", "name"), [("sv", "Mottagen"), ("en", "Received")])
def test_the_status_is_looked_up_by_a_post_without_the_code_in_an_address(
    app, client, harbour, lang, name
):
    receipt = text(client.post(f"/{lang}/report", data=form_data(harbour), headers=SAME_ORIGIN))
    reference = reference_on(receipt)
    # The receipt's way to the status posts the code rather than links to it.
    assert f"code={reference}" not in receipt
    assert f'<form method="post" action="/{lang}/status">' in receipt
    assert f'name="code" value="{reference}"' in receipt
    form = text(client.get(f"/{lang}/status"))
    assert 'class="status-form" method="post"' in form
    # A post without Origin or a token, as a browser without JavaScript or a script sends.
    answer = client.post(f"/{lang}/status", data={"code": reference.lower()})
    assert answer.status_code == 200
    assert name in text(answer) and reference in text(answer)
    assert "utombordsmotor" not in text(answer)
    assert client.post(f"/{lang}/status", data={"code": ""}).status_code == 422
    assert client.post(f"/{lang}/status", data={"code": "0000000000"}).status_code == 404
    assert client.post(f"/{lang}/status").status_code == 422


class Addresses(HTMLParser):
    """Collect every address a page names: links, forms, scripts, htmx and data attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for _name, value in attrs if value and value.startswith(("/", "http"))]


def addresses_in(answer):
    """Return every address an answer sends the browser to or names, without any fragment."""
    found = [
        value.split("#", 1)[0]
        for name, value in answer.headers.items()
        if name.lower() in ("location", "content-location", "link", "refresh")
        or name.lower().startswith("hx-")
    ]
    if answer.is_json:
        found += [value for value in answer.get_json().values() if str(value).startswith("/")]
    else:
        parser = Addresses()
        parser.feed(text(answer))
        found += parser.found
    return found


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_answer_of_the_report_flow_puts_a_code_in_an_address(app, client, harbour, lang):
    """Access logs and proxies record addresses: a reference code is never in one."""
    htmx = {**SAME_ORIGIN, "HX-Request": "true"}
    data = form_data(harbour)
    answers = {
        "form": client.get(f"/{lang}/report"),
        "post": client.post(f"/{lang}/report", data=data, headers=SAME_ORIGIN),
        "repeat": client.post(f"/{lang}/report", data=data, headers=SAME_ORIGIN),
        "htmx": client.post(f"/{lang}/report", data=form_data(harbour), headers=htmx),
        "json": client.post(f"/{lang}/report", json=json_body(harbour), headers=JSON),
    }
    with app.app_context():
        references = db.session.scalars(select(Report.reference)).all()
    assert len(references) == 3
    receipt_page = answers["htmx"].headers["HX-Redirect"].split("#", 1)[0]
    answers["receipt page"] = client.get(receipt_page)
    for reference in references:
        answers[f"status of {reference}"] = client.post(f"/{lang}/status", data={"code": reference})
        answers[f"old status link of {reference}"] = client.get(
            f"/{lang}/status", query_string={"code": reference}
        )
    answers["status form"] = client.get(f"/{lang}/status")
    for name, answer in answers.items():
        assert answer.status_code < 400, name
        for address in addresses_in(answer):
            assert not any(reference in address for reference in references), (name, address)
    # The walk did meet the codes: in the answers' bodies, where they belong.
    assert reference_on(text(answers["post"])) in references
    assert answers["json"].get_json()["reference"] in references


#: Bodies that parse to nothing a report can be read from, or do not parse at all.
NASTY_JSON = {
    "nested arrays": b"[" * 2000,
    "nested objects": b'{"a":' * 2000,
    "nested arrays, closed": b"[" * 5000 + b"]" * 5000,
    "an array at the top": b"[1, 2]",
    "a string at the top": b'"report"',
    "a number at the top": b"1e999999",
    "a huge integer": b"9" * 60_000,
    "invalid UTF-8": b'{"what_happened": "\xc3\x28"}',
    "bytes that are no JSON": b"\xff\xfe\x00{",
    "not JSON": b"{not json",
    "null": b"null",
    "truncated": b'{"what_happened": "x',
    "empty": b"",
}


@pytest.mark.parametrize("body", NASTY_JSON.values(), ids=NASTY_JSON)
@pytest.mark.parametrize(
    ("lang", "message"),
    [("sv", "Rapporten kunde inte läsas"), ("en", "The report could not be read")],
)
def test_a_json_body_that_cannot_be_read_is_a_400_in_the_persons_language(
    app, client, harbour, caplog, body, lang, message
):
    headers = {**JSON, "Content-Type": "application/json"}
    response = client.post(f"/{lang}/report", data=body, headers=headers)
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    page = client.post(
        f"/{lang}/report", data=body, headers={**SAME_ORIGIN, **headers, "Accept": "text/html"}
    )
    assert page.status_code == 400
    assert message in text(page)
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    assert "form" in response.get_json()["errors"]
    assert stored(app) == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"what_happened": "A\u0000B", "phone": 1e999}, "phone"),
        ({"latitude": "1e999999", "longitude": 1e308}, "latitude"),
        ({"harbour": 10**40}, "harbour"),
        ({"client_id": None, "categories": [[[]]], "plates": {"a": 1}}, "client_id"),
    ],
)
def test_json_of_strange_values_is_refused_field_by_field(app, client, harbour, changes, field):
    response = client.post("/en/report", json=json_body(harbour, **changes), headers=JSON)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert stored(app) == 0


def test_a_json_key_given_twice_counts_once_and_a_nul_is_dropped(app, client, harbour):
    body = json_body(harbour, what_happened="PLACEHOLDER")
    raw = json.dumps(body).replace('"PLACEHOLDER"', '"first", "what_happened": "se\\u0000cond"')
    response = client.post(
        "/en/report", data=raw, headers={**JSON, "Content-Type": "application/json"}
    )
    assert response.status_code == 201
    with app.app_context():
        assert db.session.scalars(select(Report.what_happened)).one() == "second"


def test_every_json_endpoint_reads_nesting_too_deep_as_a_bad_request(make_app, caplog):
    from flask import request

    from pwa.extensions import csrf

    app = make_app()

    @csrf.exempt
    def echo():
        return {"got": len(request.get_json())}

    app.add_url_rule("/en/echo", "echo", echo, methods=["POST"])
    response = app.test_client().post(
        "/en/echo", data=b'{"a":' * 3000, headers={**JSON, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "did not arrive in a form we can read" in response.get_json()["error"]
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


def test_a_new_report_is_stored_without_looking_its_client_id_up(app, client, harbour, connection):
    """The insert itself tells a new report from a repeat: only a repeat looks it up."""
    look_ups = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("SELECT") and "report.client_id =" in statement:
            look_ups.append(statement)

    body = json_body(harbour)
    event.listen(connection, "before_cursor_execute", count)
    try:
        new = client.post("/sv/report", json=body, headers=JSON)
        looked_up_for_the_new_one = len(look_ups)
        repeat = client.post("/sv/report", json=body, headers=JSON)
    finally:
        event.remove(connection, "before_cursor_execute", count)

    assert (new.status_code, repeat.status_code) == (201, 200)
    assert looked_up_for_the_new_one == 0
    assert len(look_ups) == 1
