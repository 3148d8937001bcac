"""WSGI entry point for gunicorn: `gunicorn agora.wsgi`."""

import gc
import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from agora.startup import exit_on_configuration_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings.dev")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    exit_on_configuration_error(error)

# Django, Wagtail and their models live as long as the worker: leave them out of the garbage
# collector's full passes, which otherwise walk all of them and stall a request now and then.
gc.collect()
gc.freeze()
