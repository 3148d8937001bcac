"""One-time submission tokens: a form sent twice (a double click, a resent page) acts once.

Each displayed form carries a random token in a hidden field named `envoi`. The first POST
with a token claims it in the cache (Redis in production, shared by every app server); once
the work is done the view remembers its result (a receipt code, the URL of what was created),
and the same form sent again leads there instead of acting a second time. A submission that
fails (the form shows errors) forgets its token, so that the corrected form can be sent.

Scopes keep tokens of different forms, or of different accounts, apart; and a token belongs to
the browser that was shown the form, so that a token seen by someone else (over a shoulder, in
a screenshot) brings nothing of its result, such as a receipt code, to another browser.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

SUBMISSION_FIELD = "envoi"
SUBMISSION_TTL = 24 * 3600
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OneTimeSubmissionForm(forms.Form):
    """A form whose every display carries a new token in its hidden `envoi` field."""

    envoi = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial[SUBMISSION_FIELD] = new_token()


def posted_token(data) -> str:
    """The token sent with a form, read before the form is validated (what the first sending
    created may make the same data invalid the second time); "" when absent or malformed."""
    token = data.get(SUBMISSION_FIELD, "")
    return token if isinstance(token, str) and TOKEN_FORMAT.fullmatch(token) else ""


def _key(request: HttpRequest, scope: str, token: str) -> str:
    # The browser is known by its CSRF cookie: the page showing the form set it, and
    # CsrfViewMiddleware refuses a form sent without it. Hashed: it stays out of the cache's keys.
    browser = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    owner = salted_hmac("agora.submissions", browser).hexdigest()[:32]
    return f"submission:{scope}:{owner}:{token}"


def claim(request: HttpRequest, scope: str, token: str) -> str | None:
    """None for a first submission from this browser (and the token is now claimed); "" while
    that first one is still being processed; else the result it remembered."""
    if not token:
        return None
    key = _key(request, scope, token)
    if cache.add(key, "", SUBMISSION_TTL):
        return None
    return cache.get(key, "")


def remember(request: HttpRequest, scope: str, token: str, result: str) -> None:
    if token:
        cache.set(_key(request, scope, token), result, SUBMISSION_TTL)


def forget(request: HttpRequest, scope: str, token: str) -> None:
    if token:
        cache.delete(_key(request, scope, token))
