"""What the benchmarks share: the app under gunicorn on a free port."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def gunicorn(app="pwa:create_app()", workers=2, probe="/sv/", env=None):
    """Start `app` as in production, wait until `probe` answers, yield its base URL, stop it.

    `env` replaces the environment of the server (for example to give it DATABASE_URL).
    """
    port = free_port()
    process = subprocess.Popen(
        gunicorn_command(app, port, workers), cwd=ROOT, env=env or environment()
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(base + probe, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def environment(**settings):
    """Return this process's environment for the app, in development mode (a key of its own
    under instance/, links to the local address): a laptop, as the benchmarks run on."""
    return os.environ | {"DEVELOPMENT": "1"} | settings


def gunicorn_command(app, port, workers=2):
    """Return the command that serves `app` on 127.0.0.1:`port` with production's settings
    (gunicorn.conf.py: workers of 8 threads, keep-alive, request limits), `workers` of them."""
    return [
        *(sys.executable, "-m", "gunicorn", app, "--config", str(ROOT / "gunicorn.conf.py")),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
        # Several servers may run at once; the control socket has one fixed default path.
        *("--no-control-socket", "--log-level", "warning"),
    ]


def free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answers(url, process, timeout=30):
    """Return once `url` answers 200; fail if the server exits or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:  # refused while starting, or a timeout: try again
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")
