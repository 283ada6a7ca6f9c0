"""The pages everyone may read: the material, the checklist and the boat card."""

from .. import i18n
from ..rendering import render, shared_page
from ..reports import readers
from . import boat_card as card
from . import bp, promises
from . import checklist as catalogue


def home_revision():
    """Name what the home page shows of the database: the promises, and the harbours whose
    alerts it turns on."""
    return promises.revision(), readers.revision()


@bp.get("/")
@shared_page(revision=home_revision)
def home():
    """Show what Båtsamverkan is, the current citizen promise, alerts to turn on, and where to
    go from here."""
    return render("public/home.html", promise=current_promise())


@bp.get("/promise")
@shared_page(revision=promises.revision)
def promise():
    """Show the current citizen promise of the municipality and the police."""
    return render(
        "public/promise.html", promise=current_promise(), has_earlier=bool(promises.earlier())
    )


@bp.get("/promise/earlier")
@shared_page(revision=promises.revision)
def earlier_promises():
    """Show the citizen promises of earlier periods, in full."""
    earlier = [
        promises.shown(promise, i18n.current_language(), top_level=3)
        for promise in promises.earlier()
    ]
    return render("public/earlier_promises.html", promises=earlier)


def current_promise():
    return promises.shown(promises.current(), i18n.current_language())


@bp.get("/boat-watch")
@shared_page
def boat_watch():
    """Explain Båtsamverkan and Grannsamverkan, and how to start one."""
    return render("public/boat_watch.html")


@bp.get("/est")
@shared_page
def est():
    """Explain EST, the method for safety in public places."""
    return render("public/est.html")


@bp.get("/sspf")
@shared_page
def sspf():
    """Explain SSPF, the work with young people at risk."""
    return render("public/sspf.html")


@bp.get("/contact")
@shared_page
def contact():
    """List the police numbers and how to reach the municipality."""
    return render("public/contact.html")


@bp.get("/checklist")
@shared_page
def checklist():
    """Show the security checklist by season; the ticks are kept on the phone."""
    return render(
        "public/checklist.html",
        seasons=catalogue.by_season(),
        own_item_field=catalogue.own_item_field,
    )


@bp.get("/boat-card")
@shared_page
def boat_card():
    """Show the boat cards kept on the phone, and the form to fill one in."""
    return render("public/boat_card.html", card=card)


@bp.get("/stolen-boat")
@shared_page
def stolen_boat():
    """Gather what the police and the insurer ask for when a boat is stolen."""
    return render("public/stolen_boat.html", card=card)


@bp.get("/phone-data")
@shared_page
def phone_data():
    """Export, import or delete the checklist and the boat cards kept on the phone."""
    return render("public/phone_data.html")


@bp.get("/privacy")
@shared_page
def privacy():
    """Say what the app stores, where, for how long and who sees it."""
    return render("public/privacy.html")


@bp.get("/accessibility")
@shared_page
def accessibility():
    """Publish the accessibility statement."""
    return render("public/accessibility.html")


@bp.get("/offline")
@shared_page
def offline():
    """Tell the person that the page they asked for needs a connection."""
    return render("public/offline.html")
