"""Accessible form fields: label, help and errors linked to the input with aria-describedby."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/form_field.html")
def form_field(field, hidden_from_people=False):
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_aide")
    if field.errors:
        described_by.append(f"{field.auto_id}_erreur")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required and not hidden_from_people:
        attrs["required"] = True
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "hidden_from_people": hidden_from_people,
        "is_checkbox": field.widget_type == "checkbox",
    }
