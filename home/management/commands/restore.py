from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.commands import VerbosityCommand
from home.backups import BackupError, restore_backup


class Command(VerbosityCommand):
    help = gettext_lazy(
        "Restaure une archive de `manage.py backup` : remplace la base de données et les fichiers, "
        "puis efface de nouveau ce que le journal des effacements liste depuis la sauvegarde."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help=gettext_lazy("Chemin de l'archive agora-….tar.gz ou agora-….tar.gz.age")
        )
        parser.add_argument(
            "--identity",
            metavar="FICHIER",
            help=gettext_lazy("Fichier de la clé privée age (AGE-SECRET-KEY-1…) d'une archive chiffrée."),
        )
        parser.add_argument(
            "--yes", action="store_true", help=gettext_lazy("Ne pas demander de confirmation.")
        )

    def handle(self, *args, archive, identity=None, yes=False, **options):
        self.verbosity = options["verbosity"]
        if not yes:
            answer = input(
                _("La base de données et tous les fichiers actuels seront remplacés. Tapez « oui » : ")
            )
            if answer.strip().lower() != _("oui"):
                raise CommandError(_("Restauration annulée : rien n'a été modifié."))
        try:
            manifest = restore_backup(
                Path(archive),
                identity=Path(identity) if identity else None,
                log=lambda message: self.say(f"  {message}"),
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.say(
            self.style.SUCCESS(
                _("Restauration terminée (sauvegarde du %(date)s).") % {"date": manifest["created_at"]}
            )
        )
