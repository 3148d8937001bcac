"""iCalendar files of the agenda (RFC 5545) and the RSS feed of publications."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from posts import ics
from posts.recurrence import PARIS

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"
NEXT_YEAR = timezone.now().year + 1


def paris(month, day, hour=0, minute=0, year=NEXT_YEAR):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar) -> dict:
    return {str(vevent["SUMMARY"]): vevent for vevent in calendar.walk("VEVENT")}


def as_list(value):
    return value if isinstance(value, list) else [value]


def publish_with_tags(page, *names):
    page.tags.add(*names)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


# --- /agenda/agenda.ics --------------------------------------------------------------------


def test_agenda_ics_is_a_valid_calendar_with_paris_timezone(client, make_event, make_acteur):
    acteur = make_acteur("Les Jardins partagés", email="contact@jardins.example.org")
    event = make_event(
        "Atelier compost",
        start=paris(6, 10, 14),
        duration=timedelta(hours=2),
        acteur=acteur,
        place_name="Jardin de la Rabière",
        place_address="12 rue des Lilas, Joué-lès-Tours",
    )
    publish_with_tags(event, "jardin", "écologie")

    response = client.get("/agenda/agenda.ics")

    calendar = parse(response)
    assert str(calendar["PRODID"]) == "-//Agora//agenda//FR"
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["X-WR-CALNAME"]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    vevent = vevents(calendar)["Atelier compost"]
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent["DTEND"].params["TZID"] == "Europe/Paris"
    assert vevent.start == paris(6, 10, 14)
    assert vevent.end == paris(6, 10, 16)
    assert b"DTSTART;TZID=Europe/Paris:" + f"{NEXT_YEAR}0610T140000".encode() in response.content
    assert str(vevent["DESCRIPTION"]) == "Résumé de Atelier compost\n\nTarif non précisé"
    assert str(vevent["LOCATION"]) == "Jardin de la Rabière, 12 rue des Lilas, Joué-lès-Tours"
    assert str(vevent["URL"]) == "http://testserver/agenda/atelier-compost/"
    assert sorted(vevent.categories) == ["jardin", "écologie"]
    # Not an invitation: the association is a CONTACT, never an ORGANIZER.
    assert "ORGANIZER" not in vevent
    assert "contact@jardins.example.org" in str(vevent["CONTACT"])
    assert vevent["DTSTAMP"].dt.tzinfo is not None and vevent["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert "LAST-MODIFIED" in vevent
    assert "RRULE" not in vevent and "RDATE" not in vevent


def test_agenda_ics_uids_are_stable_across_requests(client, make_event):
    first = make_event("Permanence numérique", start=paris(5, 4, 9))
    second = make_event("Repair café", start=paris(5, 5, 9))

    one = client.get("/agenda/agenda.ics")
    two = client.get("/agenda/agenda.ics")
    other_address = client.get("/agenda/agenda.ics", HTTP_HOST="127.0.0.1")

    uids = {str(vevent["UID"]) for vevent in parse(one).walk("VEVENT")}
    assert len(uids) == 2 and not any("localhost" in uid for uid in uids)
    assert uids == {ics.event_uid(first, "testserver"), ics.event_uid(second, "testserver")}
    assert {str(vevent["UID"]) for vevent in parse(other_address).walk("VEVENT")} == uids
    # DTSTAMP is the last change, not the time of the request: nothing moves between two requests.
    assert one.content == two.content


def test_agenda_ics_expresses_weekly_event_as_rrule(client, make_event):
    # Every Wednesday at 14:00 across the change to summer time (last Sunday of March).
    start = paris(3, 6, 14)
    while start.weekday() != 2:
        start += timedelta(days=1)
    until = (start + timedelta(weeks=6)).date()
    event = make_event("Atelier couture", start=start, recurrence="weekly", recurrence_until=until)

    calendar = parse(client.get("/agenda/agenda.ics"))

    [vevent] = calendar.walk("VEVENT")
    rule = vevent["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    [rule_until] = rule["UNTIL"]
    assert rule_until.utcoffset() == timedelta(0)
    assert rule_until.astimezone(PARIS).date() == until
    expanded = list(rrulestr(rule.to_ical().decode(), dtstart=vevent.start))
    assert expanded == [occurrence.start for occurrence in event.occurrences()]
    assert {moment.astimezone(PARIS).hour for moment in expanded} == {14}
    assert len(expanded) == 7


def test_agenda_ics_expresses_monthly_event_as_rrule(client, make_event):
    make_event(
        "Conseil de quartier",
        start=paris(1, 15, 18),
        recurrence="monthly",
        recurrence_until=date(NEXT_YEAR, 6, 30),
    )

    [vevent] = parse(client.get("/agenda/agenda.ics")).walk("VEVENT")

    assert vevent["RRULE"]["FREQ"] == ["MONTHLY"]
    assert len(list(rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=vevent.start))) == 6


def test_agenda_ics_adds_extra_dates_as_rdate(client, make_event):
    extra = [date(NEXT_YEAR, 7, 2), date(NEXT_YEAR, 7, 9)]
    make_event(
        "Atelier vélo",
        start=paris(6, 3, 10),
        recurrence="weekly",
        recurrence_until=date(NEXT_YEAR, 6, 24),
        extra_dates=extra,
    )

    response = client.get("/agenda/agenda.ics")

    [vevent] = parse(response).walk("VEVENT")
    assert "RRULE" in vevent
    rdates = [moment.dt for prop in as_list(vevent["RDATE"]) for moment in prop.dts]
    assert rdates == [paris(7, 2, 10), paris(7, 9, 10)]
    assert b"RDATE;TZID=Europe/Paris:" in response.content


def test_agenda_ics_writes_all_day_event_as_dates_with_exclusive_end(client, make_event):
    make_event("Fête de quartier", start=paris(6, 20), duration=timedelta(hours=23, minutes=59), all_day=True)
    make_event("Brocante", start=paris(9, 12), duration=timedelta(days=1, hours=23, minutes=59), all_day=True)

    response = client.get("/agenda/agenda.ics")

    events = vevents(parse(response))
    fete = events["Fête de quartier"]
    assert fete["DTSTART"].params.get("VALUE") == "DATE"
    assert fete.start == date(NEXT_YEAR, 6, 20)
    assert fete.end == date(NEXT_YEAR, 6, 21)
    assert events["Brocante"].start == date(NEXT_YEAR, 9, 12)
    assert events["Brocante"].end == date(NEXT_YEAR, 9, 14)
    assert f"DTSTART;VALUE=DATE:{NEXT_YEAR}0620".encode() in response.content


def test_agenda_ics_gives_recurring_all_day_event_a_date_until(client, make_event):
    make_event(
        "Marché",
        start=paris(5, 2),
        duration=timedelta(hours=23, minutes=59),
        all_day=True,
        recurrence="weekly",
        recurrence_until=date(NEXT_YEAR, 5, 30),
        extra_dates=[date(NEXT_YEAR, 6, 6)],
    )

    response = client.get("/agenda/agenda.ics")

    [vevent] = parse(response).walk("VEVENT")
    assert vevent["RRULE"]["UNTIL"] == [date(NEXT_YEAR, 5, 30)]
    assert f"RDATE;VALUE=DATE:{NEXT_YEAR}0606".encode() in response.content


def test_agenda_ics_excludes_drafts_and_past_events(client, make_event):
    now = timezone.now()
    make_event("Publié à venir", start=now + timedelta(days=3))
    make_event("Brouillon à venir", start=now + timedelta(days=3), publish=False)
    make_event("Passé", start=now - timedelta(days=10))
    make_event(
        "Série terminée",
        start=now - timedelta(days=60),
        recurrence="weekly",
        recurrence_until=(now - timedelta(days=5)).date(),
    )
    make_event(
        "Série en cours",
        start=now - timedelta(days=60),
        recurrence="weekly",
        recurrence_until=(now + timedelta(days=30)).date(),
    )
    make_event(
        "Date ajoutée à venir", start=now - timedelta(days=60), extra_dates=[(now + timedelta(days=9)).date()]
    )
    unpublished = make_event("Dépublié", start=now + timedelta(days=4))
    unpublished.unpublish()

    titles = set(vevents(parse(client.get("/agenda/agenda.ics"))))

    assert titles == {"Publié à venir", "Série en cours", "Date ajoutée à venir"}


def test_agenda_ics_leaves_out_events_of_private_sections(client, make_event):
    private = make_event("Réunion interne")
    make_event("Atelier ouvert")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert set(vevents(parse(client.get("/agenda/agenda.ics")))) == {"Atelier ouvert"}


def test_empty_agenda_ics_is_still_a_valid_calendar(client, sections):
    calendar = parse(client.get("/agenda/agenda.ics"))

    assert calendar.walk("VEVENT") == []
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


# --- /acteurs/<slug>/agenda.ics -------------------------------------------------------------


def test_acteur_agenda_ics_lists_only_that_associations_events(client, make_event, make_acteur):
    jardins = make_acteur("Les Jardins partagés")
    velo = make_acteur("Vélorution")
    make_event("Atelier compost", acteur=jardins)
    make_event(
        "Plantation",
        acteur=jardins,
        recurrence="weekly",
        recurrence_until=(timezone.now() + timedelta(days=40)).date(),
    )
    make_event("Atelier réparation", acteur=velo)
    make_event("Brouillon des jardins", acteur=jardins, publish=False)

    response = client.get(f"/acteurs/{jardins.slug}/agenda.ics")

    calendar = parse(response)
    assert set(vevents(calendar)) == {"Atelier compost", "Plantation"}
    assert "Les Jardins partagés" in str(calendar["X-WR-CALNAME"])
    assert calendar.walk("VTIMEZONE")


def test_acteur_page_links_to_its_calendar(client, make_event, acteur):
    make_event("Permanence")

    html = client.get(acteur.url).content.decode()

    [href] = re.findall(r'href="([^"]*/acteurs/[^"]+agenda\.ics)"', html)
    assert set(vevents(parse(client.get(href)))) == {"Permanence"}


def test_acteur_agenda_ics_is_404_for_unknown_or_draft_acteur(client, make_acteur):
    draft = make_acteur("Association en préparation", publish=False)

    assert client.get("/acteurs/n-existe-pas/agenda.ics").status_code == 404
    assert client.get(f"/acteurs/{draft.slug}/agenda.ics").status_code == 404


# --- /agenda/<slug>/evenement.ics -----------------------------------------------------------


def test_event_ics_is_an_attachment_with_that_one_event(client, make_event):
    event = make_event("Atelier informatique", start=paris(4, 8, 14))
    make_event("Autre atelier", start=paris(4, 9, 14))

    response = client.get(f"/agenda/{event.slug}/evenement.ics")

    calendar = parse(response)
    assert response["Content-Disposition"] == 'attachment; filename="atelier-informatique.ics"'
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == ics.event_uid(event, "testserver")
    assert vevent.start == paris(4, 8, 14)
    assert calendar.walk("VTIMEZONE")


def test_event_page_button_downloads_its_ics(client, make_event):
    event = make_event("Atelier informatique")

    html = client.get(event.url).content.decode()

    [href] = re.findall(r'href="([^"]+evenement\.ics)"', html)
    response = client.get(href)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_event_ics_is_404_for_draft_or_unknown_event(client, make_event):
    draft = make_event("Brouillon", publish=False)

    assert client.get(f"/agenda/{draft.slug}/evenement.ics").status_code == 404
    assert client.get("/agenda/inconnu/evenement.ics").status_code == 404


# --- /flux/ ---------------------------------------------------------------------------------


def parse_rss(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel")


def test_feed_lists_live_publications_newest_first(client, make_event, make_news, make_portrait, make_acteur):
    acteur = make_acteur("Les Jardins partagés")
    event = make_event("Fête des jardins", acteur=acteur)
    publish_with_tags(event, "jardin")
    make_news("Le jardin s'agrandit", acteur=acteur)
    make_portrait("Portrait de Lina", acteur=acteur)
    make_event("Brouillon d'événement", publish=False)
    make_news("Brouillon d'actualité", publish=False)
    make_portrait("Portrait sans consentement", publish=False, consent=False)

    channel = parse_rss(client.get("/flux/"))

    assert channel.findtext("title")
    assert channel.findtext("description")
    assert channel.findtext("link") == "http://testserver/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        "Portrait de Lina",
        "Le jardin s'agrandit",
        "Fête des jardins",
    ]
    fete = items[2]
    assert fete.findtext("link") == "http://testserver/agenda/fete-des-jardins/"
    assert fete.findtext("description") == "Résumé de Fête des jardins"
    assert fete.findtext(f"{DC}creator") == "Les Jardins partagés"
    assert [category.text for category in fete.findall("category")] == ["Événement", "jardin"]
    assert fete.findtext("pubDate")
    assert [item.find("category").text for item in items[:2]] == ["Portrait", "Actualité"]


def test_feed_is_limited_to_the_30_newest_publications(client, make_news):
    for number in range(32):
        make_news(f"Nouvelle {number}")

    items = parse_rss(client.get("/flux/")).findall("item")

    assert len(items) == 30
    assert items[0].findtext("title") == "Nouvelle 31"
    assert items[-1].findtext("title") == "Nouvelle 2"


def test_feed_leaves_out_private_sections(client, make_news):
    private = make_news("Compte rendu interne")
    make_news("Compte rendu public")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    items = parse_rss(client.get("/flux/")).findall("item")

    assert [item.findtext("title") for item in items] == ["Compte rendu public"]


# --- Constant number of queries -------------------------------------------------------------


def count_queries(client, url) -> int:
    assert client.get(url).status_code == 200  # warm the site root paths and other caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def make_publications(count, make_event, make_news, make_portrait, offset=0):
    """`count` publications of the three kinds, each tagged, the events weekly with an extra date."""
    makers = [make_event, make_news, make_portrait]
    for number in range(offset, offset + count):
        maker = makers[number % 3]
        fields = {}
        if maker is make_event:
            fields = {
                "recurrence": "weekly",
                "recurrence_until": date(NEXT_YEAR, 6, 30),
                "extra_dates": [date(NEXT_YEAR, 7, 14)],
                "start": paris(1, 5, 14) + timedelta(days=number),
            }
        publish_with_tags(maker(f"Publication {number}", **fields), "quartier", f"sujet-{number}")


def test_feed_and_calendar_make_the_same_queries_for_5_or_30_items(
    client, make_event, make_news, make_portrait
):
    # Both read the same publications: one set of them serves the two measures.
    urls = ["/flux/", "/agenda/agenda.ics"]
    make_publications(5, make_event, make_news, make_portrait)
    with_five = {url: count_queries(client, url) for url in urls}

    make_publications(25, make_event, make_news, make_portrait, offset=5)
    with_thirty = {url: count_queries(client, url) for url in urls}

    assert with_five == with_thirty


def test_acteur_calendar_makes_the_same_queries_for_5_or_30_events(client, make_event, make_acteur):
    jardins = make_acteur("Les Jardins partagés")
    make_event("Atelier d'une autre association")
    url = f"/acteurs/{jardins.slug}/agenda.ics"

    def add_events(numbers):
        for number in numbers:
            event = make_event(f"Atelier {number}", acteur=jardins, extra_dates=[date(NEXT_YEAR, 7, 14)])
            publish_with_tags(event, "jardin")

    add_events(range(5))
    with_five = count_queries(client, url)
    add_events(range(5, 30))
    with_thirty = count_queries(client, url)

    assert with_five == with_thirty


def test_vtimezone_covers_the_first_start_of_a_long_series(client, make_event):
    start = datetime(NEXT_YEAR - 3, 1, 7, 18, tzinfo=PARIS)
    make_event("Chorale", start=start, recurrence="weekly", recurrence_until=date(NEXT_YEAR, 12, 31))

    calendar = parse(client.get("/agenda/agenda.ics"))

    [vtimezone] = calendar.walk("VTIMEZONE")
    transitions = [part["DTSTART"].dt for part in vtimezone.walk() if part.name in {"STANDARD", "DAYLIGHT"}]
    assert min(transitions).date() <= start.date()
