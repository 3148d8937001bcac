"""Kiosk mode: the social-centre PC where anyone reads the agora and proposes, one after another.

Opening /kiosque/ marks the browser with a cookie that lasts until the browser closes. While it
is there, every page gets a simplified header and a small idle timer (static/js/kiosk.js, the
site's only script); the Wagtail admin gets the same timer (home/wagtail_hooks.py). After
KIOSK_IDLE_SECONDS without activity, the last KIOSK_WARNING_SECONDS of them showing a warning,
the browser goes to /kiosque/reinitialiser/, which ends any session and returns to the kiosk
home, so the next person never finds the previous one's data.

Server side, KioskMiddleware is the backstop of the timer. A session that holds anything (a
login, a receipt, a message) and saw no request for longer than the timer allows is ended
before any view or check acts on the request, whatever its method: the timer resets a page
before the limit, so a request after it comes from an abandoned session, never from someone
still typing. Nothing is done with that request, and after a form sent that way the kiosk
home says that the session had ended. Such sessions' cookies never outlive the browser
(whatever "remember me" the Wagtail admin login offers), and the server forgets them a few
minutes after their last request (agora.sessions), should their cookie be used elsewhere.

The cookie's name and `in_kiosk()` live in posts.proposal_views, which needs them to turn off
autocompletion of personal fields; home may import posts, not the other way round.
"""

from __future__ import annotations

import re
import time
from contextvars import ContextVar
from urllib.parse import urlencode

import segno

from django import template
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from agora.sessions import AGE_KEY, shorten_age
from posts.proposal_views import KIOSK_COOKIE, in_kiosk

LAST_SEEN_KEY = "kiosk_last_seen"
# What set_expiry() and the kiosk itself store: a session holding nothing else holds nobody's data.
BOOKKEEPING_KEYS = frozenset({"_session_expiry", LAST_SEEN_KEY, AGE_KEY})
# On the kiosk home after a form sent once the session had ended: /kiosque/?fin=1.
SESSION_ENDED_PARAMETER = "fin"

# True while a request from the kiosk is served, for what is not given the request: Wagtail's
# hooks that insert markup in every admin page take no argument.
_serving_kiosk: ContextVar[bool] = ContextVar("agora_serving_kiosk", default=False)


def idle_limit_seconds() -> int:
    """Inactivity after which the timer resets the kiosk (the warning is the end of this span)."""
    return max(settings.KIOSK_IDLE_SECONDS, 10)


def warning_seconds() -> int:
    """How long the warning shows before the reset: at most half of the idle span."""
    return max(1, min(settings.KIOSK_WARNING_SECONDS, idle_limit_seconds() // 2))


def session_age_seconds() -> int:
    """How long the server keeps a kiosk session after its last request: long enough for the
    backstop to recognise an idle one and say so, short enough to be over in minutes."""
    return 2 * idle_limit_seconds()


def serving_kiosk() -> bool:
    """Whether the request being served comes from the kiosk (see KioskMiddleware)."""
    return _serving_kiosk.get()


# --- Views ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD"])
def kiosk_home(request: HttpRequest) -> HttpResponse:
    """The kiosk home; opening it turns this browser into a kiosk until it is closed."""
    context = {
        "kiosk_mode": True,
        "session_ended": request.GET.get(SESSION_ENDED_PARAMETER) == "1",
        **timer_context(),
    }
    response = render(request, "kiosk/home.html", context)
    response.set_cookie(
        KIOSK_COOKIE,
        "1",
        max_age=None,  # a browser-session cookie: closing the browser leaves kiosk mode
        path="/",
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_reset(request: HttpRequest) -> HttpResponse:
    """End whatever the previous person left (session, messages) and go back to the kiosk home.

    The idle timer comes here with a plain navigation, and the "Tout effacer" link in the kiosk
    header works without JavaScript, so GET is accepted. Outside kiosk mode it does nothing, so
    that no other site can log an office PC out with a link.
    """
    if not in_kiosk(request):
        return redirect("/")
    end_session(request)
    return redirect("kiosk_home")


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_leave(request: HttpRequest) -> HttpResponse:
    """For the social-centre team: a confirmation, then the browser is a normal browser again."""
    if request.method == "GET":
        return render(request, "kiosk/leave.html")
    end_session(request)
    response = redirect("/")
    response.delete_cookie(KIOSK_COOKIE, path="/", samesite="Lax")
    return response


def end_session(request: HttpRequest) -> None:
    """Log out, flush the session (a receipt, pending messages), renew the CSRF token."""
    # Reading the messages marks them used: the storage clears them on the way out.
    for _message in messages.get_messages(request):
        pass
    logout(request)  # flushes the session, anonymous or not
    rotate_token(request)


# --- Middleware and context processor --------------------------------------------------------


class KioskMiddleware:
    """In kiosk mode: idle sessions ended, short browser-session cookies, pages kept private.

    Sits after SessionMiddleware and AuthenticationMiddleware and before MessageMiddleware:
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
    last_seen = session.get(LAST_SEEN_KEY)
    return (
        isinstance(last_seen, int | float)
        and time.time() - last_seen > idle_limit_seconds()
        and holds_something(session)
    )


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
    session[LAST_SEEN_KEY] = time.time()
    shorten_age(session, session_age_seconds())
    if not session.get_expire_at_browser_close():
        session.set_expiry(0)


def timer_context() -> dict:
    idle = idle_limit_seconds()
    return {
        "kiosk_idle_seconds": idle,
        "kiosk_idle_minutes": max(1, round(idle / 60)),
        "kiosk_warning_seconds": warning_seconds(),
    }


def kiosk(request: HttpRequest) -> dict:
    """Template context: `kiosk_mode`, and the timer's settings when it is on."""
    if not in_kiosk(request):
        return {"kiosk_mode": False}
    return {"kiosk_mode": True, **timer_context()}


# --- Template library "kiosk" (registered in settings.TEMPLATES): the receipt's QR code ------

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_up_qr(context, code: str, title: str = "") -> SafeString:
    """The follow-up page's absolute URL as an inline SVG QR code: nothing leaves the site."""
    request = context["request"]
    url = request.build_absolute_uri(reverse("proposal_status", args=[code]))
    return qr_svg(url, title=title)


def qr_svg(data: str, title: str = "") -> SafeString:
    # Medium error correction survives a phone camera's glare on a screen; the quiet zone
    # (border of 4 modules) and black on white are what every reader expects.
    qr = segno.make(data, error="m", micro=False)
    svg = qr.svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr-code", lineclass=None
    )
    # segno writes the title unescaped; add it ourselves, with role="img" so it names the image.
    label = f"<title>{escape(title)}</title>" if title else ""
    svg = re.sub(r"^<svg ", '<svg role="img" ' if title else '<svg aria-hidden="true" ', svg, count=1)
    svg = svg.replace(">", ">" + label, 1)
    return mark_safe(svg)  # noqa: S308 - segno's own markup, and the title escaped above
