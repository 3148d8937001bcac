"""Residents' proposals: what a resident typed, where it goes, who owns it, how to find it again.

The writes are in posts.actions: `submit_proposal` turns a ProposalData into a draft page in
moderation, and `record_decision` updates the Proposal the resident follows when Wagtail's
signals (posts.signals) report the moderators' decision. This module holds what they and the
views share: the sections each kind goes to, the system account that owns the drafts and the
lookup of a follow-up code. A proposal made "en mon nom" has no association: it is shown as
proposed by the name the resident gave.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model

from agora.sanitizer import clean_text
from posts.models import (
    ActeurPage,
    AgendaIndexPage,
    EventPage,
    NewsIndexPage,
    PortraitIndexPage,
    PortraitPage,
    ProjectNewsPage,
    Proposal,
)
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
    # Sent from the social centre's kiosk (kiosk.mode), for the activity reports (bilans).
    from_kiosk: bool = False


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


def kind_fields(kind: str, data: ProposalData) -> dict:
    if kind == Proposal.Kind.EVENT:
        start = datetime.combine(data.day, data.start_time).replace(tzinfo=PARIS)
        end = datetime.combine(data.day, data.end_time).replace(tzinfo=PARIS) if data.end_time else None
        return {
            "start": start,
            "end": end or start + DEFAULT_EVENT_DURATION,
            "place_name": clean_text(data.place_name, 150),
            "place_address": clean_text(data.place_address, 250),
        }
    if kind == Proposal.Kind.PORTRAIT:
        return {"person_name": clean_text(data.person_name, 120), "role": clean_text(data.role, 150)}
    return {"project_name": clean_text(data.project_name, 150)}


def find_proposal(code: str) -> Proposal | None:
    """The proposal of a follow-up code, typed with or without dashes, in any case."""
    compact = "".join(char for char in (code or "").upper() if char.isalnum())
    if len(compact) != 12:
        return None
    formatted = "-".join(compact[i : i + 4] for i in range(0, 12, 4))
    return Proposal.objects.select_related("page").filter(code=formatted).first()
