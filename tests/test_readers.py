"""Reports reach someone who reads them, and the person who sent one is told who.

The form offers only harbours with an active contact person; a report for another active
harbour (from a form the service worker kept, or an outbox) is stored for the administrator,
and the receipt says so; the administrator is warned of every such harbour; an account with
no harbour is told so in its inbox. Also the small texts around the receipt and status.
"""

import html
import re

import pytest
from sqlalchemy import select

from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import Account, Harbour, Report
from tests.conftest import contact_person
from tests.staff import ADMIN, BO, KIM, PASSWORD, log_in
from tests.test_reports import JSON, SAME_ORIGIN, form_data

#: What the person reads, in each language.
TEXT = {
    "sv": {
        "contact person": "Den har gått till kontaktombudet för Femöresund, som läser den.",
        "administrator": (
            "Femöresund har inget kontaktombud just nu. Rapporten är sparad, och kommunens "
            "administratör läser den."
        ),
        "not listed": "Femöresund finns inte i listan: hamnen har inget kontaktombud just nu.",
        "warning": "1 hamn saknar kontaktombud",
        "no harbour": "Ditt konto har ingen hamn, så inga rapporter når dig.",
        "no reports": "Inga rapporter har kommit in ännu.",
        "length": "En referenskod har tio bokstäver och siffror; du skrev 8 tecken.",
        "characters": "En referenskod består bara av bokstäver och siffror",
        "unknown": "Ingen rapport har koden 7K3M9QX2PB.",
        "another": "Rapportera en ny iakttagelse",
        "my reports": "Mina rapporter",
        "only administrator": (
            "Ingen hamn har något kontaktombud ännu: kommunens administratör läser alla rapporter."
        ),
    },
    "en": {
        "contact person": "It has gone to the contact person for Femöresund, who reads it.",
        "administrator": (
            "Femöresund has no contact person at the moment. The report is kept, and the "
            "municipality’s administrator reads it."
        ),
        "not listed": "Femöresund is not in the list: it has no contact person at the moment.",
        "warning": "1 harbour has no contact person",
        "no harbour": "No harbour is assigned to your account, so no reports reach you.",
        "no reports": "No reports have arrived yet.",
        "length": "A reference code has ten letters and digits; you wrote 8 characters.",
        "characters": "A reference code has only letters and digits",
        "unknown": "No report has the code 7K3M9QX2PB.",
        "another": "Report another observation",
        "only administrator": (
            "No harbour has a contact person yet: the municipality’s administrator reads every "
            "report."
        ),
        "my reports": "My reports",
    },
}


def text(response):
    return html.unescape(response.get_data(as_text=True))


def offered(client, lang):
    form = text(client.get(f"/{lang}/report"))
    select_element = re.search(r'<select id="harbour".*?</select>', form, re.S).group()
    return re.findall(r'<option value="\d+">([^<]+)</option>', select_element), form


@pytest.fixture
def harbours(app):
    """Femöresund with a contact person, and the guest harbour with none: (femöresund, guest)."""
    with app.app_context():
        femoresund = Harbour(name="Femöresund", sort_order=1)
        guest = Harbour(name="Oxelösunds gästhamn", sort_order=2)
        db.session.add_all([femoresund, guest, contact_person(femoresund)])
        db.session.commit()
        return femoresund.id, guest.id


def lose_contact_persons(app):
    with app.app_context():
        for account in db.session.scalars(select(Account)):
            account.active = False
        db.session.commit()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_form_offers_only_harbours_whose_reports_someone_reads(app, client, harbours, lang):
    names, form = offered(client, lang)
    assert names == ["Femöresund"]
    assert TEXT[lang]["not listed"].replace("Femöresund", "Oxelösunds gästhamn") in form
    # An administrator assigned to a harbour is no contact person: they read every report.
    with app.app_context():
        guest = db.session.get(Harbour, harbours[1])
        create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True, harbours=[guest])
        db.session.commit()
    assert offered(client, lang)[0] == ["Femöresund"]
    # A deactivated contact person reads nothing either. With no contact person left at all
    # (as in a new installation) every harbour is offered, read by the administrator.
    lose_contact_persons(app)
    names, form = offered(client, lang)
    assert names == ["Femöresund", "Oxelösunds gästhamn"]
    assert TEXT[lang]["only administrator"] in form
    assert TEXT[lang]["not listed"] not in form


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_receipt_says_who_reads_the_report(app, client, harbours, lang):
    femoresund, _guest = harbours
    receipt = text(client.post(f"/{lang}/report", data=form_data(femoresund), headers=SAME_ORIGIN))
    assert TEXT[lang]["contact person"] in receipt
    assert TEXT[lang]["my reports"] not in receipt
    # Generic, never a person's name or address.
    assert "Contact person" not in receipt and "@example.org" not in receipt


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_report_for_a_harbour_that_lost_its_contact_person_is_kept_for_the_administrator(
    app, client, harbours, lang
):
    """As from a form the service worker kept, or an outbox, written before the change."""
    femoresund, _guest = harbours
    lose_contact_persons(app)
    data = form_data(femoresund)
    receipt = client.post(f"/{lang}/report", data=data, headers=SAME_ORIGIN)
    assert receipt.status_code == 201
    assert TEXT[lang]["administrator"] in text(receipt)
    answer = client.post(f"/{lang}/report", data=data, headers=JSON).get_json()
    assert (answer["harbour"], answer["read_by"]) == ("Femöresund", "administrator")
    with app.app_context():
        assert db.session.scalars(select(Report.harbour_id)).all() == [femoresund]


def test_a_report_for_a_harbour_never_offered_keeps_its_choice_when_it_needs_correcting(
    client, harbours
):
    _femoresund, guest = harbours
    data = form_data(guest, what_happened="")
    form = text(client.post("/sv/report", data=data, headers=SAME_ORIGIN))
    assert f'<option value="{guest}" selected>Oxelösunds gästhamn</option>' in form


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_htmx_gets_the_receipt_to_keep_in_my_reports(client, harbours, lang):
    femoresund, _guest = harbours
    headers = {**SAME_ORIGIN, "HX-Request": "true"}
    answer = client.post(f"/{lang}/report", data=form_data(femoresund), headers=headers)
    receipt = answer.get_json()
    assert answer.headers["HX-Redirect"] == f"/{lang}/report/receipt#{receipt['reference']}"
    assert (receipt["harbour"], receipt["read_by"]) == ("Femöresund", "contact_person")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_cached_receipt_and_the_form_carry_the_texts_of_my_reports(client, harbours, lang):
    receipt = text(client.get(f"/{lang}/report/receipt"))
    assert (
        'data-mine-contact-person="'
        + TEXT[lang]["contact person"].replace("Femöresund", "{harbour}")
        in receipt
    )
    assert f'href="/{lang}/report#my-reports"' in receipt
    form = text(client.get(f"/{lang}/report"))
    assert 'id="my-reports"' in form and TEXT[lang]["my reports"] in form
    assert TEXT[lang]["another"] in receipt


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_administrator_is_warned_of_harbours_without_a_contact_person(app, client, lang):
    with app.app_context():
        db.session.add(Harbour(name="Jogersö"))
        db.session.add(Harbour(name="Badhusviken", active=False))
        create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True)
        db.session.commit()
    log_in(client, ADMIN, lang=lang)
    for page in (f"/{lang}/inbox/", f"/{lang}/admin/harbours", f"/{lang}/admin/accounts"):
        shown = text(client.get(page))
        assert TEXT[lang]["warning"] in shown, page
        assert ">Jogersö</a>" in shown and "Badhusviken" not in shown.split("</nav>")[1][:2000]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_contact_person_sees_no_warning_and_an_account_without_harbours_is_told(
    app, client, staff, lang
):
    log_in(client, KIM, lang=lang)
    inbox = text(client.get(f"/{lang}/inbox/"))
    assert TEXT[lang]["warning"] not in inbox
    assert TEXT[lang]["no reports"] in inbox
    with app.app_context():
        db.session.scalars(select(Account).filter_by(email=BO)).one().harbours = []
        db.session.commit()
    client.post(f"/{lang}/logout")
    other = client.application.test_client()
    log_in(other, BO, lang=lang)
    inbox = text(other.get(f"/{lang}/inbox/"))
    assert TEXT[lang]["no harbour"] in inbox
    assert TEXT[lang]["no reports"] not in inbox


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize(
    "code, expected, status",
    [
        ("ABC", "length", 422),
        ("<script>", "length", 422),
        ("<script>ab", "characters", 422),
        ("7k3m-9qx2-pb", "unknown", 404),
    ],
)
def test_the_status_look_up_says_what_is_wrong_without_echoing_the_code_changed(
    client, lang, code, expected, status
):
    answer = client.post(f"/{lang}/status", data={"code": code})
    page = text(answer)
    assert answer.status_code == status
    assert TEXT[lang][expected].replace("8", str(len(code))) in page
    # What was typed stays in the field; never the code as read (O for 0, I for 1 …).
    assert "SCR1PT" not in page
    if expected != "unknown":
        assert TEXT[lang]["unknown"].split("7K3M")[0] not in page


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_stolen_boat_page_links_the_report_form_and_the_contact_page(client, lang):
    page = text(client.get(f"/{lang}/stolen-boat"))
    told = r"<li>[^<]*(Berätta för kontaktombudet|Tell your harbour).*?</li>"
    step = re.search(told, page, re.S)
    assert f'href="/{lang}/report"' in step.group()
    assert f'href="/{lang}/contact"' in step.group()
    contact = text(client.get(f"/{lang}/contact"))
    assert 'id="harbour-contact"' in contact
    assert f'href="/{lang}/report"' in contact
    for police in ('href="tel:112"', 'href="tel:11414"', "polisen.se"):
        assert police in contact


@pytest.mark.parametrize(
    "lang, said", [("sv", "Mina rapporter"), ("en", "My reports")], ids=["sv", "en"]
)
def test_the_privacy_page_says_my_reports_stay_on_the_phone(client, lang, said):
    page = text(client.get(f"/{lang}/privacy"))
    assert f'<a href="/{lang}/report#my-reports">{said}</a>' in page.replace("\n  ", " ")
