"""Daily GDPR purge of the partner workspace (see partners.actions.purge_expired)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from partners.actions import purge_expired


class Command(BaseCommand):
    help = (
        "Efface les fiches des personnes suivies sans contact depuis plus de 24 mois et les entrées "
        "du journal d'accès de plus de 12 mois, et les fichiers privés qu'aucune version ne désigne "
        "plus. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Lister ce qui serait effacé, sans rien effacer.",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self.stdout.write("Simulation (--dry-run) : rien ne sera effacé.")

        def progress(message):
            self.stdout.write(f"  {message}")

        report = purge_expired(dry_run=dry_run, progress=progress)
        record_months = settings.PARTNERS_RECORD_RETENTION_MONTHS
        log_months = settings.PARTNERS_LOG_RETENTION_MONTHS
        verb = "à effacer" if dry_run else "effacées"
        self.stdout.write(
            f"Fiches sans contact depuis plus de {record_months} mois (avant le "
            f"{report.record_cutoff:%d/%m/%Y}) {verb} : {len(report.records)}"
        )
        self.stdout.write(f"Entrées du journal d'accès de plus de {log_months} mois {verb} : {report.logs}")
        self.stdout.write(
            f"Entrées du journal des connexions de plus de {log_months} mois {verb} : {report.login_logs}"
        )
        self.stdout.write(
            f"Fichiers privés qu'aucune version ne désigne plus {verb} : {len(report.orphan_files)}"
        )
        if dry_run:
            self.stdout.write("Simulation terminée : rien n'a été effacé.")
        else:
            self.stdout.write(self.style.SUCCESS("Purge terminée."))
