"""Writes of the publishing side that matter: consent of portrayed people."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex

from posts.models import PortraitConsent, PortraitPage
from posts.moderation import residents_photos_collection

CONSENT_WITHDRAWN_ACTION = "posts.consent.withdraw"


@transaction.atomic
def withdraw_consent(consent: PortraitConsent, user=None) -> bool:
    """Record that the person withdrew their consent and take the portrait offline at once.

    Returns True when the portrait was unpublished.
    """
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        # update() rather than save(): the post_save signal would unpublish the portrait first,
        # with no user, and the page history would not say who took it offline.
        PortraitConsent.objects.filter(pk=consent.pk).update(withdrawn_at=consent.withdrawn_at)
        log(instance=consent, action=CONSENT_WITHDRAWN_ACTION, user=user)
    return unpublish_portrait_without_consent(consent.portrait_id, user)


def unpublish_portrait_without_consent(portrait_id: int, user=None) -> bool:
    """Take a portrait offline, cancel its scheduled publication and put its photo away, if no
    consent is active.

    Returns True when the portrait was unpublished.
    """
    portrait = PortraitPage.objects.filter(pk=portrait_id).first()
    if portrait is None or portrait.has_active_consent():
        return False
    # A publication scheduled while the consent was active must not happen after it is gone
    # (the scheduled publish would also fail validation in the publish_scheduled command).
    portrait.revisions.exclude(approved_go_live_at=None).update(approved_go_live_at=None)
    unpublished = portrait.live
    if unpublished:
        portrait.unpublish(user=user, log_action=True)
    forget_portrait_photo(portrait)
    return unpublished


def forget_portrait_photo(portrait: PortraitPage) -> None:
    """The renditions of the photo are public files: they go with the consent. So does the photo
    itself when it is the resident's (posts.proposals keeps it with the moderators) and no other
    page uses it; an image from the associations' library stays there."""
    image = portrait.image
    if image is None:
        return
    used_elsewhere = (
        ReferenceIndex.get_references_to(image)
        .exclude(base_content_type=ContentType.objects.get_for_model(Page), object_id=str(portrait.pk))
        .exists()
    )
    if image.collection_id == residents_photos_collection().pk and not used_elsewhere:
        image.delete()
    else:
        image.renditions.all().delete()
