from django.core.management.base import BaseCommand

from posts.moderation import setup_moderation


class Command(BaseCommand):
    help = (
        "Crée ou met à jour les groupes, les droits et le circuit « Modération légère » "
        "(idempotent ; à lancer à chaque déploiement)."
    )

    def handle(self, *args, **options):
        setup_moderation(log=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS("Modération prête."))
