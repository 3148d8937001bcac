"""The weekly letter (letter.sending.send_weekly_digest): meant for a weekly schedule."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from letter.sending import send_weekly_digest, send_weekly_digest_task
from posts import printing


class Command(BaseCommand):
    help = _(
        "Envoie la lettre de la semaine à venir (événements et nouvelles publications) aux abonnés "
        "confirmés qui ne l'ont pas encore reçue. Relancée pour la même semaine, elle n'envoie rien "
        "de plus. À lancer chaque semaine, par exemple le vendredi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--semaine",
            help=_("La semaine à envoyer, au format ISO (2026-W12). Par défaut : la semaine à venir."),
        )
        parser.add_argument(
            "--en-tache",
            action="store_true",
            dest="as_task",
            help=_("Confier l'envoi au gestionnaire de tâches (worker) au lieu de l'envoyer tout de suite."),
        )

    def say(self, message: str) -> None:
        # --verbosity 0 keeps a scheduled run quiet; failures still reach stderr (see below).
        if self.verbosity > 0:
            self.stdout.write(message)

    def handle(self, *args, semaine=None, as_task=False, **options):
        self.verbosity = options["verbosity"]
        monday = None
        if semaine:
            monday = printing.parse_iso_week(semaine)
            if monday is None:
                raise CommandError(
                    _("Semaine invalide : « %(value)s » (attendu : 2026-W12).") % {"value": semaine}
                )
        if as_task:
            result = send_weekly_digest_task.enqueue(printing.iso_week(monday) if monday else None)
            self.say(_("Envoi confié au gestionnaire de tâches (%(id)s).") % {"id": result.id})
            return

        report = send_weekly_digest(monday, progress=lambda message: self.say(f"  {message}"))
        if report.purged:
            self.say(_("Inscriptions jamais confirmées effacées : %(count)s.") % {"count": report.purged})
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
        if report.failed and self.verbosity == 0:
            # A scheduler mails what a quiet job writes on stderr: a failure must not go unseen.
            self.stderr.write(summary)
        elif report.failed:
            self.stdout.write(self.style.ERROR(summary))
        else:
            self.say(self.style.SUCCESS(summary))
