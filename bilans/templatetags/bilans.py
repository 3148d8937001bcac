from django import template
from django.utils import timezone

from bilans.models import public_summary_acteur_ids

register = template.Library()


@register.inclusion_tag("bilans/includes/public_summary_link.html")
def public_summary_link(acteur):
    """On an association's page, the link to its year in numbers, if it chose to show it."""
    shown = bool(acteur.pk) and acteur.pk in public_summary_acteur_ids()
    return {"acteur": acteur, "shown": shown, "year": timezone.localdate().year}
