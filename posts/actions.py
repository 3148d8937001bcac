"""Writes of the publishing side that matter: consent of portrayed people."""

from django.db import transaction
from django.utils import timezone

from posts.models import PortraitConsent, PortraitPage


@transaction.atomic
def withdraw_consent(consent: PortraitConsent, user=None) -> bool:
    """Record that the person withdrew their consent and take the portrait offline at once.

    Returns True when the portrait was unpublished.
    """
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
    return unpublish_portrait_without_consent(consent.portrait_id, user)


def unpublish_portrait_without_consent(portrait_id: int, user=None) -> bool:
    portrait = PortraitPage.objects.filter(pk=portrait_id).first()
    if portrait is None or not portrait.live or portrait.has_active_consent():
        return False
    portrait.unpublish(user=user, log_action=True)
    return True
