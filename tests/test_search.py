"""Full-text search at /recherche/: live and public content only, labelled by kind, paginated."""

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get("/recherche/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def result_titles(html) -> list[str]:
    return re.findall(r'<h2 class="card__title"><a href="[^"]+">([^<]+)</a></h2>', html)


def result_kinds(html) -> dict[str, str]:
    pairs = re.findall(
        r'<p class="card__meta">([^<]+)</p>\s*<h2 class="card__title"><a href="[^"]+">([^<]+)</a>', html
    )
    return {title: kind for kind, title in pairs}


def test_search_finds_live_content_of_each_kind_and_labels_it(
    client, make_event, make_news, make_portrait, make_acteur
):
    make_event("Atelier tricot du mercredi")
    make_news("Le club de tricot grandit")
    make_portrait("Portrait de Lina", role="animatrice de l'atelier tricot")
    make_acteur("Tricot solidaire")
    make_news("Rien à voir : le jardin")

    html = search(client, "tricot")

    assert result_kinds(html) == {
        "Atelier tricot du mercredi": "Événement",
        "Le club de tricot grandit": "Actualité",
        "Portrait de Lina": "Portrait",
        "Tricot solidaire": "Acteur",
    }
    assert "Rien à voir" not in html
    assert "4 résultats pour « tricot »" in html


def test_search_links_each_result_to_its_page(client, make_event):
    event = make_event("Atelier tricot")

    html = search(client, "tricot")

    assert f'<a href="{event.url}">Atelier tricot</a>' in html


def test_search_never_shows_drafts_unpublished_or_private_pages(client, make_event, make_news, make_portrait):
    make_event("Brouillon de tricot", publish=False)
    make_portrait("Portrait tricot sans consentement", publish=False, consent=False)
    unpublished = make_news("Tricot retiré")
    unpublished.unpublish()
    private = make_news("Tricot réservé aux membres")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    make_news("Tricot pour tous")

    html = search(client, "tricot")

    assert result_titles(html) == ["Tricot pour tous"]


def test_search_does_not_show_unpublished_changes_of_a_live_page(client, make_news):
    news = make_news("Le jardin partagé")
    news.title = "Le jardin secret"
    news.save_revision()

    assert result_titles(search(client, "secret")) == []
    assert result_titles(search(client, "partagé")) == ["Le jardin partagé"]


def test_search_matches_other_fields_and_tags(client, make_news):
    # As in the admin: the page is created with its tags, then published.
    news = make_news("Le projet avance", publish=False, project_name="Grainothèque de la médiathèque")
    news.tags.add("compostage")
    news.save()
    news.save_revision().publish()

    assert result_titles(search(client, "grainothèque")) == ["Le projet avance"]
    assert result_titles(search(client, "compostage")) == ["Le projet avance"]


def test_search_finds_a_tag_added_when_publishing_a_live_page(client, make_news):
    news = make_news("Le projet avance")
    news.tags.add("compostage")
    news.save_revision().publish()

    assert result_titles(search(client, "compostage")) == ["Le projet avance"]


def test_search_leaves_out_section_indexes_and_home(client, make_news):
    make_news("Actualités du tricot")

    html = search(client, "actualités")

    assert result_titles(html) == ["Actualités du tricot"]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_search_without_words_invites_to_type_and_lists_nothing(client, make_news, params):
    make_news("Tricot pour tous")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/recherche/", params)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez un ou plusieurs mots" in html
    assert result_titles(html) == []
    assert not any("wagtailsearch" in query["sql"] for query in queries)


def test_search_without_match_says_so_in_french(client, make_news):
    make_news("Tricot pour tous")

    html = search(client, "parapente")

    assert "Aucun résultat pour « parapente »" in html
    assert result_titles(html) == []


def test_search_page_has_one_h1_and_a_labelled_search_form(client, home_page):
    html = search(client, "tricot")

    assert len(re.findall(r"<h1[ >]", html)) == 1
    form = re.search(r'<form role="search"[^>]*>(.*?)</form>', html, re.S).group(1)
    field_id = re.search(r'<input type="search" id="([^"]+)" name="q" value="tricot"', form).group(1)
    assert f'<label for="{field_id}">' in form
    assert '<html lang="fr">' in html
    assert 'name="robots" content="noindex"' in html


def test_search_escapes_the_query(client, home_page):
    html = search(client, '<script>alert("x")</script>')

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_search_paginates_results_and_keeps_the_query(client, make_news):
    for number in range(12):
        make_news(f"Tricot numéro {number}")

    first = search(client, "tricot")
    second = search(client, "tricot", page=2)

    assert len(result_titles(first)) == 10
    assert len(result_titles(second)) == 2
    assert set(result_titles(first)).isdisjoint(result_titles(second))
    assert "q=tricot&amp;page=2" in first
    assert "12 résultats pour « tricot »" in second


def count_queries(client, url) -> int:
    assert client.get(url).status_code == 200  # warm the site root paths
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", ["make_event", "make_news", "make_portrait"])
def test_search_makes_the_same_queries_for_5_or_30_results(client, request, kind):
    # One kind at a time: the results are fetched with one query per kind on the page, and
    # which kinds share the first page depends on relevance, not on the number of results.
    make = request.getfixturevalue(kind)

    def add(numbers):
        for number in numbers:
            page = make(f"Tricot {number}")
            page.tags.add("tricot")
            page.save_revision().publish()

    add(range(5))
    with_five = count_queries(client, "/recherche/?q=tricot")
    add(range(5, 30))
    with_thirty = count_queries(client, "/recherche/?q=tricot")

    assert with_five == with_thirty


def test_search_costs_at_most_one_more_query_per_other_kind_of_result(
    client, make_event, make_news, make_portrait, make_acteur
):
    for number in range(5):
        make_news(f"Tricot actualité {number}")
    news_only = count_queries(client, "/recherche/?q=tricot")

    for number in range(10):
        make_event(f"Tricot événement {number}")
        make_portrait(f"Tricot portrait {number}")
    make_acteur("Tricot solidaire")
    mixed = count_queries(client, "/recherche/?q=tricot")

    assert news_only <= mixed <= news_only + 3


@pytest.mark.parametrize("query", ['"atelier', 'atelier"', '"atelier tricot" "', 'tricot "'])
def test_search_with_an_unbalanced_quote_finds_the_words(client, make_event, query):
    make_event("Atelier tricot")

    html = search(client, query)

    assert result_titles(html) == ["Atelier tricot"]


@pytest.mark.parametrize("query", ['"', '""', '" "'])
def test_search_of_quotes_alone_finds_nothing_and_says_so(client, make_event, query):
    make_event("Atelier tricot")

    html = search(client, query)

    assert "Aucun résultat pour" in html
    assert result_titles(html) == []


# --- French words --------------------------------------------------------------------------


def test_a_word_finds_its_plural_by_its_beginning(client, make_event, make_news):
    make_event("Ateliers couture du mercredi")
    make_news("Le jardin", project_name="Des ateliers pour les enfants du quartier")
    make_news("Rien à voir")

    assert sorted(result_titles(search(client, "atelier"))) == ["Ateliers couture du mercredi", "Le jardin"]


def test_each_word_is_found_by_its_beginning(client, make_event):
    make_event("Ateliers numériques", place_name="Médiathèques")
    make_event("Cours de cuisine")

    assert result_titles(search(client, "atelier numérique")) == ["Ateliers numériques"]
    assert result_titles(search(client, "médiathèque")) == ["Ateliers numériques"]


def test_whole_words_come_before_words_found_by_their_beginning(client, make_news):
    make_news("Les tricoteuses du lundi")
    make_news("Le tricot du jeudi")

    assert result_titles(search(client, "tricot")) == ["Le tricot du jeudi", "Les tricoteuses du lundi"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="French stems: PostgreSQL's search only")
def test_postgresql_finds_french_words_by_their_stem(client, make_news):
    make_news("Atelier tricot")
    make_news("Le jardin", project_name="Les jardins partagés s'agrandissent")

    assert result_titles(search(client, "ateliers")) == ["Atelier tricot"]
    assert result_titles(search(client, "jardin partagé")) == ["Le jardin"]


# --- Event results -------------------------------------------------------------------------


def test_event_results_show_their_next_date_and_place(client, make_event):
    from tests.conftest import at

    make_event(
        "Atelier tricot",
        start=at("2036-12-02"),
        recurrence="weekly",
        recurrence_until=at("2036-12-30").date(),
        place_name="Maison des associations",
    )
    make_event("Tricot d'autrefois", start=at("2020-03-04", 10), place_name="Centre social")

    html = search(client, "tricot")

    assert "mardi 2 décembre 2036, de 14h00 à 16h00" in html
    assert "Maison des associations" in html
    assert "mercredi 4 mars 2020, de 10h00 à 12h00" in html
    assert "Centre social" in html


# --- Search from every page ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/agenda/", "/acteurs/", "/acteurs/resoudre/", "/recherche/?q=x", "/nulle-part/"]
)
def test_every_page_has_a_labelled_search_form_in_its_header(client, acteur, path):
    response = client.get(path)

    header = re.search(r'<header class="site-header">(.*?)</header>', response.content.decode(), re.S).group(
        1
    )
    form = re.search(
        r'<form class="site-search" role="search" method="get" action="/recherche/"[^>]*>(.*?)</form>',
        header,
        re.S,
    )
    assert form, header
    assert '<label class="visually-hidden" for="recherche-site">' in form.group(1)
    assert '<input type="search" id="recherche-site" name="q"' in form.group(1)
