"""Admin for publications: consents of portrayed people, and the guards that keep a portrait
without consent from going live through any admin path (editor, moderation, copy, bulk);
visitors' reports, and what waits for the moderators on the admin home."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from posts import admin_views
from posts.actions import CONSENT_WITHDRAWN_ACTION
from posts.models import PortraitConsent, PortraitPage, Proposal, Report
from posts.moderation import MODERATORS_GROUP
from posts.page_policy import visible_in_choosers
from posts.reports import RESOLVED_ACTION, UNPUBLISHED_ACTION, open_reports_by_page, resolve_reports
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


def is_portrait_creation(request, context) -> bool:
    match = request.resolver_match
    if match is not None and "content_type_model_name" in match.kwargs:
        return (
            match.kwargs.get("content_type_app_name") == PortraitPage._meta.app_label
            and match.kwargs.get("content_type_model_name") == PortraitPage._meta.model_name
        )
    parent = context.get("parent_page")
    return parent is not None and list(parent.specific_class.creatable_subpage_models()) == [PortraitPage]


@hooks.register("construct_page_chooser_queryset")
def hide_others_drafts_in_page_chooser(pages, request):
    return visible_in_choosers(pages, request.user)


@hooks.register("construct_page_action_menu")
def hide_publish_for_new_portrait(menu_items, request, context):
    """A new portrait has no consent yet: no "Publier". (An existing portrait without consent
    gets none from its permission tester.)"""
    if context.get("view") == "create" and is_portrait_creation(request, context):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def without_post_keys(request, *keys):
    """Drop keys from the POST data so that the Wagtail view takes another action."""
    data = request.POST.copy()
    for key in keys:
        data.pop(key, None)
    request.POST = data


@hooks.register("before_create_page")
def save_new_portrait_as_draft(request, parent_page, page_class):
    """A forged "Publier" on a new portrait saves it as a draft, with the reason shown."""
    if (
        request.method == "POST"
        and issubclass(page_class, PortraitPage)
        and request.POST.get("action-publish")
    ):
        without_post_keys(request, "action-publish")
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
def copy_portrait_as_draft(request, page):
    """A copy (or alias) of a portrait is a new page with no consent: it starts as a draft."""
    publishing = request.POST.get("publish_copies") or request.POST.get("alias")
    if request.method == "POST" and publishing and isinstance(page.specific_deferred, PortraitPage):
        without_post_keys(request, "publish_copies", "alias")
        messages.warning(
            request,
            _(
                "La copie d'un portrait est créée en brouillon : "
                "enregistrez son consentement pour la publier."
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


class ReportIndexView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Open reports, grouped by page, with the way to close them once the page is reviewed."""

    model = Report
    permission_required = "view"
    template_name = "posts/admin/reports_index.html"
    page_title = gettext_lazy("Signalements")
    header_icon = "warning"
    resolve_url_name = None

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reported_pages=open_reports_by_page(),
            can_resolve=self.user_has_permission("change"),
            resolve_url_name=self.resolve_url_name,
            cool_down_days=settings.AGORA_REPORTS_COOL_DOWN_DAYS,
            **kwargs,
        )


class ResolveReportsView(PermissionCheckedMixin, View):
    model = Report
    permission_required = "change"
    http_method_names = ["post"]
    index_url_name = None

    def post(self, request, page_id):
        page = get_object_or_404(Page, pk=page_id)
        count = resolve_reports(page, request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)s signalement clos pour « %(title)s ».",
                    "%(count)s signalements clos pour « %(title)s ».",
                    count,
                )
                % {"count": count, "title": page.title},
            )
        else:
            messages.info(
                request, _("« %(title)s » n'avait plus de signalement ouvert.") % {"title": page.title}
            )
        return redirect(self.index_url_name)


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
        index = ReportIndexView.as_view(resolve_url_name=self.get_url_name("resolve"))
        resolve = ResolveReportsView.as_view(index_url_name=self.get_url_name("index"))
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
