"""Feeds of the publications: the RSS 2.0 feed of every publication (events, news, portraits)
at /flux/, and the iCalendar files of the agenda.

Wagtail's catch-all route cannot serve dotted names such as `agenda.ics`: these views serve
them beside the page tree. posts.ics builds the calendars; these views choose the events
and answer.
"""

from datetime import UTC, datetime
from heapq import merge
from itertools import islice

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404, HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import decorator_from_middleware
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.http import content_disposition_header, http_date
from django.utils.translation import gettext as _

from wagtail.models import Site

from agora.addresses import absolute, site_domain, site_url
from posts import ics
from posts.models import PUBLICATION_MODELS, ActeurPage, EventPage, kind_label
from posts.models.pages import selected_tag
from posts.views.public import site_or_404

FEED_SIZE = 30


def latest_publications(site: Site, limit: int = FEED_SIZE) -> list:
    """The `limit` most recently published listed publications of `site`, newest first.

    One listing query per kind, each with its tags and association prefetched, then merged:
    the number of queries does not depend on `limit`.
    """
    listings = [
        model.objects.listed()
        .in_site(site)
        .for_feed()
        .order_by(F("first_published_at").desc(nulls_last=True), "-pk")[:limit]
        for model in PUBLICATION_MODELS
    ]
    return list(islice(merge(*listings, key=publication_order, reverse=True), limit))


def publication_order(page) -> tuple:
    """The SQL order above as a sort key: pages never published (made live by code) come last."""
    published = page.first_published_at
    return (published is not None, published or datetime.min.replace(tzinfo=UTC), page.pk)


class PublicationFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request):
        # Page URLs and the site depend on the request; the feed instance is shared by all requests.
        return request

    def title(self, request):
        site = Site.find_for_request(request)
        return site.site_name if site and site.site_name else _("L'agora du quartier")

    def link(self):
        return site_url() + "/"

    def feed_url(self):
        return absolute(reverse("feed"))

    def description(self):
        return _("Les dernières publications du quartier : événements, actualités et portraits.")

    def items(self, request):
        site = Site.find_for_request(request)
        if site is None:
            return []
        items = latest_publications(site)
        for item in items:
            item.feed_link = absolute(item.get_url(request))
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.feed_link

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.public_acteur.title if item.public_acteur else None

    def item_categories(self, item):
        return [kind_label(item), *(tag.name for tag in item.tags.all())]


# --- iCalendar ---------------------------------------------------------------------------


def public_events(site):
    return EventPage.objects.listed().in_site(site)


# Calendar applications ask again every few hours: an unchanged calendar is answered "304 Not
# Modified" (ETag from the content, Last-Modified from the newest change of its events).
conditional_get = decorator_from_middleware(ConditionalGetMiddleware)


@conditional_get
def agenda_ics(request):
    """The agenda's calendar; with ?tag=<slug>, the calendar of one tag."""
    site = site_or_404(request)
    events = public_events(site).upcoming().for_feed().order_by("start", "pk")
    name = _("%(site)s — agenda") % {"site": site.site_name} if site.site_name else _("Agenda du quartier")
    if request.GET.get("tag"):
        tag = selected_tag(request)
        if tag is None:
            raise Http404
        events = events.tagged(tag)
        name = _("%(agenda)s — %(tag)s") % {"agenda": name, "tag": tag.name}
    return calendar_response(events, name, site, request, "agenda.ics")


@conditional_get
def acteur_agenda_ics(request, slug):
    site = site_or_404(request)
    acteur = get_object_or_404(ActeurPage.objects.listed().in_site(site), slug=slug)
    events = public_events(site).filter(acteur=acteur).upcoming().for_feed().order_by("start", "pk")
    name = _("%(acteur)s — agenda") % {"acteur": acteur.title}
    return calendar_response(events, name, site, request, f"agenda-{acteur.slug}.ics")


@conditional_get
def event_ics(request, slug):
    """The "Ajouter à mon agenda" file of one event."""
    site = site_or_404(request)
    event = get_object_or_404(public_events(site).for_feed(), slug=slug)
    return calendar_response([event], event.title, site, request, f"{event.slug}.ics", as_attachment=True)


def calendar_response(events, name, site, request, filename, *, as_attachment=False):
    events = list(events)
    calendar = ics.build_calendar(events, name=name, host=site_domain(), request=request)
    response = HttpResponse(calendar.to_ical(), content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    if changed := ics.last_change(events):
        response["Last-Modified"] = http_date(changed.timestamp())
    return response
