"""Who may edit and publish a publication: moderators everything, association staff their own.

Wagtail's page permissions are given per subtree. Association staff get "add" on the three
content sections (and "publish" when their association is trusted); this tester narrows
edit and publish rights to the publications of their own association, so the staff of one
association can neither edit nor publish another association's pages.
"""

from wagtail.models import PagePermissionTester


class PublicationPermissionTester(PagePermissionTester):
    def _acts_for_page_association(self) -> bool:
        """Moderators (who hold "change"), the page's owner, or staff of its association."""
        if self.user.is_superuser or "change" in self.permissions:
            return True
        if self.page.owner_id and self.page.owner_id == self.user.pk:
            return True
        return is_staff_of(self.user, self.page.acteur_id)

    def can_edit(self):
        if super().can_edit():
            return True
        return (
            self.user.is_active
            and "add" in self.permissions
            and not self.page_locked()
            and is_staff_of(self.user, self.page.acteur_id)
        )

    def can_publish(self):
        return super().can_publish() and self._acts_for_page_association()

    def can_unpublish(self):
        return super().can_unpublish() and self._acts_for_page_association()


def is_staff_of(user, acteur_id) -> bool:
    if not acteur_id or not user.is_authenticated:
        return False
    return acteur_id in staff_acteur_ids(user)


def staff_acteur_ids(user) -> set[int]:
    """Ids of the associations whose staff group the user belongs to.

    Kept on the user object, as Wagtail keeps a user's page permissions there: an admin listing
    asks once per page, and the answer lasts as long as the request's user does.
    """
    cached = getattr(user, "agora_staff_acteur_ids", None)
    if cached is None:
        from posts.models import ActeurPage

        cached = set(ActeurPage.objects.filter(staff_group__user=user).values_list("pk", flat=True))
        user.agora_staff_acteur_ids = cached
    return cached
