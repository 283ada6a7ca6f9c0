"""Reports exported for the police: the CSV file, the printable page, who may export what."""

import csv
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pwa.extensions import db
from pwa.inbox import details, exports
from pwa.inbox.queries import Filters
from pwa.models import AuditEvent, Report, ReportStatus
from tests.staff import BO, KIM, add_report, csrf_token, log_in


def parse(response, delimiter):
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


def parse_text(body, delimiter):
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=delimiter))


def export(client, lang="sv", path="export.csv", **filters):
    """Post the inbox's export form: the CSV file, or the printable page, of what the filters
    select."""
    token = csrf_token(client, f"/{lang}/account/password")
    return client.post(f"/{lang}/inbox/{path}", data={"csrf_token": token, **filters})


def printed(client, lang="sv", **filters):
    return export(client, lang, "print", **filters)


def exported_events(app):
    with app.app_context():
        return [
            (event.actor, event.report_id, event.details)
            for event in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "exported").order_by(AuditEvent.id)
            )
        ]


@pytest.fixture
def reports(app, staff):
    """Two reports in the guest harbour and one in Femöresund: their references."""
    guest, femoresund = staff
    with app.app_context():
        first = add_report(guest, plates=("ABC123",), hours_ago=3, phone="+46 70 123 45 67")
        second = add_report(
            guest,
            plates=("XYZ789",),
            what_happened='=HYPERLINK("http://evil.example";"Click")',
            place='Brygga; C, vid "macken"',
            categories=("boat", "person"),
        )
        other = add_report(femoresund, plates=("ABC123",), what_happened="A rib left at night.")
        return first.reference, second.reference, other.reference


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_starts_with_a_quote(start):
    cell = start + "cmd|' /C calc'!A0"
    assert exports.neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Brygga C", "", "070-123 45 67", "1+1", "'quoted", "ÅÄÖ"])
def test_other_cells_are_left_as_they_are(cell):
    assert exports.neutralise(cell) == cell


#: Where a reader may split a line of either file into cells.
SPLIT = re.compile(r"[,;\t\n\r]")


def unsafe_pieces(text, strip=""):
    """Return the pieces of the text, split where any reader may split, that begin a formula."""
    pieces = (piece.lstrip(strip) for piece in SPLIT.split(text))
    return [piece for piece in pieces if piece.startswith(exports.FORMULA_STARTS)]


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(st.text(), max_size=4), min_size=1, max_size=4),
    delimiter=st.sampled_from([",", ";"]),
)
def test_no_piece_of_any_cell_begins_a_formula(rows, delimiter):
    written = exports.csv_text(rows, delimiter)
    # For a reader that splits the file's lines naively, past spaces and quotes…
    assert unsafe_pieces(written.removeprefix(exports.BOM), strip=' "') == []
    # …and for one that reads the cells properly and then splits them at the other delimiter.
    cells = list(
        csv.reader(io.StringIO(written.removeprefix(exports.BOM), newline=""), delimiter=delimiter)
    )
    assert [len(row) or 1 for row in cells] == [len(row) or 1 for row in rows]
    for written_row, row in zip(cells, rows, strict=True):
        for cell, original in zip(written_row, row, strict=False):
            assert unsafe_pieces(cell) == []
            assert cell == exports.neutralise(original)
            # Only quotes are added, each before what would have begun a formula.
            assert cell.replace("'", "") == original.replace("'", "")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            'Bil;=HYPERLINK("http://evil.example";"Click")',
            'Bil;\'=HYPERLINK("http://evil.example";"Click")',
        ),
        ("Brygga C,+46 70 123 45 67", "Brygga C,'+46 70 123 45 67"),
        ("röd; -1", "röd; '-1"),
        ('a,"@SUM(1)"', 'a,"\'@SUM(1)"'),
        ("rad ett\n=1+1", "rad ett\n'=1+1"),
        ("\t\t=1", "'\t'\t'=1"),
    ],
)
def test_a_formula_after_any_separator_starts_with_a_quote(cell, expected):
    assert exports.neutralise(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "Bil; röd",
        "ABC123 (Sverige); XYZ789 (Norge, osäker)",
        "2026-07-01 12:00",
        "Fordon, Person",
        "58.6731, 17.1012",
        "A-B 12, C; D",
    ],
)
def test_ordinary_text_reads_as_it_was_written(cell):
    assert exports.neutralise(cell) == cell


def test_a_formula_after_a_semicolon_is_safe_in_the_comma_file(app, client, staff):
    guest, _femoresund = staff
    typed = 'Bil;=HYPERLINK("http://evil.example";"Click")'
    with app.app_context():
        add_report(guest, place=typed, vehicle="Bil; röd", plates=("ABC123", "XYZ789"))
    log_in(client, KIM, lang="en")
    body = export(client, "en").get_data(as_text=True)
    assert unsafe_pieces(body.removeprefix(exports.BOM), strip=' "') == []
    header, row = parse_text(body, ",")
    by_column = dict(zip(header, row, strict=True))
    assert by_column["Where in the harbour"] == 'Bil;\'=HYPERLINK("http://evil.example";"Click")'
    assert by_column["Vehicle or boat"] == "Bil; röd"
    assert by_column["Registration numbers"] == "ABC123 (Sweden); XYZ789 (Sweden)"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", by_column["Received"])


def test_a_contact_person_exports_the_reports_of_their_harbour_in_swedish(app, client, reports):
    first, second, other = reports
    log_in(client, KIM)
    response = export(client, include_phone="y", include_note="y")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="batsamverkan-\d{4}-\d{2}-\d{2}\.csv"',
        response.headers["Content-Disposition"],
    )
    assert response.headers["Cache-Control"] == "no-store"
    rows = parse(response, ";")
    header = rows[0]
    assert header[:2] == ["Referens", "Mottagen"]
    assert {"Hamn", "Var i hamnen", "Status", "Registreringsnummer", "Färdriktning"} <= set(header)
    assert len(header) == len(details.FIELDS) == 15
    # Newest first, and only the guest harbour's: Femöresund's report is not KIM's to export.
    assert [row[0] for row in rows[1:]] == [second, first]
    assert other not in response.get_data(as_text=True)
    by_column = dict(zip(header, rows[2], strict=True))
    assert by_column["Hamn"] == "Oxelösunds gästhamn"
    assert by_column["Registreringsnummer"] == "ABC123 (Sverige)"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", by_column["Mottagen"])
    # A phone number starting with + is a formula to a spreadsheet, too.
    assert "'+46 70 123 45 67" in rows[2]


def test_formulas_and_separators_in_what_was_typed_stay_text(app, client, reports):
    _first, second, _other = reports
    log_in(client, KIM)
    rows = parse(export(client), ";")
    header, newest = rows[0], rows[1]
    assert newest[0] == second
    by_column = dict(zip(header, newest, strict=True))
    # Quoted by the csv module, so the separator inside does not split the cell.
    assert by_column["Var i hamnen"] == 'Brygga; C, vid "macken"'
    assert '\'=HYPERLINK("http://evil.example";"Click")' in newest
    assert not any(cell.startswith(exports.FORMULA_STARTS) for row in rows for cell in row)


def test_an_english_export_uses_commas_and_english_headers(app, client, reports):
    _first, _second, other = reports
    log_in(client, BO, lang="en")
    response = export(client, "en")
    assert response.status_code == 200
    rows = parse(response, ",")
    assert rows[0][:6] == [
        "Reference",
        "Received",
        "Seen",
        "Harbour",
        "Where in the harbour",
        "Status",
    ]
    assert rows[0][-3:] == ["Direction of travel", "What happened", "Position"]
    assert [row[0] for row in rows[1:]] == [other]
    by_column = dict(zip(rows[0], rows[1], strict=True))
    assert by_column["Harbour"] == "Femöresund"
    assert by_column["Status"] == "New"
    assert by_column["What happened"] == "A rib left at night."
    assert by_column["Registration numbers"] == "ABC123 (Sweden)"


def test_the_export_honours_the_filters(app, client, reports):
    first, second, _other = reports
    log_in(client, KIM)
    rows = parse(export(client, plate="abc 123"), ";")
    assert [row[0] for row in rows[1:]] == [first]
    rows = parse(export(client, category="person"), ";")
    assert [row[0] for row in rows[1:]] == [second]
    with app.app_context():
        db.session.scalar(select(Report).filter_by(reference=first)).status = ReportStatus.CLOSED
        db.session.commit()
    rows = parse(export(client, status="closed"), ";")
    assert [row[0] for row in rows[1:]] == [first]


def test_an_administrator_exports_every_harbour(app, client, reports):
    log_in(client, "admin@example.org")
    rows = parse(export(client), ";")
    assert sorted(row[0] for row in rows[1:]) == sorted(reports)


def test_another_harbour_cannot_be_chosen_in_the_filters(app, client, staff, reports):
    _guest, femoresund = staff
    log_in(client, KIM)
    for path in ("export.csv", "print"):
        response = export(client, path=path, harbour=femoresund)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Välj en av dina hamnar." in page or "Choose one of your harbours." in page
        assert reports[2] not in page
    assert exported_events(app) == []


@pytest.mark.parametrize(
    "query",
    [
        "received_from=yesterday",
        "received_from=2026-06-02&received_to=2026-06-01",
        "received_from=0001-01-01",
        "received_to=9999-12-31",
    ],
)
@pytest.mark.parametrize("path", ["export.csv", "print"])
def test_an_invalid_filter_is_said_on_the_inbox_page_not_a_500(app, client, reports, path, query):
    log_in(client, KIM)
    response = export(client, path=path, **dict(pair.split("=") for pair in query.split("&")))
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert "Content-Disposition" not in response.headers
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    # The form keeps what was typed.
    assert f'value="{query.split("=")[1].split("&")[0]}"' in page
    assert exported_events(app) == []


@pytest.mark.parametrize("path", ["export.csv", "print"])
def test_nobody_exports_without_logging_in(app, client, reports, path):
    token = csrf_token(client, "/en/login")
    response = client.post(f"/en/inbox/{path}", data={"csrf_token": token})
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert reports[0] not in response.get_data(as_text=True)
    assert exported_events(app) == []


@pytest.mark.parametrize("path", ["export.csv", "print"])
def test_a_link_or_form_from_another_site_exports_nothing(app, client, reports, path):
    log_in(client, KIM)
    link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    assert client.get(f"/sv/inbox/{path}", headers=link).status_code == 405
    # A form on another site has no token of the person's session.
    forged = client.post(f"/sv/inbox/{path}", data={"plate": "ABC123"}, headers=link)
    assert forged.status_code == 400
    assert reports[0] not in forged.get_data(as_text=True)
    assert exported_events(app) == []


def test_an_export_is_written_in_the_audit_log(app, client, reports):
    first, second, _other = reports
    log_in(client, KIM)
    export(client)
    printed(client, plate="ABC123")
    with app.app_context():
        ids = {
            reference: db.session.scalar(select(Report.id).filter_by(reference=reference))
            for reference in reports
        }
    assert exported_events(app) == [
        (KIM, ids[second], {"format": "csv", "included": []}),
        (KIM, ids[first], {"format": "csv", "included": []}),
        (KIM, None, {"format": "csv", "count": 2, "included": []}),
        (KIM, ids[first], {"format": "print", "included": []}),
        (KIM, None, {"format": "print", "count": 1, "included": []}),
    ]
    # The report's own history tells who exported it.
    page = client.get(f"/en/inbox/{ids[first]}").get_data(as_text=True)
    assert "exported it" in page


@pytest.fixture
def noted(app, staff, reports):
    """The first report, given a phone number by the reporter and a note by Kim: its reference."""
    with app.app_context():
        report = db.session.scalar(select(Report).filter_by(reference=reports[0]))
        report.note = "Kim knows the owner of the van."
        db.session.commit()
    return reports[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_inbox_offers_the_phone_and_the_note_unticked(app, client, reports, lang):
    log_in(client, KIM, lang=lang)
    page = client.get(f"/{lang}/inbox/").get_data(as_text=True)
    phone = re.search(r'<input id="include_phone" name="include_phone" type="checkbox"[^>]*>', page)
    note = re.search(r'<input id="include_note" name="include_note" type="checkbox"[^>]*>', page)
    assert phone and note
    assert "checked" not in phone.group(0) + note.group(0)
    label = {"sv": "Uppgiftslämnarens telefonnummer", "en": "The reporter's phone number"}
    assert f'<label for="include_phone">{label[lang]}</label>' in page.replace("&#39;", "'")


@pytest.mark.parametrize("path", ["export.csv", "print"])
def test_an_export_leaves_out_the_phone_and_the_note_unless_chosen(app, client, noted, path):
    log_in(client, KIM, lang="en")
    body = export(client, "en", path).get_data(as_text=True)
    assert noted in body
    assert "123 45 67" not in body and "owner of the van" not in body
    if path == "export.csv":
        header = parse_text(body, ",")[0]
        assert "Phone" not in header and "Note" not in header
    kind = "csv" if path == "export.csv" else "print"
    assert exported_events(app)[-1] == (KIM, None, {"format": kind, "count": 2, "included": []})


@pytest.mark.parametrize("path", ["export.csv", "print"])
@pytest.mark.parametrize(
    ("ticked", "included"),
    [
        ({"include_phone": "y"}, ["phone"]),
        ({"include_note": "y"}, ["note"]),
        ({"include_phone": "y", "include_note": "y"}, ["phone", "note"]),
    ],
)
def test_an_export_holds_what_the_contact_person_chose(app, client, noted, path, ticked, included):
    log_in(client, KIM)
    body = export(client, "sv", path, **ticked).get_data(as_text=True)
    assert ("123 45 67" in body) == ("phone" in included)
    assert ("owner of the van" in body) == ("note" in included)
    kind = "csv" if path == "export.csv" else "print"
    whole, *each = reversed(exported_events(app))
    assert whole == (KIM, None, {"format": kind, "count": 2, "included": included})
    assert all(event[2] == {"format": kind, "included": included} for event in each)


def test_the_printable_page_shows_every_report_in_full(app, client, reports):
    first, second, other = reports
    log_in(client, BO, lang="en")
    response = printed(client, "en")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert f"Report {other}" in page
    assert first not in page and second not in page
    assert "A rib left at night." in page
    assert "Bo Båt (bo@example.org)" in page
    assert "All reports of your harbours" in page
    assert "ABC123</span> (Sweden)" in page
    assert "data-print hidden" in page
    assert "js/print-reports-page." in page


def test_the_printable_page_names_the_selection_and_the_plates_seen_elsewhere(
    app, client, staff, reports
):
    first, _second, other = reports
    guest, _femoresund = staff
    log_in(client, "admin@example.org", lang="en")
    page = printed(
        client, "en", plate="abc123", harbour=guest, received_from="2020-01-01"
    ).get_data(as_text=True)
    assert "Registration number: ABC123" in page
    assert "Harbour: Oxelösunds gästhamn" in page
    assert "Received from: 2020-01-01" in page
    assert f"Report {first}" in page and f"Report {other}" not in page
    # The administrator reads both reports of ABC123.
    assert "also in 1 other report" in page


def test_free_text_is_escaped_on_the_printable_page(app, client, staff):
    guest, _femoresund = staff
    with app.app_context():
        add_report(guest, what_happened='<script>alert(1)</script>"><img src=x onerror=alert(2)>')
    log_in(client, KIM)
    page = printed(client).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    )


def test_a_large_selection_is_capped_and_says_so(app, staff):
    guest, _femoresund = staff
    with app.app_context(), app.test_request_context("/en/inbox/export.csv"):
        for number in range(3):
            add_report(guest, what_happened=f"Report number {number}")
        selection = exports.select_reports({guest}, Filters(), limit=2)
        assert selection.capped
        assert [report.what_happened for report in selection.reports] == [
            "Report number 2",
            "Report number 1",
        ]
        rows = list(csv.reader(io.StringIO(exports.write_csv(selection, "en")[1:])))
        assert len(rows) == 1 + 2 + 1
        assert rows[-1] == [
            "Only the newest 2 reports are included. Narrow the filters to get the others."
        ]
        assert not exports.select_reports({guest}, Filters(), limit=3).capped


def filtered_inbox(client, lang="sv", headers=None, **filters):
    """Filter the inbox as its form does; return the page it leads to, or the form's errors."""
    token = csrf_token(client, f"/{lang}/account/password")
    answer = client.post(f"/{lang}/inbox/", data={"csrf_token": token, **filters}, headers=headers)
    if answer.status_code != 303:
        return answer
    return client.get(answer.headers["Location"], headers=headers)


def export_form(page):
    """Return the export form's address, its print button's and the filters it posts."""
    form = re.search(
        r'<form method="post" action="([^"]+)" class="actions export-links">(.*?)</form>',
        page,
        re.S,
    )
    fields = dict(
        re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2))
    )
    printable = re.search(r'formaction="([^"]+)">Printable page<', form.group(2)).group(1)
    return form.group(1), printable, fields


def test_the_inbox_exports_what_it_shows(app, client, reports):
    log_in(client, KIM, lang="en")
    page = filtered_inbox(client, "en", plate="ABC123", category="vehicle").get_data(as_text=True)
    action, printable, fields = export_form(page)
    assert (action, printable) == ("/en/inbox/export.csv", "/en/inbox/print")
    assert fields.pop("csrf_token")
    assert fields == {"plate": "ABC123", "category": "vehicle"}
    rows = parse(export(client, "en", **fields), ",")
    assert [row[0] for row in rows[1:]] == [reports[0]]


def test_filtering_with_htmx_updates_the_export_form(app, client, reports):
    log_in(client, KIM, lang="en")
    fragment = filtered_inbox(client, "en", headers={"HX-Request": "true"}, plate="XYZ789")
    page = fragment.get_data(as_text=True)
    assert "<html" not in page
    assert export_form(page)[2]["plate"] == "XYZ789"


def test_no_export_buttons_while_the_filter_is_wrong(app, client, reports):
    log_in(client, KIM, lang="en")
    page = filtered_inbox(client, "en", received_from="soon").get_data(as_text=True)
    assert "Export as CSV" not in page and "Printable page" not in page


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_far_from_now_is_refused_with_a_message(app, client, reports, day):
    log_in(client, KIM)
    response = filtered_inbox(client, received_to=day)
    assert response.status_code == 422
    assert "Välj ett datum från 2000-01-01 till 2099-12-31." in response.get_data(as_text=True)
