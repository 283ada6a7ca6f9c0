"""Citizen promises as the public pages show them: the current one, the archive, the text."""

from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import func, select

from ..extensions import db
from ..formatting import local_today, period_text
from ..models import Promise

#: CommonMark without raw HTML, and without images: a promise is text and links, and an image
#: would load from another site, which the CSP refuses anyway.
MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable("image")
#: What the rendered text may hold; nh3 (ammonia) removes anything else, a second guard should
#: the renderer ever let something through.
TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "blockquote"}
TAGS |= {"code", "pre", "br", "hr"}
#: Links to other sites, e-mail and this site's own pages; never javascript: or data:.
URL_SCHEMES = {"https", "http", "mailto"}


def to_html(text, top_level=2):
    """Render a promise's Markdown as safe HTML.

    The page has its own h1, its title: a `##` heading of the text is a section of the page,
    an h2 where the promise is the page (`top_level`), lower where it sits under a heading of
    its own; `#` counts as `##`.
    """
    tokens = MARKDOWN.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = max(int(token.tag[1]), 2) - 2 + top_level
            token.tag = f"h{min(6, level)}"
    html = MARKDOWN.renderer.render(tokens, MARKDOWN.options, {})
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes={"a": {"href"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


@dataclass(frozen=True)
class Shown:
    """A promise in one language: its text and signatories, or the Swedish ones marked so."""

    promise: Promise
    text: Markup
    signatories: str
    #: The language of text and signatories, if not the page's: the Swedish shown for want of
    #: an English text.
    lang: str | None

    @property
    def period(self):
        return period_text(self.promise.first_year, self.promise.last_year)

    def ended(self, today=None):
        """Tell whether the promise's period is over in Oxelösund."""
        return self.promise.last_year < (today or local_today()).year


def shown(promise, lang, top_level=2):
    """Return a promise as a page in `lang` shows it; None for no promise.

    The form asks for the English signatories with the English text, so a promise has both
    in a language or neither.
    """
    if promise is None:
        return None
    text = getattr(promise, f"text_{lang}")
    if not text:
        return Shown(promise, to_html(promise.text_sv, top_level), promise.signatories_sv, "sv")
    return Shown(promise, to_html(text, top_level), getattr(promise, f"signatories_{lang}"), None)


def published():
    """Select the published promises, the latest period first."""
    return (
        select(Promise)
        .where(Promise.published_at.is_not(None))
        .order_by(Promise.first_year.desc(), Promise.id.desc())
    )


def current():
    """Return the published promise of the latest period, or None."""
    return db.session.scalar(published().limit(1))


def earlier():
    """Return the published promises before the current one, the latest first."""
    return db.session.scalars(published().offset(1)).all()


#: What the pages that show a promise depend on: the latest change of a published promise,
#: how many there are, and the last year of the latest period.
REVISION = select(func.max(Promise.updated_at), func.count(), func.max(Promise.last_year)).where(
    Promise.published_at.is_not(None)
)


def revision():
    """Name the state of the published promises as the public pages show them.

    Part of the cache key of the pages that show a promise: publishing or changing one, and
    the end of the current period, change it. Read from the database at each request, so that
    every process of the app sees a change at once; the table holds a promise or two a year.
    The statement is made once and run on the session's connection, without the ORM's work,
    which would cost a cached page more than the query itself.
    """
    latest, count, last_year = db.session.connection().execute(REVISION).one()
    ended = last_year is not None and last_year < local_today().year
    return (latest, count, ended)
