"""Writes of the bilans that matter beyond their own row."""

from django.core.cache import cache
from django.db import transaction

from bilans.models import PUBLIC_SUMMARIES_CACHE_KEY, PublicSummary
from posts.models import ActeurPage


@transaction.atomic
def set_public_summary(acteur: ActeurPage, public: bool) -> PublicSummary:
    """Show or hide the association's yearly summary on the public site. Saving the choice
    empties the public page cache (home.cache), as its page links to the summary or stops to."""
    summary, _created = PublicSummary.objects.update_or_create(acteur=acteur, defaults={"public": public})
    cache.delete(PUBLIC_SUMMARIES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(PUBLIC_SUMMARIES_CACHE_KEY))
    return summary
