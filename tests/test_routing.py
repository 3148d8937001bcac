"""The home page finds a page by its URL path in one lookup, with the same answers as Wagtail's walk."""

import pytest

from django.http import Http404
from django.test import RequestFactory

from wagtail.models import Page


def walk(home, path):
    """Wagtail's own routing, one level at a time, for comparison."""
    return Page.route(home, RequestFactory().get(path), [c for c in path.split("/") if c])


def lookup(home, path):
    return home.route(RequestFactory().get(path), [c for c in path.split("/") if c])


def outcome(route, home, path):
    try:
        result = route(home, path)
    except Http404:
        return "404"
    # A routable page's args hold its view, a method bound to that page instance: compare names.
    args = [getattr(arg, "__name__", arg) for arg in result.args]
    return (result.page.specific_class, result.page.pk, args, result.kwargs)


@pytest.fixture
def tree(sections, acteur, make_event, make_news, make_portrait):
    make_event("Repair café")
    make_event("Brouillon d'atelier", publish=False)
    make_news("Le jardin partagé s'agrandit")
    make_portrait("Portrait de Lina")
    return {"home": sections["agenda"].get_parent().specific}


PATHS = [
    "/agenda/",
    "/agenda/repair-cafe/",
    "/agenda/repair-cafe/affiche/",
    "/agenda/programme/",
    "/agenda/brouillon-datelier/",
    "/agenda/nexiste-pas/",
    "/actualites/le-jardin-partage-sagrandit/",
    "/portraits/portrait-de-lina/",
    "/acteurs/resoudre/",
    "/acteurs/resoudre/inconnu/",
    "/inconnu/",
]


@pytest.mark.parametrize("path", PATHS)
def test_lookup_by_url_path_answers_like_wagtails_walk(tree, path):
    home = tree["home"]

    assert outcome(lookup, home, path) == outcome(walk, home, path)


def test_draft_page_is_not_found(tree, client):
    assert client.get("/agenda/brouillon-datelier/").status_code == 404


def test_found_page_knows_its_parent_without_another_query(tree, django_assert_num_queries):
    home = tree["home"]
    page = lookup(home, "/agenda/repair-cafe/").page

    with django_assert_num_queries(0):
        parent = page.get_parent()
        organiser = page.acteur.title

    assert parent.slug == "agenda" and organiser == "Résoudre"


def test_section_page_has_the_home_page_as_parent(tree, django_assert_num_queries):
    home = tree["home"]
    page = lookup(home, "/agenda/").page

    with django_assert_num_queries(0):
        assert page.get_parent() is home


# --- Remembered routes (home.site_memo) ------------------------------------------------------


def test_remembered_page_is_fetched_in_one_query(tree, client, django_assert_num_queries):
    from home.models import live_page_at

    home, remembered = tree["home"], {}
    live_page_at(home, ["agenda", "repair-cafe"], remembered)

    with django_assert_num_queries(1):
        page = live_page_at(home, ["agenda", "repair-cafe"], remembered)
        assert page.get_parent().slug == "agenda" and page.acteur.title == "Résoudre"


def test_remembered_page_unpublished_without_a_signal_is_not_served(tree, client):
    """The memo says where a page was; whether it is still live there is read every time."""
    from posts.models import EventPage

    assert client.get("/agenda/repair-cafe/").status_code == 200
    EventPage.objects.filter(slug="repair-cafe").update(live=False)  # no signal, no new generation

    assert client.get("/agenda/repair-cafe/").status_code == 404


def test_remembered_page_moved_without_a_signal_is_found_at_its_new_path(tree, client):
    from posts.models import EventPage

    assert client.get("/agenda/repair-cafe/").status_code == 200
    new_url_path = tree["home"].url_path + "agenda/repair-cafe-2/"
    EventPage.objects.filter(slug="repair-cafe").update(slug="repair-cafe-2", url_path=new_url_path)

    assert client.get("/agenda/repair-cafe/").status_code == 404
    assert client.get("/agenda/repair-cafe-2/").status_code == 200


def test_paths_that_match_no_page_are_not_remembered(tree, client):
    from home import site_memo

    for number in range(20):
        assert client.get(f"/agenda/inconnu-{number}/").status_code == 404

    assert all("inconnu" not in path for path in site_memo._memo["routes"])


def test_a_worker_remembers_a_bounded_number_of_routes(tree, monkeypatch):
    from home import models

    monkeypatch.setattr(models, "MAX_REMEMBERED_ROUTES", 1)
    home, remembered = tree["home"], {}
    live_page_at = models.live_page_at

    live_page_at(home, ["agenda", "repair-cafe"], remembered)
    live_page_at(home, ["actualites", "le-jardin-partage-sagrandit"], remembered)

    assert list(remembered) == [home.url_path + "agenda/repair-cafe/"]
    assert live_page_at(home, ["actualites", "le-jardin-partage-sagrandit"], remembered).title == (
        "Le jardin partagé s'agrandit"
    )
