"""Signals of the publishing side.

Whatever path changes a consent (admin, command, shell), a withdrawn one takes the portrait
offline. Published pages are indexed again once their tags are saved.
"""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.search import index
from wagtail.signals import page_published

from posts.actions import unpublish_portrait_without_consent
from posts.models import PortraitConsent


@receiver(post_save, sender=PortraitConsent)
def portrait_consent_saved(sender, instance, **kwargs):
    if instance.withdrawn_at is not None:
        unpublish_portrait_without_consent(instance.portrait_id)


@receiver(post_delete, sender=PortraitConsent)
def portrait_consent_deleted(sender, instance, origin=None, **kwargs):
    # When the portrait itself is being deleted, its consents go with it: unpublishing it
    # halfway through would only log a spurious "unpublished" entry after "deleted".
    deleting_pages = isinstance(origin, Page) or (
        isinstance(origin, QuerySet) and issubclass(origin.model, Page)
    )
    if not deleting_pages:
        unpublish_portrait_without_consent(instance.portrait_id)


@receiver(page_published)
def reindex_published_page(sender, instance, **kwargs):
    # Wagtail indexes a page in post_save, before modelcluster writes its tags; index it
    # again now that the whole revision, tags included, is in the database.
    index.insert_or_update_object(instance)
