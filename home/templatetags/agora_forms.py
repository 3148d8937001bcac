"""What the form templates need besides Django's form renderer (agora.forms.FormRenderer)."""

from django import template

register = template.Library()


@register.filter
def error_count(form) -> int:
    """How many messages the error summary lists: the form's own and each field's."""
    return sum(len(errors) for errors in form.errors.values())


@register.simple_tag
def form_field(field, hidden_from_people=False):
    """One field drawn with the shared field template, for a form laid out field by field;
    `hidden_from_people` for a honeypot field that is not a HoneypotForm's."""
    return field.render(context={"field": field, "hidden_from_people": hidden_from_people})
