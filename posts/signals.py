"""Whatever path changes a consent (admin, command, shell), a withdrawn one takes the portrait offline."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from posts.actions import unpublish_portrait_without_consent
from posts.models import PortraitConsent


@receiver(post_save, sender=PortraitConsent)
@receiver(post_delete, sender=PortraitConsent)
def portrait_consent_changed(sender, instance, **kwargs):
    if instance.withdrawn_at is not None or kwargs.get("signal") is post_delete:
        unpublish_portrait_without_consent(instance.portrait_id)
