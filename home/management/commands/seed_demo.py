from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home import demo
from partners import demo as partners_demo
from posts import demo as posts_demo


class Command(BaseCommand):
    help = "Remplit Agora avec le contenu et les comptes de démonstration (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Accepter de s'exécuter avec DEBUG désactivé (par exemple sur un serveur de démonstration).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo crée des comptes au mot de passe connu : il refuse de s'exécuter "
                "avec DEBUG désactivé. Ajoutez --force si c'est bien un site de démonstration."
            )

        def log(message):
            self.stdout.write(f"  {message}")

        with transaction.atomic():
            self.stdout.write("Site :")
            home = demo.seed_site(log)
            self.stdout.write("Groupes :")
            demo.seed_groups(log)
            self.stdout.write("Comptes :")
            accounts = demo.seed_accounts(log)
            self.stdout.write("Espace partenaires :")
            partners_demo.seed_partners(log)
            self.stdout.write("Publications :")
            moderator = get_user_model().objects.filter(username=demo.CONSENT_RECORDER).first()
            posts_demo.seed_publications(log, home=home, recorded_by=moderator)
            self.stdout.write("Modération :")
            demo.seed_moderation(log)

        self.stdout.write(self.style.SUCCESS("Démonstration prête."))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {settings.DEMO_PASSWORD}) :")
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.role}")
