"""Every phone number is a tel: link: association pages, the footer, the poster's contact line."""

import pytest

from home.models import SiteSettings
from tests.conftest import page_text

pytestmark = pytest.mark.django_db


def test_an_associations_phone_calls_it(client, make_acteur):
    acteur = make_acteur("Résoudre", phone="02 47 00.01-10")

    assert '<a href="tel:0247000110">02 47 00.01-10</a>' in page_text(client.get(acteur.url))


def test_the_footers_phone_calls_the_site(client, sections):
    settings = SiteSettings.for_site(sections["agenda"].get_site())
    settings.contact_phone = "+33 2 47 00 00 00"
    settings.save()

    assert '<a href="tel:+33247000000">+33 2 47 00 00 00</a>' in page_text(client.get("/agenda/"))


def test_the_posters_contact_line_calls_the_association(client, make_acteur, make_event):
    acteur = make_acteur("Résoudre", phone="02 47 00 01 10")
    event = make_event("Atelier vélo", acteur=acteur)

    assert '<a href="tel:0247000110">02 47 00 01 10</a>' in page_text(client.get(f"{event.url}affiche/"))
