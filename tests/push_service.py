"""A Web Push service on loopback, as Mozilla's, Google's and Apple's are on the internet.

It takes the app's POSTs as a real push service does (RFC 8030): it checks the VAPID
signature (RFC 8292: an ES256 JWT for this service's origin, not expired, with a contact),
and decrypts the `aes128gcm` body with the subscription's private keys, which only the
browser holds (RFC 8291). A test makes subscriptions as a browser would, tells the service
how to answer each endpoint (201, 404, 410, 429, 500), and reads what arrived.

Run on its own (`python -m tests.push_service --browsers N --subscriptions FILE`), it makes N
subscriptions, writes them to FILE as JSON, serves until killed, and answers `GET /count`
with how many pushes it took and when the first and last came: the alerts benchmark does so.
"""

import argparse
import base64
import json
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Message:
    """One push as the browser would get it, with the headers the app sent."""

    endpoint: str
    payload: dict
    ttl: int
    urgency: str | None
    topic: str | None
    received_at: float


@dataclass
class Browser:
    """A browser's subscription: the endpoint it was given and the keys only it holds."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    def subscription(self):
        """Return what `PushSubscription.toJSON()` gives the page."""
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }


class PushService:
    """Serve on 127.0.0.1; `start()` and `stop()`, or use as a context manager."""

    def __init__(self):
        self.browsers = {}
        self.messages = []
        self.refused = []
        self.answers = defaultdict(deque)
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        service = self

        class Handler(BaseHTTPRequestHandler):
            # Keeps connections open between pushes, as real push services do.
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                body = json.dumps(service.count()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                status = service.receive(
                    self.path,
                    self.headers,
                    self.rfile.read(int(self.headers.get("Content-Length", 0))),
                )
                self.send_response(status)
                if status == 201:
                    self.send_header("Location", f"{service.origin}/message/{secrets.token_hex(8)}")
                if status == 429:
                    self.send_header("Retry-After", "1")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def subscribe(self):
        """Make a subscription as a browser's `pushManager.subscribe()` would."""
        browser = Browser(
            f"{self.origin}/push/{secrets.token_urlsafe(16)}",
            ec.generate_private_key(ec.SECP256R1()),
        )
        self.browsers[urlsplit(browser.endpoint).path] = browser
        return browser

    def answer(self, browser, *statuses):
        """Answer the next pushes to `browser` with these statuses, then 201 again."""
        self.answers[urlsplit(browser.endpoint).path].extend(statuses)

    def receive(self, path, headers, body):
        with self.lock:
            browser = self.browsers.get(path)
            if browser is None:
                return 404
            problem = vapid_problem(headers.get("Authorization", ""), self.origin)
            if problem:
                self.refused.append(problem)
                return 403
            queued = self.answers[path]
            status = queued.popleft() if queued else 201
            if status != 201:
                return status
            if headers.get("Content-Encoding") != "aes128gcm":
                self.refused.append("not aes128gcm")
                return 400
            plain = http_ece.decrypt(
                body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm"
            )
            self.messages.append(
                Message(
                    endpoint=browser.endpoint,
                    payload=json.loads(plain),
                    ttl=int(headers["TTL"]),
                    urgency=headers.get("Urgency"),
                    topic=headers.get("Topic"),
                    received_at=time.monotonic(),
                )
            )
            self.arrived.notify_all()
            return 201

    def count(self):
        """Return how many pushes were taken and refused, and when the first and last came."""
        with self.lock:
            times = [message.received_at for message in self.messages]
            return {
                "messages": len(self.messages),
                "refused": len(self.refused),
                "first": min(times, default=None),
                "last": max(times, default=None),
            }

    def wait_for(self, count, timeout=10):
        """Return the messages once `count` have arrived; fail after `timeout` seconds."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise TimeoutError(
                    f"{len(self.messages)} of {count} pushes arrived; refused: {self.refused}"
                )
            return list(self.messages)


def vapid_credentials(authorization):
    """Return the parts of a `vapid t=…, k=…` Authorization header, by name."""
    _, _, credentials = authorization.partition(" ")
    return dict(part.strip().split("=", 1) for part in credentials.split(","))


def vapid_problem(authorization, audience):
    """Return why an Authorization header is not a valid VAPID one for `audience`, or None."""
    if not authorization.lower().startswith("vapid "):
        return "no VAPID authorization"
    try:
        parts = vapid_credentials(authorization)
        token, key = parts["t"], parts["k"]
        header_part, claims_part, signature_part = token.split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        signature = unb64url(signature_part)
        public.verify(
            encode_dss_signature(int.from_bytes(signature[:32]), int.from_bytes(signature[32:])),
            f"{header_part}.{claims_part}".encode(),
            ec.ECDSA(hashes.SHA256()),
        )
    except (KeyError, ValueError, InvalidSignature):
        return "bad VAPID signature"
    header, claims = json.loads(unb64url(header_part)), json.loads(unb64url(claims_part))
    if header.get("alg") != "ES256":
        return "not ES256"
    if claims.get("aud") != audience:
        return f"audience {claims.get('aud')!r} is not {audience!r}"
    if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
        return "expired, or valid for more than 24 hours"
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        return "no contact (sub)"
    return None


def main():
    parser = argparse.ArgumentParser(description="A Web Push service on loopback.")
    parser.add_argument("--browsers", type=int, required=True)
    parser.add_argument("--subscriptions", required=True, help="where to write them, as JSON")
    args = parser.parse_args()
    with PushService() as service:
        subscriptions = [service.subscribe().subscription() for _ in range(args.browsers)]
        with open(args.subscriptions, "w") as file:
            json.dump(subscriptions, file)
        print(service.origin, flush=True)
        service.thread.join()


if __name__ == "__main__":
    main()
