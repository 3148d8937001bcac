"""Whether a request comes from the kiosk, and the kiosk's timer settings."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

KIOSK_COOKIE = "agora_kiosque"


def in_kiosk(request: HttpRequest) -> bool:
    return request.COOKIES.get(KIOSK_COOKIE) == "1"


def mark_browser(request: HttpRequest, response: HttpResponse) -> None:
    """Turn the browser into a kiosk until it is closed."""
    response.set_cookie(
        KIOSK_COOKIE,
        "1",
        max_age=None,  # a browser-session cookie: closing the browser leaves kiosk mode
        path="/",
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def unmark_browser(response: HttpResponse) -> None:
    response.delete_cookie(KIOSK_COOKIE, path="/", samesite="Lax")


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


def timer_context() -> dict:
    """What templates/kiosk/timer.html and the kiosk home show of the timer."""
    idle = idle_limit_seconds()
    return {
        "kiosk_idle_seconds": idle,
        "kiosk_idle_minutes": max(1, round(idle / 60)),
        "kiosk_warning_seconds": warning_seconds(),
    }
