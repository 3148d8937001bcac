"""Paper: the A4 poster of an event and the programme of a week, their QR codes (decoded here),
the choice of week, and who sees the links to them."""

import re
from datetime import date, datetime, timedelta

import pytest
import zxingcpp
from bs4 import BeautifulSoup
from PIL import Image, ImageDraw

from posts import printing, recurrence
from tests.conftest import at

pytestmark = pytest.mark.django_db

PARIS = recurrence.PARIS
# A Wednesday: the coming week is the one starting on Monday 7 December 2026.
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)
COMING_MONDAY = date(2026, 12, 7)


# --- Decoding the QR codes -----------------------------------------------------------------

PATH_COMMAND = re.compile(r"([MmHhVvZz])\s*([^MmHhVvZz]*)")


def rasterize_qr_svg(svg: str, pixels_per_module: int = 8) -> Image.Image:
    """Draw segno's inline SVG (one stroked path of horizontal runs) into a PIL image.

    The path is made of moves (M absolute, m relative) and horizontal lines (h) one module
    thick, centred on the half-module: exactly what segno writes, and all this reader knows.
    """
    soup = BeautifulSoup(svg, "html.parser").find("svg")
    _x, _y, width, height = (float(value) for value in soup["viewbox"].split())
    paths = soup.find_all("path")
    assert len(paths) == 1, "one path of dark modules"
    image = Image.new("L", (int(width * pixels_per_module), int(height * pixels_per_module)), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, arguments in PATH_COMMAND.findall(paths[0]["d"]):
        numbers = [float(value) for value in arguments.replace(",", " ").split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":
            left, right = sorted((x, x + numbers[0]))
            top = y - 0.5
            draw.rectangle(
                [
                    left * pixels_per_module,
                    top * pixels_per_module,
                    right * pixels_per_module - 1,
                    (top + 1) * pixels_per_module - 1,
                ],
                fill=0,
            )
            x += numbers[0]
        else:  # pragma: no cover - segno writes nothing else for a one-colour code
            raise AssertionError(f"unexpected path command {command}")
    return image


def decode_qr(html: str) -> list[str]:
    """The text of every QR code found in the page's inline SVGs."""
    soup = BeautifulSoup(html, "html.parser")
    texts = []
    for svg in soup.select("svg.qr"):
        results = zxingcpp.read_barcodes(rasterize_qr_svg(str(svg)))
        assert results, "the QR code could not be decoded"
        texts += [result.text for result in results]
    return texts


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture
def week_events(clock, make_event, make_acteur):
    """Events around the coming week (7–13 December 2026) and one far from it."""
    maison = make_acteur("Maison des habitants")
    return {
        "velo": make_event("Atelier vélo", start=at("2026-12-08", 14), place_name="Local vélo"),
        # Every Wednesday since November: once in the week, on the 9th.
        "couture": make_event(
            "Couture partagée",
            start=at("2026-11-04", 10),
            recurrence=recurrence.WEEKLY_RULE,
            recurrence_until=date(2027, 1, 27),
            acteur=maison,
        ),
        # A monthly event whose extra date falls on Friday the 11th.
        "cafe": make_event(
            "Café des parents",
            start=at("2026-10-03", 9),
            recurrence=recurrence.MONTHLY_RULE,
            recurrence_until=date(2027, 6, 30),
            extra_dates=[date(2026, 12, 11)],
        ),
        "fete": make_event(
            "Fête de quartier", start=at("2026-12-13", 0), all_day=True, duration=timedelta(hours=23)
        ),
        "later": make_event("Loto de janvier", start=at("2027-01-09", 15)),
        "draft": make_event("Brouillon de la semaine", start=at("2026-12-10", 18), publish=False),
    }


def programme_days(response) -> list[tuple[str, list[str]]]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [
        (
            section.find("h2").get_text(strip=True),
            [event.find("h3").get_text(strip=True) for event in section.select(".programme__event")],
        )
        for section in soup.select(".programme__day")
    ]


# --- Weeks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        (date(2026, 12, 7), date(2026, 12, 7)),  # a Monday: the week starting today
        (date(2026, 12, 8), date(2026, 12, 14)),
        (date(2026, 12, 13), date(2026, 12, 14)),  # a Sunday: tomorrow's week
        (date(2026, 12, 31), date(2027, 1, 4)),
    ],
)
def test_coming_week_starts_today_on_a_monday_else_next_monday(today, monday):
    assert printing.coming_week_start(today) == monday


@pytest.mark.parametrize(
    ("params", "monday"),
    [
        ({"semaine": "2026-W50"}, date(2026, 12, 7)),
        ({"semaine": "2027-W01"}, date(2027, 1, 4)),
        ({"date": "2026-12-10"}, date(2026, 12, 7)),
        ({"semaine": "2026-W60"}, COMING_MONDAY),
        ({"semaine": "9999-W01"}, COMING_MONDAY),
        ({"semaine": "n'importe quoi"}, COMING_MONDAY),
        ({"date": "2026-02-30"}, COMING_MONDAY),
        ({}, COMING_MONDAY),
    ],
)
def test_requested_week_reads_iso_week_or_date_and_falls_back_to_the_coming_week(params, monday):
    assert printing.requested_week(params, NOW.date()) == monday


def test_iso_week_names_round_trip():
    assert printing.iso_week(date(2026, 12, 28)) == "2026-W53"
    assert printing.parse_iso_week("2026-W53") == date(2026, 12, 28)


# --- Programme -----------------------------------------------------------------------------


def test_programme_defaults_to_the_coming_week_grouped_by_day(client, week_events):
    days = programme_days(client.get("/agenda/programme/"))

    assert days == [
        ("Mardi 8 décembre", ["Atelier vélo"]),
        ("Mercredi 9 décembre", ["Couture partagée"]),
        ("Vendredi 11 décembre", ["Café des parents"]),
        ("Dimanche 13 décembre", ["Fête de quartier"]),
    ]


def test_programme_shows_a_recurring_event_at_each_date_of_the_chosen_week(client, week_events):
    days = programme_days(client.get("/agenda/programme/?semaine=2026-W51"))

    assert days == [("Mercredi 16 décembre", ["Couture partagée"])]


def test_programme_lists_times_places_and_organisers(client, week_events):
    response = client.get("/agenda/programme/?date=2026-12-09")
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    velo = soup.select(".programme__event")[0]

    assert velo.select_one(".programme__time").get_text(" ", strip=True) == "14h00 – 16h00"
    assert velo.select_one(".programme__meta").get_text(strip=True) == "Local vélo · Résoudre"
    assert velo.select_one(".programme__price").get_text(strip=True) == "Tarif non précisé"
    fete = soup.select(".programme__event")[-1]
    assert fete.select_one(".programme__time").get_text(strip=True) == "Toute la journée"
    assert "Brouillon" not in response.content.decode()
    assert "Loto" not in response.content.decode()


def test_programme_qr_code_decodes_to_the_agenda(client, week_events):
    response = client.get("/agenda/programme/")

    assert decode_qr(response.content.decode()) == ["http://testserver/agenda/"]


def test_programme_links_to_the_previous_and_next_weeks(client, week_events):
    soup = BeautifulSoup(client.get("/agenda/programme/?semaine=2027-W01").content.decode(), "html.parser")
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".week-nav a")}

    assert links == {"Semaine précédente": "?semaine=2026-W53", "Semaine suivante": "?semaine=2027-W02"}
    assert soup.select_one("#programme-date")["value"] == "2027-01-04"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_empty_week_says_so(client, clock, sections):
    response = client.get("/agenda/programme/?semaine=2030-W10")

    assert response.status_code == 200
    assert "Aucun événement n'est annoncé pour cette semaine." in response.content.decode()


def test_an_event_cannot_take_the_programme_address(client, clock, make_event):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="réservée"):
        make_event("Programme", start=at("2026-12-08"))

    response = client.get("/agenda/programme/")
    assert response.templates[0].name == "posts/print/programme.html"


def test_programme_needs_as_many_queries_for_a_busy_week_as_for_a_quiet_one(client, clock, make_event):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_programme():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/agenda/programme/")
        return len(captured), sum(len(events) for _day, events in programme_days(response))

    make_event("Atelier 0", start=at(COMING_MONDAY, 9), extra_dates=[COMING_MONDAY + timedelta(days=2)])
    queries_for_programme()  # the site settings, created with their defaults on first use
    quiet, quiet_count = queries_for_programme()
    for day in range(7):
        for hour in (14, 18):
            make_event(
                f"Atelier {day}-{hour}",
                start=at(COMING_MONDAY + timedelta(days=day), hour),
                extra_dates=[COMING_MONDAY + timedelta(days=(day + 3) % 7)],
            )
    busy, busy_count = queries_for_programme()

    assert (quiet_count, busy_count) == (2, 30)
    assert busy == quiet


# --- Poster --------------------------------------------------------------------------------


@pytest.fixture
def poster_event(clock, make_event, make_image):
    return make_event(
        "Repair café",
        start=at("2026-12-12", 14),
        duration=timedelta(hours=3),
        place_name="Centre social de la Rabière",
        place_address="1 place de la Rabière, Joué-lès-Tours",
        image=make_image("Réparation"),
        image_alt="Des mains réparent un grille-pain",
        is_free=False,
        price="2 € l'adhésion",
        registration="Sans inscription, venez avec vos objets.",
    )


def test_poster_shows_the_event_and_its_organiser(client, poster_event):
    response = client.get("/agenda/repair-cafe/affiche/")

    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    poster = soup.select_one("article.poster")
    assert poster.find("h1").get_text(strip=True) == "Repair café"
    assert (
        poster.select_one(".poster__date").get_text(strip=True) == "samedi 12 décembre 2026, de 14h00 à 17h00"
    )
    assert poster.select_one(".poster__summary").get_text(strip=True) == "Résumé de Repair café"
    facts = dict(
        zip(
            (dt.get_text(strip=True) for dt in poster.find_all("dt")),
            (dd.get_text(" ", strip=True) for dd in poster.find_all("dd")),
            strict=True,
        )
    )
    assert facts == {
        "Où": "Centre social de la Rabière, 1 place de la Rabière, Joué-lès-Tours",
        "Tarif": "2 € l'adhésion",
        "Inscription": "Sans inscription, venez avec vos objets.",
        "Organisé par": "Résoudre",
    }
    image = poster.find("img")
    assert image["alt"] == "Des mains réparent un grille-pain"
    assert "loading" not in image.attrs, "an image printed must not wait to be scrolled into view"


def test_poster_qr_code_decodes_to_the_event_page(client, poster_event):
    response = client.get("/agenda/repair-cafe/affiche/")

    assert decode_qr(response.content.decode()) == ["http://testserver/agenda/repair-cafe/"]
    assert "http://testserver/agenda/repair-cafe/" in response.content.decode()


def test_poster_of_a_recurring_event_shows_the_next_date_and_the_rule(client, week_events):
    response = client.get("/agenda/couture-partagee/affiche/")
    soup = BeautifulSoup(response.content.decode(), "html.parser")

    assert (
        soup.select_one(".poster__date").get_text(strip=True) == "mercredi 2 décembre 2026, de 10h00 à 12h00"
    )
    other = soup.select_one(".poster__facts dd").get_text(" ", strip=True)
    assert other.startswith("Chaque semaine, jusqu'au 27 janvier 2027")
    assert len(soup.select(".poster__dates li")) == printing.POSTER_OTHER_DATES


def test_poster_of_a_past_event_still_prints_with_a_warning(client, clock, make_event):
    make_event("Vide-grenier", start=at("2026-06-06", 8))

    response = client.get("/agenda/vide-grenier/affiche/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Attention : cet événement est passé." in text
    assert "samedi 6 juin 2026" in text


def test_poster_of_a_draft_is_not_found(client, week_events):
    assert client.get("/agenda/brouillon-de-la-semaine/affiche/").status_code == 404


def test_print_pages_keep_to_the_content_security_policy(client, poster_event):
    for url in ("/agenda/repair-cafe/affiche/", "/agenda/programme/"):
        soup = BeautifulSoup(client.get(url).content.decode(), "html.parser")
        assert not soup.select("[style]")
        assert not soup.find("style")
        # The print button's script is a static file: no inline script for the policy to allow.
        assert [script.get("src") for script in soup.find_all("script", type=None)] == ["/static/js/print.js"]


@pytest.mark.parametrize("url", ["/agenda/repair-cafe/affiche/", "/agenda/programme/"])
def test_print_pages_have_a_print_button_shown_by_their_script(client, poster_event, url):
    soup = BeautifulSoup(client.get(url).content.decode(), "html.parser")

    button = soup.select_one("button[data-print]")
    assert button.get_text(strip=True) == "Imprimer"
    assert button.has_attr("hidden")  # until the script shows it: it does nothing without one
    assert "Ctrl + P" in soup.select_one(".print-tools").get_text()


@pytest.mark.parametrize("url", ["/agenda/repair-cafe/affiche/", "/agenda/programme/"])
def test_print_pages_answer_anonymous_visitors_without_a_cookie_and_stay_out_of_search_engines(
    client, poster_event, url
):
    response = client.get(url)

    assert response.status_code == 200
    assert not response.cookies
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_print_pages_are_served_from_the_page_cache(client, poster_event, settings):
    settings.AGORA_PAGE_CACHE = True

    first = client.get("/agenda/repair-cafe/affiche/")
    second = client.get("/agenda/repair-cafe/affiche/")

    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")


def test_event_page_still_renders_and_ics_still_served(client, poster_event):
    assert client.get("/agenda/repair-cafe/").status_code == 200
    assert client.get("/agenda/repair-cafe/evenement.ics").status_code == 200
    assert client.get("/agenda/").status_code == 200


# --- Who sees the links --------------------------------------------------------------------


@pytest.fixture
def staff(make_user):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Équipe Résoudre")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = make_user("resoudre")
    user.groups.add(group)
    return user


def print_links(client, url) -> list[str]:
    soup = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    return [a["href"] for a in soup.select(".print-links a")]


@pytest.mark.parametrize("who", ["anonymous", "resident_account", "kiosk", "staff"])
def test_print_links_for_every_visitor(client, poster_event, staff, make_user, who):
    if who == "resident_account":
        client.force_login(make_user("habitante"))
    elif who == "staff":
        client.force_login(staff)
    elif who == "kiosk":
        client.cookies["agora_kiosque"] = "1"

    event_links = print_links(client, "/agenda/repair-cafe/")
    agenda_links = print_links(client, "/agenda/")

    assert event_links == ["/agenda/repair-cafe/affiche/", "/agenda/programme/?date=2026-12-12"]
    assert agenda_links == ["/agenda/programme/"]
    for url in (*event_links, *agenda_links):
        assert client.get(url).status_code == 200
