"""What the app reads from every request before a view sees it: numbers in URLs, JSON bodies."""

from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, ValidationError

#: The largest value of the database's INTEGER columns (PostgreSQL's integer, four bytes);
#: SQLite takes eight, but a larger number fails there as an OverflowError.
MAX_INTEGER = 2**31 - 1


def init_app(app):
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.json = JSONProvider(app)


class BoundedIntegerConverter(IntegerConverter):
    """An `int` in a URL that the database can compare with its ids; a larger one is not found.

    Without the bound, /admin/accounts/99999999999999999999 reaches the query and fails there
    (500) instead of finding nothing. Not found rather than "no match" (ValidationError):
    Werkzeug would then answer 405 to a POST where a GET route has the same path.
    """

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INTEGER, signed=False):
        super().__init__(map, fixed_digits, min, MAX_INTEGER if max is None else max, signed)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise NotFound() from None


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading a body nested too deeply as unreadable like any other.

    The parser gives up on deep nesting (2,000 `[` are enough) with RecursionError rather
    than ValueError, which request.get_json would let through as a 500 and a traceback;
    as ValueError it is a 400 (or None when silent), as for any JSON that cannot be read.
    """

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply to read") from None
