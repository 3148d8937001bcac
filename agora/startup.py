"""Turn configuration errors into one readable line at start-up instead of a traceback."""

import sys

from django.core.exceptions import ImproperlyConfigured


def exit_on_configuration_error(error: ImproperlyConfigured) -> None:
    sys.stderr.write(f"Agora cannot start: {error}\n")
    raise SystemExit(1)
