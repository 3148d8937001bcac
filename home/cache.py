"""Whole-page cache of public pages for anonymous visitors, and its invalidation.

What is cached: the 200 responses to anonymous GET requests of public URLs (the page tree, the
feed, the iCalendar files, search results), keyed on the scheme, host and path, the query
parameters pages read (CACHED_QUERY_PARAMETERS, in a canonical order), the language and the
kiosk flag, in Django's default cache (Redis in production, local memory otherwise) for
AGORA_PAGE_CACHE_SECONDS. A HEAD request is answered from its GET's entry. Each response says
`X-Cache: HIT` or `X-Cache: MISS`; requests that bypass the cache get neither.

What is never cached, checked before the cache is read:
- a request carrying a session cookie (a logged-in user, a preview, a kiosk session, a pending
  proposal, a message waiting to be shown: messages live in the session): only visitors with
  no session are sure to be anonymous without a database query, and only they get the shared
  copy;
- the admin (previews included), the partner workspace, proposals, reports, the letter's
  forms, the kiosk views, documents and the health check (NEVER_CACHED_PREFIXES);
- a query string with any other parameter than the pages read, or one parameter twice: made-up
  query strings (tracking tags, a crawler's noise) would each fill an entry of their own;
and, checked before a response is stored:
- any response but a plain 200, a streaming one, or one whose rendering used a CSRF token
  (forms: Django then sets the CSRF cookie), that sets any cookie, or that says
  `Cache-Control: private`, `no-cache` or `no-store` (never_cache views, kiosk pages).

Kiosk pages: KioskMiddleware marks them private, so they are not stored today; the kiosk flag
is part of the key all the same, so a kiosk page could never be served to another browser, nor
the other way round, should that change.

Invalidation: a single generation number. Any change that can show on a public page — publish,
unpublish, move or delete of a page, a page's privacy, site settings, a site, an image or a
document edited or deleted — bumps it, and every entry stored under an older generation is
stale at once. The trade-off: a publication empties the whole page cache instead of the few
pages that list it; for a neighbourhood site publishing a few times a day this is cheap and it
cannot miss a page (the home page, indexes, the directory, an association's page, the feeds and
search all list publications). Entries also expire after AGORA_PAGE_CACHE_SECONDS, which bounds
what time alone changes (an event moving from "coming" to "past" in the agenda). Changes made
without model signals (QuerySet.update(), raw SQL) do not bump it: call `bump_generation()`.

The generation is read with the entry in one round trip (`get_many`); the bump happens at once
and again when the transaction commits, so a request rendered between the two cannot keep the
old content under the new generation.

The page cache needs a cache that every app process shares (Redis): with one of its own, each
gunicorn worker would go on serving what it stored after a publication. Production settings
turn it off without REDIS_URL (see home.checks).
"""

from __future__ import annotations

import hashlib
import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_max_age

from kiosk.mode import in_kiosk

logger = logging.getLogger(__name__)

GENERATION_KEY = "agora:pages:generation"
ENTRY_PREFIX = "agora:pages:entry:"

# Paths whose responses are private, per person or per form, whatever they say.
NEVER_CACHED_PREFIXES = (
    "/admin/",
    "/espace-partenaires/",
    "/proposer/",
    "/signaler/",
    "/lettre/",
    "/kiosque/",
    "/documents/",
    "/healthz",
)
NO_STORE_DIRECTIVES = ("private", "no-cache", "no-store")
# The query parameters public pages read: the listings' filters and page number (posts.models),
# the search (posts.views) and the programme's week (posts.printing).
CACHED_QUERY_PARAMETERS = frozenset(
    {"page", "tag", "periode", "acteur", "archives", "type", "q", "semaine", "date"}
)


def enabled() -> bool:
    return settings.AGORA_PAGE_CACHE


def timeout() -> int:
    return settings.AGORA_PAGE_CACHE_SECONDS


# --- Generation --------------------------------------------------------------------------


def _fresh_generation() -> int:
    # A clock value rather than 1: if the key is ever evicted, a restarted count could meet
    # entries stored under an earlier life of the same number.
    return time.time_ns()


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = _fresh_generation()
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def _bump() -> None:
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (or evicted): any new value makes old entries stale
            cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)
    except Exception:
        # A cache server that is down holds no page to serve; a publication must not fail for it.
        # Entries it kept, if it comes back, expire after AGORA_PAGE_CACHE_SECONDS.
        logger.exception("Page cache: could not bump the generation")


def bump_generation() -> None:
    """Make every cached page stale, now and again once the current transaction commits."""
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


# --- Middleware --------------------------------------------------------------------------


def is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(NEVER_CACHED_PREFIXES):
        return False
    anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
    return anonymous and all(
        name in CACHED_QUERY_PARAMETERS and len(values) == 1 for name, values in request.GET.lists()
    )


def cache_key(request: HttpRequest) -> str:
    query = urlencode(sorted(request.GET.items()))
    url = request.build_absolute_uri(f"{request.path}?{query}" if query else request.path)
    language = translation.get_language_from_request(request)
    kiosk = "kiosk" if in_kiosk(request) else "public"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"{ENTRY_PREFIX}{digest}:{language}:{kiosk}"


def is_storable(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    # Set by django.middleware.csrf.get_token(): the page holds a CSRF token (a form).
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in NO_STORE_DIRECTIVES):
        return False
    return get_max_age(response) != 0


class PageCacheMiddleware:
    """Serves anonymous visitors' public pages from the cache; see the module docstring.

    Sits right after WhiteNoise and before the session middleware, so a hit skips the session,
    the user, CSRF, the view and the database; the headers set by the middleware inside it
    (CSP, X-Frame-Options, Vary, Content-Language) are stored with the response, and those set
    outside it (SecurityMiddleware, SecurityHeadersMiddleware) are added to every response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not enabled() or not is_cacheable_request(request):
            return self.get_response(request)

        key = cache_key(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
        except Exception:  # the cache server is down: serve the page from the view
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        generation, entry = found.get(GENERATION_KEY), found.get(key)
        if generation is not None and is_current(entry, generation):
            return hit(entry[1])

        response = self.get_response(request)
        if is_storable(request, response):
            if generation is None:
                try:
                    generation = current_generation()
                except Exception:
                    return response
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.add_post_render_callback(lambda r: self.store(key, generation, r))
            else:
                self.store(key, generation, response)
        response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def store(key: str, generation: int, response: HttpResponse) -> None:
        # One piece of content: a response written in many small pieces (the feed is) would
        # otherwise be sent, on every hit, in as many writes to the socket.
        response.content = response.content
        try:
            cache.set(key, (generation, response), timeout())
        except Exception:
            logger.warning("Page cache: could not store %s", key, exc_info=True)


def is_current(entry, generation: int) -> bool:
    # (generation, response); entries of another shape come from an older Agora.
    return isinstance(entry, tuple) and len(entry) == 2 and entry[0] == generation


def hit(response: HttpResponse) -> HttpResponse:
    response["X-Cache"] = "HIT"
    return response


# --- Invalidation ------------------------------------------------------------------------


def _page_changed(sender, **kwargs) -> None:
    bump_generation()


def _instance_deleted(sender, instance=None, **kwargs) -> None:
    bump_generation()


def _instance_changed(sender, instance=None, created=False, **kwargs) -> None:
    bump_generation()


def _edited_not_created(sender, instance=None, created=False, **kwargs) -> None:
    # A new image or document shows nowhere until a page that uses it is published.
    if not created:
        bump_generation()


def connect_signals() -> None:
    """Called from HomeConfig.ready(), so commands (seed_demo, publish_scheduled) invalidate too."""
    from django.db.models.signals import post_delete, post_save

    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from bilans.models import Outcome, PressMention, PublicSummary

    uid = "agora-page-cache"
    page_published.connect(_page_changed, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(_page_changed, dispatch_uid=f"{uid}-unpublished")
    post_page_move.connect(_page_changed, dispatch_uid=f"{uid}-moved")

    def deleted(sender, instance=None, **kwargs):
        if isinstance(instance, Page | BaseSiteSetting | BaseGenericSetting):
            bump_generation()

    def saved(sender, instance=None, created=False, **kwargs):
        # Settings are created with their defaults by the first page that reads them
        # (for_request/for_site): that page already shows those defaults.
        if not created and isinstance(instance, BaseSiteSetting | BaseGenericSetting):
            bump_generation()

    # Any model: pages are deleted as their specific class, settings are saved as theirs.
    post_delete.connect(deleted, weak=False, dispatch_uid=f"{uid}-deleted")
    post_save.connect(saved, weak=False, dispatch_uid=f"{uid}-settings")
    # The year in numbers (/bilan/) and an association's choice to show it, linked from its page.
    for model in (Site, PageViewRestriction, PublicSummary, Outcome, PressMention):
        post_save.connect(_instance_changed, sender=model, dispatch_uid=f"{uid}-{model.__name__}-saved")
        post_delete.connect(_instance_deleted, sender=model, dispatch_uid=f"{uid}-{model.__name__}-deleted")
    for model in (get_image_model(), get_document_model()):
        post_save.connect(_edited_not_created, sender=model, dispatch_uid=f"{uid}-{model.__name__}-saved")
        post_delete.connect(_instance_deleted, sender=model, dispatch_uid=f"{uid}-{model.__name__}-deleted")
