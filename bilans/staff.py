"""On association staff's start page: the past events of their association still without an
outcome, each with the link that opens the outcome form filled in."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from wagtail.admin.ui.components import Component

from bilans.models import Outcome
from bilans.report import Period, held_occurrences
from posts.models import EventPage
from posts.permissions import staff_acteur_ids

# Older occurrences are not asked for any more: an outcome is written in the weeks after.
LOOK_BACK = timedelta(days=120)
SHOWN = 10


@dataclass
class Missing:
    event: EventPage
    date: date

    @property
    def add_url(self) -> str:
        query = urlencode({"event": self.event.pk, "date": self.date.isoformat()})
        return f"{reverse('bilans_outcomes:add')}?{query}"


def events_without_outcome(user, now=None) -> list[Missing]:
    """The occurrences of the user's associations' events that ended lately, without an outcome,
    the latest first."""
    now = now or timezone.now()
    acteurs = staff_acteur_ids(user)
    if not acteurs:
        return []
    today = timezone.localdate(now)
    period = Period(today - LOOK_BACK, today)
    occurrences = [occ for occ in held_occurrences(acteurs, period, now) if occ.end <= now]
    done = set(
        Outcome.objects.for_acteurs(acteurs)
        .between(period.first, period.last)
        .values_list("event_id", "date")
    )
    missing = [Missing(occ.event, occ.start_date) for occ in reversed(occurrences)]
    return [item for item in missing if (item.event.pk, item.date) not in done][:SHOWN]


class MissingOutcomesPanel(Component):
    name = "agora_missing_outcomes"
    template_name = "bilans/admin/home_missing_outcomes.html"
    order = 20

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {
            "missing": events_without_outcome(self.user),
            "report_url": reverse("bilans_reports:index"),
            "press_url": reverse("bilans_press:add"),
        }
