"""Rate limits: how many posts of a kind one client may send, counted where the view says.

Each limit is a setting such as REPORT_RATE_LIMIT ("30 per minute; 100 per hour"), counted
in fixed windows by the `limits` library in RATELIMIT_STORAGE_URI: memory for one process,
Redis when several processes or machines must share the counts. A view counts a post before
it does what is limited, in one atomic step of the store, so that posts sent at once cannot
all pass before the first is counted. No other request pays for it: the public pages, which
have no limit, are not looked at.
"""

import functools
import math
import time

import limits
from flask import current_app, request
from werkzeug.exceptions import TooManyRequests

from .config import SettingsError


def init_app(app):
    """Count in RATELIMIT_STORAGE_URI; refuse to start with a limit (a setting named
    …_RATE_LIMIT) that cannot be read, which would otherwise fail every post it limits."""
    for setting in [name for name in app.config if name.endswith("_RATE_LIMIT")]:
        try:
            parse(app.config[setting])
        except ValueError:
            raise SettingsError(
                f"{setting} must be limits such as '30 per minute; 100 per hour', "
                f"not {app.config[setting]!r}"
            ) from None
    storage = limits.storage.storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions["rate_limits"] = limits.strategies.FixedWindowRateLimiter(storage)


def count(setting, key=None):
    """Count one post against the limits of `setting` for `key` (by default the address the
    post came from); return the refusal (429, with Retry-After) to raise if one of them is
    reached, or None."""
    key = key or request.remote_addr or "unknown"
    counter = current_app.extensions["rate_limits"]
    for limit in parse(current_app.config[setting]):
        if not counter.hit(limit, setting, key):
            reset_at, _remaining = counter.get_window_stats(limit, setting, key)
            return TooManyRequests(retry_after=max(1, math.ceil(reset_at - time.time())))
    return None


def check(setting, key=None):
    """Count one post as `count` does, and refuse it (429) if a limit is reached."""
    refusal = count(setting, key)
    if refusal is not None:
        raise refusal


def reset(app):
    """Forget every count (for the tests)."""
    app.extensions["rate_limits"].storage.reset()


@functools.cache
def parse(text):
    return limits.parse_many(text)
