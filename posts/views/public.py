"""The public search page (/recherche/): listed events, news, portraits and associations.

The search page is no page of the tree, so a plain view serves it beside Wagtail's routing.
`site_or_404` is shared with the feeds, which answer for one site too.

A visitor's word finds a page in two ways, best first:
- whole words, in every indexed field: on PostgreSQL by their French stem (the search
  backend's SEARCH_CONFIG), so « ateliers » finds « atelier » and the other way round;
- the beginning of words, in titles, summaries, places, names and tags (Wagtail's autocomplete
  on AutocompleteFields), on every database: « atelier » finds « Ateliers » on SQLite too,
  which has no French stemmer.
"""

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from wagtail.models import Page, Site
from wagtail.search.query import Or, PlainText

from agora import sanitizer
from posts.models import ActeurPage, EventPage, ListedQuerySet, PortraitPage, ProjectNewsPage, kind_label

SEARCH_PAGE_SIZE = 10
SEARCH_QUERY_MAX_LENGTH = 200
# Of each way of matching; a neighbourhood's search never reads further.
SEARCH_RESULTS_MAX = 200
SEARCHABLE_MODELS = (EventPage, ProjectNewsPage, PortraitPage, ActeurPage)


def site_or_404(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def search(request):
    # Without control characters: a null byte means nothing in a search and breaks the parser.
    query = sanitizer.clean_text(request.GET.get("q", ""), SEARCH_QUERY_MAX_LENGTH)
    results = None
    if query:
        paginator = Paginator(search_pages(site_or_404(request), query), SEARCH_PAGE_SIZE)
        results = paginator.get_page(request.GET.get("page"))
        results.object_list = shown_results(results.object_list)
    return render(request, "posts/search_results.html", {"query": query, "results": results})


def search_pages(site, query) -> list[int]:
    """The ids of the listed events, news, portraits and associations of `site` matching
    `query`: whole-word matches first, by relevance, then those found by the beginning of a word."""
    # Workaround for wagtail/wagtail#13227: the SQLite backend puts each word between double
    # quotes without escaping those the visitor typed, and an unbalanced one is an SQL error.
    # A plain-text search gives quotes no meaning on any backend, so the words are searched alone.
    words = query.replace('"', " ").split()
    if not words:
        return []
    # The search backend filters on indexed fields only: the listed pages come as a subquery of ids.
    listed = ListedQuerySet(Page).listed().values("pk")
    pages = Page.objects.filter(pk__in=listed).in_site(site).type(*SEARCHABLE_MODELS)
    whole_words = pages.search(" ".join(words))[:SEARCH_RESULTS_MAX]
    # One PlainText a word: autocomplete takes the last word of each as a prefix, so each word is.
    beginnings = pages.autocomplete(Or([PlainText(word) for word in words]))[:SEARCH_RESULTS_MAX]
    return list(dict.fromkeys([page.pk for page in whole_words] + [page.pk for page in beginnings]))


def shown_results(ids) -> list:
    """The pages of `ids`, in that order, each of its own kind with its `kind_label`, and each
    event with its next date (or its last one) as `occurrence`."""
    pages = Page.objects.filter(pk__in=ids).specific()
    by_id = {page.pk: page for page in pages}
    shown = [by_id[pk] for pk in ids if pk in by_id]
    events = [page for page in shown if isinstance(page, EventPage)]
    prefetch_related_objects(events, "extra_dates")
    now = timezone.now()
    for page in shown:
        page.kind_label = kind_label(page)
        if isinstance(page, EventPage):
            page.occurrence = event_date(page, now)
    return shown


def event_date(event, now):
    upcoming = event.occurrences(after=now)
    if upcoming:
        return upcoming[0]
    past = event.occurrences()
    return past[-1] if past else None
