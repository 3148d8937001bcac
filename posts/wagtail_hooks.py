"""Admin for publications: consents of portrayed people, and the guards that keep a portrait
without consent from going live through any admin path (editor, moderation, copy, bulk);
visitors' reports, and what waits for the moderators on the admin home. The viewsets and hooks
are here; the views they route are in posts.views.admin."""

from django.conf import settings
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageViewSet

from posts.actions import CONSENT_WITHDRAWN_ACTION, RESOLVED_ACTION, UNPUBLISHED_ACTION
from posts.models import PortraitConsent, PortraitPage, Proposal
from posts.models.places import Located
from posts.moderation import MODERATORS_GROUP
from posts.page_policy import visible_in_choosers
from posts.reports import open_reports_by_page
from posts.staff import StaffStartPanel, is_association_staff, put_the_obvious_button_first
from posts.views import admin as admin_views
from posts.widgets import PortraitChooser, is_object_id

# --- Consents (droit à l'image) ------------------------------------------------------------


class PortraitConsentViewSet(ModelViewSet):
    model = PortraitConsent
    icon = "user"
    menu_label = gettext_lazy("Consentements (droit à l'image)")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["portrait", "given_by", "given_on", "method", "recorded_at", "withdrawn_at"]
    list_filter = ["method"]
    search_fields = ["given_by", "portrait__title"]

    index_view_class = admin_views.ConsentIndexView
    add_view_class = admin_views.ConsentCreateView
    edit_view_class = admin_views.ConsentEditView
    withdraw_view_class = admin_views.WithdrawConsentView

    panels = [
        FieldPanel("portrait", widget=PortraitChooser),
        FieldPanel("given_by"),
        FieldPanel("given_on"),
        FieldPanel("method"),
        FieldPanel("scope"),
    ]
    # A consent belongs to one portrait for good: moving it would leave the first portrait
    # online without consent. Withdrawal has its own view, which unpublishes the portrait.
    edit_panels = [
        FieldPanel("portrait", read_only=True),
        FieldPanel("given_by"),
        FieldPanel("given_on"),
        FieldPanel("method"),
        FieldPanel("scope"),
        FieldPanel("recorded_by", read_only=True),
        FieldPanel("withdrawn_at", read_only=True),
    ]

    @cached_property
    def _edit_panels(self):
        return ObjectList(self.edit_panels).bind_to_model(self.model)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(withdraw_url_name=self.get_url_name("withdraw"), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            panel=self._edit_panels, form_class=self._edit_panels.get_form_class(), **kwargs
        )

    @cached_property
    def withdraw_view(self):
        return self.construct_view(self.withdraw_view_class)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("withdraw/<int:pk>/", self.withdraw_view, name="withdraw"),
        ]


class PortraitPageViewSet(PageViewSet):
    model = PortraitPage
    edit_view_class = admin_views.PortraitEditView
    workflow_action_view_class = admin_views.PortraitWorkflowActionView


@hooks.register("register_admin_viewset")
def register_consent_viewset():
    return PortraitConsentViewSet("portrait_consents")


@hooks.register("register_admin_viewset")
def register_portrait_page_viewset():
    return PortraitPageViewSet("portrait_pages")


@hooks.register("register_log_actions")
def register_consent_log_actions(actions):
    actions.register_action(
        CONSENT_WITHDRAWN_ACTION,
        gettext_lazy("Retrait du consentement"),
        gettext_lazy("Consentement retiré : le portrait est hors ligne."),
    )


# --- Guards on portrait pages --------------------------------------------------------------


@hooks.register("construct_page_chooser_queryset")
def hide_others_drafts_in_page_chooser(pages, request):
    return visible_in_choosers(pages, request.user)


@hooks.register("before_create_page")
def explain_why_new_portrait_is_a_draft(request, parent_page, page_class):
    """A forged "Publier" on a new portrait saves a draft (no one may publish a portrait as it is
    created: posts.permissions); say why."""
    if (
        request.method == "POST"
        and issubclass(page_class, PortraitPage)
        and request.POST.get("action-publish")
    ):
        messages.error(request, admin_views.refused_publication_message())


@hooks.register("before_edit_page")
def explain_why_portrait_without_consent_stays_offline(request, page):
    """Say why a portrait without consent offers no "Publier", and why a forged one saved a
    draft: its permission tester refuses to publish it (posts.permissions), so the editor
    saves what was typed as a draft."""
    if request.method == "POST" and admin_views.lacks_consent(page):
        if request.POST.get("action-publish"):
            messages.error(request, admin_views.refused_publication_message())
    elif (
        request.method == "GET"
        and "_w_hydrate_create_view" not in request.GET
        and admin_views.lacks_consent(page)
    ):
        buttons = []
        if request.user.has_perm("posts.add_portraitconsent"):
            add_url = reverse("portrait_consents:add") + f"?portrait={page.pk}"
            buttons.append(messages.button(add_url, _("Enregistrer le consentement"), new_window=False))
        messages.warning(
            request,
            _(
                "Ce portrait ne pourra être publié qu'une fois le consentement de la personne "
                "(droit à l'image) enregistré."
            ),
            buttons=buttons,
        )


@hooks.register("before_copy_page")
def explain_why_a_portrait_copy_is_not_published(request, page):
    """Wagtail's copy form refuses to publish the copy of a portrait (it has no consent yet:
    posts.permissions); say how to go on."""
    publishing = request.POST.get("publish_copies") or request.POST.get("alias")
    if request.method == "POST" and publishing and isinstance(page.specific_deferred, PortraitPage):
        messages.error(
            request,
            _(
                "La copie d'un portrait ne peut pas être publiée tout de suite : décochez la "
                "publication de la copie, puis enregistrez le consentement de la personne pour la publier."
            ),
        )


@hooks.register("before_bulk_action")
def refuse_bulk_publication_without_consent(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    pages = list(objects)
    # The permission tester keeps portraits without consent out of `objects`, which would publish
    # the others: the request names them all, and it is all or nothing.
    ids = [page.pk for page in pages] + [
        int(value) for value in request.GET.getlist("id") if is_object_id(value)
    ]
    form = getattr(action_class_instance, "cleaned_form", None)
    include_descendants = bool(form and form.cleaned_data.get("include_descendants"))
    portraits = PortraitPage.objects.filter(pk__in=ids)
    if include_descendants:
        for page in pages:
            portraits = portraits | PortraitPage.objects.descendant_of(page).not_live()
    active = PortraitConsent.objects.filter(withdrawn_at__isnull=True).values("portrait_id")
    blocked = list(portraits.exclude(pk__in=active).order_by("title").values_list("title", flat=True))
    if not blocked:
        return None
    messages.error(
        request,
        _("Rien n'a été publié : ces portraits n'ont pas de consentement enregistré (droit à l'image) : %s.")
        % ", ".join(f"« {title} »" for title in blocked),
    )
    return redirect(action_class_instance.next_url)


# --- Reports of published content ("Signaler ce contenu") ----------------------------------


def is_moderator(user) -> bool:
    return user.is_active and (user.is_superuser or user.groups.filter(name=MODERATORS_GROUP).exists())


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("posts.view_report")


class ReportViewSet(ViewSet):
    icon = "warning"
    menu_label = gettext_lazy("Signalements")
    menu_order = 260
    add_to_admin_menu = True
    menu_item_class = ReportMenuItem
    url_prefix = "signalements"

    def get_urlpatterns(self):
        index = admin_views.ReportIndexView.as_view(resolve_url_name=self.get_url_name("resolve"))
        resolve = admin_views.ResolveReportsView.as_view(index_url_name=self.get_url_name("index"))
        return [
            path("", index, name="index"),
            path("clore/<int:page_id>/", resolve, name="resolve"),
        ]


@hooks.register("register_admin_viewset")
def register_report_viewset():
    return ReportViewSet("posts_reports")


@hooks.register("register_log_actions")
def register_report_log_actions(actions):
    actions.register_action(
        UNPUBLISHED_ACTION,
        gettext_lazy("Hors ligne après signalements"),
        gettext_lazy("Mis hors ligne : plusieurs visiteurs ont signalé cette page."),
    )
    actions.register_action(
        RESOLVED_ACTION,
        gettext_lazy("Signalements clos"),
        gettext_lazy("Signalements des visiteurs clos par la modération."),
    )


# --- Admin home: what waits for the moderators ---------------------------------------------


class PendingProposalsPanel(Component):
    name = "agora_pending_proposals"
    template_name = "posts/admin/home_pending_proposals.html"
    order = 200

    def get_context_data(self, parent_context=None):
        return {"proposals": Proposal.objects.filter(status=Proposal.Status.PENDING).order_by("created_at")}


class OpenReportsPanel(Component):
    name = "agora_open_reports"
    template_name = "posts/admin/home_open_reports.html"
    order = 205

    def get_context_data(self, parent_context=None):
        return {"reported_pages": open_reports_by_page()}


@hooks.register("construct_homepage_panels")
def add_moderation_panels(request, panels):
    if is_moderator(request.user):
        panels.extend([PendingProposalsPanel(), OpenReportsPanel()])


# --- Admin home and editor of association staff (posts.staff) ------------------------------


@hooks.register("construct_homepage_panels")
def add_staff_start_page(request, panels):
    if is_association_staff(request.user):
        panels.insert(0, StaffStartPanel(request.user))


@hooks.register("construct_page_action_menu")
def one_obvious_button_for_staff(menu_items, request, context):
    put_the_obvious_button_first(menu_items, request, context)


@hooks.register("insert_global_admin_css")
def staff_start_page_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("construct_page_action_menu")
def approval_reads_publier(menu_items, request, context):
    """Wagtail adds "et publier" to the approval of a workflow's last task: the moderators' task
    (posts.models.ModerationTask) already calls it "Publier"."""
    for item in menu_items:
        if item.name == "approve":
            item.label = _("Publier")


@hooks.register("register_admin_urls")
def register_review_of_proposals():
    return [
        path(
            "propositions/<int:proposal_id>/relire/",
            admin_views.ReviewProposalView.as_view(),
            name="agora_review_proposal",
        )
    ]


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_when_a_place_is_off_the_map(request, page):
    """The address service could not place the address (down, or the address unknown to it):
    the page is saved, and the editor learns how to put it on the map."""
    page = page.specific
    if not settings.AGORA_GEOCODER_URL or not isinstance(page, Located):
        return
    if page.located_address and not page.has_coordinates:
        messages.warning(
            request,
            _(
                "L'adresse n'a pas pu être placée sur la carte (service d'adresses injoignable ou "
                "adresse introuvable). Vérifiez-la et enregistrez de nouveau, ou saisissez la "
                "latitude et la longitude du lieu."
            ),
        )
