"""Signals of the publishing side.

Whatever path changes a consent (admin, command, shell), a withdrawn one takes the portrait
offline. Whatever path brings an image file in, it is stored without its metadata. Published
pages are indexed again once their tags are saved. Moderators are told of each submission,
and a resident's proposal follows its page's fate.
"""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index
from wagtail.signals import page_published, task_rejected, task_submitted

from posts.actions import record_decision, unpublish_portrait_without_consent
from posts.images import strip_new_file
from posts.models import PortraitConsent, Proposal, kind_label
from posts.notifications import notify_moderators_of_submission


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


@receiver(pre_save, sender=get_image_model())
def image_file_stored_without_metadata(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and (update_fields is None or "file" in update_fields):
        strip_new_file(instance)


@receiver(page_published)
def reindex_published_page(sender, instance, **kwargs):
    # Wagtail indexes a page in post_save, before modelcluster writes its tags; index it
    # again now that the whole revision, tags included, is in the database.
    index.insert_or_update_object(instance)


# --- Moderation of proposals -------------------------------------------------------------


@receiver(page_published)
def proposal_published(sender, instance, **kwargs):
    record_decision(instance, Proposal.Status.PUBLISHED)


@receiver(task_rejected)
def proposal_declined(sender, instance, user=None, **kwargs):
    page = instance.workflow_state.content_object
    if isinstance(page, Page):
        record_decision(page, Proposal.Status.DECLINED, instance.comment)


@receiver(task_submitted)
def moderators_told_of_submission(sender, instance, user=None, **kwargs):
    page = instance.workflow_state.content_object
    if not isinstance(page, Page):
        return
    page = page.specific
    proposal = Proposal.objects.filter(page=page).order_by("-created_at").first()
    if proposal is not None:
        author = _("%(name)s, habitant·e, sans compte") % {"name": proposal.display_name}
    else:
        author = (user.get_full_name() or user.get_username()) if user else _("inconnu")
    notify_moderators_of_submission(page, kind_label(page), author)
