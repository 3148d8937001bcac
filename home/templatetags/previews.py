"""`{% link_preview %}`: in every page's <head>, what it says to link previews and search engines
(agora.previews)."""

from django import template

from wagtail.models import Page

from agora import previews
from home.models import SiteSettings

register = template.Library()


@register.inclusion_tag("includes/link_preview.html", takes_context=True)
def link_preview(context):
    request = context.get("request")
    page = context.get("page")
    settings = SiteSettings.for_request(request) if request is not None else None
    tagline = settings.tagline if settings else ""
    if not isinstance(page, Page) or request is None:
        return {"preview": None, "description": tagline}
    preview = previews.link_preview(page, request, settings.site_name, tagline)
    return {"preview": preview, "description": preview["description"]}
