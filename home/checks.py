"""System checks for running Agora in production (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def page_cache_needs_a_shared_cache(app_configs, **kwargs):
    # A publication reaches the cached pages of every worker only through a cache they share;
    # production settings turn the page cache off without one (home.cache).
    if settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is not set: each worker has a cache of its own, so the whole-page cache is off.",
            hint="Set REDIS_URL to serve anonymous pages from the cache; rate limits then also count "
            "across workers.",
            id="home.W001",
        )
    ]
