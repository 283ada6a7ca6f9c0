"""Citizen promises: published by the administrator, shown with their period, kept in an
archive, rendered from Markdown without anything unsafe, and never served stale from the cache."""

import html
import re
import time
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from pwa.config import TestConfig
from pwa.extensions import db
from pwa.formatting import local_today
from pwa.models import AuditEvent, Promise
from pwa.public.promises import to_html
from tests.staff import ADMIN, csrf_token, log_in

THIS_YEAR = local_today().year


@pytest.fixture
def admin(client, staff):
    log_in(client, ADMIN)
    return client


def text_of(response):
    return html.unescape(response.get_data(as_text=True))


def promise_form(**changes):
    data = {
        "first_year": str(THIS_YEAR),
        "last_year": str(THIS_YEAR + 1),
        "text_sv": "Vi lovar att **lysa upp** bryggorna.\n\n## Så gör vi\n\nFler lampor.",
        "text_en": "We promise to **light** the pontoons.\n\n## How\n\nMore lamps.",
        "signatories_sv": "Undertecknat av Ada Ordförande och Per Polis.",
        "signatories_en": "Signed by Ada Chair and Per Police.",
    }
    data.update(changes)
    return data


def post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def publish_new(admin, **changes):
    """Write a promise through the admin pages and publish it; return its id."""
    saved = post(admin, "/sv/admin/promises/new", **promise_form(**changes))
    assert saved.status_code == 303, text_of(saved)
    promise_id = int(saved.location.rsplit("/", 1)[1])
    edit_url = f"/sv/admin/promises/{promise_id}"
    published = admin.post(f"{edit_url}/publish", data={"csrf_token": csrf_token(admin, edit_url)})
    assert published.status_code == 303
    return promise_id


def main(response):
    """Return the text of the page's main element from its heading on, tags taken out (the
    hidden note on installing the app comes before it)."""
    page = response.get_data(as_text=True)
    content = re.search(r"<main[^>]*>.*?(<h1.*)</main>", page, re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def test_the_promise_of_2024_2025_from_the_seed_is_the_first(app, client):
    with app.app_context():
        [promise] = db.session.scalars(select(Promise)).all()
        assert (promise.first_year, promise.last_year) == (2024, 2025)
        assert promise.published_at is not None
    swedish, english = main(client.get("/sv/promise")), main(client.get("/en/promise"))
    assert swedish.startswith("Medborgarlöfte 2024–2025")
    assert "Polisen och kommunen ska skapa förutsättningar" in swedish
    assert "Undertecknat av Dag Bergentoft" in swedish
    assert english.startswith("Citizen promise 2024–2025")
    assert "Signed by Dag Bergentoft" in english
    assert "Medborgarlöftet" not in english


@pytest.mark.parametrize(
    ("lang", "ended"),
    [
        (
            "sv",
            "Medborgarlöftet för 2024–2025 gällde till och med 2025. Kommunen och polisen"
            " arbetar nu fram nästa medborgarlöfte",
        ),
        (
            "en",
            "The citizen promise for 2024–2025 ran until the end of 2025. The municipality"
            " and the police are preparing the next promise",
        ),
    ],
)
def test_after_its_period_the_pages_say_the_next_promise_is_being_prepared(client, lang, ended):
    """In December 2026 the promise of 2024–2025 is no longer presented as current."""
    for path in (f"/{lang}/", f"/{lang}/promise"):
        text = main(client.get(path))
        assert ended in text, path
        assert "har nu skrivit under" not in text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_administrator_publishes_a_new_promise_and_the_old_one_goes_to_the_archive(
    app, admin, lang
):
    saved = post(admin, f"/{lang}/admin/promises/new", **promise_form())
    assert saved.status_code == 303
    preview = admin.get(saved.location)
    # A draft: previewed in both languages for the administrator, not shown to anyone else.
    assert "Vi lovar att <strong>lysa upp</strong> bryggorna." in preview.get_data(as_text=True)
    assert "We promise to <strong>light</strong> the pontoons." in preview.get_data(as_text=True)
    assert "Ada" not in main(app.test_client().get(f"/{lang}/promise"))

    promise_id = int(saved.location.rsplit("/", 1)[1])
    url = f"/{lang}/admin/promises/{promise_id}"
    admin.post(f"{url}/publish", data={"csrf_token": csrf_token(admin, url)})

    period = f"{THIS_YEAR}–{THIS_YEAR + 1}"
    visitor = app.test_client()
    home, promise = main(visitor.get(f"/{lang}/")), main(visitor.get(f"/{lang}/promise"))
    signatories = {"sv": "Undertecknat av Ada Ordförande", "en": "Signed by Ada Chair"}[lang]
    title = {"sv": f"Medborgarlöfte {period}", "en": f"Citizen promise {period}"}[lang]
    assert title in home and signatories in home
    assert promise.startswith(title) and signatories in promise
    assert {"sv": "Fler lampor.", "en": "More lamps."}[lang] in promise
    assert {"sv": "arbetar nu fram nästa", "en": "preparing the next"}[lang] not in home + promise
    earlier = visitor.get(f"/{lang}/promise/earlier")
    assert f'href="/{lang}/promise/earlier"' in visitor.get(f"/{lang}/promise").text
    assert {"sv": "Medborgarlöfte 2024–2025", "en": "Citizen promise 2024–2025"}[lang] in main(
        earlier
    )
    assert {"sv": "Undertecknat av Dag Bergentoft", "en": "Signed by Dag Bergentoft"}[lang] in main(
        earlier
    )
    assert "Ada" not in main(earlier)
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("promise_%")).order_by(AuditEvent.id)
        ).all()
        assert [(event.action, event.actor) for event in events] == [
            ("promise_added", ADMIN),
            ("promise_published", ADMIN),
        ]
        assert events[1].details == {
            "promise_id": promise_id,
            "first_year": THIS_YEAR,
            "last_year": THIS_YEAR + 1,
        }
    log = main(admin.get(f"/{lang}/admin/audit"))
    assert {
        "sv": f"publicerade medborgarlöftet för {period}",
        "en": f"published the citizen promise for {period}",
    }[lang] in log


def test_the_archive_headings_sit_under_each_promise(app, admin):
    client = app.test_client()
    publish_new(admin)
    page = client.get("/en/promise/earlier").get_data(as_text=True)
    assert '<h2 id="promise-1">Citizen promise 2024–2025</h2>' in page
    assert "<h3>What is a citizen promise?</h3>" in page
    assert "<h2>What is a citizen promise?</h2>" not in page


def test_without_an_english_text_the_english_pages_show_the_swedish_marked_swedish(app, admin):
    client = app.test_client()
    publish_new(admin, text_en="", signatories_en="")
    page = client.get("/en/promise").get_data(as_text=True)
    assert '<div class="promise-text" lang="sv">' in page
    assert "Vi lovar att <strong>lysa upp</strong> bryggorna." in page
    assert "Undertecknat av Ada Ordförande" in page
    home = client.get("/en/").get_data(as_text=True)
    assert '<p class="signatories" lang="sv">Undertecknat av Ada Ordförande' in home


def test_a_published_promise_corrected_shows_the_correction(app, admin):
    client = app.test_client()
    promise_id = publish_new(admin)
    assert "More lamps." in main(client.get("/en/promise"))
    url = f"/en/admin/promises/{promise_id}"
    post(admin, url, **promise_form(text_en="We promise brighter pontoons."))
    page = main(client.get("/en/promise"))
    assert "We promise brighter pontoons." in page and "More lamps." not in page
    with app.app_context():
        [changed] = db.session.scalars(select(AuditEvent).filter_by(action="promise_changed"))
        assert changed.details["fields"] == ["text_en"]


@pytest.mark.parametrize(
    ("lang", "changes", "message"),
    [
        ("sv", {"first_year": "20x6"}, "Skriv ett år från 2000 till 2099."),
        ("en", {"last_year": "1999"}, "Write a year from 2000 to 2099."),
        ("en", {"last_year": str(THIS_YEAR - 1)}, "The last year cannot come before the first."),
        ("sv", {"last_year": str(THIS_YEAR - 1)}, "Det sista året kan inte komma före det första."),
        ("sv", {"text_sv": "  "}, "Skriv medborgarlöftets text på svenska."),
        ("en", {"signatories_sv": ""}, "Write who signed the promise."),
        (
            "en",
            {"signatories_en": ""},
            "Write who signed it in English too, with the English text.",
        ),
        (
            "sv",
            {"signatories_en": ""},
            "Skriv vem som undertecknade på engelska också, tillsammans med den engelska texten.",
        ),
        (
            "en",
            {"signatories_en": "Signed\nby two"},
            "Write it on one line, without line breaks, tabs or control characters.",
        ),
    ],
)
def test_a_wrong_promise_is_refused_and_the_form_keeps_what_was_typed(
    app, admin, lang, changes, message
):
    data = promise_form(**changes)
    response = post(admin, f"/{lang}/admin/promises/new", **data)
    assert response.status_code == 422
    page = text_of(response)
    assert message in page
    assert data["text_en"] in page
    with app.app_context():
        assert db.session.scalar(select(Promise).filter_by(first_year=THIS_YEAR)) is None


UNSAFE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "![a photo](https://evil.example/track.png)",
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="https://evil.example" onclick="alert(1)">a link</a>',
    "<iframe src=https://evil.example></iframe>",
    '<p style="position:fixed">cover</p>',
    "<svg onload=alert(1)>",
]


class Elements(HTMLParser):
    """The elements of a piece of HTML, each with its attributes."""

    def __init__(self, markup):
        super().__init__()
        self.found = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("markdown", UNSAFE)
def test_the_markdown_renders_nothing_that_runs_loads_or_styles(markdown):
    rendered = str(to_html(f"Before.\n\n{markdown}\n\nAfter."))
    for tag, attributes in Elements(rendered).found:
        assert tag in {"p", "a"}, rendered
        assert set(attributes) <= {"href", "rel"}, rendered
        assert attributes.get("href", "https:").startswith(("https:", "mailto:", "/")), rendered
    assert rendered.startswith("<p>Before.</p>") and rendered.endswith("<p>After.</p>\n")


def test_raw_html_is_shown_as_text_and_safe_links_stay(app, admin):
    client = app.test_client()
    publish_new(
        admin,
        text_en="<script>alert(1)</script>\n\n[Police](https://polisen.se/) and "
        "[Boat Watch](/en/boat-watch) and [mail](mailto:kommun@oxelosund.se)",
    )
    page = client.get("/en/promise").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert '<a href="https://polisen.se/" rel="noopener noreferrer">Police</a>' in page
    assert '<a href="/en/boat-watch" rel="noopener noreferrer">Boat Watch</a>' in page
    assert '<a href="mailto:kommun@oxelosund.se" rel="noopener noreferrer">mail</a>' in page


@pytest.mark.parametrize("path", ["/sv/", "/en/promise", "/sv/promise/earlier"])
def test_the_cached_page_changes_when_a_promise_is_published(app, admin, path):
    client = app.test_client()
    before = client.get(path)
    assert client.get(path).headers["ETag"] == before.headers["ETag"]
    publish_new(admin)
    after = client.get(path)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert client.get(path).headers["ETag"] == after.headers["ETag"]
    assert ("Ada" in after.text) != path.endswith("/earlier")


def test_every_process_shows_a_promise_published_in_another(app, admin, make_app):
    """Two apps on one database, as two gunicorn workers: each has its own page cache, and
    asks the database whether the promises changed at most every PAGE_REVISION_SECONDS."""

    class Worker(TestConfig):
        PAGE_REVISION_SECONDS = 0.2

    other = make_app(Worker).test_client()
    before = other.get("/sv/promise")
    assert other.get("/sv/promise").headers["ETag"] == before.headers["ETag"]
    promise_id = publish_new(admin)
    time.sleep(Worker.PAGE_REVISION_SECONDS)
    assert "Vi lovar att" in other.get("/sv/promise").text
    post(admin, f"/sv/admin/promises/{promise_id}", **promise_form(text_sv="Ljusare bryggor."))
    time.sleep(Worker.PAGE_REVISION_SECONDS)
    assert "Ljusare bryggor." in other.get("/sv/promise").text


def test_a_draft_changes_no_public_page(app, admin):
    client = app.test_client()
    before = client.get("/sv/").headers["ETag"]
    post(admin, "/sv/admin/promises/new", **promise_form())
    assert client.get("/sv/").headers["ETag"] == before


def test_the_promise_pages_are_data_pages_of_the_service_worker(client):
    source = client.get("/sw.js").get_data(as_text=True)
    data = source.split("const DATA_PAGES = ", 1)[1].split(";\n", 1)[0]
    for path in ("/sv/", "/en/", "/sv/promise", "/en/promise", "/sv/promise/earlier"):
        assert f'"{path}"' in data
