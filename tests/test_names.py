"""Names of harbours and accounts: written one way, and only with characters one can see."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from pwa.extensions import db
from pwa.models import Account, Harbour
from pwa.validators import BLANK, name_is_visible, name_text
from tests.staff import ADMIN, log_in
from tests.test_admin import new_account, post, text_of


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        (" Oxelösunds gästhamn ", "Oxelösunds gästhamn"),
        ("Oxelo\u0308sunds\u00a0\u2003 gästhamn", "Oxelösunds gästhamn"),
        ("Gäst\ud800hamn", "Gäst\ufffdhamn"),
    ],
)
def test_a_name_is_composed_its_spaces_made_one_and_trimmed(typed, written):
    assert name_text(typed) == written


@pytest.mark.parametrize(
    "name",
    [
        "Gästhamn\u200b",
        "Gäst\u200dhamn",
        "Gäst\u00adhamn",
        "\u202eGästhamn",
        "Gäst\x00hamn",
        "Gäst\ufffdhamn",
        "\u2800",
        "Gäst\ue000hamn",
    ],
)
def test_invisible_characters_are_refused(name):
    assert not name_is_visible(name_text(name))


@given(
    st.text(st.characters(categories=["L", "M", "N", "P", "S"]), min_size=1).filter(
        lambda name: not set(name) & BLANK
    )
)
def test_letters_marks_digits_punctuation_and_symbols_are_visible(name):
    assert name_is_visible(name)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_admin_forms_store_a_name_written_one_way(app, client, staff, lang):
    log_in(client, ADMIN, lang=lang)
    harbour = post(client, f"/{lang}/admin/harbours/new", name=" Ga\u0308st\u00a0 brygga ")
    assert harbour.status_code == 303
    person = post(client, f"/{lang}/admin/accounts/new", **new_account(name="Stina\u2003Sjo\u0308"))
    assert person.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Harbour.name).filter_by(name="Gäst brygga"))
        assert db.session.scalar(select(Account.name).filter_by(email="stina@example.org")) == (
            "Stina Sjö"
        )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_long_word_up_to_the_limit_is_a_name_and_one_more_character_is_refused(
    app, client, staff, lang
):
    log_in(client, ADMIN, lang=lang)
    longest = "Hamn" * 25
    assert post(client, f"/{lang}/admin/harbours/new", name=longest).status_code == 303
    refused = post(client, f"/{lang}/admin/harbours/new", name=longest + "x")
    assert refused.status_code == 422
    limit = {
        "sv": "Skriv högst 100 tecken (nu 101).",
        "en": "Write at most 100 characters (now 101).",
    }
    assert limit[lang] in text_of(refused)
