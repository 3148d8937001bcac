"""Writes of the publishing side that matter, in one place: residents' proposals and their
decision, visitors' reports and their closing, consent of portrayed people, and the purge of
residents' contact details, photos and reports once they are no longer needed.

Each is atomic and called alike by views, signals, commands and tests. The rules they apply
and the reads around them stay beside: posts.proposals (what a resident typed, the sections,
the system account, the follow-up code), posts.reports (which pages may be reported, the
cool-down, the moderators' list).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator

from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex
from wagtail.rich_text import RichText

from agora.dates import months_before
from agora.sanitizer import clean_html, clean_text, plain_summary
from posts.models import (
    KeptPhoto,
    PhotoFromPhone,
    PortraitConsent,
    PortraitPage,
    Proposal,
    Report,
    kind_label,
)
from posts.moderation import public_images_collection, residents_photos_collection
from posts.notifications import (
    notify_moderators_of_reported_page,
    notify_moderators_of_reports,
    notify_resident_of_decision,
)
from posts.proposals import SECTIONS, ProposalData, ProposalsClosed, kind_fields, system_user
from posts.reports import TEXT_MAX_LENGTH, ReportOutcome, in_cool_down, open_reports
from posts.uploads import KEPT_FOR

CONSENT_WITHDRAWN_ACTION = "posts.consent.withdraw"
UNPUBLISHED_ACTION = "posts.reports.unpublish"
RESOLVED_ACTION = "posts.reports.resolve"


# --- Residents' proposals ------------------------------------------------------------------


@transaction.atomic
def submit_proposal(kind: str, data: ProposalData) -> Proposal:
    """The one way a proposal enters Agora (the public form, tests and any future import).

    Stores the checked photo, creates the draft page under the right section, owned by the
    system account, records the follow-up code and starts the "Modération légère" workflow.
    Raises ProposalsClosed when the site has no section to receive it yet. A proposal made
    without an association is credited to no one but the name the resident gave.
    """
    index_model, page_model = SECTIONS[kind]
    section = index_model.objects.live().first()
    if section is None:
        raise ProposalsClosed(kind)

    owner = system_user()
    title = clean_text(data.title, 255)
    body_html = clean_html(data.text)
    page = page_model(
        title=title,
        summary=plain_summary(body_html) or title,
        acteur=data.acteur,
        display_name=clean_text(data.display_name, 120),
        body=[("paragraph", RichText(body_html))] if body_html else [],
        owner=owner,
        live=False,
        **kind_fields(kind, data),
    )
    if data.photo is not None:
        page.image = store_photo(data.photo, title, owner)
        page.image_alt = clean_text(data.photo_alt, 250)
    section.add_child(instance=page)
    page.save_revision(user=owner)

    proposal = Proposal.objects.create(
        kind=kind,
        page=page,
        title=title,
        display_name=page.display_name,
        contact_email=data.contact_email.strip(),
        from_kiosk=data.from_kiosk,
    )
    if kind == Proposal.Kind.PORTRAIT:
        PortraitConsent.objects.create(
            portrait=page,
            given_by=clean_text(data.consent_given_by or data.person_name, 150),
            given_on=timezone.localdate(),
            method=PortraitConsent.Method.ONLINE,
        )
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, owner)
    return proposal


def store_photo(photo, title: str, owner):
    """Keep a resident's photo where only moderators see it until the proposal is decided."""
    image = get_image_model()(
        title=Truncator(title).chars(200),
        file=photo,
        collection=residents_photos_collection(),
        uploaded_by_user=owner,
    )
    image.save()
    return image


def settle_photo(proposal: Proposal, page) -> None:
    """After the decision: a declined proposal's photo is deleted; a published event's or news
    item's photo joins the images every association may use; a portrait's photo stays with the
    moderators, as it may only be shown while its person consents (withdraw_consent)."""
    image = getattr(page.specific, "image", None)
    if image is None or image.collection_id != residents_photos_collection().pk:
        return
    if proposal.status == Proposal.Status.DECLINED:
        image.delete()
    elif proposal.kind != Proposal.Kind.PORTRAIT:
        image.collection = public_images_collection()
        image.save(update_fields=["collection"])


def record_decision(page, status: str, reason: str = "") -> Proposal | None:
    """Mark the pending proposal of `page` as published or declined, and tell the resident.

    Called on Wagtail's signals (posts.signals), whatever path published or declined the page.
    """
    proposal = Proposal.objects.filter(page=page, status=Proposal.Status.PENDING).first()
    if proposal is None:
        return None
    proposal.status = status
    proposal.decline_reason = clean_text(reason, 2000) if status == Proposal.Status.DECLINED else ""
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decline_reason", "decided_at"])
    settle_photo(proposal, page)
    notify_resident_of_decision(proposal)
    return proposal


# --- Visitors' reports ---------------------------------------------------------------------


@transaction.atomic
def report_content(page: Page, reason: str, text: str, visitor: str, network: str) -> ReportOutcome:
    """Record a visitor's report of `page`: the one way a report enters Agora (the public
    form, tests, any future import). The thresholds and the cool-down are told in posts.reports.

    `visitor` and `network` are agora.ratelimit.visitor_key() and network_key().
    """
    # Lock the page row: reports of one page are counted one after another, so exactly one
    # of them finds each threshold reached.
    page = Page.objects.select_for_update().get(pk=page.pk)
    reports = open_reports().filter(page=page)
    if reports.filter(visitor=visitor).exists():
        return ReportOutcome.ALREADY_RECORDED
    new_network = not reports.filter(network=network).exists()
    try:
        with transaction.atomic():
            Report.objects.create(
                page=page,
                reason=Report.Reason(reason),
                text=clean_text(text)[:TEXT_MAX_LENGTH],
                visitor=visitor,
                network=network,
            )
    except IntegrityError:  # the same visitor, concurrently, where there is no row lock (SQLite)
        return ReportOutcome.ALREADY_RECORDED
    if not new_network:
        return ReportOutcome.RECORDED

    networks = reports.values("network").distinct().count()
    page = page.specific
    label = kind_label(page)
    if networks >= settings.AGORA_REPORTS_TO_UNPUBLISH and page.live and not in_cool_down(page):
        page.unpublish(log_action=UNPUBLISHED_ACTION)
        # After commit: moderators are never told of an unpublication that was rolled back.
        transaction.on_commit(lambda: notify_moderators_of_reports(page, label, networks))
        return ReportOutcome.UNPUBLISHED
    if networks == settings.AGORA_REPORTS_TO_ALERT and page.live:
        transaction.on_commit(lambda: notify_moderators_of_reported_page(page, label, networks))
    return ReportOutcome.RECORDED


@transaction.atomic
def resolve_reports(page: Page, user) -> int:
    """Close the open reports of `page` on a moderator's behalf; returns how many were open.

    The page stays as it is: the moderator publishes it again, edits it or deletes it in the
    page editor. Closed reports no longer count towards taking it offline.
    """
    count = open_reports().filter(page=page).update(resolved_at=timezone.now(), resolved_by=user)
    if count:
        log(instance=page.specific, action=RESOLVED_ACTION, user=user, data={"reports": count})
    return count


# --- Consent of portrayed people -----------------------------------------------------------


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
    itself when it is the resident's (store_photo keeps it with the moderators) and no other
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


# --- Purge of residents' data --------------------------------------------------------------


@dataclass
class ResidentDataPurge:
    dry_run: bool
    cutoff: datetime.datetime
    # (pk, decided_at) of the proposals whose contact details are (or would be) erased.
    proposals: list[tuple[int, datetime.datetime]] = field(default_factory=list)
    reports: int = 0
    # Residents' photos that no page uses any more (the proposal was deleted rather than declined).
    photos: int = 0
    # Photos kept for a form sent back with an error and never sent again.
    kept_photos: int = 0


@transaction.atomic
def purge_resident_data(*, now: datetime.datetime | None = None, dry_run: bool = False) -> ResidentDataPurge:
    """Erase what residents and visitors left once moderators no longer need it: the e-mail of
    proposals decided more than AGORA_RESIDENT_DATA_RETENTION_MONTHS ago (the resident was told
    of the decision; the follow-up code still shows it), the reports closed before then, and
    the photos kept a day ago for a form never sent again. Pending proposals and open reports
    are kept. Meant to run daily (manage.py purge_expired).

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
    kept_photos = list(KeptPhoto.objects.filter(created_at__lt=now - KEPT_FOR))
    purge.kept_photos = len(kept_photos)
    if not dry_run:
        proposals.update(contact_email="")
        reports.delete()
        PhotoFromPhone.objects.filter(created_at__lt=now - KEPT_FOR).delete()
        for photo in [*photos, *kept_photos]:
            photo.delete()
    return purge


def residents_photos_left_behind(now: datetime.datetime) -> list:
    """Residents' photos a day old that no page refers to: a declined proposal's photo goes at
    the decision (settle_photo), a deleted proposal's would otherwise stay with the
    moderators for ever."""
    day_old = get_image_model().objects.filter(
        collection=residents_photos_collection(), created_at__lt=now - datetime.timedelta(days=1)
    )
    return [photo for photo in day_old if not ReferenceIndex.get_references_to(photo).exists()]
