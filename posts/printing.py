"""Paper: the A4 poster of one event and the printable programme of a week, with QR codes.

Both are routes of the pages themselves (EventPage `affiche/`, AgendaIndexPage `programme/`);
this module computes what they show and renders it. The QR codes are inline SVG (no image
request, nothing for the Content-Security-Policy to allow) and point to the absolute address
the visitor used to reach the site, as the iCalendar files do.

Weeks run from Monday to Sunday in Paris time. Unless asked for another one, the programme
shows the *coming* week: the week starting today if today is a Monday, otherwise the one
starting next Monday, so a programme printed on Friday is the one to pin up for next week.
The weekly letter (letter.sending) uses the same definition.
"""

import re
from datetime import date, datetime, timedelta
from itertools import groupby

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from wagtail.models import Page

from agora.addresses import absolute
from agora.qr import qr_svg
from posts import recurrence

WEEK_PARAM = "semaine"
DATE_PARAM = "date"
WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{1,2})$")
# Far enough for any programme; keeps robots following "next week" from walking forever.
FIRST_YEAR, LAST_YEAR = 2000, 2100
POSTER_OTHER_DATES = 3


# --- Weeks ---------------------------------------------------------------------------------


def local_today(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(recurrence.PARIS).date()


def coming_week_start(today: date) -> date:
    """The Monday of the coming week: today if it is a Monday, otherwise next Monday."""
    return today + timedelta(days=(7 - today.weekday()) % 7)


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_week(monday: date) -> str:
    """The ISO 8601 name of the week, as in ?semaine=2026-W12."""
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(value: str) -> date | None:
    """The Monday of an ISO week such as "2026-W12", or None if `value` is not one."""
    match = WEEK_PATTERN.match((value or "").strip())
    if not match:
        return None
    year, week = int(match[1]), int(match[2])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def requested_week(params, today: date) -> date:
    """The Monday asked for by ?semaine=YYYY-Www or by a date of the picker; the coming week otherwise."""
    monday = parse_iso_week(params.get(WEEK_PARAM, ""))
    if monday:
        return monday
    try:
        day = parse_date(params.get(DATE_PARAM, "").strip())
    except ValueError:
        day = None
    if day and FIRST_YEAR <= day.year <= LAST_YEAR:
        return week_start_of(day)
    return coming_week_start(today)


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """Monday 00:00 and the next Monday 00:00, in Paris time."""
    return recurrence.day_bounds(monday)[0], recurrence.day_bounds(monday + timedelta(days=7))[0]


def week_occurrences(monday: date, events) -> list[recurrence.Occurrence]:
    """Every occurrence happening during the week starting on `monday`, recurring events at each date.

    `events` is a queryset of listed events (the callers give it: this module does not import the
    models, whose pages route to it). An occurrence that began before Monday and goes on into
    the week (a festival, a holiday camp) is included.
    """
    start, end = week_bounds(monday)
    return recurrence.expand_all(events.upcoming(start).for_feed(), after=start, before=end)


def days_of_week(occurrences, monday: date) -> list[tuple[date, list]]:
    """Occurrences grouped by day, in order; one started before Monday is listed on Monday."""

    def day(occurrence):
        return max(occurrence.start_date, monday)

    ordered = sorted(occurrences, key=lambda occ: (day(occ), occ.start, occ.event.title))
    return [(key, list(group)) for key, group in groupby(ordered, key=day)]


# --- Poster --------------------------------------------------------------------------------


def poster_dates(event, now: datetime) -> tuple[recurrence.Occurrence | None, list, bool]:
    """The date to print in large type, a few following ones, and whether the event is over."""
    upcoming = event.occurrences(after=now)
    if upcoming:
        return upcoming[0], upcoming[1 : 1 + POSTER_OTHER_DATES], False
    past = event.occurrences()
    return (past[-1] if past else None), [], True


def poster_response(request, event) -> TemplateResponse:
    occurrence, other_occurrences, is_past = poster_dates(event, timezone.now())
    event_url = absolute(event.get_url(request))
    context = {
        **Page.get_context(event, request),
        "occurrence": occurrence,
        "other_occurrences": other_occurrences,
        "is_past": is_past,
        "event_url": event_url,
        "qr_code": qr_svg(
            event_url, label=_("Code QR vers la page de l'événement : %(url)s") % {"url": event_url}
        ),
    }
    return TemplateResponse(request, "posts/print/poster.html", context)


# --- Programme of a week -------------------------------------------------------------------


def programme_response(request, agenda, events) -> TemplateResponse:
    """The programme of the requested week of `agenda`, whose listed events are `events`."""
    monday = requested_week(request.GET, local_today())
    occurrences = week_occurrences(monday, events)
    agenda_url = absolute(agenda.get_url(request))
    context = {
        **Page.get_context(agenda, request),
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "week": iso_week(monday),
        "previous_week": iso_week(monday - timedelta(days=7)),
        "next_week": iso_week(monday + timedelta(days=7)),
        "days": days_of_week(occurrences, monday),
        "agenda_url": agenda_url,
        "qr_code": qr_svg(
            agenda_url, label=_("Code QR vers l'agenda en ligne : %(url)s") % {"url": agenda_url}
        ),
    }
    return TemplateResponse(request, "posts/print/programme.html", context)
