from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BilansConfig(AppConfig):
    name = "bilans"
    verbose_name = _("Bilans")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from bilans.access import AssociationPermissionPolicy
        from bilans.models import Outcome, PressMention

        # Association staff enter and read their own association's outcomes and press mentions;
        # moderators and administrators those of every association.
        register_permission_policy(Outcome, AssociationPermissionPolicy(Outcome, "event__acteur_id"))
        register_permission_policy(PressMention, AssociationPermissionPolicy(PressMention, "acteur_id"))
