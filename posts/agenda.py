"""How the agenda reads: days with a heading, "this week", and a recurring activity said once.

- The listing is split into days of Paris time, each with a heading a resident reads at a glance:
  « Aujourd'hui », « Demain », then « samedi 5 décembre » (with the year when it is not this one).
- "This week" (the home page's « Cette semaine dans le quartier » and the agenda's « Cette
  semaine » filter) is one span, defined here only: from now to the end of the sixth day after
  today, whole days in Paris time, so that it is never nearly empty on a Saturday evening.
  The printed programme and the weekly letter keep their calendar weeks, Monday to Sunday
  (posts.printing): they are about a week on paper, not about what is coming.
- An association's page shows each of its activities once, at its next date, with its rhythm
  (« tous les mercredis · prochaine fois le 9 décembre ») instead of each weekly date.

This module works on occurrences (posts.recurrence) and does not import the page models.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from django.utils import dateformat
from django.utils.translation import gettext, pgettext

from posts import recurrence

WEEK_DAYS = 7


def local_today(now: datetime) -> date:
    return now.astimezone(recurrence.PARIS).date()


def this_week_end(now: datetime) -> datetime:
    """The end of "this week" seen from `now`: midnight, Paris time, seven days after today's."""
    return recurrence.day_bounds(local_today(now) + timedelta(days=WEEK_DAYS))[0]


# --- Days and their headings ------------------------------------------------------------------


def day_heading(day: date, today: date) -> str:
    if day == today:
        return gettext("Aujourd'hui")
    if day == today + timedelta(days=1):
        return gettext("Demain")
    if day.year == today.year:
        return dateformat.format(day, pgettext("agenda day heading", "l j F"))
    return dateformat.format(day, pgettext("agenda day heading in another year", "l j F Y"))


@dataclass(frozen=True)
class Day:
    """A day of the agenda and its occurrences, in the order given."""

    date: date
    heading: str
    occurrences: list


def by_day(occurrences, today: date, *, upcoming=True) -> list[Day]:
    """`occurrences` (sorted by start) grouped by their day in Paris time.

    In the upcoming listing an occurrence already in progress (a festival that began yesterday)
    is listed under today, where a resident looks for what is on now.
    """

    def day_of(occurrence):
        return max(occurrence.start_date, today) if upcoming else occurrence.start_date

    return [Day(day, day_heading(day, today), list(group)) for day, group in groupby(occurrences, key=day_of)]


# --- An activity said once ----------------------------------------------------------------


def weekday_plural(weekday: int) -> str:
    return [
        gettext("tous les lundis"),
        gettext("tous les mardis"),
        gettext("tous les mercredis"),
        gettext("tous les jeudis"),
        gettext("tous les vendredis"),
        gettext("tous les samedis"),
        gettext("tous les dimanches"),
    ][weekday]


def rhythm(event) -> str:
    """How often `event` happens, in words: « tous les mercredis », « tous les mois, le 5 »;
    "" for an event on one date, or on a few dates outside any rule."""
    local_start = event.start.astimezone(recurrence.PARIS)
    if event.recurrence == recurrence.WEEKLY_RULE:
        return weekday_plural(local_start.weekday())
    if event.recurrence == recurrence.MONTHLY_RULE:
        return gettext("tous les mois, le %(day)s") % {"day": local_start.day}
    return ""


@dataclass(frozen=True)
class Activity:
    """An event listed once: its next occurrence, and its rhythm when it repeats."""

    occurrence: recurrence.Occurrence
    rhythm: str

    @property
    def event(self):
        return self.occurrence.event


def next_of_each(events, after: datetime) -> list[Activity]:
    """Each event once, at its next occurrence ending after `after`, soonest first."""
    activities = []
    for event in events:
        upcoming = recurrence.expand(event, after=after)
        if upcoming:
            activities.append(Activity(upcoming[0], rhythm(event) if len(upcoming) > 1 else ""))
    activities.sort(key=lambda activity: (activity.occurrence.start, activity.event.title))
    return activities
