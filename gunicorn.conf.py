"""gunicorn's settings in production, read from the directory it starts in (docs/operations.md).

The proxy in front buffers each request whole before passing it on, and ends HTTPS; these
settings keep the app answering when some clients are slow all the same: threads, so that
one slow body holds one thread and not a whole worker, and limits on what a request may be.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "8"))
#: A request that takes longer than this is cut off and its worker restarted.
timeout = 30
graceful_timeout = 30
keepalive = 5
limit_request_line = 4096
limit_request_fields = 50
limit_request_field_size = 8190
#: The path without its query, no Referer and no User-Agent: what a person looked up stays
#: out of the log. Off unless ACCESS_LOG names a file, or "-" for stderr.
accesslog = os.environ.get("ACCESS_LOG") or None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
