"""The application as the bench serves it: Agora, plus /media/ as the reverse proxy would serve it.

In production the proxy serves public uploads (DESIGN: gunicorn behind a reverse proxy); the bench
has no proxy, so WhiteNoise stands in for it on /media/ only, and Lighthouse sees the images.
"""

from whitenoise import WhiteNoise

from django.conf import settings

from agora.wsgi import application as agora

application = WhiteNoise(agora, autorefresh=True)
application.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
