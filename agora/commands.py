"""What Agora's management commands share: output that follows --verbosity.

0 writes nothing on stdout (a scheduled job stays quiet; errors still reach stderr through
CommandError), 1 (the default) the summary an operator reads, 2 the details too. Each command's
handle() starts with `self.verbosity = options["verbosity"]`.
"""

from django.core.management.base import BaseCommand


class VerbosityCommand(BaseCommand):
    verbosity = 1

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # `help` is translated lazily, in the language active when --help is asked; argparse
        # formats its description with re, which needs a str.
        if parser.description:
            parser.description = str(parser.description)
        return parser

    def say(self, message: str, level: int = 1) -> None:
        """Write `message` on stdout when --verbosity is at least `level`."""
        if self.verbosity >= level:
            self.stdout.write(message)
