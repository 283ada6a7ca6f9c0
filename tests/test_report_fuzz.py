"""Whatever arrives, the server never answers 500 and never stores an invalid report."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pwa.extensions import db
from pwa.formatting import local_input_text
from pwa.models import Harbour, Report
from pwa.reports.forms import LIMITS, PHONE
from pwa.reports.plates import is_valid
from pwa.reports.submission import CATEGORIES
from pwa.validators import UNPRINTABLE

SAME_ORIGIN = {"Origin": "http://localhost"}
ANSWERS = {200, 201, 409, 413, 422}
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def fuzz_app(app, harbour):
    # Many posts from one address: the limit is tested elsewhere.
    app.config["REPORT_RATE_LIMIT"] = "1000000 per minute"
    app.config["STATUS_RATE_LIMIT"] = "1000000 per minute"
    return app


def valid_time():
    return local_input_text(datetime.now(UTC) - timedelta(hours=1))


def valid_form(harbour):
    return {
        "client_id": str(uuid.uuid4()),
        "harbour": str(harbour),
        "place": "Brygga C",
        "observed_at": valid_time(),
        "categories": ["boat"],
        "plates-0-country": "SE",
        "plates-0-text": "ABC123",
        "plates-0-uncertain": "",
        "plates-7-country": "other",
        "plates-7-text": "",
        "vehicle": "",
        "direction": "",
        "what_happened": "Någon bar en motor.",
        "latitude": "",
        "longitude": "",
        "phone": "",
    }


#: What may arrive instead of a valid value, by field.
ARBITRARY = {
    "harbour": st.one_of(st.text(max_size=30), st.integers().map(str)),
    "categories": st.lists(
        st.one_of(st.sampled_from(list(CATEGORIES)), st.text(max_size=20)), max_size=8
    ),
    "plates-0-uncertain": st.one_of(st.just("y"), st.text(max_size=5)),
    "latitude": st.one_of(st.floats().map(str), st.text(max_size=20)),
    "longitude": st.one_of(st.floats().map(str), st.text(max_size=20)),
    "what_happened": st.text(max_size=2100),
}


@st.composite
def form_fields(draw, harbour):
    """A valid report with up to four fields replaced by anything at all."""
    fields = valid_form(harbour)
    for name in draw(st.sets(st.sampled_from(sorted(fields)), max_size=4)):
        fields[name] = draw(ARBITRARY.get(name, st.text(max_size=300)))
    return fields


def assert_every_stored_report_is_valid(app):
    with app.app_context():
        active = set(db.session.scalars(select(Harbour.id).filter_by(active=True)))
        for report in db.session.scalars(select(Report)):
            assert report.harbour_id in active
            assert report.created_at - timedelta(days=30) <= report.observed_at
            assert report.observed_at <= report.created_at + timedelta(minutes=5)
            assert report.categories and set(report.categories) <= set(CATEGORIES)
            assert report.what_happened.strip()
            for name, limit in LIMITS.items():
                assert len(getattr(report, name) or "") <= limit
            for name in ("place", "vehicle", "direction", "what_happened"):
                assert not UNPRINTABLE.search(getattr(report, name))
            assert report.phone is None or PHONE.fullmatch(report.phone)
            assert (report.latitude is None) == (report.longitude is None)
            if report.latitude is not None:
                assert -90 <= report.latitude <= 90 and -180 <= report.longitude <= 180
            for plate in report.plates:
                assert is_valid(plate.country, plate.text, plate.uncertain)
            assert len(report.reference) == 10


@FUZZ
@given(data=st.data(), lang=st.sampled_from(["sv", "en"]))
def test_any_form_fields(fuzz_app, data, lang):
    fields = data.draw(form_fields(harbour_id(fuzz_app)))
    response = fuzz_app.test_client().post(f"/{lang}/report", data=fields, headers=SAME_ORIGIN)
    event(f"status {response.status_code}")  # --hypothesis-show-statistics: some are stored
    assert response.status_code in ANSWERS
    assert_every_stored_report_is_valid(fuzz_app)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=10,
)


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(
            [
                "client_id",
                "harbour",
                "observed_at",
                "categories",
                "plates",
                "what_happened",
                "latitude",
                "longitude",
                "phone",
                "place",
                "other",
            ]
        ),
        JSON_VALUES,
    )
)
def test_any_json(fuzz_app, body):
    body = {**json_report(fuzz_app), **body}
    headers = {**SAME_ORIGIN, "Accept": "application/json"}
    response = fuzz_app.test_client().post("/sv/report", json=body, headers=headers)
    event(f"status {response.status_code}")
    assert response.status_code in ANSWERS
    assert response.is_json
    assert_every_stored_report_is_valid(fuzz_app)


@FUZZ
@given(
    body=st.binary(max_size=2000),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/json",
            "multipart/form-data",
            "multipart/form-data; boundary=x",
            "text/plain",
        ]
    ),
    accept=st.sampled_from(["application/json", "text/html", "*/*"]),
)
def test_any_bytes(fuzz_app, body, content_type, accept):
    headers = {**SAME_ORIGIN, "Content-Type": content_type, "Accept": accept}
    response = fuzz_app.test_client().post("/en/report", data=body, headers=headers)
    assert response.status_code in ANSWERS | {400}
    assert_every_stored_report_is_valid(fuzz_app)


@FUZZ
@given(
    depth=st.integers(min_value=1, max_value=20_000),
    opener=st.sampled_from([b"[", b'{"a":', b'{"what_happened":', b'{"plates":', b"[{}, "]),
    closed=st.booleans(),
    accept=st.sampled_from(["application/json", "text/html"]),
)
def test_any_nesting(fuzz_app, depth, opener, closed, accept):
    closer = {b"[": b"]", b"[{}, ": b"]"}.get(opener, b"}")
    body = opener * depth + (b"1" + closer * depth if closed else b"")
    headers = {**SAME_ORIGIN, "Content-Type": "application/json", "Accept": accept}
    response = fuzz_app.test_client().post("/sv/report", data=body[:60_000], headers=headers)
    assert response.status_code in {400, 422}


#: JSON numbers beyond what a float or an int string of Python holds.
HUGE_NUMBERS = st.one_of(
    st.integers(min_value=4300, max_value=20_000).map(lambda digits: "9" * digits),
    st.integers(min_value=309, max_value=999_999).map(lambda power: f"1e{power}"),
    st.integers(min_value=309, max_value=999_999).map(lambda power: f"-1e-{power}"),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "-0"]),
)


@FUZZ
@given(
    field=st.sampled_from(
        ["harbour", "latitude", "longitude", "phone", "what_happened", "client_id"]
    ),
    number=HUGE_NUMBERS,
    top=st.booleans(),
)
def test_any_number(fuzz_app, field, number, top):
    body = json.dumps({**json_report(fuzz_app), field: "NUMBER"}).replace('"NUMBER"', number)
    headers = {**SAME_ORIGIN, "Content-Type": "application/json", "Accept": "application/json"}
    response = fuzz_app.test_client().post(
        "/sv/report", data=number if top else body, headers=headers
    )
    assert response.status_code in ANSWERS | {400}
    assert response.is_json
    assert_every_stored_report_is_valid(fuzz_app)


@FUZZ
@given(code=st.text(max_size=60), post=st.booleans())
def test_any_status_code(fuzz_app, code, post):
    client = fuzz_app.test_client()
    if post:
        response = client.post("/sv/status", data={"code": code})
        assert response.status_code in {200, 404, 422, 429}
    else:
        # An old link's code is not looked up: the empty form, under an address without it.
        response = client.get("/sv/status", query_string={"code": code})
        assert (response.status_code, response.location) == (303, "/sv/status")


def json_report(app):
    return {
        "client_id": str(uuid.uuid4()),
        "harbour": harbour_id(app),
        "observed_at": valid_time(),
        "categories": ["boat"],
        "what_happened": "x",
    }


def harbour_id(app):
    with app.app_context():
        return db.session.scalar(select(Harbour.id).filter_by(active=True))
