"""The site, its home page, its settings and where its pages are, read once per worker and per
page-cache generation.

Every page needs the Wagtail Site that answers the request, that site's home page and the
SiteSettings of its header and footer: three queries whose answer only changes when an
administrator edits a site or the settings, or publishes, moves or deletes a page. Each of
these bumps the page cache's generation (home.cache). So each worker keeps the three for the
generation it last read, and a request that finds the same generation (one round trip to the
cache, none more when the page cache has just read it) gets them without a query.

The same goes for routing: HomePage.route remembers, for each URL path it found, the page's
class, id and parent, and fetches that page with one query the next time (home.models.
live_page_at), still checking that it is live at that path. The page itself, its content, is
always read from the database.

Kept out of it on purpose: page view restrictions. They decide who may read a private page,
and must never depend on the cache having been told of a change.

If the cache cannot be read, requests look everything up in the database as Wagtail does.
"""

from __future__ import annotations

import copy
import logging
import threading

from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpRequest
from django.http.request import split_domain_port

from wagtail.models import Site

from home.cache import REQUEST_GENERATION, current_generation
from home.models import SiteSettings

logger = logging.getLogger(__name__)

# The admin finds its sites its own way; the health check must not need the database for this.
SKIPPED_PREFIXES = ("/admin/", "/healthz")
# More host names than a neighbourhood site has (ALLOWED_HOSTS may hold a wildcard).
MAX_HOSTS = 16

_lock = threading.Lock()
_memo: dict = {"generation": None, "sites": {}, "settings": {}, "routes": {}}
# Where a request finds the routes of its generation (read by HomePage.route).
ROUTES = "agora_remembered_routes"


def reset() -> None:
    with _lock:
        _memo.update(generation=None, sites={}, settings={}, routes={})


def _entries_for(generation) -> dict:
    with _lock:
        if _memo["generation"] != generation:
            _memo.update(generation=generation, sites={}, settings={}, routes={})
        return _memo


def remembered_routes(request: HttpRequest) -> dict | None:
    """URL path -> (page class, id, parent) of the pages found in this generation, or None."""
    return getattr(request, ROUTES, None)


def _site_for(memo: dict, request: HttpRequest) -> Site | None:
    # Wagtail's own key (Site.find_for_request), on a host that ALLOWED_HOSTS accepts: the
    # caller has checked it, so a visitor cannot fill the memo with made-up host names.
    key = (split_domain_port(request.get_host())[0], request.get_port())
    if key not in memo["sites"]:
        site = Site.find_for_request(request)
        if site is not None:
            site.root_page.specific  # noqa: B018 (read once, here, for every request that follows)
        if len(memo["sites"]) < MAX_HOSTS:
            memo["sites"][key] = site
        return site
    return memo["sites"][key]


def _settings_for(memo: dict, site: Site) -> SiteSettings:
    if site.pk not in memo["settings"]:
        # Created with their defaults if need be, as the first page that shows them would.
        memo["settings"][site.pk] = SiteSettings.for_site(site)
    # A copy: Wagtail attaches the request to the settings it hands out.
    return copy.copy(memo["settings"][site.pk])


class SiteMemoMiddleware:
    """Hands the remembered Site and SiteSettings to Wagtail for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not request.path.startswith(SKIPPED_PREFIXES):
            self.prepare(request)
        return self.get_response(request)

    @staticmethod
    def prepare(request: HttpRequest) -> None:
        try:
            request.get_host()
        except DisallowedHost:  # refused further in, with a 400
            return
        try:
            generation = getattr(request, REQUEST_GENERATION, None) or current_generation()
        except Exception:
            logger.warning("Site memo: the cache cannot be read; looking the site up", exc_info=True)
            return
        memo = _entries_for(generation)
        try:
            site = _site_for(memo, request)
            site_settings = _settings_for(memo, site) if site is not None else None
        except DatabaseError:  # the view answers as it does without a database
            return
        request._wagtail_site = site  # read by Site.find_for_request
        setattr(request, ROUTES, memo["routes"])
        if site_settings is not None:
            site_settings._request = request
            setattr(request, SiteSettings.get_cache_attr_name(), site_settings)  # read by for_request
