"""System checks: the private files must stay out of every publicly served folder."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def private_media_outside_public_roots(app_configs, **kwargs):
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    errors = []
    for name, public in (("MEDIA_ROOT", settings.MEDIA_ROOT), ("STATIC_ROOT", settings.STATIC_ROOT)):
        if not public:
            continue
        public = Path(public).resolve()
        if private == public or private.is_relative_to(public) or public.is_relative_to(private):
            errors.append(
                Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) overlaps {name} ({public}).",
                    hint="Partner files must never be reachable by a URL: use a separate folder.",
                    id="partners.E001",
                )
            )
    return errors
