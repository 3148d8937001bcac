"""The agenda: occurrences of one-off and recurring events, filters, archive, pagination,
wall-clock times across daylight-saving changes, and the home page's coming week."""

import html
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from taggit.models import Tag

from posts import recurrence
from posts.models import LISTING_PAGE_SIZE, period_end
from tests.conftest import at, page_text

pytestmark = pytest.mark.django_db

PARIS = recurrence.PARIS
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
NOW = MONDAY  # where the clock stands (tests/conftest.py)


def cards(response):
    """(title, ISO start, French date label) of each event card, in page order."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    found = []
    for card in soup.select("li.card--event"):
        time = card.find("time")
        found.append(
            (
                card.find(class_="card__title").get_text(strip=True),
                time["datetime"],
                time.get_text(strip=True),
            )
        )
    return found


def titles(response):
    return [title for title, _, _ in cards(response)]


def starts(response, title):
    return [start for card_title, start, _ in cards(response) if card_title == title]


def tag_event(event, *names):
    """Tags go through a revision, as in the admin."""
    event.tags.add(*names)
    event.save_revision().publish()
    return event


# --- Recurrence ----------------------------------------------------------------------------


def test_weekly_event_appears_at_each_of_its_dates(clock, make_event, client):
    make_event(
        title="Atelier numérique",
        start=at("2026-12-02"),
        recurrence=recurrence.WEEKLY_RULE,
        recurrence_until=date(2026, 12, 23),
    )

    found = cards(client.get("/agenda/"))

    assert found == [
        (
            "Atelier numérique",
            f"2026-12-{day:02d}T14:00:00+01:00",
            f"mercredi {day} décembre 2026, de 14h00 à 16h00",
        )
        for day in (2, 9, 16, 23)
    ]


def test_monthly_event_appears_each_month_until_its_end(clock, make_event, client):
    make_event(
        title="Conseil citoyen",
        start=at("2026-12-05", 18),
        recurrence=recurrence.MONTHLY_RULE,
        recurrence_until=date(2027, 3, 5),
    )

    found = cards(client.get("/agenda/"))

    assert [label for _, _, label in found] == [
        "samedi 5 décembre 2026, de 18h00 à 20h00",
        "mardi 5 janvier 2027, de 18h00 à 20h00",
        "vendredi 5 février 2027, de 18h00 à 20h00",
        "vendredi 5 mars 2027, de 18h00 à 20h00",
    ]


def test_extra_dates_add_occurrences_at_the_same_time(clock, make_event, client):
    make_event(
        title="Permanence emploi",
        start=at("2026-12-01", 9),
        recurrence=recurrence.WEEKLY_RULE,
        recurrence_until=date(2026, 12, 8),
        extra_dates=[date(2026, 12, 12)],
    )

    assert starts(client.get("/agenda/"), "Permanence emploi") == [
        "2026-12-01T09:00:00+01:00",
        "2026-12-08T09:00:00+01:00",
        "2026-12-12T09:00:00+01:00",
    ]


def test_event_whose_first_date_is_past_is_listed_for_its_extra_date(clock, make_event, client):
    make_event(title="Troc de plantes", start=at("2026-11-14", 10), extra_dates=[date(2026, 12, 19)])

    assert starts(client.get("/agenda/"), "Troc de plantes") == ["2026-12-19T10:00:00+01:00"]


def test_occurrences_of_several_events_are_sorted_by_start(clock, make_event, client):
    make_event(
        title="Chorale", start=at("2026-12-01", 18), recurrence="weekly", recurrence_until=date(2026, 12, 15)
    )
    make_event(title="Repas partagé", start=at("2026-12-09", 12))

    assert titles(client.get("/agenda/")) == ["Chorale", "Chorale", "Repas partagé", "Chorale"]


# --- Upcoming and archive ------------------------------------------------------------------


def test_past_occurrences_are_in_the_archive_not_in_upcoming(clock, make_event, client):
    make_event(
        title="Café des parents",
        start=at("2026-11-11", 9),
        recurrence="weekly",
        recurrence_until=date(2026, 12, 9),
    )
    make_event(title="Fête de la soupe", start=at("2026-10-17", 12))

    upcoming = cards(client.get("/agenda/"))
    archive = cards(client.get("/agenda/", {"archives": "1"}))

    assert [start for _, start, _ in upcoming] == ["2026-12-02T09:00:00+01:00", "2026-12-09T09:00:00+01:00"]
    assert [(title, start) for title, start, _ in archive] == [
        ("Café des parents", "2026-11-25T09:00:00+01:00"),
        ("Café des parents", "2026-11-18T09:00:00+01:00"),
        ("Café des parents", "2026-11-11T09:00:00+01:00"),
        ("Fête de la soupe", "2026-10-17T12:00:00+02:00"),
    ]


def test_event_in_progress_is_still_upcoming_and_not_archived(clock, make_event, client):
    make_event(title="Braderie", start=MONDAY - timedelta(hours=1), duration=timedelta(hours=3))

    assert titles(client.get("/agenda/")) == ["Braderie"]
    assert titles(client.get("/agenda/", {"archives": "1"})) == []


def test_archive_page_has_its_own_heading(clock, client, sections):
    response = client.get("/agenda/", {"archives": "1"})

    assert "Événements passés" in html.unescape(response.content.decode())


# --- Filters -------------------------------------------------------------------------------


@pytest.mark.parametrize("now", [MONDAY, at("2026-12-06", 20), at("2026-12-31", 23, 30)], ids=str)
def test_period_filters_keep_occurrences_of_this_week_or_month(clock, make_event, client, now):
    clock.moment = now
    days = [now.date() + timedelta(days=offset) for offset in (0, 1, 5, 6, 7, 12, 20, 31, 40)]
    for day in days:
        make_event(
            title=f"Rendez-vous du {day.isoformat()}", start=at(day, 23, 45), duration=timedelta(minutes=10)
        )

    for period in ("semaine", "mois"):
        end = period_end(now, period)
        expected = [f"Rendez-vous du {day.isoformat()}" for day in days if at(day, 23, 45) < end]

        assert titles(client.get("/agenda/", {"periode": period})) == expected, period
    assert len(titles(client.get("/agenda/"))) == len(days)


def test_period_ends_are_paris_midnights():
    assert period_end(MONDAY, "semaine") == datetime(2026, 12, 7, tzinfo=PARIS)
    # Seven whole days from today, on a Sunday evening too: not "until Sunday".
    assert period_end(at("2026-12-06", 23, 59), "semaine") == datetime(2026, 12, 13, tzinfo=PARIS)
    assert period_end(MONDAY, "mois") == datetime(2026, 12, 1, tzinfo=PARIS)
    assert period_end(at("2026-12-31", 23, 59), "mois") == datetime(2027, 1, 1, tzinfo=PARIS)
    assert period_end(at("2027-02-01", 0, 30), "mois") == datetime(2027, 3, 1, tzinfo=PARIS)
    assert period_end(MONDAY, "") is None


def test_tag_filter_keeps_tagged_events(clock, make_event, client):
    tag_event(make_event(title="Atelier tablette", publish=False), "Numérique")
    tag_event(make_event(title="Tournoi de foot", publish=False), "Sport")
    make_event(title="Sans mot-clé")
    slug = Tag.objects.get(name="Numérique").slug

    response = client.get("/agenda/", {"tag": slug})

    assert titles(response) == ["Atelier tablette"]
    assert f'<option value="{slug}" selected>Numérique</option>' in response.content.decode()


def test_association_filter_keeps_its_events(clock, make_acteur, make_event, client):
    courteline = make_acteur(title="Courteline")
    make_event(title="Atelier de Résoudre")
    make_event(title="Loto de Courteline", acteur=courteline)

    response = client.get("/agenda/", {"acteur": "courteline"})

    assert titles(response) == ["Loto de Courteline"]
    assert titles(client.get("/agenda/", {"acteur": "inconnue"})) == [
        "Atelier de Résoudre",
        "Loto de Courteline",
    ]


def test_pagination_splits_occurrences_and_keeps_filters(clock, make_event, client):
    tag_event(
        make_event(
            title="Marche nordique",
            start=at("2026-12-01", 9),
            recurrence="weekly",
            recurrence_until=date(2027, 3, 9),
            publish=False,
        ),
        "Sport",
    )
    slug = Tag.objects.get(name="Sport").slug

    first = client.get("/agenda/", {"tag": slug})
    second = client.get("/agenda/", {"tag": slug, "page": "2"})

    assert len(cards(first)) == LISTING_PAGE_SIZE
    assert starts(second, "Marche nordique") == [
        "2027-02-23T09:00:00+01:00",
        "2027-03-02T09:00:00+01:00",
        "2027-03-09T09:00:00+01:00",
    ]
    assert f"?tag={slug}&amp;page=2" in first.content.decode()
    assert "Page 2 sur 2" in second.content.decode()


def test_drafts_are_never_listed(clock, make_event, make_acteur, client):
    make_event(title="Brouillon à venir", publish=False)
    make_event(title="Brouillon passé", start=at("2026-11-20"), publish=False)
    make_event(title="Publié")

    assert titles(client.get("/agenda/")) == ["Publié"]
    assert titles(client.get("/agenda/", {"archives": "1"})) == []
    assert "Brouillon" not in client.get("/").content.decode()
    assert "Brouillon" not in client.get("/acteurs/resoudre/").content.decode()


def test_unpublished_event_leaves_the_agenda(clock, make_event, client):
    event = make_event(title="Annulé")
    event.unpublish()

    assert titles(client.get("/agenda/")) == []


# --- Daylight-saving time ------------------------------------------------------------------


def recurring(start, until, frequency=recurrence.WEEKLY_RULE, extra=()):
    return SimpleNamespace(
        start=start,
        end=start + timedelta(hours=2),
        recurrence=frequency,
        recurrence_until=until,
        extra_dates=SimpleNamespace(all=lambda: [SimpleNamespace(date=day) for day in extra]),
    )


@pytest.mark.parametrize(
    ("first", "until", "offsets"),
    [
        ("2026-10-14", date(2026, 11, 4), ["+02:00", "+02:00", "+01:00", "+01:00"]),  # back on Oct 25
        ("2027-03-17", date(2027, 4, 7), ["+01:00", "+01:00", "+02:00", "+02:00"]),  # forward on Mar 28
    ],
    ids=["october", "march"],
)
def test_weekly_event_keeps_its_paris_time_across_dst_change(first, until, offsets):
    occurrences = recurrence.expand(recurring(at(first), until))

    assert [occ.start.astimezone(PARIS).strftime("%H:%M") for occ in occurrences] == ["14:00"] * 4
    assert [occ.start.astimezone(PARIS).isoformat()[-6:] for occ in occurrences] == offsets
    assert [occ.end - occ.start for occ in occurrences] == [timedelta(hours=2)] * 4
    assert {occ.start.astimezone(PARIS).weekday() for occ in occurrences} == {2}


def test_extra_date_across_dst_keeps_the_wall_clock_time():
    occurrences = recurrence.expand(
        recurring(at("2026-10-21"), None, frequency="", extra=[date(2026, 11, 2)])
    )

    assert [occ.start.isoformat() for occ in occurrences] == [
        "2026-10-21T14:00:00+02:00",
        "2026-11-02T14:00:00+01:00",
    ]


def test_local_starts_are_naive_paris_times_without_duplicates():
    starts_ = recurrence.local_starts(at("2026-10-21"), "weekly", date(2026, 11, 1), [date(2026, 10, 28)])

    assert starts_ == [datetime(2026, 10, 21, 14), datetime(2026, 10, 28, 14)]


def test_expand_keeps_occurrences_overlapping_the_window():
    event = recurring(at("2026-10-21"), date(2026, 11, 11))

    occurrences = recurrence.expand(event, after=at("2026-10-28", 15), before=at("2026-11-04", 14))

    assert [occ.start for occ in occurrences] == [at("2026-10-28")]


@pytest.mark.parametrize(("first", "now"), [("2026-10-14", "2026-10-12"), ("2027-03-17", "2027-03-15")])
def test_agenda_shows_weekly_event_at_14h_on_both_sides_of_dst_change(clock, make_event, client, first, now):
    clock.moment = at(now, 10)
    make_event(
        title="Atelier couture",
        start=at(first),
        recurrence="weekly",
        recurrence_until=at(first).date() + timedelta(days=21),
    )

    found = cards(client.get("/agenda/"))

    assert len(found) == 4
    assert {start[11:19] for _, start, _ in found} == {"14:00:00"}
    assert all(label.endswith(", de 14h00 à 16h00") for _, _, label in found)


# --- Home page -----------------------------------------------------------------------------


def test_home_shows_next_seven_days_news_portrait_and_associations(
    clock, make_acteur, make_event, make_news, make_portrait, client
):
    make_acteur(title="Courteline")
    make_acteur(title="Association en brouillon", publish=False)
    make_event(title="Hier", start=at("2026-11-29"))
    make_event(title="Jeudi", start=at("2026-12-03"))
    make_event(title="Dans huit jours", start=at("2026-12-08"))
    make_event(
        title="Chaque mercredi",
        start=at("2026-11-25", 9),
        recurrence="weekly",
        recurrence_until=date(2026, 12, 30),
    )
    for number, day in enumerate(["2026-11-20", "2026-11-24", "2026-11-26", "2026-11-28"], start=1):
        clock.moment = at(day, 10)
        make_news(title=f"Nouvelle {number}")
    clock.moment = at("2026-11-27", 10)
    make_portrait(title="Portrait de Lina")
    clock.moment = at("2026-11-29", 10)
    make_portrait(title="Portrait de Sami", person_name="Sami")
    clock.moment = MONDAY

    response = client.get("/")

    assert [(title, start[:10]) for title, start, _ in cards(response)] == [
        ("Chaque mercredi", "2026-12-02"),
        ("Jeudi", "2026-12-03"),
    ]
    page = html.unescape(response.content.decode())
    assert "mercredi 2 décembre 2026, de 09h00 à 11h00" in page
    for latest in ["Nouvelle 4", "Nouvelle 3", "Nouvelle 2"]:
        assert latest in page
    assert page.index("Nouvelle 4") < page.index("Nouvelle 3") < page.index("Nouvelle 2")
    assert "Nouvelle 1" not in page
    assert "Portrait de Sami" in page and "Portrait de Lina" not in page
    for name in ["Résoudre", "Courteline"]:
        assert f">{name}</a>" in page
    assert "Association en brouillon" not in page


def test_home_says_when_nothing_is_planned_this_week(clock, make_event, client):
    make_event(title="Plus tard", start=at("2026-12-15"))

    response = client.get("/")

    assert cards(response) == []
    assert "Pas d'événement annoncé dans les 7 prochains jours." in html.unescape(response.content.decode())


def test_home_and_agenda_mean_the_same_week(clock, make_event, client):
    clock.moment = at("2026-12-05", 20)  # a Saturday evening: "until Sunday" would list one day
    for offset in (0, 1, 3, 6, 7, 9):
        day = date(2026, 12, 5) + timedelta(days=offset)
        make_event(title=f"Dans {offset} jours", start=at(day, 22, 30), duration=timedelta(minutes=30))

    home = [(title, start) for title, start, _ in cards(client.get("/"))]
    week = [(title, start) for title, start, _ in cards(client.get("/agenda/", {"periode": "semaine"}))]

    assert [title for title, _ in week] == ["Dans 0 jours", "Dans 1 jours", "Dans 3 jours", "Dans 6 jours"]
    assert home == week


# --- Day headings --------------------------------------------------------------------------


def days(response):
    """(heading, its ISO date, titles of its events) of each day of the agenda, in page order."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [
        (
            section.h2.get_text(strip=True),
            section.h2.time["datetime"],
            [title.get_text(strip=True) for title in section.select(".card__title")],
        )
        for section in soup.select("section.agenda-day")
    ]


def test_agenda_groups_occurrences_by_day_across_a_month_boundary(clock, make_event, client):
    make_event(title="Veillée", start=at("2026-11-30", 23, 30), duration=timedelta(minutes=20))
    make_event(title="Marché de nuit", start=at("2026-12-01", 0, 30), duration=timedelta(minutes=20))
    make_event(title="Chorale", start=at("2026-12-01", 18))
    make_event(title="Loto", start=at("2026-12-05"))
    make_event(title="Galette", start=at("2027-01-02"))

    assert days(client.get("/agenda/")) == [
        ("Aujourd'hui", "2026-11-30", ["Veillée"]),
        ("Demain", "2026-12-01", ["Marché de nuit", "Chorale"]),
        ("Samedi 5 décembre", "2026-12-05", ["Loto"]),
        ("Samedi 2 janvier 2027", "2027-01-02", ["Galette"]),
    ]


@pytest.mark.parametrize(
    ("today", "change_day", "after"),
    [
        ("2026-10-24", "2026-10-25", ("Lundi 26 octobre", "2026-10-26")),  # back to winter time
        ("2027-03-27", "2027-03-28", ("Lundi 29 mars", "2027-03-29")),  # forward to summer time
    ],
    ids=["october", "march"],
)
def test_agenda_groups_by_paris_day_across_a_dst_change(clock, make_event, client, today, change_day, after):
    clock.moment = at(today, 10)
    next_day = at(change_day).date() + timedelta(days=1)
    # Half an hour either side of midnight: a day of UTC would put each in the wrong day.
    make_event(title="Avant minuit", start=at(today, 23, 30), duration=timedelta(minutes=20))
    make_event(title="Après minuit", start=at(change_day, 0, 30), duration=timedelta(minutes=20))
    make_event(title="Dernier bus", start=at(change_day, 23, 30), duration=timedelta(minutes=20))
    make_event(title="Premier bus", start=at(next_day, 0, 30), duration=timedelta(minutes=20))

    assert days(client.get("/agenda/")) == [
        ("Aujourd'hui", today, ["Avant minuit"]),
        ("Demain", change_day, ["Après minuit", "Dernier bus"]),
        (*after, ["Premier bus"]),
    ]


def test_weekly_event_is_under_each_of_its_days_across_dst(clock, make_event, client):
    clock.moment = at("2026-10-19", 10)
    make_event(
        title="Atelier couture",
        start=at("2026-10-21", 23, 30),
        duration=timedelta(minutes=20),
        recurrence="weekly",
        recurrence_until=date(2026, 11, 4),
    )

    assert [(heading, day) for heading, day, _ in days(client.get("/agenda/"))] == [
        ("Mercredi 21 octobre", "2026-10-21"),
        ("Mercredi 28 octobre", "2026-10-28"),
        ("Mercredi 4 novembre", "2026-11-04"),
    ]


def test_event_in_progress_is_listed_under_today(clock, make_event, client):
    make_event(title="Festival", start=at("2026-11-28", 10), duration=timedelta(days=3))
    make_event(title="Chorale", start=at("2026-11-30", 18))

    assert days(client.get("/agenda/")) == [("Aujourd'hui", "2026-11-30", ["Festival", "Chorale"])]


def test_archive_is_grouped_by_day_latest_first(clock, make_event, client):
    make_event(title="Loto", start=at("2026-11-28"))
    make_event(title="Repas", start=at("2026-11-28", 19))
    make_event(title="Fête", start=at("2026-10-17"))

    assert days(client.get("/agenda/", {"archives": "1"})) == [
        ("Samedi 28 novembre", "2026-11-28", ["Repas", "Loto"]),
        ("Samedi 17 octobre", "2026-10-17", ["Fête"]),
    ]


# --- An association's activities -------------------------------------------------------------


def card_dates(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [" ".join(card.time.parent.get_text().split()) for card in soup.select("li.card--event")]


def test_weekly_activity_appears_once_on_its_association_page(clock, make_event, client):
    make_event(
        title="Atelier numérique",
        start=at("2026-11-25"),
        recurrence="weekly",
        recurrence_until=date(2027, 3, 31),
    )
    make_event(
        title="Conseil citoyen",
        start=at("2026-12-05", 18),
        recurrence="monthly",
        recurrence_until=date(2027, 3, 5),
    )
    make_event(title="Loto", start=at("2026-12-01"))

    response = client.get("/acteurs/resoudre/")

    assert [(title, start) for title, start, _ in cards(response)] == [
        ("Loto", "2026-12-01T14:00:00+01:00"),
        ("Atelier numérique", "2026-12-02T14:00:00+01:00"),
        ("Conseil citoyen", "2026-12-05T18:00:00+01:00"),
    ]
    assert card_dates(response) == [
        "mardi 1 décembre 2026, de 14h00 à 16h00",
        "Tous les mercredis · prochaine fois le mercredi 2 décembre 2026, de 14h00 à 16h00",
        "Tous les mois, le 5 · prochaine fois le samedi 5 décembre 2026, de 18h00 à 20h00",
    ]


def test_repeating_event_with_one_date_left_has_no_rhythm(clock, make_event, client):
    make_event(
        title="Atelier", start=at("2026-11-18"), recurrence="weekly", recurrence_until=date(2026, 12, 2)
    )

    assert card_dates(client.get("/acteurs/resoudre/")) == ["mercredi 2 décembre 2026, de 14h00 à 16h00"]


# --- An event's page ----------------------------------------------------------------------------


def test_event_page_says_when_and_where_above_its_picture(clock, make_event, make_image, client):
    make_event(
        title="Atelier tablette",
        place_name="Maison des associations",
        image=make_image("Tablette"),
        image_alt="Une tablette",
    )

    page = page_text(client.get("/agenda/atelier-tablette/"))

    assert page.index("Maison des associations") < page.index("<picture")
    assert page.index("mercredi 2 décembre 2026") < page.index("<picture")
