"""Weekly e-mail digest (see posts.digest.send_weekly_digest): meant for a weekly schedule."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from posts import printing
from posts.digest import send_weekly_digest, send_weekly_digest_task


class Command(BaseCommand):
    help = (
        "Envoie la lettre de la semaine à venir (événements et nouvelles publications) aux abonnés "
        "confirmés qui ne l'ont pas encore reçue. Relancée pour la même semaine, elle n'envoie rien "
        "de plus. À lancer chaque semaine, par exemple le vendredi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--semaine",
            help="La semaine à envoyer, au format ISO (2026-W12). Par défaut : la semaine à venir.",
        )
        parser.add_argument(
            "--en-tache",
            action="store_true",
            dest="as_task",
            help="Confier l'envoi au gestionnaire de tâches (worker) au lieu de l'envoyer tout de suite.",
        )

    def handle(self, *args, semaine=None, as_task=False, **options):
        monday = None
        if semaine:
            monday = printing.parse_iso_week(semaine)
            if monday is None:
                raise CommandError(
                    _("Semaine invalide : « %(value)s » (attendu : 2026-W12).") % {"value": semaine}
                )
        if as_task:
            result = send_weekly_digest_task.enqueue(printing.iso_week(monday) if monday else None)
            self.stdout.write(_("Envoi confié au gestionnaire de tâches (%(id)s).") % {"id": result.id})
            return

        report = send_weekly_digest(monday, progress=lambda message: self.stdout.write(f"  {message}"))
        if report.purged:
            self.stdout.write(
                _("Inscriptions jamais confirmées effacées : %(count)s.") % {"count": report.purged}
            )
        summary = _(
            "Semaine %(week)s — envoyées : %(sent)s ; déjà envoyées : %(already)s ; "
            "rien à envoyer : %(empty)s ; échecs : %(failed)s."
        ) % {
            "week": printing.iso_week(report.week),
            "sent": report.sent,
            "already": report.already_sent,
            "empty": report.nothing_to_send,
            "failed": report.failed,
        }
        self.stdout.write(self.style.ERROR(summary) if report.failed else self.style.SUCCESS(summary))
