"""A Flask app with fixed answers: the floor that throughput.py and submissions.py compare to."""

from flask import Flask, request


def create_app(size=4096):
    """Create an app whose `GET /sv/promise` returns `size` bytes of fixed HTML, and whose
    `POST /sv/report` reads a JSON body and answers with a small JSON 201, storing nothing."""
    app = Flask(__name__)
    body = ("<p>Båtsamverkan Oxelösund</p>\n" * (size // 20 + 1)).encode()[:size]

    @app.get("/sv/promise")
    def promise():
        return body, {"Content-Type": "text/html; charset=utf-8"}

    @app.post("/sv/report")
    def report():
        data = request.get_json()
        return {"client_id": data["client_id"], "reference": "0000000000"}, 201

    return app
