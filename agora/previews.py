"""What a public page says about itself: to link previews (Open Graph and Twitter cards, when
the page is shared on WhatsApp or Facebook), to search engines (canonical address, description,
schema.org JSON-LD) and to feed readers (autodiscovery, in templates/base.html).

Every absolute address comes from one source, the site's configured address (agora.addresses).
"""

import json

from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from agora.addresses import absolute

# The size link previews ask for: 1200×630, in JPEG for every application.
PREVIEW_IMAGE = "fill-1200x630|format-jpeg"
DESCRIPTION_LENGTH = 200


def description_of(page, fallback: str = "") -> str:
    """The page's own words: its search description, else its summary or introduction."""
    for name in ("search_description", "summary", "intro"):
        text = " ".join(str(getattr(page, name, "") or "").split())
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return fallback


def preview_image(page, request):
    """The page's picture for link previews (a publication's image, an association's logo) as a
    1200×630 rendition, with its description; None without one."""
    image = getattr(page, "image", None) or getattr(page, "logo", None)
    if image is None:
        return None
    rendition = image.get_rendition(PREVIEW_IMAGE)
    return {
        "url": absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": getattr(page, "image_alt", "") or page.title,
    }


def link_preview(page, request, site_name: str, tagline: str) -> dict:
    """The page's canonical address, title, description, kind ("article" where the page class
    says so, else "website") and picture, as link previews show them."""
    return {
        "url": absolute(page.get_url(request) or "/"),
        "title": page.seo_title or page.title,
        "description": description_of(page, tagline),
        "type": getattr(page, "preview_type", "website"),
        "image": preview_image(page, request),
        "site_name": site_name,
    }


def json_ld(data: dict) -> str:
    """`data` as the body of a <script type="application/ld+json">: no "<", ">" or "&" in clear,
    so that no text can end the element."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308
