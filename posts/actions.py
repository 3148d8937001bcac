"""Writes of the publishing side that matter: consent of portrayed people."""

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from posts.models import PortraitConsent, PortraitPage

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
    """Take a portrait offline, and cancel its scheduled publication, if no consent is active.

    Returns True when the portrait was unpublished.
    """
    portrait = PortraitPage.objects.filter(pk=portrait_id).first()
    if portrait is None or portrait.has_active_consent():
        return False
    # A publication scheduled while the consent was active must not happen after it is gone
    # (the scheduled publish would also fail validation in the publish_scheduled command).
    portrait.revisions.exclude(approved_go_live_at=None).update(approved_go_live_at=None)
    if not portrait.live:
        return False
    portrait.unpublish(user=user, log_action=True)
    return True
