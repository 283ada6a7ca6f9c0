"""A password someone else chose (a new account, one set by the administrator or the command
line) must be changed at the first log-in before any staff page opens."""

import pytest
from sqlalchemy import select

from pwa.extensions import db
from pwa.models import Account, AuditEvent
from tests.staff import ADMIN, KIM, PASSWORD, choose_own_password, csrf_token, log_in

GIVEN = "a password the administrator chose"
OWN = "a password of Stina's own choosing"
STAFF_PAGES = ["/{lang}/inbox/", "/{lang}/admin/accounts", "/{lang}/admin/promises"]


@pytest.fixture
def admin(client, staff):
    log_in(client, ADMIN)
    return client


def add_stina(admin, role="admin"):
    url = "/sv/admin/accounts/new"
    response = admin.post(
        url,
        data={
            "csrf_token": csrf_token(admin, url),
            "email": "stina@example.org",
            "name": "Stina Sjö",
            "role": role,
            "language": "sv",
            "active": "y",
            "password": GIVEN,
            "confirm": GIVEN,
        },
    )
    assert response.status_code == 303


def must_change(app, email):
    with app.app_context():
        return db.session.scalar(select(Account.must_change_password).filter_by(email=email))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_new_account_opens_no_staff_page_until_its_password_is_changed(app, admin, lang):
    add_stina(admin)
    assert must_change(app, "stina@example.org")
    stina = app.test_client()
    assert log_in(stina, "stina@example.org", GIVEN, lang=lang).status_code == 303
    for page in STAFF_PAGES:
        answer = stina.get(page.format(lang=lang))
        assert (answer.status_code, answer.location) == (303, f"/{lang}/account/password"), page
    # The inbox's poll, made by htmx, is sent to the same page rather than swapping it in.
    poll = stina.get(f"/{lang}/inbox/new?after=0", headers={"HX-Request": "true"})
    assert poll.headers["HX-Redirect"] == f"/{lang}/account/password"
    change = stina.get(f"/{lang}/account/password")
    assert change.status_code == 200
    said = {
        "sv": "Du har fått det här lösenordet av någon annan. Välj ett eget",
        "en": "You were given this password by someone else. Choose your own",
    }[lang]
    assert said in change.text

    assert choose_own_password(stina, GIVEN, OWN, lang=lang).status_code == 303
    assert not must_change(app, "stina@example.org")
    for page in STAFF_PAGES:
        assert stina.get(page.format(lang=lang)).status_code == 200, page
    assert said not in stina.get(f"/{lang}/account/password").text
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor == "stina@example.org")
        ).all()
        assert actions == ["logged_in", "password_changed"]


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("sv", "Välj ett annat lösenord än det nuvarande."),
        ("en", "Choose a password other than the current one."),
    ],
)
def test_the_given_password_typed_again_is_no_change(app, admin, lang, message):
    add_stina(admin)
    stina = app.test_client()
    log_in(stina, "stina@example.org", GIVEN)
    refused = choose_own_password(stina, GIVEN, GIVEN, lang=lang)
    assert refused.status_code == 422
    assert message in refused.text
    assert must_change(app, "stina@example.org")


def test_logging_out_stays_open_before_the_password_is_changed(app, admin):
    add_stina(admin, role="contact")
    stina = app.test_client()
    log_in(stina, "stina@example.org", GIVEN)
    token = csrf_token(stina, "/sv/account/password")
    assert stina.post("/sv/logout", data={"csrf_token": token}).location == "/sv/login"
    assert stina.get("/sv/inbox/").location.startswith("/sv/login")


def test_a_password_the_administrator_sets_must_be_changed_but_not_their_own(app, admin, staff):
    with app.app_context():
        kim_id, admin_id = (
            db.session.scalar(select(Account.id).filter_by(email=email)) for email in (KIM, ADMIN)
        )
    for account_id in (kim_id, admin_id):
        url = f"/sv/admin/accounts/{account_id}/password"
        admin.post(
            url,
            data={"csrf_token": csrf_token(admin, url), "password": GIVEN, "confirm": GIVEN},
        )
    assert must_change(app, KIM)
    assert not must_change(app, ADMIN)
    kim = app.test_client()
    log_in(kim, KIM, GIVEN)
    assert kim.get("/sv/inbox/").location == "/sv/account/password"
    assert admin.get("/sv/inbox/").status_code == 200


def test_a_password_set_from_the_command_line_must_be_changed(app, runner, staff, client):
    runner.invoke(args=["accounts", "set-password", KIM], input=GIVEN)
    assert must_change(app, KIM)
    log_in(client, KIM, GIVEN)
    assert client.get("/sv/inbox/").location == "/sv/account/password"
    choose_own_password(client, GIVEN, PASSWORD + " and more")
    assert client.get("/sv/inbox/").status_code == 200
