"""The language of a request: the /<lang>/ URL prefix, the saved choice, Accept-Language."""

from flask import g, request, url_for

from .extensions import babel

#: The name of each language in itself, for the switch and the choice of an e-mail language.
NATIVE_NAMES = {"sv": "Svenska", "en": "English"}
LANGUAGES = tuple(NATIVE_NAMES)
DEFAULT_LANGUAGE = "sv"
#: Every localised URL begins with its language: /sv/… or /en/….
PREFIX = f"/<any({', '.join(LANGUAGES)}):lang>"
#: Remembers the language a person last read in, so `/` takes them back to it.
LANG_COOKIE = "lang"


def init_app(app):
    babel.init_app(app, locale_selector=current_language)
    app.jinja_env.globals.update(
        current_language=current_language, alternates=alternates, native_names=NATIVE_NAMES
    )


def current_language():
    """Return the language of this request: from its URL, else what the person prefers."""
    if "lang" not in g:
        prefix = request.path.split("/", 2)[1]
        g.lang = prefix if prefix in LANGUAGES else preferred_language()
    return g.lang


def preferred_language():
    """Return the saved choice, else the best match for Accept-Language, else Swedish."""
    saved = request.cookies.get(LANG_COOKIE)
    if saved in LANGUAGES:
        return saved
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def alternates():
    """Return (language, URL) of this page in each language; [] for a page without one."""
    rule = request.url_rule
    if rule is None or "lang" not in rule.arguments:
        return []
    # The query too: the inbox's filters or a looked-up code stay when the language changes.
    args = {**request.args.to_dict(), **(request.view_args or {})}
    return [(lang, url_for(request.endpoint, **{**args, "lang": lang})) for lang in LANGUAGES]


def localise(bp):
    """Make a blueprint's views take the language from their /<lang>/ prefix and keep it."""
    bp.url_value_preprocessor(pull_language)
    bp.url_defaults(add_language)
    bp.after_request(remember_language)


def pull_language(endpoint, values):
    g.lang = values.pop("lang")


def add_language(endpoint, values):
    values.setdefault("lang", current_language())


def remember_language(response):
    """Save the language of a page the person opened, for the next visit to `/`.

    Only when the browser navigates to a page (or does not say): not for a post, nor for the
    service worker's fetch of a page to keep, which is sent without cookies and would get a
    new one on every visit."""
    lang = g.get("lang")
    if (
        lang
        and request.method == "GET"
        and request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
        and request.cookies.get(LANG_COOKIE) != lang
    ):
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
    return response
