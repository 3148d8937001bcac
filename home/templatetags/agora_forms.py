"""What the form templates need besides Django's form renderer (agora.forms.FormRenderer)."""

from django import template

register = template.Library()


@register.filter
def error_count(form) -> int:
    """How many messages the error summary lists: the form's own and each field's."""
    return sum(len(errors) for errors in form.errors.values())
