"""Each worker remembers the site, its home page and its settings until something changes them.

The page cache is off here (test settings): these are the requests that reach the view.
"""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction, Site

from home import cache as page_cache
from home.models import SiteSettings


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def event(make_event):
    return make_event("Repair café")


def test_site_home_settings_and_routes_are_read_once_per_generation(client, event):
    client.get(event.url)  # Django's and Wagtail's own first-use lookups
    page_cache.bump_generation()

    cold = queries_for(client, event.url)
    warm = queries_for(client, event.url)
    page_cache.bump_generation()

    assert warm == cold - 4  # the site, its home page, its settings, where the event is
    assert queries_for(client, event.url) == cold


def test_edited_settings_show_on_the_next_request(client, event, site):
    client.get(event.url)
    site_settings = SiteSettings.for_site(site)
    site_settings.site_name = "Agora des Fontaines"
    site_settings.save()

    assert "Agora des Fontaines" in client.get(event.url).content.decode()


def test_published_home_page_shows_on_the_next_request(client, event, home_page):
    client.get("/")
    home_page.intro = "Bienvenue au quartier des Fontaines"
    home_page.save_revision().publish()

    assert "Bienvenue au quartier des Fontaines" in client.get("/").content.decode()


def test_a_new_site_for_another_host_is_found_at_once(client, event, settings):
    settings.ALLOWED_HOSTS = ["testserver", "fontaines.example.org"]
    client.get("/", HTTP_HOST="testserver")
    Site.objects.create(hostname="fontaines.example.org", root_page=event.get_parent(), site_name="Fontaines")

    response = client.get("/", HTTP_HOST="fontaines.example.org")

    assert response.status_code == 200
    assert "Repair café" in response.content.decode()  # the agenda is this site's root


def test_view_restrictions_never_come_from_memory(client, event):
    """A restriction stored without any signal (no generation bump) applies all the same."""
    client.get(event.url)
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=event, restriction_type=PageViewRestriction.LOGIN)]
    )

    assert client.get(event.url).status_code == 302


def test_pages_are_served_when_the_cache_cannot_be_read(client, event, monkeypatch):
    def down():
        raise ConnectionError("cache server unreachable")

    monkeypatch.setattr("home.site_memo.current_generation", down)

    assert client.get(event.url).status_code == 200
    assert client.get("/").status_code == 200


def test_unknown_hosts_are_refused_and_not_remembered(client, event, settings):
    from home import site_memo

    response = client.get("/", HTTP_HOST="pirate.example.net")

    assert response.status_code == 400
    assert all(host != "pirate.example.net" for host, _port in site_memo._memo["sites"])
