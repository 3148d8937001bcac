"""The kiosk's own pages: its home (which turns the browser into a kiosk), the reset, leaving."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from agora.sessions import end_session
from kiosk.middleware import SESSION_ENDED_PARAMETER
from kiosk.mode import in_kiosk, mark_browser, timer_context, unmark_browser


@never_cache
@require_http_methods(["GET", "HEAD"])
def kiosk_home(request: HttpRequest) -> HttpResponse:
    """The kiosk home; opening it turns this browser into a kiosk until it is closed."""
    context = {
        # The cookie is set by this very response: the context processor cannot see it yet.
        "kiosk_mode": True,
        "session_ended": request.GET.get(SESSION_ENDED_PARAMETER) == "1",
        **timer_context(),
    }
    response = render(request, "kiosk/home.html", context)
    mark_browser(request, response)
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
    unmark_browser(response)
    return response
