"""The activity report of an association and the agora's year in numbers.

A year (2026) of events, occurrences, outcomes, publications, residents' proposals and press
mentions for two associations; the expected figures are computed here, from the plain
description of that year below (every occurrence spelled out by hand), and compared with the
report page, its CSV, its XLSX, the printable version and the public page.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from bs4 import BeautifulSoup

from django.urls import reverse
from django.utils import timezone

from bilans.models import Outcome, PressMention
from home.models import HomePage
from posts.actions import submit_proposal
from posts.models import EventPage, Proposal
from posts.proposals import ProposalData
from posts.recurrence import PARIS
from tests.conftest import (
    Clock,
    add_sections,
    at,
    build_staff_world,
    client_for,
    new_event,
    new_news,
    new_portrait,
    page_text,
    shared_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock"), pytest.mark.xdist_group("bilans_year")]

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
YEAR = 2026


# --- The year, described plainly -------------------------------------------------------------


@dataclass
class Spec:
    """An event as the test knows it: every occurrence's day, its length, its outcomes."""

    acteur: str
    title: str
    days: list[date]
    hours: float  # 0 for an all-day event
    fields: dict = field(default_factory=dict)
    outcomes: dict = field(default_factory=dict)  # day -> Outcome fields
    live: bool = True


def d(text):
    return date.fromisoformat(text)


SPECS = [
    Spec(
        "resoudre",
        "Atelier CV",
        [d("2026-02-10")],
        2,
        {"start": at("2026-02-10", 14)},
        {
            d("2026-02-10"): {
                "participants": 12,
                "under_25": 5,
                "residents": 8,
                "volunteers": 2,
                "partners": "Mission locale\nCRIA",
            }
        },
    ),
    Spec(
        "resoudre",
        "Initiation à la souris",
        # Every Wednesday of March, and an extra date in April.
        [d("2026-03-04"), d("2026-03-11"), d("2026-03-18"), d("2026-03-25"), d("2026-04-15")],
        2,
        {
            "start": at("2026-03-04", 10),
            "recurrence": "weekly",
            "recurrence_until": d("2026-03-25"),
            "extra_dates": [d("2026-04-15")],
        },
        {
            d("2026-03-04"): {"participants": 6, "residents": 6},
            d("2026-03-11"): {"volunteers": 1},
            d("2026-03-18"): {"participants": 7, "under_25": 2},
        },
    ),
    Spec(
        "resoudre",
        "Fête du quartier",
        [d("2026-06-20")],
        0,
        {"start": at("2026-06-20", 0), "all_day": True, "duration": timedelta(hours=23, minutes=59)},
        {d("2026-06-20"): {"participants": 40, "partners": "mission locale\nSalon Joséphine"}},
    ),
    Spec(
        "resoudre",
        "Permanence numérique",
        # Monthly from November 2025: two of its sessions fall in 2026.
        [d("2026-01-10"), d("2026-02-10")],
        1.5,
        {
            "start": at("2025-11-10", 9),
            "duration": timedelta(minutes=90),
            "recurrence": "monthly",
            "recurrence_until": d("2026-02-10"),
        },
        {d("2025-12-10"): {"participants": 99}},  # the year before: not counted
    ),
    Spec("resoudre", "Repas de fin d'année 2025", [], 3, {"start": at("2025-12-20", 12)}),
    Spec("resoudre", "Atelier à venir", [], 2, {"start": at("2026-12-15", 14)}),
    Spec("resoudre", "Brouillon", [], 2, {"start": at("2026-05-05", 14)}, live=False),
    Spec(
        "resoudre",
        "Atelier de novembre",
        [d("2026-11-20")],
        2,
        {"start": at("2026-11-20", 14)},
    ),
    Spec(
        "courteline",
        "Parcours de femmes",
        [d("2026-05-12")],
        2,
        {"start": at("2026-05-12", 15)},
        {
            d("2026-05-12"): {
                "participants": 20,
                "under_25": 10,
                "residents": 15,
                "volunteers": 3,
                "partners": "CRIA",
            }
        },
    ),
]
NEWS = {"resoudre": [YEAR, YEAR, YEAR - 1], "courteline": [YEAR]}
PORTRAITS = {"resoudre": [YEAR], "courteline": []}
# (acteur, kiosk, published, year)
PROPOSALS = [
    ("resoudre", True, True, YEAR),
    ("resoudre", False, False, YEAR),
    ("resoudre", True, False, YEAR),
    ("resoudre", False, False, YEAR - 1),
    ("courteline", False, True, YEAR),
    (None, True, False, YEAR),
]
PRESS = [
    ("resoudre", "La Rabière fête l'internet", d("2026-03-28")),
    ("resoudre", "Des CV en vidéo", d("2026-09-02")),
    ("resoudre", "Un espace numérique ouvre", d("2025-10-01")),
    ("courteline", "Parcours de femmes à Joué", d("2026-05-20")),
]


def expected_figures(acteur: str | None) -> dict:
    """The figures of `acteur` (None: every association) in 2026, from the description above."""
    specs = [spec for spec in SPECS if spec.live and acteur in (None, spec.acteur)]
    days = [(spec, day) for spec in specs for day in spec.days if day.year == YEAR]
    outcomes = [o for spec in specs for day, o in spec.outcomes.items() if day.year == YEAR]
    known = [o for o in outcomes if o.get("participants") is not None]
    with_under_25 = [o for o in known if o.get("under_25") is not None]
    with_residents = [o for o in known if o.get("residents") is not None]
    partners = {
        name.strip().casefold()
        for o in outcomes
        for name in o.get("partners", "").splitlines()
        if name.strip()
    }

    def share(part, base):
        return f"{round(100 * part / base)} %" if base else ""

    under_25 = sum(o["under_25"] for o in with_under_25)
    residents = sum(o["residents"] for o in with_residents)
    months = {}
    for _spec, day in days:
        months.setdefault(day.month, [0, 0])[0] += 1
    for spec in specs:
        for day, o in spec.outcomes.items():
            if day.year == YEAR and o.get("participants") is not None:
                months.setdefault(day.month, [0, 0])[1] += o["participants"]
    return {
        "events": len(days),
        "hours": float(round(sum(spec.hours for spec, _day in days), 1)),
        "outcomes": len(outcomes),
        "participants": sum(o["participants"] for o in known),
        "participants_known": len(known),
        "under_25": under_25,
        "under_25_share": share(under_25, sum(o["participants"] for o in with_under_25)),
        "residents": residents,
        "residents_share": share(residents, sum(o["participants"] for o in with_residents)),
        "volunteers": sum(o.get("volunteers") or 0 for o in outcomes),
        "news": sum(year == YEAR for key, years in NEWS.items() if acteur in (None, key) for year in years),
        "portraits": sum(
            year == YEAR for key, years in PORTRAITS.items() if acteur in (None, key) for year in years
        ),
        "proposals": [p for p in PROPOSALS if p[3] == YEAR and (acteur is None or p[0] == acteur)],
        "partners": len(partners),
        "press": sum(1 for key, _t, day in PRESS if day.year == YEAR and acteur in (None, key)),
        "months": {month: tuple(months.get(month, [0, 0])) for month in range(1, 13)},
    }


def summary_values(expected) -> list:
    """The report's rows, in their order (bilans.report.ActivityReport.summary_rows)."""
    proposals = expected["proposals"]
    return [
        expected["events"],
        expected["hours"],
        expected["outcomes"],
        expected["participants"],
        expected["participants_known"],
        expected["under_25"],
        expected["under_25_share"],
        expected["residents"],
        expected["residents_share"],
        expected["volunteers"],
        expected["news"],
        expected["portraits"],
        len(proposals),
        sum(1 for p in proposals if p[2]),
        sum(1 for p in proposals if p[1]),
        expected["partners"],
        expected["press"],
    ]


# --- Building that year ------------------------------------------------------------------------


# One process runs the whole module, so that the year is built once (`make test` distributes with
# --dist loadgroup); each test still runs in a savepoint of its own.
@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker):
    """The year, built once for the module's tests (it takes seconds), rolled back after them."""
    with pytest.MonkeyPatch.context() as patch, shared_rows(django_db_blocker):
        patch.setattr(timezone, "now", Clock(NOW))
        yield build_year(build_staff_world(add_sections(HomePage.objects.get())))


def build_year(world) -> dict:
    sections = world["sections"]
    events = {}
    for spec in SPECS:
        fields = dict(spec.fields)
        duration = fields.pop("duration", timedelta(hours=spec.hours))
        start = fields.pop("start")
        event = new_event(
            sections,
            world[spec.acteur],
            title=spec.title,
            start=start,
            duration=duration,
            publish=spec.live,
            **fields,
        )
        events[spec.title] = event
        for day, values in spec.outcomes.items():
            Outcome.objects.create(event=event, date=day, **values)

    def published_in(page, year):
        type(page).objects.filter(pk=page.pk).update(first_published_at=at(date(year, 6, 1)))

    for key, years in NEWS.items():
        for index, news_year in enumerate(years):
            published_in(new_news(sections, world[key], title=f"Nouvelle {key} {index}"), news_year)
    for key, years in PORTRAITS.items():
        for index, portrait_year in enumerate(years):
            published_in(new_portrait(sections, world[key], title=f"Portrait {key} {index}"), portrait_year)
    for index, (key, kiosk, published, proposal_year) in enumerate(PROPOSALS):
        proposal = submit_proposal(
            Proposal.Kind.NEWS,
            ProposalData(
                title=f"Proposition {index}",
                text="Un texte.",
                display_name="Nadia Habitante",
                contact_email="nadia@example.org",
                acteur=world[key] if key else None,
                from_kiosk=kiosk,
            ),
        )
        Proposal.objects.filter(pk=proposal.pk).update(
            status=Proposal.Status.PUBLISHED if published else Proposal.Status.PENDING,
            created_at=at(date(proposal_year, 4, 1)),
        )
    for key, title, day in PRESS:
        PressMention.objects.create(
            acteur=world[key],
            title=title,
            outlet="La Nouvelle République",
            published_on=day,
            url="https://example.org/",
        )
    return {**world, "events": events}


def report_url(year, key, suffix=""):
    return reverse(f"bilans_reports:{suffix or 'report'}", args=[year[key].pk]) + f"?annee={YEAR}"


def figures_of(response) -> list[str]:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [" ".join(td.get_text().split()) for td in soup.select("table.bilan-figures tbody td")]


def as_text(values) -> list[str]:
    return [
        "inconnue"
        if value == ""
        else str(value).replace(".", ",")
        if isinstance(value, float)
        else str(value)
        for value in values
    ]


def month_table(response, table_id) -> dict:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    rows = soup.select(f"#{table_id} tbody tr")
    return {index + 1: tuple(int(td.get_text()) for td in row.select("td")) for index, row in enumerate(rows)}


# --- The report, over HTTP, CSV and XLSX ------------------------------------------------------


@pytest.mark.parametrize("key", ["resoudre", "courteline"])
def test_report_page_shows_the_figures_computed_from_the_year(year, key):
    response = client_for(year, key).get(report_url(year, key))

    assert response.status_code == 200
    assert figures_of(response) == as_text(summary_values(expected_figures(key)))
    assert month_table(response, "bilan-graphique-table") == expected_figures(key)["months"]


@pytest.mark.parametrize("key", ["resoudre", "courteline"])
def test_csv_has_the_same_figures_and_months(year, key):
    response = client_for(year, key).get(report_url(year, key, "csv"))

    assert response["Content-Type"].startswith("text/csv")
    assert f"bilan-{year[key].slug}-{YEAR}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    expected = expected_figures(key)
    assert [row[1] for row in rows[2:19]] == [str(value) for value in summary_values(expected)]
    start = rows.index(["Mois", "Événements", "Participants"])
    months = rows[start + 1 : start + 13]
    assert [(int(row[1]), int(row[2])) for row in months] == list(expected["months"].values())


@pytest.mark.parametrize("key", ["resoudre", "courteline"])
def test_xlsx_read_back_has_the_same_figures_and_months(year, key):
    response = client_for(year, key).get(report_url(year, key, "xlsx"))

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    expected = expected_figures(key)
    summary = [row[1] for row in workbook["Synthèse"].iter_rows(min_row=3, values_only=True)]
    assert summary == [value if value != "" else None for value in summary_values(expected)]
    months = [(row[1], row[2]) for row in workbook["Par mois"].iter_rows(min_row=2, values_only=True)]
    assert months == list(expected["months"].values())
    assert workbook["Presse"].max_row == 1 + expected["press"]


def test_no_resident_name_or_contact_in_any_version_of_the_report(year):
    client = client_for(year, "moderatrice")
    pages = [client.get(report_url(year, "resoudre", view)).content for view in ("report", "csv", "print")]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(report_url(year, "resoudre", "xlsx")).content))
    cells = " ".join(str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row)
    for text in [*(page.decode() for page in pages), cells]:
        assert "Nadia" not in text and "nadia@example.org" not in text


def test_chart_has_a_text_alternative_the_data_table(year):
    response = client_for(year, "resoudre").get(report_url(year, "resoudre"))

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    svg = soup.select_one("figure.bilan-chart svg")
    assert svg["role"] == "img"
    assert soup.find(id=svg["aria-labelledby"]).get_text().strip()
    table = soup.find(id=svg["aria-describedby"])
    assert table.name == "table" and table.caption.get_text().strip()
    assert len(table.select("tbody tr")) == 12


def test_chart_bars_are_drawn_to_scale_whatever_the_language(year):
    """French writes 12,5 where SVG reads 12.5: the chart's geometry is never localised."""
    response = client_for(year, "resoudre").get(report_url(year, "resoudre"))

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    bars = soup.select("figure.bilan-chart > svg rect")
    heights = [float(bar["height"]) for bar in bars]
    assert all(float(bar["x"]) >= 0 and float(bar["width"]) > 0 for bar in bars)
    months = expected_figures("resoudre")["months"]
    events = heights[0::2]
    busiest = max(months, key=lambda month: months[month][0])
    assert events.index(max(events)) == busiest - 1
    assert [height > 0 for height in events] == [months[month][0] > 0 for month in range(1, 13)]


def test_printable_report_names_the_agora_and_the_period(year):
    response = client_for(year, "resoudre").get(report_url(year, "resoudre", "print"))

    text = page_text(response)
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.select_one(".bilan-sheet__agora").get_text().strip()
    assert "Année 2026" in soup.select_one(".bilan-sheet__period").get_text()
    assert "Résoudre" in soup.h1.get_text()
    assert 'rel="stylesheet"' in text and "bilans.css" in text
    assert figures_of(response) == as_text(summary_values(expected_figures("resoudre")))


def test_a_period_between_two_dates_counts_only_its_occurrences(year):
    url = reverse("bilans_reports:report", args=[year["resoudre"].pk]) + "?debut=2026-03-01&fin=2026-03-31"

    response = client_for(year, "resoudre").get(url)

    values = figures_of(response)
    assert values[0] == "4"  # the four Wednesdays of March
    assert values[3] == str(6 + 7)
    assert "Du 01/03/2026 au 31/03/2026" in page_text(response)


# --- Who sees which report ---------------------------------------------------------------------

ROLES = ["resoudre", "courteline", "moderatrice", "admin"]
VIEWS = ["report", "csv", "xlsx", "print"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", ["resoudre", "courteline"])
@pytest.mark.parametrize("view", VIEWS)
def test_staff_see_their_own_report_only_moderators_and_admins_all(year, role, key, view):
    response = client_for(year, role).get(report_url(year, key, view))

    allowed = role in ("moderatrice", "admin") or role == key
    assert response.status_code == (200 if allowed else 404)


def test_moderators_compare_every_association(year):
    response = client_for(year, "moderatrice").get(reverse("bilans_reports:index") + f"?annee={YEAR}")

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    rows = {row.th.get_text().strip(): row for row in soup.select("tr.bilan-row")}
    assert {"Résoudre", "Courteline"} <= set(rows)
    for key, title in (("resoudre", "Résoudre"), ("courteline", "Courteline")):
        cells = [td.get_text().strip() for td in rows[title].select("td")]
        assert cells[0] == str(expected_figures(key)["events"])
        assert cells[2] == str(expected_figures(key)["participants"])
    total = [td.get_text().strip() for td in soup.select_one("tr.bilan-total").select("td")]
    assert total[0] == str(expected_figures(None)["events"])


def test_staff_go_straight_to_their_association_report(year):
    response = client_for(year, "courteline").get(reverse("bilans_reports:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("bilans_reports:report", args=[year["courteline"].pk]))


# --- The agora's year in numbers ----------------------------------------------------------------


def test_public_year_shows_the_agora_figures_and_months(year, client):
    response = client.get(reverse("bilan_year", args=[YEAR]))

    assert response.status_code == 200
    expected = expected_figures(None)
    soup = BeautifulSoup(response.content.decode(), "html.parser")

    def figure(name):
        return int(soup.select_one(f".bilan-figure--{name} strong").get_text())

    assert figure("events") == expected["events"]
    assert figure("participants") == expected["participants"]
    assert figure("associations") == 2
    assert figure("proposals") == len(expected["proposals"])
    assert figure("published") == sum(1 for p in expected["proposals"] if p[2])
    assert month_table(response, "bilan-annee-table") == expected["months"]
    svg = soup.select_one("figure.bilan-chart svg")
    assert soup.find(id=svg["aria-describedby"]).name == "table"
    assert "Nadia" not in page_text(response)


def test_public_year_lists_the_most_used_tags(year, client):
    event = EventPage.objects.get(pk=year["events"]["Atelier CV"].pk)
    event.tags.add("emploi")
    event.save_revision().publish()

    response = client.get(reverse("bilan_year", args=[YEAR]))

    assert "emploi" in page_text(response)


def test_public_year_of_the_future_does_not_exist(client, db):
    assert client.get(reverse("bilan_year", args=[YEAR + 1])).status_code == 404


def test_association_summary_is_public_only_once_chosen_and_linked_from_its_page(year, client):
    acteur = year["resoudre"]
    url = reverse("bilan_acteur_year", args=[YEAR, acteur.slug])
    assert client.get(url).status_code == 404
    assert url not in client.get(acteur.url).content.decode()

    staff = client_for(year, "resoudre")
    staff.post(reverse("bilans_reports:public", args=[acteur.pk]), {"public": "1"})

    response = client.get(url)
    assert response.status_code == 200
    events = BeautifulSoup(response.content.decode(), "html.parser").select_one(
        ".bilan-figure--events strong"
    )
    assert int(events.get_text()) == expected_figures("resoudre")["events"]
    assert url in client.get(acteur.url).content.decode()


def test_staff_cannot_make_another_association_summary_public(year):
    response = client_for(year, "courteline").post(
        reverse("bilans_reports:public", args=[year["resoudre"].pk]), {"public": "1"}
    )

    assert response.status_code == 404


def test_a_proposal_sent_from_the_kiosk_is_counted_as_such(year, client):
    client.get(reverse("kiosk_home"))
    data = {
        "title": "Le repair café revient",
        "project_name": "Repair café",
        "text": "Chaque samedi.",
        "display_name": "Jo",
    }

    client.post(reverse("propose", args=["actualite"]), data)

    assert Proposal.objects.latest("pk").from_kiosk is True
    assert timezone.now() == NOW


def test_a_private_event_counts_in_the_admin_report_but_not_on_the_public_page(year, client):
    from wagtail.models import PageViewRestriction

    private = new_event(
        year["sections"], year["courteline"], title="Réunion interne", start=at("2026-07-07", 18)
    )
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    Outcome.objects.create(event=private, date=date(2026, 7, 7), participants=11)

    public = BeautifulSoup(client.get(reverse("bilan_year", args=[YEAR])).content.decode(), "html.parser")
    admin = client_for(year, "courteline").get(report_url(year, "courteline"))

    assert (
        int(public.select_one(".bilan-figure--events strong").get_text()) == expected_figures(None)["events"]
    )
    assert (
        int(public.select_one(".bilan-figure--participants strong").get_text())
        == (expected_figures(None)["participants"])
    )
    assert figures_of(admin)[0] == str(expected_figures("courteline")["events"] + 1)
    assert figures_of(admin)[3] == str(expected_figures("courteline")["participants"] + 11)


def test_every_footer_links_to_this_years_numbers(year, client):
    footer = BeautifulSoup(client.get("/agenda/").content.decode(), "html.parser").find("footer")
    year = datetime.now(tz=PARIS).year  # the real clock, as {% now %} reads it

    link = footer.find("a", href=f"/bilan/{year}/")

    assert link and link.get_text(strip=True) == f"L'agora en {year}"
    assert client.get(link["href"]).status_code == 200
