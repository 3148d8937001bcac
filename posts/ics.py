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

import uuid
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from icalendar import Calendar, Event, Timezone, vDuration, vText

from django.utils import timezone
from django.utils.translation import gettext as _

from agora.addresses import absolute
from posts import recurrence

PRODID = "-//Agora//agenda//FR"
TZID = "Europe/Paris"
CONTENT_TYPE = "text/calendar; charset=utf-8"
RRULE_FREQUENCIES = {recurrence.WEEKLY_RULE: "WEEKLY", recurrence.MONTHLY_RULE: "MONTHLY"}


# Europe/Paris as calendar applications write it: the EU rule (since 1996), valid for every
# year. Each DTSTART is the wall-clock time before the change: 02:00 in March (CET), 03:00 in
# October (CEST). The one icalendar derived from the zoneinfo database (Timezone.from_tzid)
# put the March change at 03:00, the time after it.
PARIS_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZNAME:CEST
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZNAME:CET
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""
# How often subscribed applications fetch the calendar again (RFC 7986; Outlook reads the other).
REFRESH_INTERVAL = timedelta(hours=6)


def build_calendar(events, *, name: str, host: str, request=None) -> Calendar:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONE of Europe/Paris.

    `host` makes the UIDs unique to this site and stable over time, whatever address the
    calendar was fetched from; page URLs name the site's address (agora.addresses).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # NAME (RFC 7986) and the X-WR-CALNAME most applications read, escaped as any text (given
    # as plain strings, icalendar 7 writes them unescaped).
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    # Always present, even for an empty agenda: a VCALENDAR needs at least one component.
    calendar.add_component(Timezone.from_ical(PARIS_VTIMEZONE))
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
        vevent.add("url", absolute(url))

    vevent.add("dtstart", start_value(event))
    if event.all_day:
        vevent.add("dtend", all_day_bounds(event)[1])
    else:
        vevent.add("dtend", event.end.astimezone(recurrence.PARIS))

    rule = recurrence_rule(event)
    if rule:
        vevent.add("rrule", rule)
    extra = extra_starts(event)
    if extra:
        # Without an RRULE, some applications (Mozilla's) read the RDATEs as the whole series
        # and drop DTSTART: it is listed with them (RFC 5545 ignores the duplicate).
        vevent.add("rdate", extra if rule else [start_value(event), *extra])

    tags = [tag.name for tag in event.tags.all()]
    if tags:
        vevent.add("categories", tags)
    # CONTACT, not ORGANIZER: an ORGANIZER makes the event an invitation (RFC 5546).
    acteur = event.public_acteur
    if acteur is not None:
        vevent.add("contact", ", ".join(part for part in (acteur.title, acteur.phone, acteur.email) if part))
    return vevent


def price_line(event) -> str:
    if event.is_free is None:
        return event.price_label
    return _("Tarif : %(price)s") % {"price": event.price_label}


def event_uid(event, host: str) -> str:
    """Stable and unique to this site, without its host name in clear (RFC 7986, 5.3)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://{host}/agenda/evenement/{event.pk}"))


def start_value(event):
    """DTSTART's value: the first day of an all-day event, else the start in Paris time."""
    if event.all_day:
        return all_day_bounds(event)[0]
    return event.start.astimezone(recurrence.PARIS)


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


# --- Links to calendar applications ----------------------------------------------------------
# Plain links, no script: the Content-Security-Policy has nothing to allow.

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"
OUTLOOK_SUBSCRIBE = "https://outlook.live.com/calendar/0/addfromweb"


def subscription_links(feed_url: str, name: str) -> dict[str, str]:
    """Where to subscribe to the calendar at `feed_url` (absolute, https or http): the phone's
    or computer's own calendar (webcal://), Google Agenda, Outlook, and the file itself."""
    webcal = "webcal://" + feed_url.split("://", 1)[1]
    return {
        "webcal": webcal,
        "google": f"{GOOGLE_CALENDAR}?{urlencode({'cid': webcal})}",
        "outlook": f"{OUTLOOK_SUBSCRIBE}?{urlencode({'url': feed_url, 'name': name})}",
        "file": feed_url,
    }


def add_links(event, occurrence, page_url: str) -> dict[str, str]:
    """Google Agenda's and Outlook's "add this event" forms, filled with one occurrence."""
    start = occurrence.start.astimezone(recurrence.PARIS)
    end = occurrence.end.astimezone(recurrence.PARIS)
    location = ", ".join(part for part in (event.place_name, event.place_address) if part)
    details = "\n\n".join(part for part in (event.summary, page_url) if part)
    if occurrence.all_day:
        dates = f"{start:%Y%m%d}/{(end.date() + timedelta(days=1)):%Y%m%d}"
    else:
        dates = f"{start:%Y%m%dT%H%M%S}/{end:%Y%m%dT%H%M%S}"
    google = {"action": "TEMPLATE", "text": event.title, "dates": dates, "ctz": TZID, "details": details}
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": start.isoformat(),
        "enddt": end.isoformat(),
        "allday": "true" if occurrence.all_day else "false",
        "body": details,
    }
    if location:
        google["location"] = outlook["location"] = location
    return {
        "google": f"{GOOGLE_CALENDAR}?{urlencode(google)}",
        "outlook": f"{OUTLOOK_COMPOSE}?{urlencode(outlook)}",
    }


def last_change(events) -> datetime | None:
    """When the newest of these events last changed: the calendar's Last-Modified."""
    changes = [event.last_published_at or event.latest_revision_created_at for event in events]
    return max((change for change in changes if change), default=None)
