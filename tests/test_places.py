"""Places on the map: addresses geocoded by the national address service when saved in the
admin (its HTTP answers are the only thing faked here), directions links, and /carte/."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup

from django.conf import settings
from django.test import Client
from django.urls import reverse

from wagtail.models import PageViewRestriction

from posts.models import ActeurPage, EventPage
from tests.conftest import page_text
from tests.test_portrait_consent import editor_form_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
BAN = "https://api-adresse.data.gouv.fr/search/"
RABIERE = "Place de la Rabière, 37300 Joué-lès-Tours"
OFF_THE_MAP = "n'a pas pu être placée sur la carte"


class AddressService:
    """The national address service's answers, by query; records what it was asked."""

    def __init__(self):
        self.asked: list[dict] = []
        self.failure: Exception | None = None
        self.score = 0.93

    def get(self, url, params=None, timeout=None):
        self.asked.append({"url": url, **(params or {})})
        if self.failure:
            raise self.failure
        return FakeResponse(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [0.676812, 47.339051]},
                        "properties": {
                            "label": "Place de la Rabière 37300 Joué-lès-Tours",
                            "score": self.score,
                        },
                    }
                ],
            }
        )


class FakeResponse:
    def __init__(self, body):
        self.body = body

    def raise_for_status(self):
        return None

    def json(self):
        return self.body


@pytest.fixture
def address_service(settings, monkeypatch):
    settings.AGORA_GEOCODER_URL = BAN
    service = AddressService()
    monkeypatch.setattr("posts.geocoding.requests.get", service.get)
    return service


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def save_in_admin(client, page, **changes):
    data = editor_form_data(client, edit_url(page))
    data.update({name: "" if value is None else str(value) for name, value in changes.items()})
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(page), data, follow=True)
    assert response.status_code == 200
    return response


def test_saving_an_association_places_its_address_on_the_map(admin_client, acteur, address_service):
    save_in_admin(admin_client, acteur, address=RABIERE)

    acteur.refresh_from_db()
    assert (acteur.latitude, acteur.longitude) == (Decimal("47.339051"), Decimal("0.676812"))
    assert address_service.asked == [{"url": BAN, "q": RABIERE, "limit": 1}]


def test_an_events_place_is_placed_from_its_own_address(admin_client, make_event, address_service):
    event = make_event("Atelier CV")

    save_in_admin(admin_client, event, place_address=RABIERE)

    event.refresh_from_db()
    assert event.has_coordinates and event.latitude == Decimal("47.339051")


def test_an_unreachable_service_saves_the_page_and_says_how_to_place_it(
    admin_client, acteur, address_service
):
    address_service.failure = requests.ConnectionError("api-adresse.data.gouv.fr unreachable")

    response = save_in_admin(admin_client, acteur, address=RABIERE, summary="Nouvelle présentation")

    acteur.refresh_from_db()
    assert acteur.address == RABIERE and acteur.summary == "Nouvelle présentation"
    assert not acteur.has_coordinates
    text = page_text(response)
    assert OFF_THE_MAP in text and "saisissez la latitude et la longitude" in text


def test_an_address_the_service_only_guesses_is_not_placed(admin_client, acteur, address_service):
    address_service.score = 0.2

    response = save_in_admin(admin_client, acteur, address="Quelque part")

    acteur.refresh_from_db()
    assert not acteur.has_coordinates and OFF_THE_MAP in page_text(response)


def test_coordinates_typed_by_hand_are_kept_without_asking_the_service(admin_client, acteur, address_service):
    response = save_in_admin(admin_client, acteur, address=RABIERE, latitude="47.3391", longitude="0.6768")

    acteur.refresh_from_db()
    assert (acteur.latitude, acteur.longitude) == (Decimal("47.339100"), Decimal("0.676800"))
    assert address_service.asked == []
    assert OFF_THE_MAP not in page_text(response)


def test_half_a_position_is_refused_and_nothing_is_lost(admin_client, acteur, address_service):
    response = save_in_admin(admin_client, acteur, address=RABIERE, latitude="47.3391")

    assert "Saisissez la latitude et la longitude, ou aucune des deux." in page_text(response)
    acteur.refresh_from_db()
    assert acteur.address != RABIERE
    assert response.context["form"].data["address"] == RABIERE


def test_a_changed_address_is_placed_again(admin_client, acteur, address_service):
    ActeurPage.objects.filter(pk=acteur.pk).update(
        address="Ancienne adresse", latitude=Decimal("48.1"), longitude=Decimal("1.2")
    )

    save_in_admin(admin_client, acteur, address=RABIERE)

    acteur.refresh_from_db()
    assert acteur.latitude == Decimal("47.339051")


def test_without_an_address_service_the_admin_says_nothing_about_the_map(admin_client, acteur, settings):
    settings.AGORA_GEOCODER_URL = ""

    response = save_in_admin(admin_client, acteur, address=RABIERE)

    acteur.refresh_from_db()
    assert acteur.address == RABIERE and not acteur.has_coordinates
    assert OFF_THE_MAP not in page_text(response)


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_an_address_with_coordinates_has_directions_and_a_small_map(client, make_event):
    event = make_event(
        "Atelier CV", place_address=RABIERE, latitude=Decimal("47.339051"), longitude=Decimal("0.676812")
    )

    page = soup_of(client.get(event.url))

    directions = page.find("a", string="Itinéraire")["href"]
    assert directions == "https://www.openstreetmap.org/directions?to=47.339051%2C0.676812"
    assert page.find("a", href="geo:47.339051,0.676812")
    small_map = page.select_one(".small-map")
    assert (small_map["data-lat"], small_map["data-lon"]) == ("47.339051", "0.676812")
    assert small_map.has_attr("hidden"), "hidden until the script draws it"
    assert page.find("script", src=lambda src: src and "leaflet" in src)


def test_an_address_without_coordinates_has_directions_by_address_and_no_map(client, make_event, acteur):
    event = make_event("Atelier CV", place_address=RABIERE)
    ActeurPage.objects.filter(pk=acteur.pk).update(address=RABIERE)

    for url in (event.url, acteur.url):
        page = soup_of(client.get(url))
        directions = page.find("a", string="Itinéraire")["href"]
        assert directions.startswith("https://www.openstreetmap.org/directions?to=Place+de+la+Rabi")
        assert not page.find("a", href=lambda href: href and href.startswith("geo:"))
        assert not page.select_one(".small-map")
        assert not page.find("script", src=lambda src: src and "leaflet" in src), "no map, no library"


@pytest.fixture
def places(make_acteur, make_event):
    located = {"latitude": Decimal("47.339051"), "longitude": Decimal("0.676812")}
    epn = make_acteur("Espace numérique de la Rabière", kind=ActeurPage.Kind.EPN, address=RABIERE, **located)
    company = make_acteur("Compagnie itinérante", address="Tours et son agglomération")
    hidden = make_acteur("Association réservée", address=RABIERE, **located)
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    make_acteur("Brouillon d'association", publish=False, **located)
    workshop = make_event("Atelier de la semaine", place_address=RABIERE, **located)
    return {"epn": epn, "company": company, "workshop": workshop}


def test_the_map_lists_every_public_place_with_its_address_and_directions(client, places):
    page = soup_of(client.get("/carte/"))

    names = [name.get_text(strip=True) for name in page.select(".map-place__name")]
    assert "Espace numérique de la Rabière" in names and "Compagnie itinérante" in names
    assert "Atelier de la semaine" in names
    assert "Association réservée" not in names and "Brouillon d'association" not in names
    located = [item.select_one(".map-place__name").get_text(strip=True) for item in page.select("[data-lat]")]
    assert sorted(located) == ["Atelier de la semaine", "Espace numérique de la Rabière"]
    for name in ("Espace numérique de la Rabière", "Compagnie itinérante", "Atelier de la semaine"):
        item = page.find("a", string=name).find_parent("li")
        assert item.find("a", string="Itinéraire"), item
    assert page.select_one(".map")["data-places"] == "lieux-de-la-carte"
    assert page.find("script", src=lambda src: src and "leaflet" in src)


def test_the_map_filters_by_kind(client, places):
    page = soup_of(client.get("/carte/?type=epn"))

    assert [name.get_text(strip=True) for name in page.select(".map-place__name")] == [
        "Espace numérique de la Rabière"
    ]
    assert page.find("input", attrs={"name": "type", "value": "epn"}).has_attr("checked")
    unknown = soup_of(client.get("/carte/?type=inconnu"))
    assert len(unknown.select(".map-list section")) == 3


def test_a_map_with_nothing_located_loads_no_map_library(client, make_acteur):
    make_acteur("Compagnie itinérante", address="Tours et son agglomération")

    page = soup_of(client.get("/carte/"))

    assert not page.select_one(".map")
    assert not page.find("script", src=lambda src: src and "leaflet" in src)
    assert "Compagnie itinérante" in page_text(client.get("/carte/"))


def test_the_map_costs_the_same_queries_whatever_the_number_of_places(
    client, make_acteur, make_event, django_assert_max_num_queries, sections
):
    located = {"latitude": Decimal("47.3"), "longitude": Decimal("0.6")}
    make_acteur("Lieu 0", address=RABIERE, **located)
    make_event("Événement 0", place_address=RABIERE, **located)
    client.get("/carte/")
    with django_assert_max_num_queries(10) as few:
        client.get("/carte/")
    for number in range(1, 12):
        make_acteur(f"Lieu {number}", address=RABIERE, **located)
        make_event(f"Événement {number}", place_address=RABIERE, **located)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/carte/")

    assert len(soup_of(response).select("[data-lat]")) == 24


def test_map_tiles_come_from_the_configured_server_which_alone_the_csp_allows(client, places):
    page = soup_of(client.get("/carte/"))
    policy = client.get("/carte/")["Content-Security-Policy"]

    assert page.select_one(".map")["data-tiles"] == settings.AGORA_MAP_TILES_URL
    assert "OpenStreetMap" in page.select_one(".map")["data-attribution"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src")).split()[1:]
    assert img_src == [
        "'self'",
        "data:",
        "https://a.tile.openstreetmap.fr",
        "https://b.tile.openstreetmap.fr",
        "https://c.tile.openstreetmap.fr",
    ]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script_src.split()[1:] == ["'self'"]


def test_leaflet_is_served_from_our_static_files_at_the_version_package_json_pins():
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["leaflet"]
    served = (ROOT / "static" / "vendor" / "leaflet" / "leaflet.js").read_text()

    assert f"Leaflet {pinned}," in served.splitlines()[1]
    assert "sourceMappingURL" not in served


def test_the_map_answers_anonymous_visitors_from_the_page_cache(settings, places):
    settings.AGORA_PAGE_CACHE = True

    assert Client().get("/carte/")["X-Cache"] == "MISS"
    assert Client().get("/carte/")["X-Cache"] == "HIT"


def test_event_coordinates_follow_a_restricted_page_rule(client, places):
    restricted = places["workshop"]
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)

    page = soup_of(client.get("/carte/"))

    assert "Atelier de la semaine" not in page.get_text()
    assert EventPage.objects.filter(pk=restricted.pk, latitude__isnull=False).exists()


def test_the_social_centres_address_in_every_footer_has_directions(client, site):
    from home.models import SiteSettings

    site_settings = SiteSettings.for_site(site)
    site_settings.social_centre_address = "Place de la Rabière\n37300 Joué-lès-Tours"
    site_settings.save()

    footer = soup_of(client.get("/carte/")).find("footer")

    directions = footer.find("a", string="Itinéraire")["href"]
    assert directions == (
        "https://www.openstreetmap.org/directions?to=Place+de+la+Rabi%C3%A8re+37300+Jou%C3%A9-l%C3%A8s-Tours"
    )
