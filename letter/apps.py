from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The label the subscriptions had in the erasure journal while they lived in the posts app:
# journals written then must still be replayed after a restore.
FORMER_SUBSCRIPTION_LABEL = "posts.digestsubscription"


class LetterConfig(AppConfig):
    name = "letter"
    verbose_name = _("La lettre de la semaine")

    def ready(self):
        from agora import erasure
        from letter.models import DigestSubscription
        from letter.subscriptions import forget_again

        erasure.register(DigestSubscription._meta.label_lower, forget_again)
        erasure.register(FORMER_SUBSCRIPTION_LABEL, forget_again)
