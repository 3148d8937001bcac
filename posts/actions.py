"""Writes of the publishing side that matter: consent of portrayed people, and the purge of
residents' contact details, photos and reports once they are no longer needed."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex

from agora.dates import months_before
from posts.models import PortraitConsent, PortraitPage, Proposal, Report
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


@dataclass
class ResidentDataPurge:
    dry_run: bool
    cutoff: datetime.datetime
    # (pk, decided_at) of the proposals whose contact details are (or would be) erased.
    proposals: list[tuple[int, datetime.datetime]] = field(default_factory=list)
    reports: int = 0
    # Residents' photos that no page uses any more (the proposal was deleted rather than declined).
    photos: int = 0


@transaction.atomic
def purge_resident_data(*, now: datetime.datetime | None = None, dry_run: bool = False) -> ResidentDataPurge:
    """Erase what residents and visitors left once moderators no longer need it: the e-mail of
    proposals decided more than AGORA_RESIDENT_DATA_RETENTION_MONTHS ago (the resident was told
    of the decision; the follow-up code still shows it), and the reports closed before then.
    Pending proposals and open reports are kept. Meant to run daily (manage.py purge_expired).

    With dry_run, nothing is changed: the report lists what would be.
    """
    now = now or timezone.now()
    purge = ResidentDataPurge(
        dry_run=dry_run, cutoff=months_before(now, settings.AGORA_RESIDENT_DATA_RETENTION_MONTHS)
    )
    proposals = Proposal.objects.filter(decided_at__lt=purge.cutoff).exclude(contact_email="")
    reports = Report.objects.filter(resolved_at__lt=purge.cutoff)
    purge.proposals = list(proposals.order_by("decided_at", "pk").values_list("pk", "decided_at"))
    purge.reports = reports.count()
    photos = residents_photos_left_behind(now)
    purge.photos = len(photos)
    if not dry_run:
        proposals.update(contact_email="")
        reports.delete()
        for photo in photos:
            photo.delete()
    return purge


def residents_photos_left_behind(now: datetime.datetime) -> list:
    """Residents' photos a day old that no page refers to: a declined proposal's photo goes at
    the decision (posts.proposals), a deleted proposal's would otherwise stay with the
    moderators for ever."""
    day_old = get_image_model().objects.filter(
        collection=residents_photos_collection(), created_at__lt=now - datetime.timedelta(days=1)
    )
    return [photo for photo in day_old if not ReferenceIndex.get_references_to(photo).exists()]
