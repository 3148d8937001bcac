from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from home.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restaure une archive de `manage.py backup` : remplace la base de données et les fichiers."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Chemin de l'archive agora-….tar.gz")
        parser.add_argument("--yes", action="store_true", help="Ne pas demander de confirmation.")

    def handle(self, *args, archive, yes=False, **options):
        if not yes:
            answer = input(
                "La base de données et tous les fichiers actuels seront remplacés. Tapez « oui » : "
            )
            if answer.strip().lower() != "oui":
                raise CommandError("Restauration annulée : rien n'a été modifié.")
        try:
            manifest = restore_backup(Path(archive), log=lambda message: self.stdout.write(f"  {message}"))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restauration terminée (sauvegarde du {manifest['created_at']}).")
        )
