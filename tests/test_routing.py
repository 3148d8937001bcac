"""Wagtail routes every public path of the page tree: live pages, their own routes, and 404 for
anything else (drafts, typos)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(sections, acteur, make_event, make_news, make_portrait):
    make_event("Repair café")
    make_event("Brouillon d'atelier", publish=False)
    make_news("Le jardin partagé s'agrandit")
    make_portrait("Portrait de Lina")
    return sections


PAGES = {
    "/": "home/home_page.html",
    "/agenda/": "posts/agenda_index_page.html",
    "/agenda/repair-cafe/": "posts/event_page.html",
    "/agenda/repair-cafe/affiche/": "posts/print/poster.html",
    "/agenda/programme/": "posts/print/programme.html",
    "/actualites/le-jardin-partage-sagrandit/": "posts/project_news_page.html",
    "/portraits/portrait-de-lina/": "posts/portrait_page.html",
    "/acteurs/resoudre/": "posts/acteur_page.html",
}
NOT_FOUND = [
    "/agenda/brouillon-datelier/",
    "/agenda/nexiste-pas/",
    "/agenda/repair-cafe/nexiste-pas/",
    "/acteurs/resoudre/inconnu/",
    "/inconnu/",
]


@pytest.mark.parametrize("path", PAGES)
def test_each_public_path_is_served_by_its_page_or_route(tree, client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response.templates[0].name == PAGES[path]


@pytest.mark.parametrize("path", NOT_FOUND)
def test_drafts_and_unknown_paths_are_not_found(tree, client, path):
    assert client.get(path).status_code == 404
