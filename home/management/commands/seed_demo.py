from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.commands import VerbosityCommand
from bilans import demo as bilans_demo
from home import demo
from partners import demo as partners_demo
from posts import demo as posts_demo


class Command(VerbosityCommand):
    help = gettext_lazy("Remplit Agora avec le contenu et les comptes de démonstration (idempotent).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy(
                "Accepter de s'exécuter avec DEBUG désactivé (par exemple sur un serveur de démonstration)."
            ),
        )

    def handle(self, *args, force=False, **options):
        self.verbosity = options["verbosity"]
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_demo crée des comptes au mot de passe connu : il refuse de s'exécuter "
                    "avec DEBUG désactivé. Ajoutez --force si c'est bien un site de démonstration."
                )
            )

        def log(message):
            self.say(f"  {message}")

        with transaction.atomic():
            self.say(_("Site :"))
            home = demo.seed_site(log)
            demo.seed_institutional_pages(home, log)
            self.say(_("Groupes :"))
            demo.seed_groups(log)
            self.say(_("Comptes :"))
            accounts = demo.seed_accounts(log)
            self.say(_("Espace partenaires :"))
            partners_demo.seed_partners(log)
            self.say(_("Publications :"))
            moderator = get_user_model().objects.filter(username=demo.CONSENT_RECORDER).first()
            posts_demo.seed_publications(log, home=home, recorded_by=moderator)
            self.say(_("Modération :"))
            demo.seed_moderation(log)
            posts_demo.seed_staff_work(log, moderator=moderator)
            posts_demo.seed_residents_proposals(log)
            self.say(_("Bilans :"))
            bilans_demo.seed_bilans(log)

        self.say(self.style.SUCCESS(_("Démonstration prête.")))
        self.say(
            _("Comptes de démonstration (mot de passe : %(password)s) :")
            % {"password": settings.DEMO_PASSWORD}
        )
        for account in accounts:
            self.say(f"  {account.username:<12} {account.role}")
