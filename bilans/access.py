"""Who reads and writes what in the bilans: staff their association's, moderators every one's.

Every guarded read goes through here: `acteurs_for(user)` lists the associations a user may
report on, `get_acteur_for(user, pk)` returns one or raises Http404 (another association's
report does not exist for its staff), and AssociationPermissionPolicy scopes the admin's
viewsets of outcomes and press mentions the same way.
"""

from django.contrib.auth import get_user_model
from django.http import Http404

from wagtail.permission_policies.base import BasePermissionPolicy

from posts.models import ActeurPage
from posts.permissions import acts_for_every_association, staff_acteur_ids

ACTIONS = {"add", "change", "delete", "view"}


def sees_every_association(user) -> bool:
    return bool(user.is_authenticated and acts_for_every_association(user))


def acteur_ids_for(user) -> set[int] | None:
    """The ids of the associations `user` acts for; None for all of them."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if sees_every_association(user):
        return None
    return staff_acteur_ids(user)


def acteurs_for(user):
    acteurs = ActeurPage.objects.live().order_by("title")
    ids = acteur_ids_for(user)
    return acteurs if ids is None else acteurs.filter(pk__in=ids)


def get_acteur_for(user, pk) -> ActeurPage:
    acteur = acteurs_for(user).filter(pk=pk).first()
    if acteur is None:
        raise Http404
    return acteur


class AssociationPermissionPolicy(BasePermissionPolicy):
    """Every action on the objects of one's association(s), reached through `acteur_path`."""

    def __init__(self, model, acteur_path: str):
        super().__init__(model)
        self.acteur_path = acteur_path

    def user_has_permission(self, user, action):
        return action in ACTIONS and acteur_ids_for(user) != set()

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        ids = acteur_ids_for(user)
        objects = self.model.objects.all()
        return objects if ids is None else objects.filter(**{f"{self.acteur_path}__in": ids})

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()

    def users_with_any_permission(self, actions):
        # Only for Wagtail's notifications, which these models send none of.
        return get_user_model().objects.filter(is_active=True, is_superuser=True)

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])
