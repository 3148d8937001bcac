"""The public search page (/recherche/): listed events, news, portraits and associations.

The search page is no page of the tree, so a plain view serves it beside Wagtail's routing.
`site_or_404` is shared with the feeds, which answer for one site too.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from wagtail.models import Page, Site

from agora import sanitizer
from posts.models import ActeurPage, EventPage, ListedQuerySet, PortraitPage, ProjectNewsPage, kind_label

SEARCH_PAGE_SIZE = 10
SEARCH_QUERY_MAX_LENGTH = 200
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
        results.object_list = with_kind_labels(results.object_list)
    return render(request, "posts/search_results.html", {"query": query, "results": results})


def search_pages(site, query):
    """Listed events, news, portraits and associations of `site` matching `query`."""
    # Workaround for wagtail/wagtail#13227: the SQLite backend puts each word between double
    # quotes without escaping those the visitor typed, and an unbalanced one is an SQL error.
    # A plain-text search gives quotes no meaning on any backend, so the words are searched alone.
    words = query.replace('"', " ").strip()
    # The search backend filters on indexed fields only: the listed pages come as a subquery of ids.
    listed = ListedQuerySet(Page).listed().values("pk")
    pages = Page.objects.filter(pk__in=listed).in_site(site).type(*SEARCHABLE_MODELS).specific()
    return pages.search(words) if words else pages.none()


def with_kind_labels(pages):
    """The pages as a list, each with `kind_label`, the name of its kind ("Événement"…)."""
    pages = list(pages)
    for page in pages:
        page.kind_label = kind_label(page)
    return pages
