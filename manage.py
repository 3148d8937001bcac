#!/usr/bin/env python
import os
import sys

from django.core.exceptions import ImproperlyConfigured


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings.dev")
    from django.core.management import execute_from_command_line

    from agora.startup import exit_on_configuration_error

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        exit_on_configuration_error(error)


if __name__ == "__main__":
    main()
