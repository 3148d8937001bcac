"""System checks: the erasure journal must stay out of what a backup holds and a restore replaces."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def erasure_journal_outside_backed_up_roots(app_configs, **kwargs):
    journal = Path(settings.AGORA_ERASURE_JOURNAL).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        root = Path(getattr(settings, name)).resolve()
        if journal.is_relative_to(root):
            errors.append(
                Error(
                    f"AGORA_ERASURE_JOURNAL ({journal}) is inside {name} ({root}).",
                    hint=(
                        "A restore would bring back an older journal and forget the erasures since: "
                        "keep the journal outside the folders that backups hold."
                    ),
                    id="home.E001",
                )
            )
    return errors
