"""The base of the app's forms."""

import functools

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


class Form(FlaskForm):
    """A Flask-WTF form whose WTForms messages ("Not a valid choice." …) are in the person's
    language, from a catalogue read once per language rather than once per request."""

    class Meta:
        def get_translations(self, form):
            return wtforms_catalogue(str(get_locale()))


@functools.cache
def wtforms_catalogue(locale):
    return support.Translations.load(messages_path(), [locale], domain="wtforms")
