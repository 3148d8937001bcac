"""Who may edit, publish and see a publication: moderators everything, association staff their own.

Wagtail's page permissions are given per subtree. Association staff get "add" on the three
content sections (and "publish" when their association is trusted); this module narrows that to
the publications of their own association:

- PublicationPermissionTester: staff edit, copy, publish and unpublish only the publications
  credited to their association (owning a page credited to another one gives no right on it);
  nobody publishes a portrait without the recorded consent of the person portrayed (droit à
  l'image), which PortraitPage.save refuses too, whatever the path;
- posts.page_policy: in the admin's listings (explorer, search, page types usage, history, the
  explorer menu) and choosers, staff see the sections and their association's publications, not
  another association's drafts nor residents' proposals;
- PortraitIndexPermissionTester: a new portrait has no consent yet, so nobody publishes one as
  it is created or copied (Wagtail's editor then offers no "Publier" and saves a draft; its
  copy form offers no "publish the copies" and refuses a forged one);
- posts.admin_forms: staff credit only their own association.

Moderators (who may change every page) and administrators act for every association.

The models use this module (a page's permission tester, the admin form): it reaches proposals
and associations through the page and the user it is given, and imports no model.
"""

from wagtail.models import Page, PagePermissionTester
from wagtail.permissions import policy_registry


class PortraitIndexPermissionTester(PagePermissionTester):
    def can_publish_subpage(self):
        return False


class PublicationPermissionTester(PagePermissionTester):
    def _acts_for_page_association(self) -> bool:
        """Moderators (who hold "change"), staff of the page's association, or, for a draft saved
        before any association was chosen, its owner."""
        if self.user.is_superuser or "change" in self.permissions:
            return True
        if awaits_moderation(self.page):
            return False
        if self.page.acteur_id is None:
            return bool(self.page.owner_id) and self.page.owner_id == self.user.pk
        return is_staff_of(self.user, self.page.acteur_id)

    def can_edit(self):
        if not self._acts_for_page_association():
            return False
        if super().can_edit():
            return True
        return self.user.is_active and "add" in self.permissions and not self.page_locked()

    def can_publish(self):
        return super().can_publish() and self._acts_for_page_association() and not self.lacks_consent()

    def lacks_consent(self) -> bool:
        """A portrait whose person's consent is not recorded, or was withdrawn."""
        has_active_consent = getattr(self.page, "has_active_consent", None)
        return has_active_consent is not None and not has_active_consent()

    def can_unpublish(self):
        return super().can_unpublish() and self._acts_for_page_association()


def awaits_moderation(page) -> bool:
    """A resident's proposal that moderators have not published: pending or declined. It is the
    moderators' alone, whatever association it names, until they publish it."""
    return page.pk is not None and page.proposals.undecided().exists()


def acts_for_every_association(user) -> bool:
    """Administrators and moderators, who may change any page, credit and see every association."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Not user_has_permission(user, "change"): for Wagtail, "add" already means changing one's own pages.
    policy = policy_registry.get_by_type(Page)
    return any(
        grant.permission.codename == "change_page" for grant in policy.get_cached_permissions_for_user(user)
    )


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
        # An association's staff group is its ActeurPage.staff_group (related name "acteur").
        cached = set(user.groups.filter(acteur__isnull=False).values_list("acteur", flat=True))
        user.agora_staff_acteur_ids = cached
    return cached
