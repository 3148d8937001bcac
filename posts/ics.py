"""iCalendar (RFC 5545) files of the agenda.

One VEVENT per event page, never one per occurrence: a weekly or monthly event becomes an
RRULE and its extra dates an RDATE, so that calendar applications show one series that
they update in place. Times keep their Europe/Paris wall-clock value (TZID plus a
VTIMEZONE), the same rule posts.recurrence follows, so "every Wednesday at 14:00" stays at
14:00 across the change to summer time.

The files have no METHOD: they are published calendars, not invitations. DTSTAMP is then
the time the event last changed (RFC 5545, 3.8.7.2), which keeps the output identical from
one request to the next while nothing changes.
"""

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event, Timezone, vCalAddress

from django.utils import timezone
from django.utils.translation import gettext as _

from posts import recurrence

PRODID = "-//Agora//agenda//FR"
TZID = "Europe/Paris"
CONTENT_TYPE = "text/calendar; charset=utf-8"
RRULE_FREQUENCIES = {recurrence.WEEKLY_RULE: "WEEKLY", recurrence.MONTHLY_RULE: "MONTHLY"}


def build_calendar(events, *, name: str, host: str, request=None) -> Calendar:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONE of Europe/Paris.

    `host` makes the UIDs (`event-<pk>@<host>`) unique to this site and stable over time,
    whatever address the calendar was fetched from; page URLs are made absolute with the
    address of `request`, the one the subscriber uses.
    """
    events = list(events)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.calendar_name = name  # NAME (RFC 7986) and X-WR-CALNAME
    calendar.add("x-wr-timezone", TZID)
    # Always present, even for an empty agenda: a VCALENDAR needs at least one component.
    calendar.add_component(Timezone.from_tzid(TZID, first_date=first_day(events), last_date=last_day(events)))
    for event in events:
        calendar.add_component(build_event(event, host=host, request=request))
    return calendar


def build_event(event, *, host: str, request=None) -> Event:
    vevent = Event()
    changed = (event.last_published_at or event.latest_revision_created_at or timezone.now()).astimezone(UTC)
    vevent.add("uid", event_uid(event, host))
    vevent.add("dtstamp", changed)
    vevent.add("last-modified", changed)
    vevent.add("summary", event.title)
    vevent.add("description", "\n\n".join(filter(None, [event.summary, price_line(event)])))
    location = ", ".join(part for part in (event.place_name, event.place_address) if part)
    if location:
        vevent.add("location", location)
    url = event.get_url(request)
    if url:
        vevent.add("url", request.build_absolute_uri(url) if request else event.full_url)

    if event.all_day:
        start_day, end_day = all_day_bounds(event)
        vevent.add("dtstart", start_day)
        vevent.add("dtend", end_day)
    else:
        vevent.add("dtstart", event.start.astimezone(recurrence.PARIS))
        vevent.add("dtend", event.end.astimezone(recurrence.PARIS))

    rule = recurrence_rule(event)
    if rule:
        vevent.add("rrule", rule)
    extra = extra_starts(event)
    if extra:
        vevent.add("rdate", extra)

    tags = [tag.name for tag in event.tags.all()]
    if tags:
        vevent.add("categories", tags)
    acteur = event.acteur
    if acteur is not None and acteur.email:
        organizer = vCalAddress(f"mailto:{acteur.email}")
        organizer.params["cn"] = acteur.title
        vevent.add("organizer", organizer)
    return vevent


def price_line(event) -> str:
    if event.is_free is None:
        return event.price_label
    return _("Tarif : %(price)s") % {"price": event.price_label}


def event_uid(event, host: str) -> str:
    return f"event-{event.pk}@{host}"


def all_day_bounds(event) -> tuple[date, date]:
    """First day and the exclusive end day (DTEND of an all-day event is the day after)."""
    local_start = event.start.astimezone(recurrence.PARIS)
    local_end = event.end.astimezone(recurrence.PARIS)
    end_day = local_end.date()
    # An end at midnight already is the exclusive bound; any later time covers that day too.
    if local_end.time() != time.min or end_day == local_start.date():
        end_day += timedelta(days=1)
    return local_start.date(), end_day


def recurrence_rule(event) -> dict | None:
    """The RRULE matching posts.recurrence: every start up to the end of `recurrence_until`."""
    frequency = RRULE_FREQUENCIES.get(event.recurrence)
    until = event.recurrence_until
    if not frequency or not until or until < event.start.astimezone(recurrence.PARIS).date():
        return None
    if event.all_day:
        return {"FREQ": frequency, "UNTIL": until}
    # With a TZID on DTSTART, UNTIL must be given in UTC (RFC 5545, 3.3.10).
    local_end_of_day = datetime.combine(until, time(23, 59, 59)).replace(tzinfo=recurrence.PARIS)
    return {"FREQ": frequency, "UNTIL": local_end_of_day.astimezone(UTC)}


def extra_starts(event) -> list:
    """The extra dates as RDATE values, of the same type as DTSTART."""
    days = sorted({item.date for item in event.extra_dates.all()})
    if event.all_day:
        return days
    local_time = event.start.astimezone(recurrence.PARIS).time()
    return [datetime.combine(day, local_time).replace(tzinfo=recurrence.PARIS) for day in days]


def first_day(events) -> date:
    """Earliest day the VTIMEZONE must cover: the first DTSTART or RDATE, or today."""
    days = [timezone.localdate()]
    for event in events:
        days.append(event.start.astimezone(recurrence.PARIS).date())
        days.extend(item.date for item in event.extra_dates.all())
    return min(days) - timedelta(days=1)


def last_day(events) -> date:
    """Latest day the VTIMEZONE must cover, with a year of margin for subscribers."""
    days = [timezone.localdate()]
    for event in events:
        days.append(event.end.astimezone(recurrence.PARIS).date())
        if event.recurrence_until:
            days.append(event.recurrence_until)
        days.extend(item.date for item in event.extra_dates.all())
    return max(days) + timedelta(days=366)
