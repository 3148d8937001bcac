"""System checks: the page cache needs a shared cache in production (`check --deploy`), and
the erasure journal must stay out of what a backup holds and a restore replaces."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register()
def erasure_journal_outside_backed_up_roots(app_configs, **kwargs):
    journal = Path(settings.AGORA_ERASURE_JOURNAL).resolve()
    errors = []
    for name, root in (
        ("MEDIA_ROOT", settings.MEDIA_ROOT),
        ("PRIVATE_MEDIA_ROOT", settings.PRIVATE_MEDIA_ROOT),
    ):
        root = Path(root).resolve()
        if journal.is_relative_to(root):
            errors.append(
                Error(
                    f"AGORA_ERASURE_JOURNAL ({journal}) is inside {name} ({root}).",
                    hint=(
                        "A restore would bring back an older journal and forget the erasures since: "
                        "keep the journal outside the folders that backups hold."
                    ),
                    id="home.E001",
                )
            )
    return errors
