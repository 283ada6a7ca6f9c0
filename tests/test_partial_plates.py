"""Plates seen only in part ("AB?12"), and the limit on plates in one report."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pwa.extensions import db
from pwa.inbox import queries as inbox
from pwa.models import Plate, Report
from pwa.reports import plates
from tests.staff import ADMIN, KIM, add_report, log_in
from tests.test_reports import JSON, SAME_ORIGIN, form_data, json_body

# The inbox's forms give their choices as tuples, which WTForms 3.3 deprecates.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Passing SelectField choices as tuples:DeprecationWarning"
)


def add_plates(harbour_id, *texts):
    """Store a report naming these plates, those with a `?` as partial; return its id."""
    return add_report(harbour_id, plates=texts).id


def stored_plates(app):
    with app.app_context():
        return db.session.execute(select(Plate.text, Plate.uncertain, Plate.head)).all()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_partly_seen_plate_is_stored_with_a_question_mark_for_each_unread_character(
    app, client, harbour, lang
):
    data = form_data(harbour, **{"plates-0-text": "ab? 12", "plates-0-uncertain": "y"})
    assert client.post(f"/{lang}/report", data=data, headers=SAME_ORIGIN).status_code == 201
    body = json_body(harbour, plates=[{"country": "FI", "text": "x-y??", "uncertain": True}])
    assert client.post(f"/{lang}/report", json=body, headers=JSON).status_code == 201
    assert sorted(stored_plates(app)) == [
        ("AB12345", False, "AB"),
        ("AB?12", True, "AB"),
        ("XY??", True, "XY"),
    ]


PARTIAL_MISTAKES = [
    (
        {"plates-0-text": "AB?12"},
        "Kryssa i ”Osäkert eller ofullständigt” för att skriva ? för ett tecken som du inte "
        "kunde läsa.",
        "To write ? for a character you could not read, tick “Uncertain or partial”.",
    ),
    (
        {"plates-0-text": "?B?12", "plates-0-uncertain": "y"},
        "Skriv åtminstone de 2 första tecknen, och ? för varje tecken efter dem som du inte "
        "kunde läsa.",
        "Write at least the first 2 characters, and ? for each one after them that you could "
        "not read.",
    ),
    (
        {"plates-0-text": "???", "plates-0-uncertain": "y"},
        "Skriv åtminstone de 2 första tecknen",
        "Write at least the first 2 characters",
    ),
    (
        {"plates-0-text": "AB*12", "plates-0-uncertain": "y"},
        "Använd bara bokstäver och siffror, och ? för ett tecken som du inte kunde läsa.",
        "Use only letters and digits, and ? for a character you could not read.",
    ),
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(("changes", "sv", "en"), PARTIAL_MISTAKES)
def test_a_partial_plate_needs_the_tick_and_its_first_two_characters(
    app, client, harbour, lang, changes, sv, en
):
    response = client.post(f"/{lang}/report", data=form_data(harbour, **changes), headers=JSON)
    assert response.status_code == 422
    [message] = response.get_json()["errors"]["plates-0-text"]
    assert message.startswith(sv if lang == "sv" else en)
    page = client.post(f"/{lang}/report", data=form_data(harbour, **changes), headers=SAME_ORIGIN)
    assert page.status_code == 422
    assert f'value="{changes["plates-0-text"]}"' in page.get_data(as_text=True)
    assert stored_plates(app) == []


def test_the_cross_reference_lists_the_known_plates_a_partial_one_could_be(app, staff):
    guest, femoresund = staff
    with app.app_context():
        abc = add_plates(guest, "ABC12")
        abd = add_plates(guest, "ABD12", "XYZ999")
        abe = add_plates(femoresund, "ABE12")
        # Neither fits: one character too many, and another head.
        add_plates(guest, "ABC123", "BBC12")
        again = add_plates(guest, "AB?12")
        report = db.session.get(Report, add_plates(guest, "AB?12"))

        def found(harbour_ids):
            matches = inbox.matches(harbour_ids, report)
            return [
                (match.text, match.through, [other.id for other in match.reports])
                for match in matches.found
            ]

        assert found([guest]) == [
            ("AB?12", None, [again]),
            ("ABC12", "AB?12", [abc]),
            ("ABD12", "AB?12", [abd]),
        ]
        assert found(None)[-1] == ("ABE12", "AB?12", [abe])


def test_a_known_plate_finds_the_earlier_partial_reports_it_fits(app, staff):
    guest, femoresund = staff
    with app.app_context():
        partial = add_plates(guest, "AB?12")
        unread_end = add_plates(guest, "ABC??")
        add_plates(femoresund, "A??12")
        add_plates(guest, "AB?13", "AC?12")
        report = db.session.get(Report, add_plates(guest, "ABC12"))
        matches = inbox.matches([guest], report)
        assert [(match.text, match.through) for match in matches.found] == [
            ("AB?12", "ABC12"),
            ("ABC??", "ABC12"),
        ]
        assert [match.reports[0].id for match in matches.found] == [partial, unread_end]


def test_a_partial_plate_that_fits_many_lists_a_few_and_says_so(app, client, staff):
    guest, _ = staff
    with app.app_context():
        for number in range(inbox.RELATED_SHOWN + 1):
            add_plates(guest, f"AB{number:02d}")
        report_id = add_plates(guest, "AB??")
        report = db.session.get(Report, report_id)
        matches = inbox.matches(None, report)
        assert len(matches.found) == inbox.RELATED_SHOWN
        assert matches.cut_short == ["AB??"]
    log_in(client, KIM, lang="en")
    page = client.get(f"/en/inbox/{report_id}").get_data(as_text=True)
    assert "may be the same as AB?? in this report" in page
    assert "More plates than 10 may be the same as AB??: only the first 10 are shown." in page


@pytest.mark.parametrize(
    ("lang", "says"),
    [("sv", "kan vara samma som AB?12 i den här rapporten"), ("en", "may be the same as")],
)
def test_the_report_page_names_the_plate_a_candidate_was_found_through(
    app, client, staff, lang, says
):
    guest, femoresund = staff
    with app.app_context():
        add_plates(femoresund, "ABE12")
        report_id = add_plates(guest, "AB?12")
    log_in(client, KIM, lang=lang)
    page = client.get(f"/{lang}/inbox/{report_id}").get_data(as_text=True)
    # Femöresund's plate is not Kim's to see: no cross-reference at all.
    assert "ABE12" not in page and says not in page
    with app.app_context():
        add_plates(guest, "ABC12")
    page = client.get(f"/{lang}/inbox/{report_id}").get_data(as_text=True)
    assert '<span class="plate">ABC12</span>' in page and says in page


@pytest.mark.parametrize(("lang", "uncertain"), [("sv", "osäkert"), ("en", "uncertain")])
def test_the_inbox_list_says_uncertain_beside_such_a_plate(app, client, staff, lang, uncertain):
    guest, _ = staff
    with app.app_context():
        add_plates(guest, "AB?12", "ABC123")
    log_in(client, ADMIN, lang=lang)
    page = client.get(f"/{lang}/inbox/").get_data(as_text=True)
    assert f'AB?12 <span class="muted">({uncertain})</span>' in page
    assert "ABC123</li>" in page


def test_like_patterns_escape_what_like_would_read_as_a_wildcard():
    assert plates.like_pattern("AB?12") == "AB_12"
    assert plates.like_pattern("A%_\\?") == "A\\%\\_\\\\_"


def test_an_underscore_or_percent_in_a_stored_text_is_taken_literally(app, staff):
    """None is stored through the form; the query must not read one as a wildcard all the same."""
    guest, _ = staff
    with app.app_context():
        add_plates(guest, "A_C12", "A%C12", "AXC12")
        assert inbox.related_plates(None, "A_?12") == ["A_C12"]
        assert inbox.related_plates(None, "A%?12") == ["A%C12"]


def fits(pattern, text):
    """The brute-force reading of a partial plate: same length, and `?` is any one character."""
    return len(pattern) == len(text) and all(
        wanted in ("?", seen) for wanted, seen in zip(pattern, text, strict=True)
    )


#: A small alphabet, so that random patterns fit often; Å tests a character beyond ASCII.
KNOWN = st.text("ABÅ1", min_size=2, max_size=6)
PARTIAL = st.builds(
    lambda head, rest: head + rest,
    st.text("ABÅ1", min_size=2, max_size=2),
    st.text("ABÅ1?", min_size=1, max_size=5).filter(lambda rest: "?" in rest),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(known=st.lists(KNOWN, min_size=1, max_size=12), partial=st.lists(PARTIAL, max_size=6))
def test_the_query_finds_exactly_what_brute_force_finds(app, staff, known, partial):
    guest, _ = staff
    with app.app_context():
        db.session.execute(Plate.__table__.delete())
        for text in known + partial:
            add_plates(guest, text)
        stored = set(known) | set(partial)
        limit = len(stored) + 1
        for pattern in set(partial):
            expected = sorted({text for text in known if fits(pattern, text)})
            assert inbox.related_plates(None, pattern, limit) == expected
        for text in set(known):
            expected = sorted({pattern for pattern in partial if fits(pattern, text)})
            assert inbox.related_plates([guest], text, limit) == expected


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_eleven_plates_in_json_are_refused_with_the_limit_and_none_stored(
    app, client, harbour, lang
):
    rows = [{"country": "SE", "text": f"ABC{number:03d}"} for number in range(11)]
    response = client.post(f"/{lang}/report", json=json_body(harbour, plates=rows), headers=JSON)
    assert response.status_code == 422
    expected = {
        "sv": "Ange högst 10 registreringsnummer. Skriv eventuella fler i beskrivningen av vad "
        "som hände.",
        "en": "Give at most 10 registration numbers. Write any others in the description of "
        "what happened.",
    }
    assert response.get_json()["errors"]["plates"] == [expected[lang]]
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) == 0
    ten = json_body(harbour, plates=rows[:10])
    assert client.post(f"/{lang}/report", json=ten, headers=JSON).status_code == 201
    assert len(stored_plates(app)) == 10


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_eleven_plates_in_the_form_are_refused_and_every_one_is_shown_again(
    app, client, harbour, lang
):
    rows = {f"plates-{number}-text": f"ABC{number:03d}" for number in range(11)}
    rows.update({f"plates-{number}-country": "SE" for number in range(11)})
    response = client.post(f"/{lang}/report", data=form_data(harbour, **rows), headers=SAME_ORIGIN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    limit = {"sv": "Ange högst 10 registreringsnummer.", "en": "Give at most 10 registration"}
    assert limit[lang] in page
    assert all(f'value="ABC{number:03d}"' in page for number in range(11))
    # The button adds rows up to the limit, not up to the rows a post may hold.
    assert 'data-max="10"' in page
    assert stored_plates(app) == []
