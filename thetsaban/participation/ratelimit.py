"""Rate limits on posting, per user and per client address, kept in Django's cache.

Sliding windows: each key holds the times of the recent posts, so a limit never resets early at
a minute boundary. The limits are settings (read at call time, so tests can override them):

    PARTICIPATION_POSTS_PER_MINUTE_PER_USER = 5
    PARTICIPATION_POSTS_PER_DAY_PER_USER = 50
    PARTICIPATION_POSTS_PER_MINUTE_PER_ADDRESS = 20

The cache is shared by every app server (Redis, or the database cache: see CACHES in settings),
so the limits hold across them.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

MINUTE = 60
DAY = 24 * 60 * 60

# (setting name, default, window in seconds, who: "user" or "address")
LIMITS = (
    ("PARTICIPATION_POSTS_PER_MINUTE_PER_USER", 5, MINUTE, "user"),
    ("PARTICIPATION_POSTS_PER_DAY_PER_USER", 50, DAY, "user"),
    ("PARTICIPATION_POSTS_PER_MINUTE_PER_ADDRESS", 20, MINUTE, "address"),
)


class RateLimited(Exception):
    """Too many posts in a window; `message` says how long to wait."""

    def __init__(self, message, retry_after: int):
        super().__init__(str(message))
        self.message = message
        self.retry_after = retry_after


def _key(who: str, ident, window: int) -> str:
    return f"participation:posts:{who}:{ident}:{window}"


def _active_limits(user, ip):
    idents = {"user": user.pk if user is not None and user.is_authenticated else None, "address": ip}
    for setting, default, window, who in LIMITS:
        limit = getattr(settings, setting, default)
        if idents[who] is not None and limit is not None:
            yield _key(who, idents[who], window), int(limit), window, who


def check_and_count(user, ip) -> None:
    """Count one post by `user` from `ip`, or raise RateLimited without counting it."""
    now = time.time()
    limits = list(_active_limits(user, ip))
    stored = cache.get_many([key for key, *_rest in limits])
    recent = {}
    for key, limit, window, who in limits:
        times = [t for t in stored.get(key, []) if t > now - window]
        if len(times) >= limit:
            wait = max(1, int(times[0] + window - now) + 1)
            if who == "address":
                message = _("Too many posts from your network address. Please wait %(seconds)s "
                            "seconds and try again.")
            elif window == DAY:
                message = _("You have reached the limit of %(limit)s posts a day. Please try "
                            "again in %(seconds)s seconds.")
            else:
                message = _("You are posting too quickly: at most %(limit)s posts a minute. Please "
                            "wait %(seconds)s seconds and try again.")
            raise RateLimited(message % {"limit": limit, "seconds": wait}, retry_after=wait)
        recent[key] = (times, window)
    for key, (times, window) in recent.items():
        cache.set(key, [*times, now], timeout=window)
