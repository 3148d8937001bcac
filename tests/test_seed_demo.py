"""seed_demo builds the demo site, its publications, its activity report figures and its accounts;
running it again changes nothing and keeps what the team edited."""

import html
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from taggit.models import Tag, TaggedItem
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from bilans.models import Outcome, PressMention, PublicSummary
from home.models import ContentPage
from posts import recurrence
from posts.models import (
    ActeurPage,
    EventExtraDate,
    EventPage,
    PortraitConsent,
    PortraitPage,
    ProjectNewsPage,
)
from tests.conftest import shared_rows

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "mot-de-passe-de-demo"

DEMO_USERNAMES = {
    "admin",
    "moderatrice",
    "resoudre",
    "courteline",
    "partenaire1",
    "partenaire2",
    "partenaire3",
}


def counts():
    tagged_items = sum(
        model.objects.count()
        for model in (TaggedItem, *(m.tags.through for m in (EventPage, ProjectNewsPage, PortraitPage)))
    )
    return {
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "consents": PortraitConsent.objects.count(),
        "outcomes": Outcome.objects.count(),
        "press": PressMention.objects.count(),
        "summaries": PublicSummary.objects.count(),
        "tags": Tag.objects.count(),
        "tagged_items": tagged_items,
        "extra_dates": EventExtraDate.objects.count(),
    }


def test_seed_demo_refuses_when_debug_is_off():
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")

    assert not get_user_model().objects.filter(username="admin").exists()


def test_seed_demo_runs_with_force_when_debug_is_off():
    call_command("seed_demo", "--force")

    assert get_user_model().objects.filter(username="admin").exists()


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """One seed_demo run (it takes seconds), shared by the tests of a class."""
    with shared_rows(django_db_blocker):
        with override_settings(DEBUG=True, DEMO_PASSWORD=DEMO_PASSWORD):
            call_command("seed_demo", stdout=io.StringIO())
        yield


# One process runs the whole class, so that the demo is seeded once (`make test` distributes with
# --dist loadgroup).
@pytest.mark.xdist_group("seeded_site")
@pytest.mark.usefixtures("seeded")
class TestSeededSite:
    def test_demo_accounts_log_in_with_demo_password(self, client):
        assert set(get_user_model().objects.values_list("username", flat=True)) >= DEMO_USERNAMES
        assert get_user_model().objects.get(username="admin").is_superuser
        assert get_user_model().objects.get(username="moderatrice").groups.filter(name="Modérateurs").exists()
        for username in DEMO_USERNAMES:
            assert client.login(username=username, password=DEMO_PASSWORD), username

    def test_staff_start_pages_show_demo_work_in_every_state(self, client):
        client.force_login(get_user_model().objects.get(username="courteline"))
        soup = BeautifulSoup(client.get("/admin/").content.decode(), "html.parser")
        for state in ("refused", "waiting", "draft", "published"):
            rows = soup.select(f".agora-publications--{state} tbody tr")
            assert rows, state
        refused = soup.select_one(".agora-publications--refused").get_text(" ")
        assert "Indiquez les nouveaux horaires" in refused

        client.force_login(get_user_model().objects.get(username="resoudre"))
        soup = BeautifulSoup(client.get("/admin/").content.decode(), "html.parser")
        assert soup.select(".agora-publications--draft tbody tr")
        assert soup.select(".agora-publications--published tbody tr")

    def test_seeded_site_answers_every_path_of_the_url_contract(self, client):
        paths = ["/", "/agenda/", "/actualites/", "/portraits/", "/acteurs/"]
        for model in (EventPage, ProjectNewsPage, PortraitPage, ActeurPage):
            paths.append(model.objects.live().order_by("pk").first().url)

        for path in paths:
            assert client.get(path).status_code == 200, path
        assert paths[5].startswith("/agenda/")
        assert paths[6].startswith("/actualites/")
        assert paths[7].startswith("/portraits/")
        assert paths[8].startswith("/acteurs/")

    def test_seeded_agenda_has_recurring_past_and_coming_events(self):
        now = timezone.now()
        events = EventPage.objects.live()
        upcoming = set(events.upcoming(now).values_list("pk", flat=True))

        assert events.count() >= 12
        assert events.exclude(recurrence="").count() >= 2
        assert events.exclude(pk__in=upcoming).count() >= 3
        assert events.filter(all_day=True).exists()
        assert EventExtraDate.objects.exists()
        assert all(event.acteur_id and event.place_name and event.tags.exists() for event in events)

    def test_seeded_publications_meet_the_design_minimums(self):
        assert ProjectNewsPage.objects.live().count() >= 6
        assert ActeurPage.objects.live().count() >= 6
        assert ActeurPage.objects.get(slug="resoudre").trusted
        assert not ActeurPage.objects.get(slug="courteline").trusted

        portraits = PortraitPage.objects.all()
        assert portraits.count() == 4
        for portrait in portraits:
            assert portrait.live, portrait.title
            assert portrait.has_active_consent(), portrait.title

    def test_every_seeded_image_has_an_alternative_text(self):
        for model in (EventPage, ProjectNewsPage, PortraitPage):
            for page in model.objects.live():
                assert page.image_id and page.image_alt.strip(), page.title
                for block in page.body:
                    if block.block_type == "image":
                        assert block.value["alt"].strip(), page.title

    def test_home_page_shows_the_events_of_the_coming_week(self, client):
        now = timezone.now()
        coming_week = recurrence.expand_all(
            EventPage.objects.live().upcoming(now), after=now, before=now + timedelta(days=7)
        )

        assert coming_week
        content = html.unescape(client.get("/").content.decode())
        assert coming_week[0].event.title in content

    # Running it again, as `make run` does at every start, on the site it seeded.

    def test_seed_demo_twice_leaves_the_same_counts_and_prints_the_accounts(self):
        first = counts()
        output = io.StringIO()
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=output)

        assert counts() == first
        output = output.getvalue()
        for username in DEMO_USERNAMES:
            assert username in output
        assert "agora-demo" in output
        assert "Agenda : " in output
        # The accounts stay the last thing printed, where a newcomer looks for them.
        assert output.rstrip().splitlines()[-1].strip().startswith("partenaire3")

    def test_seed_demo_keeps_the_institutional_pages_the_team_edited(self):
        legal = ContentPage.objects.get(slug="mentions-legales")
        legal.title = "Mentions légales de l'agora"
        legal.save_revision().publish()
        ContentPage.objects.filter(slug="a-propos").delete()

        with override_settings(DEBUG=True):
            call_command("seed_demo", verbosity=0)

        assert ContentPage.objects.get(slug="mentions-legales").title == "Mentions légales de l'agora"
        assert ContentPage.objects.filter(slug="a-propos", live=True).exists()

    def test_demo_activity_report_has_figures(self, client):
        assert Outcome.objects.count() >= 5 and PressMention.objects.count() >= 3
        for outcome in Outcome.objects.all():
            assert outcome.under_25 is None or outcome.under_25 <= outcome.participants
            assert outcome.residents <= outcome.participants

        resoudre = ActeurPage.objects.get(slug="resoudre")
        client.force_login(get_user_model().objects.get(username="resoudre"))
        # The last 90 days may begin in the year before: the report of those days has figures.
        today = timezone.localdate()
        query = f"?debut={(today - timedelta(days=90)).isoformat()}&fin={today.isoformat()}"
        report = client.get(reverse("bilans_reports:report", args=[resoudre.pk]) + query)
        cells = [
            td.get_text().strip()
            for td in BeautifulSoup(report.content.decode(), "html.parser").select(".bilan-figures td")
        ]
        assert int(cells[0]) > 0 and int(cells[3]) > 0
        home = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content.decode(), "html.parser")
        assert home.select(".agora-missing-outcome")
        assert (
            reverse("bilan_acteur_year", args=[today.year, "resoudre"])
            in client.get(resoudre.url).content.decode()
        )
