"""Visitors' reports of published content ("Signaler ce contenu"), and their review.

The writes are in posts.actions. `report_content` is the one way a report enters Agora (the public form, tests, any future
import): it records one report per visitor and page and counts the distinct networks they
come from (one person easily has several addresses: IPv6 privacy addresses, a phone and a
home line). From AGORA_REPORTS_TO_ALERT networks the moderators are alerted and the page stays
online; from AGORA_REPORTS_TO_UNPUBLISH networks it goes offline until a moderator reviews it,
except within AGORA_REPORTS_COOL_DOWN_DAYS after a moderator closed its reports, so that the
same people cannot take it offline again right after the review. All in one transaction.
`resolve_reports` closes the open reports of a page once a moderator has looked at them.
This module holds the rule's reads: which pages may be reported, the cool-down, and what
the admin shows (`open_reports_by_page`).
"""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from wagtail.models import Page

from posts.models import (
    ActeurPage,
    EventPage,
    ListedQuerySet,
    PortraitPage,
    ProjectNewsPage,
    Report,
    kind_label,
)

REPORTABLE_MODELS = (EventPage, ProjectNewsPage, PortraitPage, ActeurPage)
TEXT_MAX_LENGTH = 1000


class ReportOutcome(enum.Enum):
    RECORDED = "recorded"
    # The visitor had already reported this page (and no moderator has closed it since).
    ALREADY_RECORDED = "already_recorded"
    # Recorded, and this report took the page offline.
    UNPUBLISHED = "unpublished"


def reportable_pages():
    """Pages a visitor may report: listed publications and associations.

    Never the home page nor a section: a few visitors must not be able to take them offline.
    """
    return ListedQuerySet(Page).listed().type(*REPORTABLE_MODELS)


def open_reports():
    return Report.objects.filter(resolved_at__isnull=True)


def in_cool_down(page: Page) -> bool:
    """Whether a moderator closed reports of `page` less than AGORA_REPORTS_COOL_DOWN_DAYS ago."""
    last_review = Report.objects.filter(page=page).aggregate(last=Max("resolved_at"))["last"]
    cool_down = timedelta(days=settings.AGORA_REPORTS_COOL_DOWN_DAYS)
    return last_review is not None and last_review > timezone.now() - cool_down


@dataclass
class ReportedPage:
    """A page with open reports, as moderators review it."""

    page: Page
    reports: list[Report]

    @property
    def kind_label(self) -> str:
        return kind_label(self.page)

    @property
    def visitors(self) -> int:
        return len({report.visitor for report in self.reports})

    @property
    def networks(self) -> int:
        return len({report.network for report in self.reports})

    @property
    def first_reported_at(self) -> datetime:
        return min(report.created_at for report in self.reports)

    @property
    def last_reported_at(self) -> datetime:
        return max(report.created_at for report in self.reports)


def open_reports_by_page() -> list[ReportedPage]:
    """Open reports grouped by page, the most recently reported page first."""
    reports = list(open_reports().order_by("-created_at", "-pk"))
    pages = Page.objects.specific().in_bulk({report.page_id for report in reports})
    grouped: dict[int, list[Report]] = {}
    for report in reports:
        grouped.setdefault(report.page_id, []).append(report)
    return [ReportedPage(page=pages[page_id], reports=items) for page_id, items in grouped.items()]
