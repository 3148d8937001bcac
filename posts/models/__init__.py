"""Models of the publishing side: pages (pages.py) and moderation records (moderation.py)."""

from posts.models.digest import DigestDelivery, DigestSubscription
from posts.models.moderation import Proposal, Report
from posts.models.pages import (
    LISTING_PAGE_SIZE,
    ActeurIndexPage,
    ActeurPage,
    AgendaIndexPage,
    EventExtraDate,
    EventPage,
    EventPageTag,
    NewsIndexPage,
    PortraitConsent,
    PortraitIndexPage,
    PortraitPage,
    PortraitPageTag,
    ProjectNewsPage,
    ProjectNewsPageTag,
    Publication,
    event_day_error,
    kind_label,
    period_end,
)

__all__ = [
    "LISTING_PAGE_SIZE",
    "ActeurIndexPage",
    "ActeurPage",
    "AgendaIndexPage",
    "DigestDelivery",
    "DigestSubscription",
    "EventExtraDate",
    "EventPage",
    "EventPageTag",
    "NewsIndexPage",
    "PortraitConsent",
    "PortraitIndexPage",
    "PortraitPage",
    "PortraitPageTag",
    "ProjectNewsPage",
    "ProjectNewsPageTag",
    "Proposal",
    "Publication",
    "Report",
    "event_day_error",
    "kind_label",
    "period_end",
]
