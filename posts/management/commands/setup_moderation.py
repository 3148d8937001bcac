from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.commands import VerbosityCommand
from posts.moderation import setup_moderation


class Command(VerbosityCommand):
    help = gettext_lazy(
        "Crée ou met à jour les groupes, les droits et le circuit « Modération légère » "
        "(idempotent ; à lancer à chaque déploiement)."
    )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        setup_moderation(log=lambda message: self.say(f"  {message}"))
        self.say(self.style.SUCCESS(_("Modération prête.")))
