from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.commands import VerbosityCommand
from home.backups import BackupError, create_backup


class Command(VerbosityCommand):
    help = gettext_lazy(
        "Sauvegarde la base de données et les fichiers (publics et privés) dans une archive vérifiable, "
        "lisible par le seul compte du site, chiffrée si une clé publique age est donnée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.BACKUP_DIR),
            help=gettext_lazy(
                "Dossier où écrire l'archive, créé ou resserré en 0700 (par défaut : %(default)s)."
            ),
        )
        parser.add_argument(
            "--encrypt-to",
            action="append",
            metavar="age1…",
            help=gettext_lazy(
                "Chiffrer l'archive pour cette clé publique age (répétable) ; par défaut les clés de "
                "BACKUP_ENCRYPT_TO. La clé privée se garde hors du serveur."
            ),
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help=gettext_lazy(
                "Ne garder que les N archives les plus récentes de ce dossier (les autres fichiers restent)."
            ),
        )

    def handle(self, *args, output, encrypt_to=None, keep=None, **options):
        self.verbosity = options["verbosity"]
        if keep is not None and keep < 1:
            raise CommandError(
                _("--keep doit valoir au moins 1 : la sauvegarde qui vient d'être faite est gardée.")
            )
        try:
            archive = create_backup(
                Path(output),
                encrypt_to=encrypt_to or settings.BACKUP_ENCRYPT_TO,
                keep=keep,
                log=lambda message: self.say(f"  {message}"),
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.say(self.style.SUCCESS(_("Sauvegarde écrite : %(path)s") % {"path": archive}))
