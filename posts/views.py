"""Views outside the page tree: iCalendar files and the search page.

Wagtail's catch-all route cannot serve dotted names such as `agenda.ics`, and the search
page is no page of the tree; everything else about publications is routed by the pages.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from agora import sanitizer
from posts import ics
from posts.models import ActeurPage, EventPage, ListedQuerySet, PortraitPage, ProjectNewsPage, kind_label

SEARCH_PAGE_SIZE = 10
SEARCH_QUERY_MAX_LENGTH = 200
SEARCHABLE_MODELS = (EventPage, ProjectNewsPage, PortraitPage, ActeurPage)


def site_or_404(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def public_events(site):
    return EventPage.objects.listed().in_site(site)


# --- iCalendar ---------------------------------------------------------------------------


def agenda_ics(request):
    site = site_or_404(request)
    events = public_events(site).upcoming().for_feed().order_by("start", "pk")
    name = _("%(site)s — agenda") % {"site": site.site_name} if site.site_name else _("Agenda du quartier")
    calendar = ics.build_calendar(events, name=name, host=site.hostname, request=request)
    return calendar_response(calendar, "agenda.ics")


def acteur_agenda_ics(request, slug):
    site = site_or_404(request)
    acteur = get_object_or_404(ActeurPage.objects.listed().in_site(site), slug=slug)
    events = public_events(site).filter(acteur=acteur).upcoming().for_feed().order_by("start", "pk")
    name = _("%(acteur)s — agenda") % {"acteur": acteur.title}
    calendar = ics.build_calendar(events, name=name, host=site.hostname, request=request)
    return calendar_response(calendar, f"agenda-{acteur.slug}.ics")


def event_ics(request, slug):
    """The "Ajouter à mon agenda" file of one event."""
    site = site_or_404(request)
    event = get_object_or_404(public_events(site).for_feed(), slug=slug)
    calendar = ics.build_calendar([event], name=event.title, host=site.hostname, request=request)
    return calendar_response(calendar, f"{event.slug}.ics", as_attachment=True)


def calendar_response(calendar, filename, *, as_attachment=False):
    response = HttpResponse(calendar.to_ical(), content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    return response


# --- Search ------------------------------------------------------------------------------


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
