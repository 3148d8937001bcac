"""Phone numbers as links that call them on a phone: `{{ number|phone_link }}`."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def phone_link(number: str):
    """A tel: link to `number`, shown as it was typed ("02 47 00 00 01"); dialled without the
    spaces, dots and dashes people type between the digits."""
    dialled = "".join(char for char in number or "" if char.isdigit() or char == "+")
    if not dialled:
        return number
    return format_html('<a href="tel:{}">{}</a>', dialled, number)
