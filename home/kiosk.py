"""Kiosk mode: the social-centre PC where anyone reads the agora and proposes, one after another.

Opening /kiosque/ marks the browser with a cookie that lasts until the browser closes. While it
is there, every page gets a simplified header and a small idle timer (static/js/kiosk.js, the
site's only script). After KIOSK_IDLE_SECONDS without activity, the last KIOSK_WARNING_SECONDS
of them showing a warning, the browser goes to /kiosque/reinitialiser/, which ends any session
and returns to the kiosk home, so the next person never finds the previous one's data.

Server side, KioskMiddleware makes sure that, in kiosk mode, a session cookie never outlives
the browser (whatever "remember me" the Wagtail admin login offers), and ends an authenticated
session that saw no page view for longer than the timer would have allowed (a backstop for
pages without the timer, such as the Wagtail admin).

The cookie's name and `in_kiosk()` live in posts.proposal_views, which needs them to turn off
autocompletion of personal fields; home may import posts, not the other way round.
"""

from __future__ import annotations

import re
import time

import segno

from django import template
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from posts.proposal_views import KIOSK_COOKIE, in_kiosk

LAST_SEEN_KEY = "kiosk_last_seen"
# What set_expiry() stores; a session holding nothing else is empty for our purpose.
_EXPIRY_KEY = "_session_expiry"


def idle_limit_seconds() -> int:
    """Inactivity after which the timer resets the kiosk (the warning is the end of this span)."""
    return max(settings.KIOSK_IDLE_SECONDS, 10)


def warning_seconds() -> int:
    """How long the warning shows before the reset: at most half of the idle span."""
    return max(1, min(settings.KIOSK_WARNING_SECONDS, idle_limit_seconds() // 2))


# --- Views ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD"])
def kiosk_home(request: HttpRequest) -> HttpResponse:
    """The kiosk home; opening it turns this browser into a kiosk until it is closed."""
    response = render(request, "kiosk/home.html", {"kiosk_mode": True, **timer_context()})
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
    """Log out, flush the session, drop pending messages and renew the CSRF token."""
    # Reading the messages marks them used: the storage clears them on the way out.
    for _message in messages.get_messages(request):
        pass
    logout(request)  # flushes the session, anonymous or not
    rotate_token(request)


# --- Middleware and context processor --------------------------------------------------------


class KioskMiddleware:
    """In kiosk mode: browser-session cookies only, idle sessions ended, pages kept private.

    Sits after AuthenticationMiddleware and MessageMiddleware, so that its response half runs
    before SessionMiddleware saves the session and sets its cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not in_kiosk(request):
            return self.get_response(request)
        expired = self.end_idle_session(request)
        if expired is not None:
            return expired
        response = self.get_response(request)
        self.keep_session_to_browser(request)
        # Kiosk pages differ from everyone else's (header, timer): never in a shared cache.
        patch_cache_control(response, private=True)
        return response

    def end_idle_session(self, request: HttpRequest) -> HttpResponse | None:
        """A backstop for the timer: an authenticated session idle too long is ended.

        Only on page views (GET/HEAD), so that a long text typed without a page view is never
        lost on submission; the next person always starts with a page view.
        """
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        limit = idle_limit_seconds()
        if (
            request.method in ("GET", "HEAD")
            and isinstance(last_seen, int | float)
            and now - last_seen > limit
        ):
            end_session(request)
            return HttpResponseRedirect(reverse("kiosk_home"))
        request.session[LAST_SEEN_KEY] = now
        return None

    @staticmethod
    def keep_session_to_browser(request: HttpRequest) -> None:
        """No "remember me" at the kiosk: whatever logged in, the cookie ends with the browser."""
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return
        holds_something = bool(set(session.keys()) - {_EXPIRY_KEY})
        if holds_something and not session.get_expire_at_browser_close():
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
