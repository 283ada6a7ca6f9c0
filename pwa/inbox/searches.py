"""The inbox's filters, kept in the person's session: an address names them by an id only.

A registration number searched for is personal data. In an address it would be kept in the
browser's history, in the server's access log, and in every poll and page link of the inbox;
here it travels in the body of a post and stays in the session, which ends at log-out.
"""

import secrets

from flask import session

#: The session key of the filters applied: [id, fields as typed] pairs, oldest first.
KEY = "inbox_filters"
#: Filters kept at most, so that the session stays small: one for each open tab of the
#: inbox, and some to go back to.
KEPT = 20


def remember(values):
    """Keep the filters (the fields filled in, as typed); return the id an address names them by.

    The same filters keep their id, so that going back and forth adds nothing.
    """
    kept = [pair for pair in session.get(KEY, []) if pair[1] != values]
    known = [search_id for search_id, kept_values in session.get(KEY, []) if kept_values == values]
    search_id = known[0] if known else secrets.token_urlsafe(6)
    session[KEY] = [*kept, [search_id, values]][-KEPT:]
    return search_id


def recall(search_id):
    """Return the filters kept under the id, or None if the session has none such."""
    for kept_id, values in session.get(KEY, []):
        if kept_id == search_id:
            return values
    return None
