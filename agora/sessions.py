"""Session engine (SESSION_ENGINE): Django's database sessions, whose age a session may shorten.

Django keeps every session on the server for SESSION_COOKIE_AGE (two weeks) after its last
save, even one whose cookie ends with the browser. A session that must not outlive a few
minutes of silence (one opened at the kiosk, see home.kiosk) says so with `shorten_age()`:
its server side then ends that many seconds after its last save, whatever becomes of its
cookie. `get_session_cookie_age()` is the method Django documents for a custom engine to
override.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import SessionBase

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
