"""Sessions: Django's database engine with a shorter age on request, and the idle clocks.

Session engine (SESSION_ENGINE). Django keeps every session on the server for
SESSION_COOKIE_AGE (two weeks) after its last save, even one whose cookie ends with the
browser. A session that must not outlive a few minutes of silence (one opened at the kiosk,
see kiosk.middleware) says so with `shorten_age()`: its server side then ends that many seconds
after its last save, whatever becomes of its cookie. `get_session_cookie_age()` is the method
Django documents for a custom engine to override.

Idle clocks. The kiosk (kiosk.middleware) and the partner workspace (partners.middleware) both
end a session left idle too long. Each keeps the time of the session's last request under a key
of its own, as their clocks run on different requests and limits: `mark_seen()` winds it,
`idle_longer_than()` reads it, and `end_session()` ends an idle session. A request that finds
its session idle must end it without winding the clock again: the next request then finds no
session at all.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.middleware.csrf import rotate_token

AGE_KEY = "agora_session_age"


def shorten_age(session: SessionBase, seconds: int) -> None:
    if session.get(AGE_KEY) != seconds:
        session[AGE_KEY] = seconds


class SessionStore(db.SessionStore):
    def get_session_cookie_age(self) -> int:
        age = self.get(AGE_KEY)
        if isinstance(age, int) and age > 0:
            return min(age, super().get_session_cookie_age())
        return super().get_session_cookie_age()


def mark_seen(session: SessionBase, clock_key: str) -> None:
    """Note this request as the session's last activity on the clock `clock_key`."""
    session[clock_key] = time.time()


def idle_longer_than(session: SessionBase, clock_key: str, seconds: float) -> bool:
    """Whether the clock `clock_key` last saw activity more than `seconds` ago; a session whose
    clock never ran is not idle."""
    last_seen = session.get(clock_key)
    return isinstance(last_seen, int | float) and time.time() - last_seen > seconds


def end_session(request: HttpRequest) -> None:
    """Log out, flush the session (a receipt, pending messages), renew the CSRF token."""
    # Reading the messages marks them used: the storage clears them on the way out. A message
    # added afterwards (the workspace's "session expired") is still delivered.
    for _message in messages.get_messages(request):
        pass
    logout(request)  # flushes the session, anonymous or not
    rotate_token(request)
