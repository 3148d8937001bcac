from django.http import HttpRequest

from kiosk.mode import in_kiosk, timer_context


def kiosk(request: HttpRequest) -> dict:
    """`kiosk_mode`, which templates read instead of the cookie, and the timer's settings when on."""
    if not in_kiosk(request):
        return {"kiosk_mode": False}
    return {"kiosk_mode": True, **timer_context()}
