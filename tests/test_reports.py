"""The report form and endpoint through the Flask client, in both languages."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

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
    assert html.count('name="plates-') == 9
    assert 'maxlength="2000"' in html
    assert 'name="client_id"' in html and "data-fresh" in html
    assert 'href="tel:112"' in html


def test_every_page_links_to_the_form(client):
    for path, link in [
        ("/sv/", "/sv/report"),
        ("/en/contact", "/en/report"),
        ("/en/nope", "/en/report"),
    ]:
        assert f'href="{link}"' in text(client.get(path))


def test_a_report_is_stored_and_the_browser_sent_to_its_receipt(app, client, harbour):
    response = client.post("/sv/report", data=form_data(harbour), headers=SAME_ORIGIN)
    assert response.status_code == 303
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        assert response.location == f"/sv/report/receipt/{report.reference}"
        assert [(p.country, p.text, p.uncertain) for p in report.plates] == [
            ("SE", "ABC123", False),
            ("NO", "AB12345", False),
        ]
        assert report.categories == ["boat", "person"]
        assert report.status is ReportStatus.RECEIVED
        assert report.observed_at.tzinfo is not None
        assert len(report.reference) == 10
    receipt = text(client.get(response.location))
    assert report.reference in receipt
    assert "Mottagen" in receipt
    assert "utombordsmotor" not in receipt


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
        "Använd bara bokstäver och siffror.",
        "Use only letters and digits.",
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
    data = form_data(harbour, **{"plates-0-text": "ab?", "plates-0-uncertain": "y"})
    assert client.post("/sv/report", data=data, headers=SAME_ORIGIN).status_code == 422
    data = form_data(harbour, **{"plates-0-text": "ab 1", "plates-0-uncertain": "y"})
    assert client.post("/sv/report", data=data, headers=SAME_ORIGIN).status_code == 303
    with app.app_context():
        plate = db.session.scalars(select(Plate).filter_by(country="SE")).one()
        assert (plate.text, plate.uncertain) == ("AB1", True)


def test_a_repeat_gives_the_same_receipt_and_stores_one_report(app, client, harbour):
    data = form_data(harbour)
    first = client.post("/sv/report", data=data, headers=SAME_ORIGIN)
    again = client.post("/sv/report", data=data, headers=SAME_ORIGIN)
    assert first.status_code == again.status_code == 303
    assert first.location == again.location
    assert stored(app) == 1


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
        {},
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


def test_a_client_without_origin_headers_may_post_with_a_valid_token(app, client, harbour):
    html = text(client.get("/sv/report"))
    token = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/sv/report", data={**form_data(harbour), "csrf_token": token})
    assert response.status_code == 303
    assert stored(app) == 1


def test_same_origin_by_fetch_metadata_is_enough(app, client, harbour):
    response = client.post(
        "/sv/report", data=form_data(harbour), headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 303


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
    assert set(receipt) == {"client_id", "reference", "status", "status_url"}
    assert receipt["client_id"] == body["client_id"]
    assert receipt["status"] == "received"
    assert receipt["status_url"] == f"/en/status?code={receipt['reference']}"
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


@pytest.mark.parametrize("body", [b"[1, 2]", b"{not json", b'"text"', b"null"])
def test_unreadable_json_gets_422(app, client, harbour, body):
    headers = {**JSON, "Content-Type": "application/json"}
    response = client.post("/en/report", data=body, headers=headers)
    assert response.status_code == 422
    assert "form" in response.get_json()["errors"]


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
    from pwa.models import Harbour

    with strict_app.app_context():
        harbour = Harbour(name="Femöresund")
        db.session.add(harbour)
        db.session.commit()
        harbour = harbour.id
    client = strict_app.test_client()
    first = json_body(harbour)
    assert client.post("/sv/report", json=first, headers=JSON).status_code == 201
    for _ in range(2):
        client.post("/sv/report", json=json_body(harbour), headers=JSON)
    refused = client.post("/sv/report", json=json_body(harbour), headers=JSON)
    assert refused.status_code == 429
    assert "Försök igen om" in refused.get_json()["error"]
    assert int(refused.headers["Retry-After"]) > 0
    page = client.post("/en/report", data=form_data(harbour), headers=SAME_ORIGIN)
    assert page.status_code == 429
    assert "Try again in 1 minutes" in text(page) or "Try again in" in text(page)
    # The outbox retrying a report that was stored is never refused.
    assert client.post("/sv/report", json=first, headers=JSON).status_code == 200
    # Reading the form is not limited.
    assert client.get("/sv/report").status_code == 200


def test_status_look_ups_are_limited(strict_app):
    client = strict_app.test_client()
    for _ in range(2):
        assert client.get("/sv/status?code=AAAAAAAAAA").status_code == 404
    assert client.get("/sv/status?code=AAAAAAAAAA").status_code == 429
    assert client.get("/sv/status").status_code == 200


@pytest.mark.parametrize(
    ("lang", "name", "meaning"),
    [
        ("sv", "Överlämnad till polisen", "har lämnat över din rapport till polisen"),
        ("en", "Passed to the police", "has passed your report on to the police"),
    ],
)
def test_status_look_up_shows_only_the_status(app, client, harbour, lang, name, meaning):
    created = client.post("/sv/report", json=json_body(harbour), headers=JSON).get_json()
    with app.app_context():
        report = db.session.scalars(select(Report)).one()
        report.status = ReportStatus.PASSED_TO_POLICE
        db.session.commit()
    code = created["reference"]
    typed = f" {code[:5].lower()}-{code[5:]} "
    html = text(client.get(f"/{lang}/status", query_string={"code": typed}))
    assert name in html and meaning in html
    assert code in html
    assert "A van waited" not in html


@pytest.mark.parametrize(
    ("lang", "message"),
    [("sv", "Ingen rapport har koden"), ("en", "No report has the code")],
)
def test_an_unknown_code_is_said_clearly(client, lang, message):
    response = client.get(f"/{lang}/status?code=0000000000")
    assert response.status_code == 404
    assert message in text(response)
    assert 'aria-invalid="true"' in text(response)
    empty = client.get(f"/{lang}/status?code=")
    assert empty.status_code == 422


def test_an_unknown_receipt_is_not_found(client):
    assert client.get("/sv/report/receipt/NOPE").status_code == 404
    assert client.get(f"/sv/report/receipt/{'X' * 500}").status_code == 404


def test_htmx_gets_the_form_fragment_and_a_redirect_on_success(app, client, harbour):
    htmx = {**SAME_ORIGIN, "HX-Request": "true"}
    invalid = client.post("/en/report", data=form_data(harbour, what_happened=""), headers=htmx)
    assert invalid.status_code == 422
    fragment = text(invalid)
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment
    assert "HX-Request" in invalid.headers["Vary"]
    page = client.post("/en/report", data=form_data(harbour, what_happened=""), headers=SAME_ORIGIN)
    assert "<html" in text(page)
    assert "HX-Request" in page.headers["Vary"]
    ok = client.post("/en/report", data=form_data(harbour), headers=htmx)
    assert ok.status_code == 200
    assert ok.headers["HX-Redirect"].startswith("/en/report/receipt/")


def test_the_form_page_loads_htmx_without_breaking_the_csp(client, harbour):
    html = text(client.get("/sv/report"))
    assert '<script src="/static/vendor/htmx.min.' in html
    assert '"allowEval": false' in html
    assert '<script type="module" src="/static/js/new-report-page.' in html
    assert "htmx.min" not in text(client.get("/sv/"))


def test_the_service_worker_caches_the_form_and_the_status_page(client):
    source = text(client.get("/sw.js"))
    for path in ["/sv/report", "/en/report", "/sv/status", "/en/status"]:
        assert f'"{path}"' in source
    assert "receipt" not in source


def test_privacy_page_says_who_sees_a_report_and_when_it_is_deleted(app, client):
    app.config.update(REPORT_RETENTION_CLOSED_DAYS=14, REPORT_RETENTION_MAX_DAYS=60)
    sv = text(client.get("/sv/privacy"))
    assert "allmän handling" in sv and "sekretess" in sv
    assert "14 dagar" in sv and "60 dagar" in sv
    en = text(client.get("/en/privacy"))
    assert "contact persons of that harbour" in en
    assert "14 days" in en and "60 days" in en


def test_harbours_can_be_added_and_listed_from_the_command_line(app, runner):
    assert runner.invoke(args=["harbours", "add", "Stjärnholm"]).exit_code == 0
    assert runner.invoke(args=["harbours", "add", "Femöresund", "--sort-order", "1"]).exit_code == 0
    again = runner.invoke(args=["harbours", "add", "Stjärnholm"])
    assert again.exit_code != 0 and "already" in again.output
    listing = runner.invoke(args=["harbours", "list"]).output.splitlines()
    assert [line.split("\t")[1] for line in listing] == ["Stjärnholm", "Femöresund"]


@pytest.mark.parametrize("code", ["%00abc", "A%00AAAAAAAAA", "%F0%9F%98%80", "x" * 300])
def test_any_receipt_address_is_not_found_rather_than_an_error(client, code):
    assert client.get(f"/sv/report/receipt/{code}").status_code == 404


def test_a_bad_request_gets_a_page_or_json_in_the_language_of_the_address(make_app):
    from flask import abort

    app = make_app()
    app.add_url_rule("/sv/broken", "broken", lambda: abort(400))
    client = app.test_client()
    assert "kunde inte läsas" in text(client.get("/sv/broken"))
    as_json = client.get("/sv/broken", headers={"Accept": "application/json"})
    assert as_json.status_code == 400
    assert "kom inte fram" in as_json.get_json()["error"]


def test_every_json_error_has_one_shape_in_the_persons_language(app, client, harbour):
    """An outbox or script reads `error` from any failure, and caches keep it apart by Accept."""
    body = json_body(harbour)
    client.post("/en/report", json=body, headers=JSON)
    failures = {
        "invalid": client.post(
            "/en/report", json={**json_body(harbour), "categories": []}, headers=JSON
        ),
        "unreadable": client.post(
            "/en/report", data=b"[1]", headers={**JSON, "Content-Type": "application/json"}
        ),
        "conflict": client.post("/en/report", json={**body, "place": "Elsewhere"}, headers=JSON),
        "cross-site": client.post(
            "/en/report",
            json=json_body(harbour),
            headers={"Accept": "application/json", "Sec-Fetch-Site": "cross-site"},
        ),
        "too large": client.post("/en/report", json={"what_happened": "x" * 70_000}, headers=JSON),
        "not found": client.get("/en/nowhere", headers=JSON),
        "wrong method": client.put("/en/report", headers=JSON),
    }
    for name, response in failures.items():
        answer = response.get_json()
        assert response.status_code >= 400, name
        assert isinstance(answer.get("error"), str) and answer["error"], name
        assert "Accept" in response.vary, name
    assert "correct what is said beside each field" in failures["invalid"].get_json()["error"]
    assert failures["invalid"].get_json()["errors"]["categories"]
    assert failures["conflict"].get_json()["client_id"] == body["client_id"]
    swedish = client.post("/sv/report", json={**json_body(harbour), "categories": []}, headers=JSON)
    assert "rätta det som står vid varje fält" in swedish.get_json()["error"]
