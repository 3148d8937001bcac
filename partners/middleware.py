"""Session rules of the partner workspace: idle expiry, browser-session cookies, no caching.

For every request under the workspace (/espace-partenaires/): a session left idle longer
than PARTNERS_IDLE_TIMEOUT_SECONDS (30 minutes) is ended and the person is sent back to the
workspace login page with a message; every response, redirects and errors included, carries
`Cache-Control: no-store` so that no page of the workspace stays in a browser or proxy cache.
The session is shared with the rest of the site: idling out of the workspace logs out
everywhere, which is the safe side.

A workspace session is one whose idle clock runs (LAST_SEEN_KEY, see agora.sessions): started
by the workspace login, by any login of a workspace member (partners.signals), or by a visit to
the workspace.
Its cookie ends with the browser, whatever the page it was opened from: the Wagtail admin's
"remember me" would otherwise give a member a two-week cookie that opens the workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from agora.sessions import end_session, idle_longer_than, mark_seen

LAST_SEEN_KEY = "partners_last_seen"


def mark_active(request: HttpRequest) -> None:
    mark_seen(request.session, LAST_SEEN_KEY)


def keep_to_browser(request: HttpRequest) -> None:
    """A workspace session's cookie ends with the browser.

    Only a session this request changed is looked at (a login, a workspace page): reading an
    untouched one would make every public page vary on the cookie.
    """
    session = getattr(request, "session", None)
    if session is None or not session.modified:
        return
    if LAST_SEEN_KEY in session and not session.get_expire_at_browser_close():
        session.set_expiry(0)


def workspace_prefix() -> str:
    return reverse("partners:dashboard")


class WorkspaceSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(workspace_prefix()):
            response = self.get_response(request)
            # After the view: a login elsewhere (the admin's) sets its expiry after the signal.
            keep_to_browser(request)
            return response
        response = self.expire_idle_session(request) or self.get_response(request)
        keep_to_browser(request)
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        return response

    def expire_idle_session(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if idle_longer_than(request.session, LAST_SEEN_KEY, settings.PARTNERS_IDLE_TIMEOUT_SECONDS):
            end_session(request)
            minutes = settings.PARTNERS_IDLE_TIMEOUT_SECONDS // 60
            messages.info(
                request,
                _(
                    "Votre session a expiré après %(minutes)s minutes sans activité. "
                    "Reconnectez-vous pour continuer."
                )
                % {"minutes": minutes},
            )
            login_url = reverse("partners:login")
            if request.method == "GET" and request.path_info != login_url:
                login_url += "?" + urlencode({"next": request.get_full_path()}, safe="/")
            return HttpResponseRedirect(login_url)
        mark_active(request)
        return None
