"""Outcomes and press mentions in the admin: staff enter their association's, from their start
page; another association's do not exist for them; moderators and administrators see all."""

from datetime import date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from bilans.models import Outcome, PressMention
from home.models import HomePage
from posts.recurrence import PARIS
from tests.conftest import (
    Clock,
    add_sections,
    at,
    build_staff_world,
    client_for,
    new_event,
    page_text,
    shared_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)


@pytest.fixture
def events(world):
    return build_events(world)


def build_events(world) -> dict:
    sections = world["sections"]
    return {
        "weekly": new_event(
            sections,
            world["resoudre"],
            title="Atelier du mercredi",
            start=at("2026-11-04", 14),
            recurrence="weekly",
            recurrence_until=date(2026, 12, 30),
        ),
        "old": new_event(sections, world["resoudre"], title="Atelier de janvier", start=at("2026-01-07")),
        "courteline": new_event(
            sections, world["courteline"], title="Parcours de femmes", start=at("2026-11-17")
        ),
        "coming": new_event(
            sections, world["resoudre"], title="Atelier à venir", start=NOW + timedelta(days=3)
        ),
    }


def missing_outcomes(response) -> list[str]:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [
        " ".join(row.select_one(".title").get_text().split()) + " " + row.select("td")[1].get_text().strip()
        for row in soup.select("#agora-bilans-manquants-section .agora-missing-outcome")
    ]


def outcome_form(event, day, **values) -> dict:
    data = {
        "event": event.pk,
        "date": day.isoformat(),
        "participants": "",
        "under_25": "",
        "residents": "",
        "volunteers": "",
        "partners": "",
        "summary": "",
        "photos": inline_formset([]),
    }
    data.update(values)
    return nested_form_data(data)


# --- The start page ----------------------------------------------------------------------------


def test_start_page_lists_each_past_occurrence_without_outcome_the_latest_first(world, events):
    home = client_for(world, "resoudre").get(reverse("wagtailadmin_home"))

    # The Wednesdays of November so far; January's is too old to be asked for, the coming one
    # has not happened, Courteline's is not theirs.
    assert missing_outcomes(home) == [
        "Atelier du mercredi 25/11/2026",
        "Atelier du mercredi 18/11/2026",
        "Atelier du mercredi 11/11/2026",
        "Atelier du mercredi 04/11/2026",
    ]


def test_an_occurrence_leaves_the_start_page_once_its_outcome_is_entered(world, events):
    Outcome.objects.create(event=events["weekly"], date=date(2026, 11, 18), participants=8)

    home = client_for(world, "resoudre").get(reverse("wagtailadmin_home"))

    assert "Atelier du mercredi 18/11/2026" not in missing_outcomes(home)
    assert "Atelier du mercredi 25/11/2026" in missing_outcomes(home)


def test_moderators_start_page_has_no_missing_outcomes_panel(world, events):
    home = client_for(world, "moderatrice").get(reverse("wagtailadmin_home"))

    assert "agora-bilans-manquants" not in home.content.decode()


def test_the_start_page_link_opens_the_form_filled_in_and_saving_records_the_outcome(world, events):
    client = client_for(world, "resoudre")
    home = client.get(reverse("wagtailadmin_home"))
    link = BeautifulSoup(home.content.decode(), "html.parser").select_one(".agora-missing-outcome a")["href"]

    form = client.get(link)
    soup = BeautifulSoup(form.content.decode(), "html.parser")
    assert soup.select_one("select[name=event] option[selected]")["value"] == str(events["weekly"].pk)
    assert soup.select_one("input[name=date]")["value"] in ("2026-11-25", "25/11/2026")
    assert "droit à l'image" in page_text(form)

    response = client.post(
        reverse("bilans_outcomes:add"),
        outcome_form(events["weekly"], date(2026, 11, 25), participants="9", under_25="4", partners="CRIA"),
    )

    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.participants, outcome.under_25, outcome.created_by) == (9, 4, world["users"]["resoudre"])


# --- The outcome form --------------------------------------------------------------------------


def test_staff_choose_only_among_their_association_past_events(world, events):
    form = client_for(world, "courteline").get(reverse("bilans_outcomes:add"))

    options = [
        o.get_text()
        for o in BeautifulSoup(form.content.decode(), "html.parser").select("select[name=event] option")
    ]
    assert options[1:] == ["Parcours de femmes (17/11/2026)"]


def test_staff_cannot_record_an_outcome_for_another_association_event(world, events):
    response = client_for(world, "courteline").post(
        reverse("bilans_outcomes:add"), outcome_form(events["weekly"], date(2026, 11, 25), participants="3")
    )

    assert response.status_code == 200
    assert not Outcome.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"participants": "5", "under_25": "6"}, "under_25"),
        ({"participants": "5", "residents": "9"}, "residents"),
    ],
)
def test_a_share_larger_than_the_participants_is_refused(world, events, values, field):
    response = client_for(world, "resoudre").post(
        reverse("bilans_outcomes:add"), outcome_form(events["weekly"], date(2026, 11, 25), **values)
    )

    assert response.status_code == 200
    assert "ne peut pas dépasser" in page_text(response)
    assert not Outcome.objects.exists()


def test_a_day_without_occurrence_is_refused(world, events):
    response = client_for(world, "resoudre").post(
        reverse("bilans_outcomes:add"), outcome_form(events["weekly"], date(2026, 11, 26), participants="3")
    )

    assert "n'a pas eu lieu ce jour-là" in page_text(response)
    assert not Outcome.objects.exists()


# --- Who sees which outcome and press mention ---------------------------------------------------

ROLES = ["resoudre", "courteline", "moderatrice", "admin"]


def build_records(world, events) -> dict:
    return {
        "outcome": {
            "resoudre": Outcome.objects.create(
                event=events["weekly"], date=date(2026, 11, 4), participants=5
            ),
            "courteline": Outcome.objects.create(event=events["courteline"], date=date(2026, 11, 17)),
        },
        "press": {
            "resoudre": PressMention.objects.create(
                acteur=world["resoudre"], title="Des CV en vidéo", outlet="NR", published_on=date(2026, 3, 2)
            ),
            "courteline": PressMention.objects.create(
                acteur=world["courteline"],
                title="Parcours de femmes",
                outlet="TV Tours",
                published_on=date(2026, 5, 2),
            ),
        },
    }


VIEWSETS = {"outcome": "bilans_outcomes", "press": "bilans_press"}


@pytest.fixture(scope="class")
def records_world(django_db_setup, django_db_blocker):
    """The staff world with an outcome and a press mention of each association, shared by a class."""
    with pytest.MonkeyPatch.context() as patch, shared_rows(django_db_blocker):
        patch.setattr(timezone, "now", Clock(NOW))
        world = build_staff_world(add_sections(HomePage.objects.get()))
        yield {**world, "records": build_records(world, build_events(world))}


# One process runs the whole class, so that its world is built once (`make test` distributes with
# --dist loadgroup); each test still runs in a savepoint of its own.
@pytest.mark.xdist_group("bilans_records")
class TestWhoReachesWhichRecord:
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("owner", ["resoudre", "courteline"])
    @pytest.mark.parametrize("kind", ["outcome", "press"])
    @pytest.mark.parametrize("view", ["edit", "delete"])
    def test_staff_reach_their_association_outcomes_and_press_only(
        self, records_world, role, owner, kind, view
    ):
        world = records_world
        obj = world["records"][kind][owner]

        response = client_for(world, role).get(reverse(f"{VIEWSETS[kind]}:{view}", args=[obj.pk]))

        allowed = role in ("moderatrice", "admin") or role == owner
        assert response.status_code == (200 if allowed else 404)

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("kind", ["outcome", "press"])
    def test_listings_show_own_association_only_to_staff(self, records_world, role, kind):
        world = records_world
        response = client_for(world, role).get(reverse(f"{VIEWSETS[kind]}:index"))

        text = page_text(response)
        shown = {owner for owner, obj in world["records"][kind].items() if str(obj) in text}
        assert shown == ({"resoudre", "courteline"} if role in ("moderatrice", "admin") else {role})


def test_staff_credit_a_press_mention_only_to_their_association(world):
    client = client_for(world, "courteline")
    data = {
        "acteur": world["resoudre"].pk,
        "title": "Un titre",
        "outlet": "NR",
        "published_on": "2026-05-02",
        "url": "",
        "document": "",
    }

    response = client.post(reverse("bilans_press:add"), data)

    assert response.status_code == 200
    assert not PressMention.objects.exists()
    assert (
        client.post(reverse("bilans_press:add"), {**data, "acteur": world["courteline"].pk}).status_code
        == 302
    )
    assert PressMention.objects.get().acteur == world["courteline"]


def test_the_valoriser_menu_is_offered_to_staff_and_moderators(world):
    for role in ROLES:
        assert "Valoriser" in page_text(client_for(world, role).get(reverse("wagtailadmin_home")))


def test_a_photo_of_the_outcome_needs_the_consent_of_the_people_on_it(world, events, make_image):
    image = make_image("Atelier")
    data = {
        "event": events["weekly"].pk,
        "date": "2026-11-25",
        "participants": "9",
        "under_25": "",
        "residents": "",
        "volunteers": "",
        "partners": "",
        "summary": "",
        "photos": inline_formset([{"image": image.pk, "alt": "Des habitantes devant des ordinateurs"}]),
    }
    client = client_for(world, "admin")

    refused = client.post(reverse("bilans_outcomes:add"), nested_form_data(data))

    assert "droit à l'image" in page_text(refused)
    assert not Outcome.objects.exists()
    data["photos"] = inline_formset(
        [{"image": image.pk, "alt": "Des habitantes devant des ordinateurs", "consent": "on"}]
    )
    assert client.post(reverse("bilans_outcomes:add"), nested_form_data(data)).status_code == 302
    assert Outcome.objects.get().photos.get().image == image
