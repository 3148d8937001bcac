"""The RSS 2.0 feed of every publication (events, news, portraits) at /flux/."""

from datetime import UTC, datetime
from heapq import merge
from itertools import islice

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from wagtail.models import Site

from posts.models import PUBLICATION_MODELS, kind_label

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
        return "/"

    def feed_url(self):
        return reverse("feed")

    def description(self):
        return _("Les dernières publications du quartier : événements, actualités et portraits.")

    def items(self, request):
        site = Site.find_for_request(request)
        if site is None:
            return []
        items = latest_publications(site)
        for item in items:
            # Relative on a single site: the feed then makes it absolute with the request's host.
            item.feed_link = item.get_url(request)
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
        return item.acteur.title if item.acteur else None

    def item_categories(self, item):
        return [kind_label(item), *(tag.name for tag in item.tags.all())]
