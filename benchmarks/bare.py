"""A Flask app with one route returning a fixed string: the floor that throughput.py compares to."""

from flask import Flask


def create_app(size=4096):
    """Create an app whose `GET /sv/promise` returns `size` bytes of fixed HTML."""
    app = Flask(__name__)
    body = ("<p>Båtsamverkan Oxelösund</p>\n" * (size // 20 + 1)).encode()[:size]

    @app.get("/sv/promise")
    def promise():
        return body, {"Content-Type": "text/html; charset=utf-8"}

    return app
