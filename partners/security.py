"""Login lockout (django-axes) for the workspace login and the rest of the site.

After AXES_FAILURE_LIMIT failed logins (5) for an account or from an address, further
attempts are refused for AXES_COOLOFF_TIME (15 minutes), with a French message on the
workspace login page. A successful login forgets the failures of that account only.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from axes.utils import reset

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from partners.forms import WorkspaceLoginForm


class LockoutBackend(AxesStandaloneBackend):
    """Axes' lockout check, for logins that come with a request.

    Every login form of the site (workspace, Wagtail admin) passes the request, so each is
    guarded. Logins without one (the test client's `login()`, code) cannot be attempted by a
    visitor; axes would raise for them, this backend lets the next backend decide.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_logged_in, dispatch_uid="partners.security.forget_own_failures")
def forget_own_failures(sender, request, user, **kwargs) -> None:
    """Forget the failed logins of this account, wherever they came from, and nothing else:
    the failures of other accounts from the same address still count towards their lockout."""
    reset(username=user.get_username())


def lockout_message(request: HttpRequest) -> str:
    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else None
    if minutes is None:
        return _(
            "Trop de tentatives de connexion ont échoué : la connexion est bloquée. "
            "Adressez-vous à l'administratrice du site pour la débloquer."
        )
    return _(
        "Trop de tentatives de connexion ont échoué : par sécurité, la connexion est bloquée "
        "pendant %(minutes)s minutes. Réessayez plus tard, ou adressez-vous à l'administratrice du site "
        "si vous avez oublié votre mot de passe."
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out visitor sees: the workspace login page with the lockout message, or a
    short page of the site for other login forms. 429 Too Many Requests."""
    context = {"lockout_message": lockout_message(request)}
    if request.path_info.startswith(reverse("partners:dashboard")):
        username = (credentials or {}).get("username") or request.POST.get("username", "")
        context["form"] = WorkspaceLoginForm(request, initial={"username": username})
        return render(request, "partners/login.html", context, status=429)
    return render(request, "partners/locked_out.html", context, status=429)
