import re

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from pwa.config import ROOT
from pwa.i18n import LANGUAGES


def catalogue(path):
    with (ROOT / "translations" / path).open("rb") as file:
        return read_po(file)


def forms(text):
    """Return the texts of a message: one, or each plural form."""
    return list(text) if isinstance(text, tuple | list) else [text]


def test_every_message_is_translated_in_every_language():
    template = {message.id for message in catalogue("messages.pot") if message.id}
    for lang in LANGUAGES:
        messages = [
            message for message in catalogue(f"{lang}/LC_MESSAGES/messages.po") if message.id
        ]
        assert {message.id for message in messages} == template, f"{lang}: run make translations"
        untranslated = [message.id for message in messages if not all(forms(message.string))]
        fuzzy = [message.id for message in messages if message.fuzzy]
        assert not untranslated, f"{lang} lacks: {untranslated}"
        assert not fuzzy, f"{lang} has fuzzy: {fuzzy}"


def test_swedish_is_not_a_copy_of_english():
    same = [
        m.id
        for m in catalogue("sv/LC_MESSAGES/messages.po")
        if m.id and m.string == m.id and len(m.id) > 12
    ]
    assert not same, same


def test_translations_keep_the_placeholders_of_the_message():
    placeholders = re.compile(r"%\(\w+\)s")
    for lang in LANGUAGES:
        wrong = [
            message.id
            for message in catalogue(f"{lang}/LC_MESSAGES/messages.po")
            if message.id
            for text in forms(message.string)
            if sorted(placeholders.findall(forms(message.id)[0]))
            != sorted(placeholders.findall(text))
        ]
        assert not wrong, f"{lang}: {wrong}"


def test_the_catalogues_hold_every_message_of_the_code(tmp_path, monkeypatch):
    """A message added to the code but not extracted would show in English to everyone."""
    pot = tmp_path / "messages.pot"
    monkeypatch.chdir(ROOT)
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(pot), "."]
    )
    with pot.open("rb") as file:
        in_code = {message.id for message in read_po(file) if message.id}
    assert in_code == {message.id for message in catalogue("messages.pot") if message.id}, (
        "run make translations"
    )
