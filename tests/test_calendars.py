"""Calendars people subscribe to, read by two independent parsers (icalendar and vobject): names
and titles with the characters iCalendar escapes, an event with only extra dates, times on both
sides of the changes to and from summer time, refresh hints, conditional requests, and the links
to calendar applications."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import vobject
from icalendar import Calendar

from django.utils import timezone

from posts import ics
from posts.recurrence import PARIS, WEEKLY_RULE
from tests.conftest import page_text

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.now().year + 1
AWKWARD = r"Couture, tricot; et \ broderie"


def paris(month, day, hour=0, minute=0):
    return datetime(NEXT_YEAR, month, day, hour, minute, tzinfo=PARIS)


def both_parsers(body: bytes):
    return Calendar.from_ical(body), vobject.readOne(body.decode())


def test_names_and_titles_with_commas_semicolons_and_backslashes_read_back_exactly(
    client, make_acteur, make_event
):
    acteur = make_acteur(AWKWARD)
    make_event(AWKWARD, start=paris(6, 10, 14), acteur=acteur)

    body = client.get(f"/acteurs/{acteur.slug}/agenda.ics").content
    first, second = both_parsers(body)

    # Escaped as RFC 5545 says (icalendar reads these two back as they are written)...
    escaped = r"Couture\, tricot\; et \\ broderie — agenda".encode()
    assert b"\r\nNAME:" + escaped + b"\r\n" in body and b"\r\nX-WR-CALNAME:" + escaped + b"\r\n" in body
    # ...and read back exactly by a parser that unescapes them.
    assert second.contents["name"][0].value == f"{AWKWARD} — agenda"
    assert second.contents["x-wr-calname"][0].value == f"{AWKWARD} — agenda"
    assert str(first.walk("VEVENT")[0]["SUMMARY"]) == AWKWARD
    assert second.vevent.summary.value == AWKWARD


def test_an_event_with_only_extra_dates_keeps_its_first_date(client, make_event):
    make_event(
        "Portes ouvertes", start=paris(5, 2, 10), extra_dates=[paris(5, 9).date(), paris(5, 16).date()]
    )

    first, second = both_parsers(client.get("/agenda/agenda.ics").content)

    starts = sorted(second.vevent.getrruleset(addRDate=True))
    assert [start.astimezone(PARIS) for start in starts] == [
        paris(5, 2, 10),
        paris(5, 9, 10),
        paris(5, 16, 10),
    ]
    vevent = first.walk("VEVENT")[0]
    rdates = [value.dt for rdate in _as_list(vevent["RDATE"]) for value in rdate.dts]
    assert paris(5, 2, 10) in rdates


def test_a_weekly_event_stays_at_14_00_across_both_changes_of_time(client, make_event):
    """Every Wednesday at 14:00 from March to November: 13:00 UTC in winter, 12:00 in summer."""
    make_event(
        "Atelier du mercredi",
        start=paris(3, 4, 14),
        recurrence=WEEKLY_RULE,
        recurrence_until=paris(11, 25).date(),
    )

    first, second = both_parsers(client.get("/agenda/agenda.ics").content)

    starts = [start.astimezone(UTC) for start in second.vevent.getrruleset(addRDate=True)]
    assert all(start.astimezone(PARIS).hour == 14 for start in starts)
    march, october = _last_sunday(3), _last_sunday(10)
    assert {start.hour for start in starts if start.date() < march} == {13}
    assert {start.hour for start in starts if march < start.date() < october} == {12}
    assert {start.hour for start in starts if start.date() > october} == {13}
    # The time zone itself: the change to summer time at 02:00, back at 03:00 (wall clock before).
    zone = first.walk("VTIMEZONE")[0]
    assert zone.walk("DAYLIGHT")[0]["DTSTART"].dt.hour == 2
    assert zone.walk("STANDARD")[0]["DTSTART"].dt.hour == 3


def test_calendars_say_how_often_to_refresh_and_name_no_organizer(client, make_acteur, make_event):
    acteur = make_acteur("Les jardins partagés", email="contact@jardins.example.org", phone="02 47 00 00 01")
    make_event("Atelier compost", start=paris(6, 10, 14), acteur=acteur)

    calendar = Calendar.from_ical(client.get("/agenda/agenda.ics").content)

    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=6)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"
    vevent = calendar.walk("VEVENT")[0]
    assert "ORGANIZER" not in vevent
    assert str(vevent["CONTACT"]) == "Les jardins partagés, 02 47 00 00 01, contact@jardins.example.org"
    assert "localhost" not in str(vevent["UID"]) and "testserver" not in str(vevent["UID"])


def test_an_unchanged_calendar_is_not_sent_again(client, make_event):
    make_event("Atelier compost", start=paris(6, 10, 14))
    response = client.get("/agenda/agenda.ics")
    assert response.has_header("ETag") and response.has_header("Last-Modified")

    again = client.get("/agenda/agenda.ics", headers={"if-none-match": response["ETag"]})
    since = client.get("/agenda/agenda.ics", headers={"if-modified-since": response["Last-Modified"]})

    assert again.status_code == since.status_code == 304


def test_a_calendar_per_tag(client, make_event):
    couture = make_event("Atelier couture", start=paris(6, 10, 14))
    couture.tags.add("couture")
    couture.save_revision().publish()
    make_event("Atelier vélo", start=paris(6, 11, 14))

    calendar = Calendar.from_ical(client.get("/agenda/agenda.ics?tag=couture").content)

    assert [str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")] == ["Atelier couture"]
    assert str(calendar["X-WR-CALNAME"]).endswith("— couture")
    assert client.get("/agenda/agenda.ics?tag=inconnu").status_code == 404


def test_the_agenda_offers_webcal_google_and_outlook_subscriptions(client, sections, make_event):
    couture = make_event("Atelier couture", start=paris(6, 10, 14))
    couture.tags.add("couture")
    couture.save_revision().publish()

    html = page_text(client.get("/agenda/?tag=couture"))

    assert 'href="webcal://testserver/agenda/agenda.ics?tag=couture"' in html
    google = _link(html, "https://calendar.google.com/calendar/render?")
    assert parse_qs(urlsplit(google).query)["cid"] == ["webcal://testserver/agenda/agenda.ics?tag=couture"]
    outlook = _link(html, "https://outlook.live.com/calendar/0/addfromweb?")
    assert parse_qs(urlsplit(outlook).query)["url"] == ["http://testserver/agenda/agenda.ics?tag=couture"]


def test_an_event_page_offers_google_and_outlook_with_its_next_date(client, make_event):
    event = make_event("Atelier couture", start=paris(6, 10, 14), place_name="Salle 2")

    html = page_text(client.get(event.url))

    google = parse_qs(urlsplit(_link(html, "https://calendar.google.com/calendar/render?")).query)
    assert google["text"] == ["Atelier couture"]
    assert google["dates"] == [f"{NEXT_YEAR}0610T140000/{NEXT_YEAR}0610T160000"]
    assert google["ctz"] == ["Europe/Paris"] and google["location"] == ["Salle 2"]
    outlook = parse_qs(urlsplit(_link(html, "https://outlook.live.com/calendar/0/deeplink/compose?")).query)
    assert outlook["startdt"] == [f"{NEXT_YEAR}-06-10T14:00:00+02:00"]
    assert outlook["subject"] == ["Atelier couture"]


def test_uids_are_stable_and_unique_per_site_and_event():
    class Event:
        def __init__(self, pk):
            self.pk = pk

    assert ics.event_uid(Event(1), "agora.example.org") == ics.event_uid(Event(1), "agora.example.org")
    assert ics.event_uid(Event(1), "agora.example.org") != ics.event_uid(Event(2), "agora.example.org")
    assert ics.event_uid(Event(1), "agora.example.org") != ics.event_uid(Event(1), "autre.example.org")


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _last_sunday(month):
    day = datetime(NEXT_YEAR, month + 1, 1) - timedelta(days=1)
    while day.weekday() != 6:
        day -= timedelta(days=1)
    return day.date()


def _link(html: str, prefix: str) -> str:
    start = html.index(f'href="{prefix}') + len('href="')
    return html[start : html.index('"', start)]
