"""What association staff find in the admin: a start page and one obvious button.

Association staff (members of an association's staff group, neither moderators nor
administrators) land on a start page (Wagtail dashboard panels): three big actions that open
the right create form, their association filled in (posts.admin_forms), and "Mes
publications", their association's pages by state — drafts, waiting for moderation, refused
(with the moderators' reason), published — each with its next action.

In the editor they get one main button: "Publier" when their association is trusted (no
workflow submission offered), "Envoyer à la modération" otherwise; saving a draft comes second.
Moderators and administrators keep Wagtail's own menus.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from posts.models import (
    AgendaIndexPage,
    EventPage,
    NewsIndexPage,
    PortraitIndexPage,
    PortraitPage,
    ProjectNewsPage,
    Proposal,
)
from posts.permissions import acts_for_every_association, staff_acteur_ids

PUBLICATION_MODELS = (EventPage, ProjectNewsPage, PortraitPage)
CREATE_ACTIONS = (
    (gettext_lazy("Créer un événement"), AgendaIndexPage, EventPage),
    (gettext_lazy("Créer une actualité"), NewsIndexPage, ProjectNewsPage),
    (gettext_lazy("Proposer un portrait"), PortraitIndexPage, PortraitPage),
)
SHOWN_PER_STATE = 10
NEVER = datetime.min.replace(tzinfo=UTC)


def is_association_staff(user) -> bool:
    return bool(user.is_authenticated and staff_acteur_ids(user)) and not acts_for_every_association(user)


# --- The editor's main button ----------------------------------------------------------------


class SendToModerationMenuItem(SubmitForModerationMenuItem):
    """Wagtail's "Submit to <workflow>" under the words staff use."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        state = context.get("page") and context["page"].current_workflow_state
        refused = state and state.status == WorkflowState.STATUS_NEEDS_CHANGES
        context["label"] = _("Renvoyer à la modération") if refused else _("Envoyer à la modération")
        return context


def put_the_obvious_button_first(menu_items, request, context) -> None:
    """For association staff: "Publier" first when they may publish (and no submission to the
    workflow), else "Envoyer à la modération" first. The first item is the editor's main button."""
    if not is_association_staff(request.user):
        return
    by_name = {item.name: item for item in menu_items}
    publish, submit = by_name.get("action-publish"), by_name.get("action-submit")
    if publish is not None:
        for item in [submit, by_name.get("action-restart-workflow")]:
            if item is not None:
                menu_items.remove(item)
        first = publish
    elif submit is not None:
        first = SendToModerationMenuItem(order=submit.order)
        menu_items.remove(submit)
    else:
        return
    if first in menu_items:
        menu_items.remove(first)
    menu_items.insert(0, first)


# --- The start page ------------------------------------------------------------------------


@dataclass
class Publication:
    page: Page
    kind: str
    reason: str = ""

    @property
    def edit_url(self) -> str:
        return back_home(reverse("wagtailadmin_pages:edit", args=[self.page.pk]))


def back_home(url: str) -> str:
    """The editor's URL that comes back to the start page once the page is saved or sent."""
    return f"{url}?{urlencode({'next': reverse('wagtailadmin_home')})}"


STATES = (
    ("refused", gettext_lazy("Refusées"), gettext_lazy("Corriger et renvoyer")),
    ("waiting", gettext_lazy("En attente de modération"), gettext_lazy("Voir")),
    ("draft", gettext_lazy("Brouillons"), gettext_lazy("Continuer")),
    ("published", gettext_lazy("Publiées"), gettext_lazy("Modifier")),
)


def my_publications(user) -> dict[str, list[Publication]]:
    """The publications of the user's associations by state, the latest first.

    Residents' proposals credited to the association stay out until the moderators publish
    them (posts.permissions)."""
    acteurs = staff_acteur_ids(user)
    undecided = Proposal.objects.undecided().values("page_id")
    pages = []
    for model in PUBLICATION_MODELS:
        pages += (
            model.objects.filter(acteur_id__in=acteurs)
            .exclude(pk__in=undecided)
            .defer_streamfields()
            .order_by("-latest_revision_created_at")[:50]
        )
    states = latest_workflow_states([page.pk for page in pages])
    found = {key: [] for key, *_ in STATES}
    for page in sorted(pages, key=last_change, reverse=True):
        state = states.get(page.pk)
        kind = page._meta.verbose_name
        if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            found["refused"].append(Publication(page, kind, refusal_reason(state)))
        elif state and state.status == WorkflowState.STATUS_IN_PROGRESS:
            found["waiting"].append(Publication(page, kind))
        elif page.live:
            found["published"].append(Publication(page, kind))
        else:
            found["draft"].append(Publication(page, kind))
    return {key: items[:SHOWN_PER_STATE] for key, items in found.items()}


def last_change(page) -> datetime:
    return page.latest_revision_created_at or page.last_published_at or NEVER


def latest_workflow_states(page_ids) -> dict[int, WorkflowState]:
    states = (
        WorkflowState.objects.filter(
            base_content_type__app_label="wagtailcore",
            base_content_type__model="page",
            object_id__in=[str(pk) for pk in page_ids],
        )
        .filter(Q(status=WorkflowState.STATUS_IN_PROGRESS) | Q(status=WorkflowState.STATUS_NEEDS_CHANGES))
        .select_related("current_task_state")
    )
    return {int(state.object_id): state for state in states}


def refusal_reason(state: WorkflowState) -> str:
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_REJECTED:
        return ""
    return task_state.comment


class StaffStartPanel(Component):
    name = "agora_staff_start"
    template_name = "posts/admin/home_staff_start.html"
    order = 10

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        publications = my_publications(self.user)
        return {
            "create_actions": [
                (
                    label,
                    back_home(
                        reverse("wagtailadmin_pages:add", args=("posts", model._meta.model_name, section.pk))
                    ),
                )
                for label, index_model, model in CREATE_ACTIONS
                if (section := index_model.objects.first()) is not None
            ],
            "states": [(key, heading, action, publications[key]) for key, heading, action in STATES],
            "has_publications": any(publications.values()),
        }
