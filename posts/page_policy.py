"""What association staff see of the page tree in the admin: Wagtail's page permission policy,
narrowed to their association's publications (see posts.permissions for what they may do).

Registered for Page in PostsConfig.ready; the page choosers use visible_in_choosers.
"""

from wagtail.permission_policies.pages import PagePermissionPolicy

from posts.models import PUBLICATION_MODELS, Proposal
from posts.permissions import acts_for_every_association, staff_acteur_ids


def without_others_publications(pages, user, *, keep_live=False):
    """`pages` without the publications of associations `user` is not staff of, unless the user
    owns them, nor residents' proposals awaiting moderation; with `keep_live`, live ones stay
    (anyone may link to a published page)."""
    acteur_ids = staff_acteur_ids(user)
    for model in PUBLICATION_MODELS:
        others = model.objects.exclude(acteur_id__in=acteur_ids).exclude(owner=user)
        if keep_live:
            others = others.filter(live=False)
        pages = pages.exclude(pk__in=others.values("pk"))
    return pages.exclude(pk__in=Proposal.objects.undecided().values("page_id"))


class AssociationPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, but association staff explore only their association's pages.

    "add" on a section lets Wagtail show its whole subtree; every admin listing of pages asks
    this policy's explorable_instances, so narrowing it here narrows them all at once.
    """

    def explorable_instances(self, user):
        pages = super().explorable_instances(user)
        if not user.is_active or acts_for_every_association(user):
            return pages
        return without_others_publications(pages, user)


def visible_in_choosers(pages, user):
    """The page chooser lists the whole tree: staff may link to any published page, but see no
    draft or proposal of another association there either."""
    if not user.is_active or acts_for_every_association(user):
        return pages
    return without_others_publications(pages, user, keep_live=True)
