"""Anonymous pages make a constant number of SQL queries, whatever the number of items listed.

Each listed item has its own image, so the image renditions (srcset, modern formats) are part
of what is measured. Pages are rendered once first, to create the renditions, then measured
with an empty cache (as after a restart). The pinned numbers make any regression visible; if
one changes on purpose, update it here.
"""

from datetime import datetime, timedelta
from itertools import count

import pytest

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import HomePage
from posts import recurrence
from posts.models import EventExtraDate
from tests.conftest import (
    Clock,
    add_sections,
    new_acteur,
    new_event,
    new_image,
    new_news,
    new_portrait,
    shared_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

PARIS = recurrence.PARIS
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
FEW, MANY = 5, 30

# Queries for one anonymous GET, renditions already created. The targets: at most 15 for a
# listing, whatever the number of items.
PINNED = {
    "/": 12,
    "/agenda/": 11,
    "/actualites/": 10,
    "/portraits/": 10,
    "/acteurs/": 9,
    "/acteurs/resoudre/": 15,
}


def publish_items(sections, acteur, n):
    """n items of each kind the listings show, each with its own image: events (some recurring,
    some with extra dates) and news of Résoudre, tagged, its portraits, and other associations."""
    images = count(1)

    def image():
        return new_image(f"Image {next(images)}", size=(48, 30))

    for number in range(1, n + 1):
        day = NOW + timedelta(days=1 + number % 6, hours=number % 5)
        fields = {"image": image(), "image_alt": f"Photo {number}"}
        if number % 3 == 0:
            fields.update(
                recurrence=recurrence.WEEKLY_RULE, recurrence_until=(day + timedelta(days=21)).date()
            )
        if number % 4 == 0:
            fields["extra_dates"] = [(day + timedelta(days=2)).date()]
        event = new_event(sections, acteur, title=f"Événement {number}", start=day, publish=False, **fields)
        event.tags.add(f"thème {number % 3}")
        event.save_revision().publish()

        news = new_news(
            sections,
            acteur,
            title=f"Nouvelle {number}",
            image=image(),
            image_alt=f"Photo {number}",
            publish=False,
        )
        news.tags.add(f"projet {number % 3}")
        news.save_revision().publish()

        new_portrait(
            sections,
            acteur,
            title=f"Portrait {number}",
            person_name=f"Personne {number}",
            image=image(),
            image_alt=f"Photo {number}",
        )
        new_acteur(sections, title=f"Association {number:02d}", logo=image())


@pytest.fixture(scope="class", params=[FEW, MANY], ids=lambda n: f"{n} items")
def listed(request, django_db_setup, django_db_blocker):
    """A neighbourhood with n items of every kind, built once for all the listings measured (it
    takes seconds), and rolled back after them. Every listing is rendered once, so the renditions
    exist, as on a running site."""
    with pytest.MonkeyPatch.context() as patch, shared_rows(django_db_blocker):
        patch.setattr(timezone, "now", Clock(NOW))
        sections = add_sections(HomePage.objects.get())
        acteur = new_acteur(sections, logo=new_image("Logo de Résoudre", size=(48, 48)))
        publish_items(sections, acteur, request.param)
        client = Client()
        for url in PINNED:
            assert client.get(url).status_code == 200
        yield request.param


def warm_up(client, url):
    """Render once to create the renditions, then forget Wagtail's cached copies of them:
    renditions must come from the listing's prefetch, not from one cache hit per image.

    What every page shares and the default cache keeps from one request to the next (the site
    settings, Wagtail's site root paths) stays there, as it does on a running site.
    """
    client.get(url)
    caches["renditions"].clear()


def queries_for(client, url) -> int:
    warm_up(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# One process runs the whole class, so that each world is built once (`make test` distributes
# with --dist loadgroup).
@pytest.mark.xdist_group("query_count_listings")
class TestListings:
    @pytest.mark.parametrize("url", PINNED)
    def test_page_makes_as_many_queries_with_30_items_as_with_5(
        self, listed, client, django_assert_num_queries, url
    ):
        warm_up(client, url)
        with django_assert_num_queries(PINNED[url]):
            response = client.get(url)

        assert response.status_code == 200
        assert b"<picture" in response.content


# --- Detail pages --------------------------------------------------------------------------

# Queries for one anonymous GET of a detail page (uncached), renditions already created. The
# target: at most 10.
PINNED_DETAIL = {"event": 10, "news": 9, "portrait": 9}


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Measure the views, never a cache hit (home/cache.py)."""
    settings.AGORA_PAGE_CACHE = False


@pytest.fixture
def detail_pages(make_event, make_news, make_portrait, make_image):
    """kind -> (page, grow(n)): grow adds n tags (and, for an event, n extra dates)."""
    start = NOW + timedelta(days=3)
    event = make_event(
        "Atelier couture", start=start, image=make_image("Couture", size=(48, 30)), image_alt="Couture"
    )
    news = make_news("Le jardin s'agrandit", image=make_image("Jardin", size=(48, 30)), image_alt="Jardin")
    portrait = make_portrait("Portrait de Lina", image=make_image("Lina", size=(48, 30)), image_alt="Lina")
    tags = count(1)

    def grower(page, with_dates=False):
        def grow(n):
            page.refresh_from_db()
            for _ in range(n):
                number = next(tags)
                page.tags.add(f"mot {number}")
                if with_dates:
                    page.extra_dates.add(EventExtraDate(date=(start + timedelta(days=7 * number)).date()))
            page.save_revision().publish()

        return grow

    return {
        "event": (event, grower(event, with_dates=True)),
        "news": (news, grower(news)),
        "portrait": (portrait, grower(portrait)),
    }


@pytest.mark.parametrize("kind", PINNED_DETAIL)
def test_detail_page_makes_as_many_queries_with_30_tags_as_with_2(
    detail_pages, client, django_assert_num_queries, kind
):
    page, grow = detail_pages[kind]
    grow(2)
    with_few = queries_for(client, page.url)

    grow(28)
    warm_up(client, page.url)
    with django_assert_num_queries(PINNED_DETAIL[kind]):
        response = client.get(page.url)

    assert with_few == PINNED_DETAIL[kind]
    assert response.status_code == 200
    assert "mot 30" in response.content.decode()
    # Each tag leads to the section's listing of that tag.
    section = page.get_parent().url
    assert f'href="{section}?tag=mot-30"' in response.content.decode()


# --- Site settings -------------------------------------------------------------------------


def test_site_settings_are_read_once_then_from_the_cache(home_page, site, client):
    from home.models import SiteSettings

    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")

    assert not [query for query in queries if "home_sitesettings" in query["sql"]]
    assert SiteSettings.for_site(site).pk


def test_saved_site_settings_show_on_the_next_page(home_page, site, client):
    from home.models import SiteSettings

    client.get("/")  # the settings are now cached
    site_settings = SiteSettings.for_site(site)
    site_settings.site_name = "Agora des Fontaines"
    site_settings.save()

    assert "Agora des Fontaines" in client.get("/").content.decode()
