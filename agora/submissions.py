"""One-time submission tokens: a form sent twice (a double click, a resent page) acts once.

Each displayed form carries a random token in a hidden field named `envoi`. The first POST
with a token claims it in the cache (Redis in production, shared by every app server); once
the work is done the view remembers its result (a receipt code, the URL of what was created),
and the same form sent again leads there instead of acting a second time. A submission that
fails (the form shows errors) forgets its token, so that the corrected form can be sent.

Scopes keep tokens of different forms, or of different accounts, apart.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.core.cache import cache

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


def _key(scope: str, token: str) -> str:
    return f"submission:{scope}:{token}"


def claim(scope: str, token: str) -> str | None:
    """None for a first submission (and the token is now claimed); "" while that first one
    is still being processed; else the result it remembered."""
    if not token:
        return None
    if cache.add(_key(scope, token), "", SUBMISSION_TTL):
        return None
    return cache.get(_key(scope, token), "")


def remember(scope: str, token: str, result: str) -> None:
    if token:
        cache.set(_key(scope, token), result, SUBMISSION_TTL)


def forget(scope: str, token: str) -> None:
    if token:
        cache.delete(_key(scope, token))
