"""Residents' proposals: from a form without an account to a draft page in moderation.

`submit_proposal` is the one way a proposal enters Agora (the public form, tests and any
future import call it): it stores the checked photo, creates the draft page under the right
section, owned by the system account, records the follow-up code and starts the
"Modération légère" workflow, all in one transaction. Decisions come back through Wagtail's
signals (see posts.signals) and update the Proposal the resident follows.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from agora.sanitizer import clean_html, clean_text
from posts.models import (
    ActeurPage,
    AgendaIndexPage,
    EventPage,
    NewsIndexPage,
    PortraitConsent,
    PortraitIndexPage,
    PortraitPage,
    ProjectNewsPage,
    Proposal,
)
from posts.moderation import public_images_collection, residents_photos_collection
from posts.recurrence import PARIS

SYSTEM_USERNAME = "agora-propositions"
DEFAULT_EVENT_DURATION = timedelta(hours=2)
SECTIONS = {
    Proposal.Kind.EVENT: (AgendaIndexPage, EventPage),
    Proposal.Kind.NEWS: (NewsIndexPage, ProjectNewsPage),
    Proposal.Kind.PORTRAIT: (PortraitIndexPage, PortraitPage),
}


class ProposalsClosed(Exception):
    """The site has no section or no association to receive this kind of proposal yet."""


@dataclass
class ProposalData:
    """What a resident typed, already validated by the form; texts are cleaned here."""

    title: str
    text: str
    display_name: str
    contact_email: str = ""
    acteur: ActeurPage | None = None
    photo: object = None  # a CleanImage re-encoded by posts.uploads
    photo_alt: str = ""
    # Events
    day: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    place_name: str = ""
    place_address: str = ""
    # Portraits
    person_name: str = ""
    role: str = ""
    consent_given_by: str = ""
    # News
    project_name: str = ""


def system_user():
    """The account that owns residents' proposals; it cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "Propositions", "last_name": "des habitants", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def host_acteur() -> ActeurPage | None:
    """The place that carries proposals made without an association (the social centre)."""
    acteurs = ActeurPage.objects.listed().order_by("-welcomes_residents", "pk")
    return acteurs.filter(welcomes_residents=True).first() or acteurs.first()


@transaction.atomic
def submit_proposal(kind: str, data: ProposalData) -> Proposal:
    index_model, page_model = SECTIONS[kind]
    section = index_model.objects.live().first()
    acteur = data.acteur or host_acteur()
    if section is None or acteur is None:
        raise ProposalsClosed(kind)

    owner = system_user()
    title = clean_text(data.title, 255)
    body_html = clean_html(data.text)
    page = page_model(
        title=title,
        summary=Truncator(strip_tags(body_html).replace("\n", " ")).chars(280) or title,
        acteur=acteur,
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


def kind_fields(kind: str, data: ProposalData) -> dict:
    if kind == Proposal.Kind.EVENT:
        start = datetime.combine(data.day, data.start_time).replace(tzinfo=PARIS)
        end = datetime.combine(data.day, data.end_time).replace(tzinfo=PARIS) if data.end_time else None
        return {
            "start": start,
            "end": end or start + DEFAULT_EVENT_DURATION,
            "place_name": clean_text(data.place_name, 150),
            "place_address": clean_text(data.place_address, 250),
            "is_free": True,
        }
    if kind == Proposal.Kind.PORTRAIT:
        return {"person_name": clean_text(data.person_name, 120), "role": clean_text(data.role, 150)}
    return {"project_name": clean_text(data.project_name, 150)}


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
    moderators, as it may only be shown while its person consents (posts.actions)."""
    image = getattr(page.specific, "image", None)
    if image is None or image.collection_id != residents_photos_collection().pk:
        return
    if proposal.status == Proposal.Status.DECLINED:
        image.delete()
    elif proposal.kind != Proposal.Kind.PORTRAIT:
        image.collection = public_images_collection()
        image.save(update_fields=["collection"])


def find_proposal(code: str) -> Proposal | None:
    """The proposal of a follow-up code, typed with or without dashes, in any case."""
    compact = "".join(char for char in (code or "").upper() if char.isalnum())
    if len(compact) != 12:
        return None
    formatted = "-".join(compact[i : i + 4] for i in range(0, 12, 4))
    return Proposal.objects.select_related("page").filter(code=formatted).first()


def record_decision(page, status: str, reason: str = "") -> Proposal | None:
    """Mark the pending proposal of `page` as published or declined, and tell the resident."""
    from posts.notifications import notify_resident_of_decision

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
