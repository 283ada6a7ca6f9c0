"""The production server as gunicorn.conf.py sets it up: slow clients, and what it logs."""

import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from benchmarks.server import free_port, wait_until_answers
from pwa.config import ROOT


@pytest.fixture
def server(tmp_path):
    """Start gunicorn with the project's settings and one worker; yield (base URL, log path)."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        "PATH": "/usr/bin:/bin",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "ACCESS_LOG": "-",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PUBLIC_URL": "http://127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "PURGE_SCHEDULED": "false",
    }
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "pwa", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--no-control-socket", "pwa:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(base + "/sv/promise", process)
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def slow_client(base):
    """Open a connection that sends a report's headers and only the first byte of its body."""
    host = base.removeprefix("http://")
    connection = socket.create_connection(("127.0.0.1", int(host.rsplit(":", 1)[1])))
    connection.sendall(
        f"POST /sv/report HTTP/1.1\r\nHost: {host}\r\nOrigin: {base}\r\n"
        "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{".encode()
    )
    return connection


def test_two_slow_clients_do_not_stop_the_site_from_answering(server):
    """With sync workers, a body that never ends held a whole worker for 30 s."""
    base, _log = server
    slow = [slow_client(base) for _ in range(3)]
    try:
        with urllib.request.urlopen(base + "/en/promise", timeout=10) as response:
            assert response.status == 200
    finally:
        for connection in slow:
            connection.close()


def test_the_access_log_keeps_no_query_string(server):
    """A code in an old status link, or any other field of a GET, stays out of the log."""
    base, log = server
    with urllib.request.urlopen(base + "/sv/status?code=ABCD-EFGH-JK", timeout=10) as response:
        assert (response.status, response.url) == (200, base + "/sv/status")
    deadline = time.monotonic() + 10
    while '"GET /sv/status" 200' not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    text = log.read_text()
    assert '"GET /sv/status" 303' in text
    assert "ABCD" not in text and "code=" not in text
