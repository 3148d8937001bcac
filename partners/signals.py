"""A partner's session is a workspace session, whatever login page opened it."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from partners import access
from partners.middleware import keep_to_browser, mark_active


@receiver(user_logged_in, dispatch_uid="partners.workspace_session")
def start_workspace_session(sender, request, user, **kwargs) -> None:
    """A member who logs in at the Wagtail admin, "remember me" ticked or not, gets what the
    workspace login gives: a cookie that ends with the browser, and the idle clock started, so
    that 30 minutes without activity close the workspace to that session too.

    The admin sets its own expiry after this signal; WorkspaceSessionMiddleware sets it back.
    """
    if request is None or not access.is_partner(user):
        return
    mark_active(request)
    keep_to_browser(request)
