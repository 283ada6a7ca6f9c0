"""Mozilla's push service on loopback, speaking to Firefox as autopush does on the internet.

Firefox keeps one WebSocket open to the push service named by `dom.push.serverURL`, and
speaks JSON on it (dom/push/PushServiceWebSocket.sys.mjs): `hello` gives the browser its
id (uaid) and says pushes carry data (`use_webpush`); `register` makes a channel for a new
subscription and answers its push address (`pushEndpoint`); `unregister` ends one; the
service sends each push as a `notification`, which the browser decrypts with keys only it
holds and answers with an `ack` (code 100: given to the service worker; 101: could not be
decrypted).

The app posts its pushes to the push address over HTTP (RFC 8030), as to any push service:
this one checks the VAPID signature (RFC 8292) and that it is made with the key the page
subscribed with, answers 201 and passes the encrypted body on, unread.
"""

import json
import secrets
import threading
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import serve

from tests.push_service import b64url, unb64url, vapid_credentials, vapid_problem


@dataclass
class Channel:
    """One subscription: the browser that holds it, and the key its pushes must be signed with."""

    uaid: str
    channel_id: str
    key: bytes


class AutoPush:
    """Serve the WebSocket and the push addresses on 127.0.0.1; use as a context manager."""

    def __init__(self):
        self.channels = {}
        self.browsers = {}
        #: The version (message id) of the last push to each push address, and each ack's code.
        self.last_push = {}
        self.acks = {}
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        # No keepalive pings, as in tests/browser/engines.py.
        self.socket = serve(
            self.speak,
            "127.0.0.1",
            0,
            subprotocols=["push-notification"],
            compression=None,
            ping_interval=None,
        )
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = service.receive(self.path, self.headers, body)
                self.send_response(status)
                if status == 201:
                    self.send_header("Location", f"{service.origin}/m/{secrets.token_hex(8)}")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.http.server_port}"
        self.server_url = f"ws://127.0.0.1:{self.socket.socket.getsockname()[1]}/"

    def __enter__(self):
        for server in (self.socket, self.http):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.socket.shutdown()
        self.http.shutdown()
        self.http.server_close()

    def preferences(self):
        """Return the Firefox preferences that make it use this service."""
        return {
            "dom.push.serverURL": self.server_url,
            # Without it Firefox takes only a wss:// server.
            "dom.push.testing.allowInsecureServerURL": True,
            # The remote agent turns the connection off for automation, unless the profile
            # has it on (remote/shared/RecommendedPreferences.sys.mjs).
            "dom.push.connection.enabled": True,
        }

    def speak(self, socket):
        """Answer one browser's messages for as long as it keeps the WebSocket open."""
        uaid = None
        try:
            for text in socket:
                message = json.loads(text)
                kind = message.get("messageType")
                if kind is None:
                    # A ping, `{}`: answered in kind.
                    socket.send("{}")
                elif kind == "hello":
                    uaid = message.get("uaid") or uuid.uuid4().hex
                    with self.lock:
                        self.browsers[uaid] = socket
                    reply(socket, "hello", uaid=uaid, status=200, use_webpush=True)
                elif kind == "register":
                    endpoint = self.register(uaid, message["channelID"], message["key"])
                    reply(
                        socket,
                        "register",
                        channelID=message["channelID"],
                        status=200,
                        pushEndpoint=endpoint,
                    )
                elif kind == "unregister":
                    self.unregister(message["channelID"])
                    reply(socket, "unregister", channelID=message["channelID"], status=200)
                elif kind == "ack":
                    with self.changed:
                        self.acks.update((u["version"], u["code"]) for u in message["updates"])
                        self.changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self.lock:
                if self.browsers.get(uaid) is socket:
                    del self.browsers[uaid]

    def register(self, uaid, channel_id, key):
        """Make a push address for a new subscription; return it."""
        path = f"/wpush/v2/{secrets.token_urlsafe(16)}"
        with self.lock:
            self.channels[path] = Channel(uaid, channel_id, unb64url(key))
        return self.origin + path

    def unregister(self, channel_id):
        with self.changed:
            for path, channel in list(self.channels.items()):
                if channel.channel_id == channel_id:
                    del self.channels[path]
            self.changed.notify_all()

    def receive(self, path, headers, body):
        """Take one push from the app; return the HTTP status to answer."""
        authorization = headers.get("Authorization", "")
        with self.lock:
            channel = self.channels.get(path)
            if channel is None:
                return 410
            if vapid_problem(authorization, self.origin):
                return 401
            if unb64url(vapid_credentials(authorization)["k"]) != channel.key:
                # Signed by a server other than the one the page subscribed for.
                return 403
            if headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in headers:
                return 400
            browser = self.browsers.get(channel.uaid)
            if browser is None:
                # autopush keeps it until the browser connects; no test here needs that.
                return 503
            version = self.last_push[path] = secrets.token_urlsafe(16)
            reply(
                browser,
                "notification",
                channelID=channel.channel_id,
                version=version,
                data=b64url(body),
                headers={"encoding": "aes128gcm"},
            )
            return 201

    def ack(self, endpoint):
        """Return the browser's ack code for the last push to `endpoint`, once it has come."""
        path = urlsplit(endpoint).path
        self.wait_until(lambda: self.last_push.get(path) in self.acks, "an ack of the push")
        return self.acks[self.last_push[path]]

    def wait_until_unregistered(self, endpoint):
        path = urlsplit(endpoint).path
        self.wait_until(lambda: path not in self.channels, "the subscription's unregister")

    def wait_until(self, condition, what, timeout=30):
        with self.changed:
            if not self.changed.wait_for(condition, timeout):
                raise TimeoutError(f"Waited {timeout} s in vain for {what}")


def reply(socket, kind, **fields):
    socket.send(json.dumps({"messageType": kind, **fields}))
