"""The harbours a new installation starts with, read from harbours.toml beside this file."""

import tomllib
from pathlib import Path

from ..admin.forms import SORT_ORDER_RANGE
from ..validators import NAME_LENGTH, name_text

HARBOURS = Path(__file__).resolve().with_name("harbours.toml")


class SeedError(ValueError):
    """The seed file is not as `read_harbours` expects."""


def read_harbours(path=HARBOURS):
    """Return the seed file's harbours as dicts of name, sort_order and sources, in its order.

    Raise SeedError if it lists none, or a harbour lacks a name of 1 to 100 characters, a
    sort order the admin pages accept or a source, or two names differ only in case.
    """
    try:
        with Path(path).open("rb") as file:
            entries = tomllib.load(file).get("harbour", [])
    except tomllib.TOMLDecodeError as error:
        raise SeedError(f"{path} is not valid TOML: {error}") from None
    if not entries:
        raise SeedError(f"{path} lists no [[harbour]]")
    harbours, names = [], set()
    for number, entry in enumerate(entries, start=1):
        name = entry.get("name")
        name = name_text(name) if isinstance(name, str) else ""
        sort_order = entry.get("sort_order")
        sources = entry.get("sources")
        if not 1 <= len(name) <= NAME_LENGTH:
            raise SeedError(
                f"harbour {number} of {path} needs a name of 1 to {NAME_LENGTH} characters"
            )
        low, high = SORT_ORDER_RANGE
        if type(sort_order) is not int or not low <= sort_order <= high:
            raise SeedError(f"{name} in {path} needs a sort_order from {low} to {high}")
        if (
            not isinstance(sources, list)
            or not sources
            or not all(isinstance(source, str) and source.strip() for source in sources)
        ):
            raise SeedError(f"{name} in {path} needs its sources")
        if name.casefold() in names:
            raise SeedError(f"{name} is listed twice in {path}")
        names.add(name.casefold())
        harbours.append({"name": name, "sort_order": sort_order, "sources": list(sources)})
    return harbours
