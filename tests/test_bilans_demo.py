"""seed_demo gives the demo activity report figures: outcomes of past events, press mentions,
a public yearly summary; running it twice changes nothing."""

import io

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bilans.models import Outcome, PressMention, PublicSummary
from posts.models import ActeurPage

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_seed_demo_adds_outcomes_and_press_once_and_the_demo_report_has_figures(client):
    call_command("seed_demo", stdout=io.StringIO())
    first = (Outcome.objects.count(), PressMention.objects.count(), PublicSummary.objects.count())
    call_command("seed_demo", stdout=io.StringIO())

    assert (Outcome.objects.count(), PressMention.objects.count(), PublicSummary.objects.count()) == first
    assert first[0] >= 5 and first[1] >= 3
    for outcome in Outcome.objects.all():
        assert outcome.under_25 is None or outcome.under_25 <= outcome.participants
        assert outcome.residents <= outcome.participants

    resoudre = ActeurPage.objects.get(slug="resoudre")
    client.force_login(get_user_model().objects.get(username="resoudre"))
    # The last 90 days may begin in the year before: the report of those days has figures.
    today = timezone.localdate()
    query = f"?debut={(today - timezone.timedelta(days=90)).isoformat()}&fin={today.isoformat()}"
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
