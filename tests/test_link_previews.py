"""What every public page says about itself when shared or indexed: Open Graph and Twitter tags,
a canonical link and a description from its own words, feed autodiscovery, and schema.org
JSON-LD on event and association pages. Absolute addresses come from the site's configured
address, and answer."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from django.conf import settings

from agora.addresses import sync_default_site
from tests.conftest import new_image

pytestmark = pytest.mark.django_db

OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$")


@pytest.fixture
def site_pages(neighbourhood, sections, settings):
    """The site published at https://agora.example.org, and read here from the test client's host."""
    settings.WAGTAILADMIN_BASE_URL = "https://agora.example.org"
    sync_default_site()
    return {
        "accueil": "/",
        "agenda": "/agenda/",
        "evenement": neighbourhood["event"].url,
        "actualites": "/actualites/",
        "actualite": neighbourhood["news"].url,
        "portraits": "/portraits/",
        "portrait": neighbourhood["portrait"].url,
        "acteurs": "/acteurs/",
        "acteur": neighbourhood["host"].url,
    }


def head_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser").head


def meta(head, key) -> str | None:
    tag = head.find("meta", attrs={"property": key}) or head.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def media_file(url: str) -> Path:
    """The file behind one of the site's absolute media addresses (the reverse proxy serves them)."""
    path = local_path(url)
    assert path.startswith(settings.MEDIA_URL), url
    return Path(settings.MEDIA_ROOT) / path.removeprefix(settings.MEDIA_URL)


def local_path(url: str) -> str:
    """The path of one of the site's absolute addresses, to ask the test client for it."""
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.netloc == "agora.example.org", url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_every_public_page_type_has_its_link_preview(client, site_pages):
    for name, path in site_pages.items():
        head = head_of(client.get(path))

        for key in ("og:title", "og:description", "og:url", "og:type", "og:site_name", "twitter:card"):
            assert meta(head, key), (name, key)
        assert meta(head, "og:locale") == "fr_FR", name
        canonical = head.find("link", rel="canonical")["href"]
        assert canonical == meta(head, "og:url"), name
        assert client.get(local_path(canonical)).status_code == 200, name
        assert meta(head, "description") == meta(head, "og:description"), name
        feeds = {link["type"]: link["href"] for link in head.find_all("link", rel="alternate")}
        assert feeds == {"application/rss+xml": "/flux/", "text/calendar": "/agenda/agenda.ics"}, name


def test_a_publications_preview_has_its_summary_and_its_image_in_1200_by_630(client, site_pages, make_event):
    assert meta(head_of(client.get(site_pages["portrait"])), "og:type") == "article"
    assert meta(head_of(client.get(site_pages["actualite"])), "twitter:card") == "summary"  # no image
    head = head_of(client.get(site_pages["evenement"]))
    assert meta(head, "og:type") == "website"
    assert meta(head, "twitter:card") == "summary_large_image"
    assert meta(head, "og:image:alt") == "Des habitantes devant des ordinateurs"
    with Image.open(media_file(meta(head, "og:image"))) as image:
        assert (str(image.width), str(image.height)) == (
            meta(head, "og:image:width"),
            meta(head, "og:image:height"),
        )
        assert round(image.width / image.height, 2) == round(1200 / 630, 2)
    assert meta(head_of(client.get(site_pages["evenement"])), "og:description").startswith("Résumé de")
    # A photo large enough is given at the size link previews ask for.
    event = make_event("Grande fête", image=new_image("Grande photo", size=(1600, 1000)), image_alt="La fête")
    head = head_of(client.get(event.url))
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == ("1200", "630")


def test_the_event_page_describes_the_event_in_json_ld(client, site_pages, neighbourhood):
    head = head_of(client.get(site_pages["evenement"]))

    [script] = head.find_all("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    for key in ("name", "startDate", "endDate", "eventStatus", "eventAttendanceMode", "location", "url"):
        assert data[key], key
    assert OFFSET.match(data["startDate"]) and OFFSET.match(data["endDate"])
    assert data["location"]["@type"] == "Place" and data["location"]["address"]["@type"] == "PostalAddress"
    assert data["organizer"]["name"] == neighbourhood["event"].acteur.title
    assert client.get(local_path(data["url"])).status_code == 200
    assert client.get(local_path(data["organizer"]["url"])).status_code == 200
    assert media_file(data["image"][0]).exists()


def test_json_ld_tells_only_what_was_said_of_the_price(client, make_event):
    free = make_event("Repas partagé", is_free=True)
    paid = make_event("Sortie au zoo", is_free=False, price="5 € par personne")
    unknown = make_event("Atelier sans tarif")

    offers = {}
    for event in (free, paid, unknown):
        script = head_of(client.get(event.url)).find("script", type="application/ld+json")
        offers[event.title] = json.loads(script.string).get("offers")

    assert offers["Repas partagé"]["price"] == "0" and offers["Repas partagé"]["priceCurrency"] == "EUR"
    assert offers["Sortie au zoo"]["description"] == "5 € par personne"
    assert offers["Atelier sans tarif"] is None


def test_the_association_page_describes_the_association_in_json_ld(client, make_acteur):
    acteur = make_acteur(
        "Résoudre",
        kind="association",
        address="12 rue Jean-Bart, 37300 Joué-lès-Tours",
        phone="02 47 00 01 10",
        email="contact@resoudre.example.org",
    )

    script = head_of(client.get(acteur.url)).find("script", type="application/ld+json")
    data = json.loads(script.string)

    assert data["@type"] == "Organization" and data["name"] == "Résoudre"
    assert data["address"]["streetAddress"] == "12 rue Jean-Bart, 37300 Joué-lès-Tours"
    assert data["telephone"] == "02 47 00 01 10" and data["email"] == "contact@resoudre.example.org"


def test_no_text_can_end_the_json_ld_element(client, make_event):
    event = make_event("Atelier </script><script>alert(1)</script>")

    html = client.get(event.url).content.decode()

    script = html[html.index('<script type="application/ld+json">') :]
    script = script[: script.index("</script>") + len("</script>")]
    assert "alert(1)" in json.loads(script.removeprefix('<script type="application/ld+json">')[:-9])["name"]
    assert "<script>alert" not in html
