"""Fast settings for the test suite: quick hashing, local memory cache, inline tasks, temp media."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "agora-tests-only"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Local memory and inline tasks whatever REDIS_URL and TASKS_BACKEND say.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renditions": {"BACKEND": "agora.rendition_cache.LocMemRenditionCache", "LOCATION": "renditions"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

_media = Path(tempfile.mkdtemp(prefix="agora-test-media-"))
MEDIA_ROOT = _media / "public"
PRIVATE_MEDIA_ROOT = _media / "private"
STATIC_ROOT = _media / "static"
AGORA_ERASURE_JOURNAL = _media / "erasure-journal.jsonl"
STATIC_ROOT.mkdir()
WHITENOISE_USE_FINDERS = True
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The whole-page cache (home/cache.py) is off, so that every query-count test measures the views;
# tests/test_page_cache.py turns it on.
AGORA_PAGE_CACHE = False
# No address service from the test machine: tests/test_places.py turns it on with its HTTP answers.
AGORA_GEOCODER_URL = ""
