"""Web Push (RFC 8030) with VAPID (RFC 8292), through pywebpush: the app's key, and one push.

The app signs each push with its VAPID key, so that a push service accepts pushes to a
subscription only from the server whose public key the browser subscribed with. pywebpush
encrypts the payload for the one browser that holds the subscription's keys (RFC 8291,
`aes128gcm`): the push service carries it without being able to read it.
"""

import base64
import json
import threading
import time
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPusher

#: A push service may keep a push at most this long for a phone that is off (RFC 8030 §5.2
#: lets it keep less); an alert that has ended by then is not worth showing.
MAX_TTL_SECONDS = 28 * 24 * 3600
#: A VAPID token is valid for 12 hours (at most 24 are allowed) and made anew after 11.
TOKEN_SECONDS = 12 * 3600
TOKEN_RENEWAL_SECONDS = 11 * 3600
#: Seconds to wait for a push service to answer.
TIMEOUT_SECONDS = 10
#: The longest push address a browser has been seen to give is under 500 characters.
MAX_ENDPOINT = 1000


def is_push_address(endpoint):
    """Tell whether `endpoint` can be a browser's push address: HTTPS on the usual port, to
    one of PUSH_SERVICE_HOSTS or a host under one, and not too long. Any other address would
    make the server post to whatever host a stranger named. The tests' push services on
    http://127.0.0.1 are taken under TESTING."""
    config = current_app.config
    if not isinstance(endpoint, str) or len(endpoint) > MAX_ENDPOINT:
        return False
    if config["TESTING"] and endpoint.startswith("http://127.0.0.1:"):
        return True
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:  # an unreadable port or address
        return False
    host = parts.hostname or ""
    return (
        parts.scheme == "https"
        and port in (None, 443)
        and any(
            host == allowed or host.endswith("." + allowed)
            for allowed in config["PUSH_SERVICE_HOSTS"]
        )
    )


def new_private_key():
    """Return a new VAPID private key, as the VAPID_PRIVATE_KEY setting holds it."""
    vapid = Vapid02()
    vapid.generate_keys()
    number = vapid.private_key.private_numbers().private_value
    return b64url(number.to_bytes(32, "big"))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Pusher:
    """Send pushes signed with one VAPID key, over one pool of connections.

    Safe to share between threads: a token per push service's origin is made once and reused
    until it is nearly expired, as signing each push would cost more than encrypting it.
    """

    def __init__(self, private_key, subject, pool_size=10):
        self.vapid = Vapid02.from_raw(private_key.encode())
        self.subject = subject
        self.session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.tokens = {}
        self.lock = threading.Lock()

    @property
    def public_key(self):
        """The application server key that `pushManager.subscribe()` is given (base64url)."""
        return b64url(
            self.vapid.public_key.public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def headers_for(self, endpoint):
        """Return the Authorization header for the push service of `endpoint`."""
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        with self.lock:
            made_at, headers = self.tokens.get(audience, (0, None))
            if now - made_at > TOKEN_RENEWAL_SECONDS:
                claims = {"aud": audience, "exp": int(now) + TOKEN_SECONDS, "sub": self.subject}
                headers = self.vapid.sign(claims)
                self.tokens[audience] = (now, headers)
            return dict(headers)

    def send(self, subscription, payload, ttl, urgency):
        """Push `payload` (a dict, sent as JSON) to one subscription; return the HTTP status.

        A connection that fails or times out is returned as status 0: try again later.
        """
        headers = self.headers_for(subscription["endpoint"])
        headers["Urgency"] = urgency
        data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        try:
            response = WebPusher(subscription, requests_session=self.session).send(
                data, headers, ttl=max(1, min(int(ttl), MAX_TTL_SECONDS)), timeout=TIMEOUT_SECONDS
            )
        except requests.RequestException:
            return 0
        return response.status_code
