"""Wagtail admin for partner organisations and memberships, for superusers only.

Nothing else of the workspace is registered here: folders, files and above all job-seeker
records, consents, notes and the access log never appear in the Wagtail admin.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from partners.models import Membership, Organisation


class SuperuserOnlyPermissionPolicy(BasePermissionPolicy):
    """Only active superusers may list, add, change or delete; no group permission opens it."""

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


register_permission_policy(Organisation, SuperuserOnlyPermissionPolicy(Organisation))
register_permission_policy(Membership, SuperuserOnlyPermissionPolicy(Membership))


class ProtectedDeleteView(DeleteView):
    """An organisation that still owns folders or follows people cannot be deleted: say so
    instead of failing, without naming anyone."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _(
                    "Cette organisation a encore des dossiers, des personnes suivies ou des notes : "
                    "elle ne peut pas être supprimée. Ses membres doivent d'abord transférer ou effacer ces données."
                ),
            )
            return redirect(self.edit_url_name, self.object.pk)


class SuperuserOnlyViewSet(ModelViewSet):
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_permissions_to_register(self):
        # The policy ignores Django permissions: offering them in group settings would mislead.
        return Permission.objects.none()


class OrganisationViewSet(SuperuserOnlyViewSet):
    model = Organisation
    icon = "group"
    menu_label = gettext_lazy("Organisations")
    form_fields = ["name"]
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    delete_view_class = ProtectedDeleteView


class MembershipViewSet(SuperuserOnlyViewSet):
    model = Membership
    icon = "user"
    menu_label = gettext_lazy("Membres")
    form_fields = ["user", "organisation", "role"]
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]


class PartnersViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Espace partenaires")
    menu_icon = "group"
    menu_order = 260
    items = (OrganisationViewSet("partner_organisations"), MembershipViewSet("partner_memberships"))


@hooks.register("register_admin_viewset")
def register_partner_viewsets():
    return PartnersViewSetGroup()
