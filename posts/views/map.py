"""The map of the neighbourhood (/carte/): associations and places, public digital spaces and
this week's events, filterable by kind.

The page is first a list, readable without JavaScript or map tiles: each place with its
address and its directions link. static/js/map.js draws the places that have coordinates on a
Leaflet map above it.
"""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posts import agenda, recurrence
from posts.models import ActeurPage, EventPage
from posts.views.public import site_or_404

KINDS = {
    "lieux": _("Associations et lieux"),
    "epn": _("Espaces publics numériques"),
    "evenements": _("Événements de la semaine"),
}


def neighbourhood_map(request):
    site = site_or_404(request)
    shown = request.GET.get("type", "")
    shown = shown if shown in KINDS else ""
    now = timezone.now()
    acteurs = list(
        ActeurPage.objects.listed().descendant_of(site.root_page).defer_streamfields().order_by("title")
    )
    # "This week" as the home page and the agenda have it (posts.agenda).
    events = EventPage.objects.listed().descendant_of(site.root_page).this_week(now).for_listing()
    occurrences = recurrence.expand_all(events, after=now, before=agenda.this_week_end(now))
    groups = {
        "lieux": [acteur for acteur in acteurs if acteur.kind != ActeurPage.Kind.EPN],
        "epn": [acteur for acteur in acteurs if acteur.kind == ActeurPage.Kind.EPN],
        "evenements": occurrences,
    }
    sections = [
        {"kind": kind, "title": title, "items": groups[kind]}
        for kind, title in KINDS.items()
        if not shown or shown == kind
    ]
    located = sum(
        1
        for section in sections
        for item in section["items"]
        if (item.event if section["kind"] == "evenements" else item).has_coordinates
    )
    return render(
        request,
        "posts/map.html",
        {"sections": sections, "kinds": KINDS, "shown": shown, "located": located},
    )
