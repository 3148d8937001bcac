"""What the home page lists: the coming week, the latest news, a portrait, the associations."""

from django.utils import timezone

from posts import agenda, recurrence
from posts.models import ActeurPage, EventPage, PortraitPage, ProjectNewsPage

HOME_NEWS_COUNT = 3
HOME_EVENTS_COUNT = 6


def home_sections(now=None) -> dict:
    now = now or timezone.now()
    # "This week" as the agenda's filter has it (posts.agenda).
    week_end = agenda.this_week_end(now)
    events = EventPage.objects.listed().this_week(now).for_listing()
    latest = ProjectNewsPage.objects.listed().for_listing().order_by("-first_published_at", "-pk")
    portrait = PortraitPage.objects.listed().for_listing().order_by("-first_published_at", "-pk").first()
    return {
        "occurrences": recurrence.expand_all(events, after=now, before=week_end)[:HOME_EVENTS_COUNT],
        "news": latest[:HOME_NEWS_COUNT],
        "portrait": portrait,
        "acteurs": ActeurPage.objects.listed().defer_streamfields().order_by("title"),
    }
