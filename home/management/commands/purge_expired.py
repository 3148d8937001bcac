"""Daily purge of personal data past its retention period: the partner workspace's
(partners.actions.purge_expired) and what residents and visitors left
(posts.actions.purge_resident_data)."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.commands import VerbosityCommand
from partners.actions import purge_expired
from posts.actions import purge_resident_data


class Command(VerbosityCommand):
    help = gettext_lazy(
        "Efface les fiches des personnes suivies sans contact depuis plus de 24 mois, les entrées "
        "du journal d'accès de plus de 12 mois, les fichiers privés qu'aucune version ne désigne "
        "plus, l'e-mail des habitants 6 mois après la décision sur leur proposition et les "
        "signalements clos depuis plus de 6 mois, les photos gardées depuis plus d'un jour pour un "
        "formulaire jamais renvoyé. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Lister ce qui serait effacé, sans rien effacer."),
        )

    def handle(self, *args, dry_run=False, **options):
        self.verbosity = options["verbosity"]
        if dry_run:
            self.say(_("Simulation (--dry-run) : rien ne sera effacé."))

        def progress(message):
            self.say(f"  {message}")

        report = purge_expired(dry_run=dry_run, progress=progress)
        record_months = settings.PARTNERS_RECORD_RETENTION_MONTHS
        log_months = settings.PARTNERS_LOG_RETENTION_MONTHS
        verb = _("à effacer") if dry_run else _("effacées")
        self.say(
            _("Fiches sans contact depuis plus de %(months)s mois (avant le %(date)s) %(verb)s : %(count)s")
            % {
                "months": record_months,
                "date": f"{report.record_cutoff:%d/%m/%Y}",
                "verb": verb,
                "count": len(report.records),
            }
        )
        self.say(
            _("Entrées du journal d'accès de plus de %(months)s mois %(verb)s : %(count)s")
            % {"months": log_months, "verb": verb, "count": report.logs}
        )
        self.say(
            _("Entrées du journal des connexions de plus de %(months)s mois %(verb)s : %(count)s")
            % {"months": log_months, "verb": verb, "count": report.login_logs}
        )
        self.say(
            _("Fichiers privés qu'aucune version ne désigne plus %(verb)s : %(count)s")
            % {"verb": verb, "count": len(report.orphan_files)}
        )
        self.purge_resident_data(dry_run)
        if dry_run:
            self.say(_("Simulation terminée : rien n'a été effacé."))
        else:
            self.say(self.style.SUCCESS(_("Purge terminée.")))

    def purge_resident_data(self, dry_run):
        purge = purge_resident_data(dry_run=dry_run)
        months = settings.AGORA_RESIDENT_DATA_RETENTION_MONTHS
        cutoff = f"{purge.cutoff:%d/%m/%Y}"
        for pk, decided_at in purge.proposals:
            line = (
                _("proposition n° %(pk)s décidée le %(date)s : e-mail à effacer")
                if dry_run
                else _("proposition n° %(pk)s décidée le %(date)s : e-mail effacé")
            )
            self.say("  " + line % {"pk": pk, "date": f"{decided_at:%d/%m/%Y}"})
        self.say(
            (
                _(
                    "E-mails d'habitants, propositions décidées depuis plus de %(months)s mois, à effacer : %(count)s"
                )
                if dry_run
                else _(
                    "E-mails d'habitants, propositions décidées depuis plus de %(months)s mois, effacés : %(count)s"
                )
            )
            % {"months": months, "count": len(purge.proposals)}
        )
        self.say(
            (
                _("Signalements clos avant le %(date)s (%(months)s mois) à effacer : %(count)s")
                if dry_run
                else _("Signalements clos avant le %(date)s (%(months)s mois) effacés : %(count)s")
            )
            % {"date": cutoff, "months": months, "count": purge.reports}
        )
        self.say(
            (
                _(
                    "Photos d'habitants qu'aucune page n'utilise plus (proposition supprimée) à effacer : %(count)s"
                )
                if dry_run
                else _(
                    "Photos d'habitants qu'aucune page n'utilise plus (proposition supprimée) effacées : %(count)s"
                )
            )
            % {"count": purge.photos}
        )
        self.say(
            (
                _(
                    "Photos gardées pour un formulaire jamais renvoyé, depuis plus d'un jour, à effacer : %(count)s"
                )
                if dry_run
                else _(
                    "Photos gardées pour un formulaire jamais renvoyé, depuis plus d'un jour, effacées : %(count)s"
                )
            )
            % {"count": purge.kept_photos}
        )
