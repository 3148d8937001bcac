"""The Wagtail admin at the kiosk: the same idle timer as the public site."""

from django.template.loader import render_to_string

from wagtail import hooks

from kiosk.middleware import serving_kiosk
from kiosk.mode import timer_context


@hooks.register("insert_global_admin_js")
def kiosk_timer() -> str:
    # Someone who logs into the admin at the kiosk and walks away must not leave it open for the
    # next person: the admin resets like any kiosk page. Office PCs get nothing.
    if not serving_kiosk():
        return ""
    return render_to_string("kiosk/admin_timer.html", timer_context())
