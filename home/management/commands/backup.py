from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Sauvegarde la base de données et les fichiers (publics et privés) dans une archive vérifiable."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(getattr(settings, "BACKUP_DIR", Path(settings.BASE_DIR) / "backups")),
            help="Dossier où écrire l'archive (par défaut : %(default)s).",
        )

    def handle(self, *args, output, **options):
        try:
            archive = create_backup(Path(output), log=lambda message: self.stdout.write(f"  {message}"))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {archive}"))
