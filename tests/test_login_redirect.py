"""Where a visitor without a session is sent, and where logging in brings them back to."""

from urllib.parse import parse_qs, urlsplit


def next_of(url):
    return parse_qs(urlsplit(url).query)["next"][0]


def test_a_page_without_a_session_asks_to_log_in_and_comes_back(client, staff):
    response = client.get("/en/inbox/?plate=ABC123")
    assert response.status_code == 303
    assert urlsplit(response.location).path == "/en/login"
    assert next_of(response.location) == "/en/inbox/?plate=ABC123"


def test_a_poll_without_a_session_sends_its_page_to_log_in(client, staff):
    response = client.get(
        "/sv/inbox/new?after=0",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/sv/inbox/?plate=ABC"},
    )
    assert response.status_code == 401
    redirect = response.headers["HX-Redirect"]
    assert urlsplit(redirect).path == "/sv/login"
    # Back to the inbox afterwards, not to the piece of it the poll asked for.
    assert next_of(redirect) == "/sv/inbox/?plate=ABC"
