"""The maps' settings in their markup (tiles and attribution, from AGORA_MAP_* settings), and the
Leaflet files in <head> of the pages that show a map, and only of those."""

from django import template
from django.conf import settings
from django.utils.html import format_html

from posts.models.places import directions_to

register = template.Library()


@register.simple_tag
def map_tiles():
    return format_html(
        ' data-tiles="{}" data-attribution="{}"', settings.AGORA_MAP_TILES_URL, settings.AGORA_MAP_ATTRIBUTION
    )


@register.inclusion_tag("includes/map_assets.html")
def map_assets():
    return {}


@register.filter
def directions(address: str) -> str:
    """`{{ address|directions }}`: OpenStreetMap's directions to an address typed as text."""
    return directions_to(address or "")
