"""Accounts, log-in and reports for the tests of the contact persons' and administrators' side."""

import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete

from pwa.auth.accounts import create_account
from pwa.extensions import db
from pwa.models import AuditEvent, Harbour
from pwa.reports.plates import is_partial
from pwa.reports.submission import Observation, PlateEntry, submit_report

PASSWORD = "a long enough password"
ADMIN = "admin@example.org"
#: The contact person of the guest harbour, and the one of Femöresund.
KIM = "kim@example.org"
BO = "bo@example.org"


def add_staff():
    """Add two harbours, a contact person for each and an administrator; return the harbour ids."""
    guest = Harbour(name="Oxelösunds gästhamn", sort_order=1)
    femoresund = Harbour(name="Femöresund", sort_order=2)
    db.session.add_all([guest, femoresund])
    db.session.flush()
    create_account(ADMIN, "Alva Admin", PASSWORD, is_admin=True)
    create_account(KIM, "Kim Kontakt", PASSWORD, harbours=[guest])
    create_account(BO, "Bo Båt", PASSWORD, harbours=[femoresund], language="en")
    # Accounts that were there before the test: its audit log starts empty.
    db.session.execute(delete(AuditEvent))
    db.session.commit()
    return guest.id, femoresund.id


def csrf_token(client, url="/sv/login"):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def log_in(client, email, password=PASSWORD, lang="sv", **request):
    """Log in through the form; return the response. `request` goes to the client's post."""
    return client.post(
        f"/{lang}/login",
        data={
            "csrf_token": csrf_token(client, f"/{lang}/login"),
            "email": email,
            "password": password,
        },
        **request,
    )


def add_report(
    harbour_id,
    *,
    plates=(),
    what_happened="A white van drove along the pontoons.",
    categories=("vehicle",),
    hours_ago=1,
    **fields,
):
    """Store a report as the form would; return it."""
    observation = Observation(
        harbour_id=harbour_id,
        place=fields.get("place", "Pontoon C"),
        observed_at=datetime.now(UTC) - timedelta(hours=hours_ago),
        categories=tuple(categories),
        # A plate with a ? was seen in part: sent as uncertain, as the form requires.
        plates=tuple(PlateEntry("SE", text, is_partial(text)) for text in plates),
        vehicle=fields.get("vehicle", "White van"),
        direction=fields.get("direction", "Towards the town"),
        what_happened=what_happened,
        latitude=None,
        longitude=None,
        phone=fields.get("phone"),
    )
    report = submit_report(uuid.uuid4(), observation).report
    db.session.commit()
    return report


def choose_own_password(client, current, new, lang="sv"):
    """Change the logged-in person's password through the form; return the response."""
    url = f"/{lang}/account/password"
    return client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "current": current,
            "new": new,
            "confirm": new,
        },
    )
