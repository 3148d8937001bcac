"""In Chromium: the map of the neighbourhood shows its places, and its list works without
JavaScript."""

from decimal import Decimal

import pytest

from django.core.management import call_command

from posts.models import ActeurPage, EventPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RABIERE = "Place de la Rabière, 37300 Joué-lès-Tours"


@pytest.fixture
def located(neighbourhood, make_acteur):
    """The social centre and its workshop on the map; an itinerant company off it."""
    ActeurPage.objects.filter(pk=neighbourhood["host"].pk).update(
        address=RABIERE, latitude=Decimal("47.339051"), longitude=Decimal("0.676812")
    )
    EventPage.objects.filter(pk=neighbourhood["event"].pk).update(
        place_address=RABIERE, latitude=Decimal("47.339400"), longitude=Decimal("0.677100")
    )
    make_acteur("Compagnie itinérante", address="Tours et son agglomération")
    return neighbourhood


def test_the_map_shows_a_marker_for_each_located_place(page, live_server, located):
    page.goto(live_server.url + "/carte/")

    the_map = page.get_by_role("region", name="Carte des lieux listés ci-dessous")
    the_map.wait_for()
    markers = page.locator(".map path.leaflet-interactive")
    assert markers.count() == page.locator("#lieux-de-la-carte [data-lat]").count() == 2
    assert page.get_by_text("les contributeurs d'OpenStreetMap").is_visible()

    markers.first.click(force=True)  # one action: the popup names the place and links to it

    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.get_by_role("link").get_attribute("href") in (located["host"].url, located["event"].url)


def test_the_events_page_draws_its_small_map(page, live_server, located):
    page.goto(live_server.url + located["event"].url)

    page.get_by_role("region", name="Plan : Centre social de la Rabière").wait_for()
    assert page.locator(".small-map path.leaflet-interactive").count() == 1


def test_without_javascript_the_map_is_a_list_with_directions(chromium, live_server, located):
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/carte/")

        assert not page.locator(".map").is_visible()
        places = page.locator(".map-place")
        assert places.count() == 4  # two associations, the itinerant company, the workshop
        assert page.get_by_role("link", name="Itinéraire").count() == 3
        page.get_by_role("radio", name="Événements de la semaine").check()
        page.get_by_role("button", name="Afficher").click()
        assert page.locator(".map-place").count() == 1
    finally:
        context.close()


def test_the_demo_places_are_on_the_map(page, live_server):
    call_command("seed_demo", "--force", verbosity=0)
    page.goto(live_server.url + "/carte/")

    page.get_by_role("region", name="Carte des lieux listés ci-dessous").wait_for()

    located = page.locator("#lieux-de-la-carte [data-lat]")
    assert located.count() >= 6  # six associations and places, and this week's events
    assert page.locator(".map path.leaflet-interactive").count() == located.count()
    for name in ("Résoudre", "Centre social de la Rabière", "Régie Plus", "Mission locale"):
        assert located.get_by_role("link", name=name, exact=True).count() == 1, name
    # The itinerant company has no place of its own: listed, not on the map.
    assert page.get_by_role("link", name="Compagnie Pih-Poh", exact=True).count() == 1
    assert located.get_by_role("link", name="Compagnie Pih-Poh", exact=True).count() == 0
