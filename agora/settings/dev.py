"""The embedded default: a laptop or the demo. SQLite, local files, console e-mail."""

from agora.env import env_str

from .base import *  # noqa: F403

DEBUG = True
# A development-only key; production.py refuses to start without SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY") or "agora-dev-only-not-secret"  # noqa: S105

# Serve static files straight from the source folders; no collectstatic during development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
