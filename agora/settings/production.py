"""Production: PostgreSQL, Redis, gunicorn behind a TLS-terminating reverse proxy.

Everything comes from the environment; with REDIS_URL set, `manage.py check --deploy` passes with zero
warnings.
"""

from django.core.exceptions import ImproperlyConfigured

from agora.env import env_bool, env_int, env_list, env_required, env_str

from .base import *  # noqa: F403
from .base import REDIS_URL, STORAGES

SECRET_KEY = env_required(
    "SECRET_KEY", "set a long random secret (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: give the site's host names, separated by commas.")

# Every link Agora writes names this address (agora.addresses); the letter's one-click
# unsubscribe (RFC 8058) is only honoured over https.
WAGTAILADMIN_BASE_URL = env_required(
    "SITE_URL", "give the site's public address, e.g. https://agora.example.org."
).rstrip("/")
if not WAGTAILADMIN_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        f"SITE_URL must be an https:// address in production, got {WAGTAILADMIN_BASE_URL!r}."
    )

# The proxy terminates TLS and tells us so with X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# One reverse proxy in front: the visitor's address is the last one it adds to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# A publication drops cached pages through the cache: with a cache of its own, each worker would
# go on serving what it stored (a withdrawn portrait, for AGORA_PAGE_CACHE_SECONDS). Without
# Redis the page cache is off, and `check --deploy` says so (home.W001).
if not REDIS_URL:
    AGORA_PAGE_CACHE = False

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mails (and their retries) are queued in the database and sent by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
