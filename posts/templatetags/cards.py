"""The image of a card (event, news, portrait, association logo), as `{% picture %}` renders it.

`{% picture %}` builds its six filters again at every card, and a filter works out its
operations (the registered operations, then each one's arguments checked) the first time it
is asked: about two thirds of a card image's time. The filters of a card never change, so
they are built once here and handed to Wagtail's `get_renditions`, which then finds the
renditions the listing prefetched (`posts.models.pages.renditions_of`).
"""

from django import template

from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

register = template.Library()

CARD_IMAGE_SPECS = Filter.expand_spec("format-{avif,webp,jpeg} fill-{320x200,640x400}")
CARD_IMAGE_FILTERS = [Filter(spec=spec) for spec in CARD_IMAGE_SPECS]
CARD_IMAGE_SIZES = "(max-width: 40rem) 100vw, 20rem"


@register.simple_tag
def card_picture(image, alt="", loading="lazy"):
    """Modern formats, srcset, explicit size, lazy below the fold; nothing without an image."""
    if not image:
        return ""
    renditions = get_renditions_or_not_found(image, CARD_IMAGE_FILTERS)
    attrs = {"sizes": CARD_IMAGE_SIZES, "alt": alt, "loading": loading or "lazy", "class": "card__image"}
    return Picture(renditions, attrs).__html__()
