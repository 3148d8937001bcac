"""The four institutional pages a French site needs to open: created by the migrations, linked
from every page's footer, their facts read from the site settings and the retention settings."""

import pytest
from bs4 import BeautifulSoup

from django.test import override_settings

from home.models import HomePage, SiteSettings
from tests.conftest import page_text

pytestmark = pytest.mark.django_db

PAGES = {
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Données personnelles",
    "/accessibilite/": "Accessibilité",
    "/a-propos/": "À propos",
}


def test_a_new_install_has_the_four_pages_live(client):
    for path, title in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert f"<h1>{title}</h1>" in page_text(response)


def test_every_pages_footer_links_to_them(client, sections):
    for path in ("/", "/agenda/", "/proposer/"):
        footer = BeautifulSoup(client.get(path).content.decode(), "html.parser").select_one(
            "footer.site-footer"
        )
        links = {link["href"] for link in footer.find_all("a")}
        assert set(PAGES) <= links, path
    footer_text = page_text(client.get("/"))
    assert "Accessibilité : partiellement conforme" in footer_text


def test_the_legal_notice_shows_the_publisher_director_and_host_from_the_settings(client):
    settings = SiteSettings.for_site(HomePage.objects.get().get_site())
    settings.publisher = "Association Résoudre\n12 rue Jean-Bart, 37300 Joué-lès-Tours"
    settings.publication_director = "Rémi Soudre"
    settings.host = "Hébergeur Exemple, 1 rue du Serveur, 75000 Paris"
    settings.save()

    text = page_text(client.get("/mentions-legales/"))

    assert "Association Résoudre<br>12 rue Jean-Bart" in text
    assert "Rémi Soudre" in text and "Hébergeur Exemple" in text


@override_settings(AGORA_RESIDENT_DATA_RETENTION_MONTHS=4, PARTNERS_RECORD_RETENTION_MONTHS=18)
def test_the_personal_data_page_reads_the_retention_periods_from_the_settings(client):
    text = page_text(client.get("/donnees-personnelles/"))

    assert "4 mois après la décision sur la proposition" in text
    assert "18 mois après le dernier contact" in text
    assert "www.cnil.fr/fr/plaintes" in text


def test_the_accessibility_statement_says_what_the_rgaa_asks(client):
    text = page_text(client.get("/accessibilite/"))

    for part in (
        "partiellement conforme",
        "Pages vérifiées",
        "Non-conformités connues",
        "Défenseur des droits",
    ):
        assert part in text
