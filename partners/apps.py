from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Espace partenaires")

    def ready(self):
        from agora import erasure
        from partners import actions, checks, security, signals  # noqa: F401
        from partners.models import JobSeeker

        erasure.register(JobSeeker._meta.label_lower, actions.erase_record_again)
