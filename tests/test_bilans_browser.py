"""The bilans in a real Chromium: the printed activity report, page by page (pypdf), and zero
axe-core violations and Nu HTML checker errors on the public year, an association's year and
the printable report."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

from bilans.actions import set_public_summary
from bilans.models import Outcome, PressMention
from posts.models import ActeurPage
from tests.conftest import new_event
from tests.test_browser_accessibility import axe_violations, nu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

A4_POINTS = (595, 842)


@pytest.fixture
def busy_year(sections, make_acteur, make_user):
    """An association with an outcome for each weekly workshop of the last months, many
    partners and press mentions: a report longer than one page."""
    Site.objects.filter(is_default_site=True).update(site_name="Agora de la Rabière")
    acteur = make_acteur("Résoudre")
    set_public_summary(acteur, True)
    today = timezone.localdate()
    start = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0) - timedelta(weeks=30)
    event = new_event(
        sections,
        acteur,
        title="Atelier numérique du mercredi",
        start=start,
        recurrence="weekly",
        recurrence_until=today - timedelta(days=1),
    )
    for index, occurrence in enumerate(event.occurrences(before=timezone.now())):
        Outcome.objects.create(
            event=event,
            date=occurrence.start_date,
            participants=8 + index % 5,
            under_25=index % 4,
            residents=5,
            volunteers=2,
            partners=f"Partenaire numéro {index}",
        )
    for index in range(12):
        PressMention.objects.create(
            acteur=acteur,
            title=f"Article {index} sur les ateliers numériques de la Rabière",
            outlet="La Nouvelle République",
            published_on=today - timedelta(days=index * 7),
        )
    admin = make_user("admin", is_superuser=True, is_staff=True)
    return {"acteur": acteur, "admin": admin}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def print_url(acteur: ActeurPage) -> str:
    return reverse("bilans_reports:print", args=[acteur.pk]) + f"?annee={timezone.localdate().year}"


def test_printed_report_is_a4_with_the_agora_and_the_period_on_every_page(page, live_server, busy_year):
    log_in(page, live_server, busy_year["admin"])
    page.goto(live_server.url + print_url(busy_year["acteur"]))

    reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True, print_background=True)))

    assert 2 <= len(reader.pages) <= 4
    period = f"Année {timezone.localdate().year}"
    for number, sheet in enumerate(reader.pages, start=1):
        assert tuple(round(value) for value in sheet.mediabox.upper_right) == A4_POINTS, number
        text = " ".join(sheet.extract_text().split())
        assert "Agora de la Rabière" in text, f"page {number}: {text[:200]}"
        assert "Résoudre" in text and period in text, f"page {number}: {text[:200]}"
    everything = " ".join(" ".join(sheet.extract_text() for sheet in reader.pages).split())
    for label in ("Événements réalisés", "Heures d'activité", "Revue de presse", "Partenaires associés"):
        assert label in everything
    assert "Retour au bilan" not in everything


def test_bilans_pages_have_no_axe_violation_and_valid_html(page, live_server, busy_year, tmp_path):
    year = timezone.localdate().year
    saved, violations = {}, {}

    def audit(name, path):
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {path} → {response.status}"
        if found := axe_violations(page):
            violations[name] = found
        saved[name] = tmp_path / f"{name}.html"
        saved[name].write_text(response.text(), encoding="utf-8")

    audit("annee", reverse("bilan_year", args=[year]))
    audit("annee-acteur", reverse("bilan_acteur_year", args=[year, busy_year["acteur"].slug]))
    audit("acteur", busy_year["acteur"].url)
    log_in(page, live_server, busy_year["admin"])
    audit("rapport-imprimable", print_url(busy_year["acteur"]))

    errors = nu_errors(saved)
    report = [f"axe-core, {name}:\n  " + "\n  ".join(found) for name, found in violations.items()]
    report += [f"Nu HTML checker, {name}:\n  " + "\n  ".join(found) for name, found in errors.items()]
    assert not report, "\n".join(report)
