"""The interface's language and the content's: Agora's publications are written in French, and
an English interface marks them so (WCAG 3.1.2), for screen readers to pronounce them right."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def content_lang():
    """` lang="fr"` on an element holding what people wrote, when the interface is not French."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return ""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)
