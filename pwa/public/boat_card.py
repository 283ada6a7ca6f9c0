"""The fields of the boat card: what the police and the insurer ask for when a boat is stolen.

The card itself is kept only on the person's phone (static/js/phone-data.js); the server
renders the form, the limits and the labels from these lists. The names are stored on
phones and in export files: never rename one.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    #: Longer input is refused with a message, not cut off, so nothing typed is lost.
    max_length: int = 80
    #: text, textarea, decimal, cin or select.
    kind: str = "text"
    hint: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()


BOAT_FIELDS = (
    Field("name", _l("Name of the boat"), 60, required=True),
    Field("type", _l("Type of boat"), 40, hint=_l("For example motorboat, sailing boat or RIB.")),
    Field("make_model", _l("Make and model"), 80),
    Field("colour", _l("Colour"), 60, hint=_l("Of the hull, the superstructure and details.")),
    Field("length", _l("Length in metres"), 6, kind="decimal", hint=_l("For example 5.8.")),
    Field(
        "cin",
        _l("Hull identification number (CIN)"),
        20,
        kind="cin",
        hint=_l(
            "14 characters, for example SE-ABC12345D404. It is on a plate or engraved at the "
            "stern, on the starboard side."
        ),
    ),
    Field(
        "features",
        _l("Distinguishing marks"),
        300,
        kind="textarea",
        hint=_l(
            "Stickers, repairs, scratches, special equipment: what makes the boat recognisable."
        ),
    ),
    Field("harbour", _l("Harbour or storage place"), 80),
    Field("berth", _l("Berth"), 20, hint=_l("Number or place at the pontoon.")),
    Field("insurer", _l("Insurance company"), 60),
    Field("policy", _l("Insurance policy number"), 40),
)

ENGINE_FIELDS = (
    Field("make", _l("Make and model"), 60),
    Field("power", _l("Power in hp"), 6, kind="decimal", hint=_l("For example 9.9.")),
    Field(
        "serial",
        _l("Serial number"),
        40,
        hint=_l("On the type plate, usually on the engine bracket."),
    ),
    Field(
        "marking",
        _l("Marking"),
        kind="select",
        choices=(
            ("", _l("Not marked")),
            ("dna", _l("DNA marking")),
            ("microdots", _l("Microdots")),
            ("engraving", _l("Engraving")),
            ("other", _l("Other marking")),
        ),
    ),
    Field(
        "marking_id",
        _l("Marking ID"),
        40,
        hint=_l("The number of the marking kit or of its register entry."),
    ),
    Field(
        "tracker",
        _l("Tracker"),
        80,
        hint=_l("Make, and how to find the engine or boat with it, if one is fitted."),
    ),
)

#: Photos are scaled down on the phone before they are stored; a few are enough for the police.
MAX_PHOTOS = 8
#: The longest side of a stored photo, in pixels.
PHOTO_SIZE = 1280
