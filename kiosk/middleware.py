"""The server side of the kiosk: idle sessions ended, short browser-session cookies, private pages.

A session that holds anything (a login, a receipt, a message) and saw no request for longer
than the timer allows is ended before any view or check acts on the request, whatever its
method: the timer resets a page before the limit, so a request after it comes from an abandoned
session, never from someone still typing. Nothing is done with that request, and after a form
sent that way the kiosk home says that the session had ended. Such sessions' cookies never
outlive the browser (whatever "remember me" the Wagtail admin login offers), and the server
forgets them a few minutes after their last request (agora.sessions), should their cookie be
used elsewhere.
"""

from __future__ import annotations

from contextvars import ContextVar
from urllib.parse import urlencode

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from agora.sessions import AGE_KEY, end_session, idle_longer_than, mark_seen, shorten_age
from kiosk.mode import idle_limit_seconds, in_kiosk, session_age_seconds

LAST_SEEN_KEY = "kiosk_last_seen"
# What set_expiry() and the kiosk itself store: a session holding nothing else holds nobody's data.
BOOKKEEPING_KEYS = frozenset({"_session_expiry", LAST_SEEN_KEY, AGE_KEY})
# On the kiosk home after a form sent once the session had ended: /kiosque/?fin=1.
SESSION_ENDED_PARAMETER = "fin"

# True while a request from the kiosk is served, for what is not given the request: Wagtail's
# hooks that insert markup in every admin page take no argument.
_serving_kiosk: ContextVar[bool] = ContextVar("agora_serving_kiosk", default=False)


def serving_kiosk() -> bool:
    """Whether the request being served comes from the kiosk."""
    return _serving_kiosk.get()


class KioskMiddleware:
    """Sits after SessionMiddleware and AuthenticationMiddleware and before MessageMiddleware:
    an idle session is ended before any view (or CSRF's check) acts on the request, and the
    response half runs once the messages are stored in the session and before the session is
    saved and its cookie set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not in_kiosk(request):
            return self.get_response(request)
        if is_idle(request.session):
            return end_idle_session(request)
        serving = _serving_kiosk.set(True)
        try:
            response = self.get_response(request)
        finally:
            _serving_kiosk.reset(serving)
        keep_session_short(request.session)
        # Kiosk pages differ from everyone else's (header, timer): never in a shared cache.
        patch_cache_control(response, private=True)
        return response


def holds_something(session: SessionBase) -> bool:
    return bool(set(session.keys()) - BOOKKEEPING_KEYS)


def is_idle(session: SessionBase) -> bool:
    return idle_longer_than(session, LAST_SEEN_KEY, idle_limit_seconds()) and holds_something(session)


def end_idle_session(request: HttpRequest) -> HttpResponse:
    """The backstop of the timer: the session is ended and the request goes no further.

    Its last-seen time is not renewed: the next request finds no session at all. After a form
    sent (a POST, refused by CSRF's check or not), the kiosk home says what happened; the
    session that could have carried a message is gone, hence the parameter.
    """
    end_session(request)
    url = reverse("kiosk_home")
    if request.method not in ("GET", "HEAD"):
        url += "?" + urlencode({SESSION_ENDED_PARAMETER: "1"})
    response = HttpResponseRedirect(url)
    add_never_cache_headers(response)
    return response


def keep_session_short(session: SessionBase) -> None:
    """A session holding anything: its activity noted, its cookie ended with the browser ("remember
    me" or not), and its server side kept a few minutes only."""
    if not holds_something(session):
        return
    mark_seen(session, LAST_SEEN_KEY)
    shorten_age(session, session_age_seconds())
    if not session.get_expire_at_browser_close():
        session.set_expiry(0)
