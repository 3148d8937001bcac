"""Kiosk mode: the social-centre PC where anyone reads the agora and proposes, one after another.

Opening /kiosque/ (views) marks the browser with a cookie that lasts until the browser closes
(mode: the cookie, `in_kiosk()`, the timer's settings). While it is there, every page gets a
simplified header and a small idle timer (static/kiosk/kiosk.js, the site's only script, and
templates/kiosk/), through the `kiosk_mode` variable of the context processor; the Wagtail
admin gets the same timer (wagtail_hooks). After KIOSK_IDLE_SECONDS without activity, the last
KIOSK_WARNING_SECONDS of them showing a warning, the browser goes to /kiosque/reinitialiser/,
which ends any session and returns to the kiosk home, so the next person never finds the
previous one's data.

Server side, KioskMiddleware (middleware) is the backstop of the timer: an idle session is
ended before anything acts on its request, session cookies end with the browser, and kiosk
pages stay out of shared caches.

Other apps ask `kiosk.mode.in_kiosk(request)` when a page must differ at the kiosk (no
autocompletion of personal fields, a receipt whose address carries no code, print links), and
templates read `kiosk_mode`. This app depends on agora only.
"""
