"""The boat security checklist: what to do, in which season, and why.

Written from what the police, the insurers and Stöldskyddsföreningen (SSF) advise boat
owners. The ids are stored on people's phones with their ticks: never change or reuse one.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .boat_card import Field


@dataclass(frozen=True)
class Season:
    id: str
    title: str
    #: The months (1–12) the season covers on the phone's calendar; none for all year.
    months: tuple[int, ...]


@dataclass(frozen=True)
class Item:
    id: str
    season: str
    title: str
    why: str


#: The longest item a person may add to the checklist, in characters.
OWN_ITEM_LENGTH = 120

ALL_YEAR = Season("all-year", _l("All year"), ())
SEASONS = (
    ALL_YEAR,
    Season("spring", _l("Spring launch"), (4, 5)),
    Season("summer", _l("Summer"), (6, 7, 8)),
    Season("autumn", _l("Autumn haul-out"), (9, 10)),
    Season("winter", _l("Winter"), (11, 12, 1, 2, 3)),
)

ITEMS = (
    Item(
        "record-numbers",
        "all-year",
        _l(
            "Write down the hull number (CIN) and the engine’s make, power and serial number, "
            "and keep them off the boat"
        ),
        _l(
            "The police can only return what they can identify, and most stolen engines are "
            "never traced because nobody knows their serial number. A note kept in the boat "
            "leaves with the thief."
        ),
    ),
    Item(
        "photograph",
        "all-year",
        _l("Photograph the boat, the engine, the type plates and whatever makes them recognisable"),
        _l(
            "Photos of type plates, scratches, repairs and stickers help the police and customs "
            "recognise your property, and the insurer settles the claim faster."
        ),
    ),
    Item(
        "mark-visible-hidden",
        "all-year",
        _l(
            "Mark the engine and the boat both visibly and hidden: DNA marking, microdots or "
            "engraving"
        ),
        _l(
            "Visible marking makes a thief choose another boat. Hidden marking proves the "
            "property is yours when the visible marks have been ground off, and marked engines "
            "are harder to sell abroad."
        ),
    ),
    Item(
        "marking-sign",
        "all-year",
        _l("Put up the sticker that says the boat and engine are marked"),
        _l(
            "Marking deters only if the thief knows about it. The sticker is what they see from "
            "the pontoon."
        ),
    ),
    Item(
        "insurance-rules",
        "all-year",
        _l("Check your insurer’s rules for locks and winter storage"),
        _l(
            "Several insurers demand a certified lock on outboard engines up to 50 hp and have "
            "rules for where the engine is kept in winter. If the rules were not followed, the "
            "compensation can be cut or refused."
        ),
    ),
    Item(
        "certified-locks",
        "all-year",
        _l("Lock the engine and its bracket with certified locks"),
        _l(
            "An ordinary padlock is cut in seconds. A lock approved by Stöldskyddsföreningen "
            "(SSF) takes time and makes noise, which is what makes thieves give up, and insurers "
            "often require one."
        ),
    ),
    Item(
        "update-boat-card",
        "all-year",
        _l("Update the boat card when the equipment changes"),
        _l(
            "A new engine, plotter or tracker has a new serial number. The card helps only if it "
            "describes what was actually stolen."
        ),
    ),
    Item(
        "never-intervene",
        "all-year",
        _l("Never intervene: call 112 when a crime is in progress, otherwise 114 14"),
        _l(
            "Thieves can be dangerous. What you saw is worth more: the time, vehicles, "
            "registration numbers and which way they went. Let the police act."
        ),
    ),
    Item(
        "greet-and-note",
        "all-year",
        _l("Greet people you do not recognise, and note vehicles and boats that do not belong"),
        _l(
            "Being noticed is what thieves fear most. A registration number or a description "
            "helps the police connect thefts along the coast."
        ),
    ),
    Item(
        "engine-on-late",
        "spring",
        _l("Fit the engine as late as possible before launching"),
        _l(
            "An engine on a boat ashore is easy to reach and hard to watch over. The shorter it "
            "sits there, the smaller the risk."
        ),
    ),
    Item(
        "never-unattended-ashore",
        "spring",
        _l("Never leave the engine on an unattended boat ashore or on its trailer"),
        _l(
            "Boats on stands and trailers are among the easiest targets: the engine can be "
            "lifted straight into a van, often at night."
        ),
    ),
    Item(
        "test-tracker",
        "spring",
        _l("Test the tracker and the immobiliser, and renew their subscriptions"),
        _l(
            "A flat battery or an expired subscription is otherwise found out after the theft. "
            "A working tracker is often how a stolen boat is found."
        ),
    ),
    Item(
        "lock-trailer",
        "spring",
        _l("Lock the trailer with a hitch lock and a wheel clamp"),
        _l(
            "An unlocked trailer can be hitched up and driven away in a minute, with or without "
            "the boat on it."
        ),
    ),
    Item(
        "check-locks",
        "spring",
        _l("Check that locks, chains and wires still work after the winter"),
        _l("Salt and frost ruin locks. A lock that has seized is left open, and thieves notice."),
    ),
    Item(
        "take-home",
        "summer",
        _l("Take home the electronics, the keys, the kill cord and the loose fuel tank"),
        _l(
            "Plotters and radios are what thieves look for first, and without the kill cord and "
            "the tank the boat is hard to drive away."
        ),
    ),
    Item(
        "lock-to-pontoon",
        "summer",
        _l("Lock the boat to the pontoon with a chain or wire and a certified lock"),
        _l(
            "A mooring line is cut in a second. A locked chain stops the boat from being towed "
            "away at night."
        ),
    ),
    Item(
        "lock-tender",
        "summer",
        _l("Lock the tender and its engine too"),
        _l(
            "Small outboard engines are light to carry and quick to sell, so they are stolen "
            "more often than big ones."
        ),
    ),
    Item(
        "alert-late-summer",
        "summer",
        _l("Be extra alert in August and September"),
        _l(
            "Late in the summer, when the harbours empty but the boats are still in the water, "
            "many engines are stolen, often several in one night."
        ),
    ),
    Item(
        "engine-indoors",
        "autumn",
        _l("At haul-out, take the engine off and store it locked indoors"),
        _l(
            "About half of all engine thefts happen in winter. An engine behind a locked door is "
            "much harder to take than one on a boat in a yard, and many insurers require it."
        ),
    ),
    Item(
        "empty-the-boat",
        "autumn",
        _l("Empty the boat of valuables and loose equipment"),
        _l(
            "Electronics, life jackets and tools left aboard are worth breaking in for. An empty "
            "boat is left alone."
        ),
    ),
    Item(
        "light-storage",
        "autumn",
        _l("Keep the storage area lit"),
        _l(
            "Thieves avoid light. Lighting, preferably with motion sensors, lets others see a "
            "break-in or a van being loaded."
        ),
    ),
    Item(
        "late-harbour-watch",
        "autumn",
        _l("Keep the harbour watch going into late autumn"),
        _l(
            "Thefts go on as long as boats are in the water, but watch rounds often stop when "
            "the holidays end."
        ),
    ),
    Item(
        "visit-in-winter",
        "winter",
        _l("Visit the boat and the stored engine regularly"),
        _l(
            "A theft found early is reported early, while the engine may still be in the "
            "country. Check covers, locks and that everything is in place."
        ),
    ),
    Item(
        "storage-keys",
        "winter",
        _l("Find out who has keys to the winter storage and whether its doors are checked"),
        _l(
            "Shared storage is only as safe as its least careful key holder. Ask the yard or the "
            "club how keys are handed out and who locks up."
        ),
    ),
)


def by_season():
    """Return (season, its items) for every season, all year first, then in calendar order."""
    return [(season, [item for item in ITEMS if item.season == season.id]) for season in SEASONS]


def season_of(month):
    """Return the season that a month (1–12) belongs to."""
    return next(season for season in SEASONS if month in season.months)


def own_item_field(season):
    """Return the field for adding one's own item to a season."""
    return Field(
        "title",
        _l("Your own item for %(season)s", season=season.title),
        OWN_ITEM_LENGTH,
        required=True,
    )
