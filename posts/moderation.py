"""Groups, permissions and the "Modération légère" workflow, created idempotently.

`setup_moderation()` is run by `manage.py setup_moderation` (at every deployment) and by
`seed_demo`; running it again changes nothing. It makes sure that:

- **Modérateurs** may add, edit, publish and lock every page of the site, use images and
  documents, record portrait consents and handle reports;
- every association (ActeurPage) has a staff group ("Équipe …") that may add publications
  in the agenda, news and portraits sections and edit those of its association; the group
  may also publish directly when the association is *trusted*;
- images live in two collections under the root: "Images des publications", which every
  association may use, and "Photos des habitants", which only Modérateurs see (residents'
  photos waiting for a decision, and portraits' photos, which follow their person's consent);
  no group keeps image rights on the root collection, and images left there join the first one;
- **Partenaires** exists (the partner workspace gives its rights, not the Wagtail admin);
- the workflow "Modération légère", one task for Modérateurs (posts.models.ModerationTask:
  "Publier" or "Refuser" with a reason), covers the whole site, and Wagtail's default workflow
  is switched off.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from posts.models import ActeurPage, AgendaIndexPage, ModerationTask, NewsIndexPage, PortraitIndexPage

MODERATORS_GROUP = "Modérateurs"
PARTNERS_GROUP = "Partenaires"
WORKFLOW_NAME = "Modération légère"
TASK_NAME = "Relecture par les modérateurs"
STAFF_GROUP_PREFIX = "Équipe "

MODERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MODERATOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("posts", "add_portraitconsent"),
    ("posts", "change_portraitconsent"),
    ("posts", "view_portraitconsent"),
    ("posts", "view_report"),
    ("posts", "change_report"),
    ("posts", "view_proposal"),
]
DOCUMENT_PERMISSIONS = [("wagtaildocs", "add_document"), ("wagtaildocs", "choose_document")]
MODERATOR_DOCUMENT_PERMISSIONS = [*DOCUMENT_PERMISSIONS, ("wagtaildocs", "change_document")]
IMAGE_PERMISSIONS = [("wagtailimages", "add_image"), ("wagtailimages", "choose_image")]
MODERATOR_IMAGE_PERMISSIONS = [*IMAGE_PERMISSIONS, ("wagtailimages", "change_image")]
PUBLIC_IMAGES_COLLECTION = "Images des publications"
RESIDENTS_PHOTOS_COLLECTION = "Photos des habitants"
CONTENT_SECTIONS = (AgendaIndexPage, NewsIndexPage, PortraitIndexPage)


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def page_permission(codename: str) -> Permission:
    return permission("wagtailcore", codename)


@transaction.atomic
def setup_moderation(log=lambda message: None) -> Workflow:
    # Image rights are given on this collection, never on the root, where they would reach the
    # residents' photos too (Wagtail's own "Editors" and "Moderators" groups have some there):
    # images left in the root join it.
    root, public = Collection.get_first_root_node(), public_images_collection()
    GroupCollectionPermission.objects.filter(
        collection=root, permission__content_type__app_label="wagtailimages"
    ).delete()
    get_image_model().objects.filter(collection=root).update(collection=public)
    moderators = setup_moderators_group()
    log(
        _("Groupe « %(group)s » : droits de relecture et de publication sur tout le site.")
        % {"group": MODERATORS_GROUP}
    )
    Group.objects.get_or_create(name=PARTNERS_GROUP)
    for acteur in ActeurPage.objects.order_by("title"):
        group = sync_acteur_group(acteur)
        rights = _("publie directement") if acteur.trusted else _("passe par la modération")
        log(_("Groupe « %(group)s » : %(rights)s.") % {"group": group.name, "rights": rights})
    workflow = setup_workflow(moderators)
    log(_("Circuit « %(workflow)s » actif.") % {"workflow": WORKFLOW_NAME})
    return workflow


def setup_moderators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(*(permission(app, codename) for app, codename in MODERATOR_MODEL_PERMISSIONS))
    site_root = ActeurPage.get_first_root_node()
    for home in site_root.get_children():
        for codename in MODERATOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=page_permission(codename)
            )
    grant_collection_permissions(group, Collection.get_first_root_node(), MODERATOR_DOCUMENT_PERMISSIONS)
    for collection in (public_images_collection(), residents_photos_collection()):
        grant_collection_permissions(group, collection, MODERATOR_IMAGE_PERMISSIONS)
    return group


def public_images_collection() -> Collection:
    return child_of_root(PUBLIC_IMAGES_COLLECTION)


def residents_photos_collection() -> Collection:
    return child_of_root(RESIDENTS_PHOTOS_COLLECTION)


def child_of_root(name: str) -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=name).first() or root.add_child(name=name)


def grant_collection_permissions(group: Group, collection: Collection, permissions) -> None:
    for app, codename in permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission(app, codename)
        )


def sync_acteur_group(acteur: ActeurPage) -> Group:
    """Create the association's staff group if needed and align its rights with `trusted`."""
    group = acteur.staff_group
    if group is None:
        name = f"{STAFF_GROUP_PREFIX}{acteur.title}"[:140]
        if Group.objects.filter(name=name, acteur__isnull=False).exists():
            name = f"{name} ({acteur.pk})"  # two associations with the same name
        group, _ = Group.objects.get_or_create(name=name)
        ActeurPage.objects.filter(pk=acteur.pk).update(staff_group=group)
        acteur.staff_group = group
    group.permissions.add(permission("wagtailadmin", "access_admin"))
    grant_collection_permissions(group, Collection.get_first_root_node(), DOCUMENT_PERMISSIONS)
    grant_collection_permissions(group, public_images_collection(), IMAGE_PERMISSIONS)
    sections = [section for model in CONTENT_SECTIONS for section in model.objects.all()]
    add, publish = page_permission("add_page"), page_permission("publish_page")
    for section in sections:
        GroupPagePermission.objects.get_or_create(group=group, page=section, permission=add)
        if acteur.trusted:
            GroupPagePermission.objects.get_or_create(group=group, page=section, permission=publish)
    if not acteur.trusted:
        GroupPagePermission.objects.filter(group=group, permission=publish).delete()
    return group


def setup_workflow(moderators: Group) -> Workflow:
    task = ModerationTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = ModerationTask.objects.create(name=TASK_NAME)
    task.groups.set([moderators])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    # Every page of the site goes through this one workflow; Wagtail's default one, attached
    # to the tree root, would otherwise notify its own "Moderators" group.
    for default in Workflow.objects.exclude(pk=workflow.pk).filter(active=True):
        default.deactivate()
    site_root = ActeurPage.get_first_root_node()
    for page in [site_root, *site_root.get_children()]:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow
