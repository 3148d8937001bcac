"""WSGI entry point for gunicorn: `gunicorn agora.wsgi`."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from agora.startup import exit_on_configuration_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings.dev")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    exit_on_configuration_error(error)
