"""The whole-page cache (home/cache.py): anonymous hits make no SQL query, private responses are
never stored, and no page stays stale after a publication changes — every check through HTTP."""

import uuid
from datetime import timedelta

import pytest

from django.core.cache import cache
from django.utils import timezone

from wagtail.models import Page

from home.cache import GENERATION_KEY, bump_generation
from home.models import HomePage, SiteSettings
from kiosk.mode import KIOSK_COOKIE
from posts.models import NewsIndexPage
from tests.conftest import add_sections, new_acteur, new_event, new_news, new_portrait, shared_rows

# One process runs the whole module, so that its pages are published once (`make test` distributes
# with --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("page_cache")]

EVENT, NEWS, PORTRAIT = "Atelier vélo du samedi", "Le jardin partagé s'agrandit", "Portrait de Lina"


@pytest.fixture(autouse=True, params=["local memory", "Redis"])
def page_cache(request, settings):
    """Every test runs twice: with local memory (one process), and with production's Redis
    backend."""
    settings.AGORA_PAGE_CACHE = True
    settings.AGORA_PAGE_CACHE_SECONDS = 300
    if request.param == "Redis":
        yield from redis_backend(settings, request.getfixturevalue("redis_url"))
    else:
        yield request.param


def redis_backend(settings, url):
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "agora-test",
        },
    }
    caches["default"].clear()
    yield "Redis"
    caches["default"].clear()


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    """An association, an event, a news item and a portrait, published once for the module (each
    test twice, with both cache backends), rolled back after it."""
    with shared_rows(django_db_blocker):
        sections = add_sections(HomePage.objects.get())
        acteur = new_acteur(sections)
        yield {
            "sections": sections,
            "acteur": acteur.pk,
            "event": new_event(sections, acteur, EVENT, start=timezone.now() + timedelta(days=1)).pk,
            "news": new_news(sections, acteur, NEWS).pk,
            "portrait": new_portrait(sections, acteur, PORTRAIT).pk,
        }


@pytest.fixture
def content(published):
    """The published pages read afresh: what one test changes in them is rolled back for the next."""
    pages = {
        key: Page.objects.get(pk=published[key]).specific for key in ("acteur", "event", "news", "portrait")
    }
    sections = {key: Page.objects.get(pk=page.pk).specific for key, page in published["sections"].items()}
    return {**pages, "sections": sections}


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def text(client, url) -> str:
    return get(client, url).content.decode()


def public_urls(content) -> list[str]:
    return [
        "/",
        "/agenda/",
        content["event"].url,
        "/actualites/",
        content["news"].url,
        "/portraits/",
        content["portrait"].url,
        "/acteurs/",
        content["acteur"].url,
        "/flux/",
        "/agenda/agenda.ics",
    ]


# --- Hits ------------------------------------------------------------------------------------


def test_second_anonymous_get_of_every_public_page_is_a_hit_without_sql(
    client, content, django_assert_num_queries
):
    for url in public_urls(content):
        first = get(client, url)
        assert first["X-Cache"] == "MISS", url
        with django_assert_num_queries(0):
            second = get(client, url)
        assert second["X-Cache"] == "HIT", url
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"], url


def test_hit_keeps_the_security_headers(client, content):
    get(client, "/")
    hit = get(client, "/")
    assert hit["X-Cache"] == "HIT"
    assert "default-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["X-Content-Type-Options"] == "nosniff"


def test_a_hit_is_sent_in_one_piece(client, content):
    """The feed writes its response piece by piece; a hit must not cost one socket write each."""
    client.get("/flux/")

    hit = client.get("/flux/")

    assert hit["X-Cache"] == "HIT"
    assert len(list(hit)) == 1


def test_head_is_answered_from_the_get_entry(client, content):
    get(client, "/agenda/")
    assert client.head("/agenda/")["X-Cache"] == "HIT"


def test_query_string_and_host_are_part_of_the_key(client, content):
    get(client, "/actualites/")
    assert get(client, "/actualites/?page=1")["X-Cache"] == "MISS"
    assert get(client, "/actualites/", HTTP_HOST="127.0.0.1")["X-Cache"] == "MISS"


def test_random_query_strings_never_fill_the_page_cache(client, content):
    """Made-up parameters (tracking tags, a crawler's noise) are neither stored nor served from
    the cache; only the parameters pages read make entries of their own."""
    get(client, "/agenda/")
    urls = [
        "/agenda/?utm=1",
        f"/?x={uuid.uuid4().hex}",
        "/agenda/?page=1&page=2",  # one parameter given twice
        "/actualites/?page=1&utm_source=lettre",
    ]
    for url in urls:
        for _ in range(2):
            assert "X-Cache" not in get(client, url), url
    assert get(client, "/agenda/")["X-Cache"] == "HIT"


def test_query_parameters_in_any_order_share_one_cache_entry(client, content):
    first = get(client, "/agenda/?tag=a&page=2")

    again = get(client, "/agenda/?page=2&tag=a")

    assert (first["X-Cache"], again["X-Cache"]) == ("MISS", "HIT")


def test_each_language_has_its_own_entry(client, content):
    french = get(client, "/", HTTP_ACCEPT_LANGUAGE="fr")
    english = get(client, "/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Cache"] == "MISS"
    assert get(client, "/", HTTP_ACCEPT_LANGUAGE="en").content == english.content
    assert get(client, "/", HTTP_ACCEPT_LANGUAGE="fr").content == french.content


def test_disabled_cache_serves_every_request_from_the_view(client, content, settings):
    settings.AGORA_PAGE_CACHE = False
    get(client, "/")
    assert "X-Cache" not in get(client, "/")


# --- Never cached ----------------------------------------------------------------------------


def test_logged_in_user_is_never_served_nor_stored(client, content, make_user):
    get(client, "/")  # an anonymous copy is in the cache
    client.force_login(make_user())
    for _ in range(2):
        response = get(client, "/")
        assert "X-Cache" not in response
    client.logout()
    assert get(client, "/")["X-Cache"] == "HIT"


def test_any_session_cookie_bypasses_the_cache(client, content):
    get(client, "/")
    client.cookies["sessionid"] = "une-session-quelconque"
    assert "X-Cache" not in get(client, content["event"].url)
    assert "X-Cache" not in get(client, "/")


def test_preview_is_never_cached(client, content, make_user):
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))
    event = content["event"]
    url = f"/admin/pages/{event.pk}/edit/preview/"
    for _ in range(2):
        response = client.get(url)
        assert "X-Cache" not in response


def test_proposal_forms_with_a_csrf_token_are_never_stored(client, content):
    for _ in range(2):
        response = client.get("/proposer/evenement/")
        assert "X-Cache" not in response
    for _ in range(2):
        response = client.get("/proposer/")
        assert "X-Cache" not in response


def test_partner_workspace_is_never_cached(client, home_page):
    for _ in range(2):
        response = client.get("/espace-partenaires/", follow=True)
        assert "X-Cache" not in response
        assert response.redirect_chain, "the workspace asks anonymous visitors to log in"


def test_response_with_a_csrf_token_or_a_cookie_is_not_stored(rf, content):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from home.cache import PageCacheMiddleware

    def with_token(request):
        return HttpResponse(f"<form>{get_token(request)}</form>")

    def with_cookie(request):
        response = HttpResponse("bonjour")
        response.set_cookie("choix", "1")
        return response

    def private(request):
        response = HttpResponse("à moi")
        response["Cache-Control"] = "private"
        return response

    for view in (with_token, with_cookie, private):
        middleware = PageCacheMiddleware(view)
        for _ in range(2):
            assert middleware(rf.get("/une-page/"))["X-Cache"] == "MISS", view.__name__


def test_kiosk_and_other_browsers_never_share_a_page(client, content):
    public = get(client, "/")
    kiosk_client = type(client)()
    kiosk_client.cookies[KIOSK_COOKIE] = "1"
    kiosk = get(kiosk_client, "/")
    assert kiosk["X-Cache"] == "MISS"
    assert kiosk.content != public.content
    assert get(kiosk_client, "/").content != public.content
    assert get(client, "/").content == public.content
    assert get(client, "/")["X-Cache"] == "HIT"


def test_not_found_and_redirects_are_not_stored(client, content):
    for _ in range(2):
        assert client.get("/page-absente/")["X-Cache"] == "MISS"


# --- Invalidation ----------------------------------------------------------------------------


def warm(client, urls):
    for url in urls:
        get(client, url)
        assert get(client, url)["X-Cache"] == "HIT", url


LISTS_EVENTS = ["/", "/agenda/", "/flux/", "/agenda/agenda.ics"]
LISTS_NEWS = ["/", "/actualites/", "/flux/"]
LISTS_PORTRAITS = ["/", "/portraits/", "/flux/"]


def test_publishing_shows_the_new_event_on_every_page_that_lists_it(client, content):
    draft = new_event(
        content["sections"],
        content["acteur"],
        "Repair café",
        start=timezone.now() + timedelta(days=2),
        publish=False,
    )
    urls = [*LISTS_EVENTS, content["acteur"].url]
    warm(client, urls)

    draft.save_revision().publish()

    for url in urls:
        assert "Repair café" in text(client, url), url


def test_publishing_a_change_shows_the_new_title_everywhere(client, content):
    news = content["news"]
    urls = [*LISTS_NEWS, news.url, content["acteur"].url]
    warm(client, urls)

    news.title = "Le jardin partagé double de surface"
    news.save_revision().publish()

    for url in urls:
        assert "Le jardin partagé double de surface" in text(client, url), url


def test_unpublishing_removes_the_event_from_every_page(client, content):
    event = content["event"]
    urls = [*LISTS_EVENTS, content["acteur"].url]
    warm(client, [*urls, event.url])

    event.unpublish()

    for url in urls:
        assert EVENT not in text(client, url), url
    assert client.get(event.url).status_code == 404


def test_unpublishing_a_portrait_removes_it_everywhere(client, content):
    portrait = content["portrait"]
    urls = [*LISTS_PORTRAITS, content["acteur"].url]
    warm(client, urls)

    portrait.unpublish()

    for url in urls:
        assert PORTRAIT not in text(client, url), url


def test_moving_a_news_item_updates_its_links_and_its_former_index(client, content, home_page):
    news = content["news"]
    old_url = news.url
    archives = home_page.add_child(instance=NewsIndexPage(title="Archives", slug="archives"))
    urls = [*LISTS_NEWS, content["acteur"].url]
    warm(client, [*urls, old_url])

    news.move(archives, pos="last-child")
    news.refresh_from_db()

    assert news.url != old_url
    assert NEWS not in text(client, "/actualites/")
    for url in ["/", "/flux/", content["acteur"].url]:
        page = text(client, url)
        assert news.url in page, url
        assert old_url not in page, url
    # Wagtail leaves a redirect at the old address, instead of the cached page.
    moved = client.get(old_url)
    assert (moved.status_code, moved["Location"]) == (301, news.url)


def test_deleting_an_event_removes_it_from_every_page(client, content):
    event = content["event"]
    urls = [*LISTS_EVENTS, content["acteur"].url]
    warm(client, [*urls, event.url])

    event.delete()

    for url in urls:
        assert EVENT not in text(client, url), url
    assert client.get(event.url).status_code == 404


def test_deleting_an_acteur_removes_it_from_the_directory_and_home(client, content):
    other = new_acteur(content["sections"], "Les Jardins de la Rabière")
    warm(client, ["/", "/acteurs/", other.url])

    other.delete()

    assert "Les Jardins de la Rabière" not in text(client, "/acteurs/")
    assert "Les Jardins de la Rabière" not in text(client, "/")
    assert client.get(other.url).status_code == 404


def test_editing_site_settings_shows_on_every_page(client, content, site):
    urls = ["/", content["event"].url, "/acteurs/"]
    warm(client, urls)

    site_settings = SiteSettings.for_site(site)
    site_settings.site_name = "Agora des Fontaines"
    site_settings.save()

    for url in urls:
        assert "Agora des Fontaines" in text(client, url), url


def test_bump_generation_makes_every_entry_stale(client, content):
    warm(client, ["/", "/agenda/"])
    bump_generation()
    assert get(client, "/")["X-Cache"] == "MISS"
    assert get(client, "/agenda/")["X-Cache"] == "MISS"


def test_evicted_generation_never_revives_old_entries(client, content):
    warm(client, ["/"])
    cache.delete(GENERATION_KEY)
    assert get(client, "/")["X-Cache"] == "MISS"


def test_a_cache_server_that_is_down_neither_breaks_pages_nor_publishing(client, content, monkeypatch):
    from home import cache as page_cache

    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache server unreachable")

            return fail

    monkeypatch.setattr(page_cache, "cache", Down())
    response = get(client, "/")
    assert "X-Cache" not in response
    content["news"].save_revision().publish()
