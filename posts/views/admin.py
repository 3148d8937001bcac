"""Admin views of the publishing side, registered by posts.wagtail_hooks.

Consent of portrayed people (droit à l'image): the rule itself lives in the models (a live
PortraitPage needs an active PortraitConsent) and in posts.actions (withdrawing consent takes
the portrait offline). These views make it usable by staff: record a consent, withdraw it
after a confirmation, and get a clear message instead of a server error when a moderator
approves a portrait that cannot be published yet.

Visitors' reports ("Signaler ce contenu"): the open reports grouped by page, and closing them
once a moderator has reviewed the page (posts.actions.resolve_reports).

Residents' proposals, one after the other: a review page with the proposal and its preview,
"Publier" or "Refuser" with the reason the resident reads, then the next pending one.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView, View

from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.admin import messages
from wagtail.admin.views.generic import models as generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.widgets.button import Button, MenuItem
from wagtail.models import Page

from posts.actions import resolve_reports, withdraw_consent
from posts.models import PortraitConsent, PortraitPage, Proposal, Report
from posts.models.moderation import ReasonForm
from posts.reports import open_reports_by_page
from posts.widgets import is_object_id

CONSENT_MISSING = gettext_lazy(
    "Ce portrait ne peut pas être publié : le consentement de la personne "
    "(droit à l'image) n'est pas enregistré ou a été retiré."
)
KEPT_AS_DRAFT = gettext_lazy(
    "Vos modifications sont enregistrées en brouillon. Enregistrez le consentement dans "
    "« Consentements (droit à l'image) » pour pouvoir le publier."
)
APPROVAL_REFUSED = gettext_lazy(
    "La modération n'a pas été validée. Enregistrez le consentement dans "
    "« Consentements (droit à l'image) », puis approuvez de nouveau."
)


def lacks_consent(page) -> bool:
    """True for a portrait that may not go live: no consent recorded, or all withdrawn."""
    page = getattr(page, "specific_deferred", page)
    return isinstance(page, PortraitPage) and not page.has_active_consent()


def approval_would_publish(page) -> bool:
    state = page.current_workflow_state
    return state is not None and state.is_at_final_task


def refused_publication_message() -> str:
    return f"{CONSENT_MISSING} {KEPT_AS_DRAFT}"


def refused_approval_message() -> str:
    return f"{CONSENT_MISSING} {APPROVAL_REFUSED}"


# --- Consents ------------------------------------------------------------------------------


class ConsentWithdrawalUrlMixin:
    withdraw_url_name = None

    def get_withdraw_url(self, consent):
        if not consent.is_active or not self.user_has_permission("change"):
            return None
        return reverse(self.withdraw_url_name, args=(consent.pk,))


class ConsentIndexView(ConsentWithdrawalUrlMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("portrait")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if url := self.get_withdraw_url(instance):
            buttons.append(MenuItem(_("Retirer le consentement"), url=url, icon_name="cross", priority=25))
        return buttons


class ConsentCreateView(generic.CreateView):
    def get_initial_form_instance(self):
        """Prefill the portrait when coming from the portrait's editor (?portrait=<id>)."""
        portrait_id = self.request.GET.get("portrait", "")
        if is_object_id(portrait_id):
            portrait = PortraitPage.objects.filter(pk=portrait_id).first()
            if portrait is not None:
                return PortraitConsent(portrait=portrait)
        return super().get_initial_form_instance()

    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        return super().save_instance()


class ConsentEditView(ConsentWithdrawalUrlMixin, generic.EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if url := self.get_withdraw_url(self.object):
            buttons.append(Button(_("Retirer le consentement"), url=url, icon_name="cross", priority=15))
        return buttons


class WithdrawConsentView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then withdraw a consent: the portrait goes offline in the same transaction."""

    model = PortraitConsent
    permission_required = "change"
    template_name = "posts/admin/withdraw_consent.html"
    page_title = gettext_lazy("Retirer le consentement")
    header_icon = "warning"
    index_url_name = None
    edit_url_name = None
    withdraw_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(PortraitConsent.objects.select_related("portrait"), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(PortraitConsent._meta.verbose_name_plural),
            },
            {"url": reverse(self.edit_url_name, args=(self.object.pk,)), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            consent=self.object,
            portrait=self.object.portrait,
            withdraw_url=reverse(self.withdraw_url_name, args=(self.object.pk,)),
            cancel_url=reverse(self.index_url_name),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.object.is_active:
            messages.info(request, _("Ce consentement était déjà retiré."))
            return redirect(self.index_url_name)
        unpublished = withdraw_consent(self.object, user=request.user)
        values = {"person": self.object.given_by, "title": self.object.portrait.title}
        if unpublished:
            message = _("Consentement de %(person)s retiré : le portrait « %(title)s » n'est plus en ligne.")
        elif PortraitPage.objects.get(pk=self.object.portrait_id).live:
            message = _(
                "Consentement de %(person)s retiré. Le portrait « %(title)s » reste en ligne : "
                "un autre consentement actif est enregistré."
            )
        else:
            message = _("Consentement de %(person)s retiré. Le portrait « %(title)s » n'était pas en ligne.")
        messages.success(request, message % values)
        return redirect(self.index_url_name)


# --- Portrait pages ------------------------------------------------------------------------


# Publishing a portrait without consent is refused twice: its permission tester does not offer
# it (posts.permissions), and PortraitPage.save raises a ValidationError whatever the path. An
# approval at the last task of a workflow publishes through neither the editor's "Publier" nor
# the tester's offer: these views turn its refusal into a message.
CONSENT_REFUSALS = (ValidationError, PublishPagePermissionError)


class PortraitEditView(EditView):
    """A "Publier" the tester refuses saves a draft (Wagtail's editor does so by itself); an
    approval from the editor keeps the moderator's edits as a draft and says why."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except CONSENT_REFUSALS:
            # Task.on_action is atomic: the approval was rolled back, the edits were saved before.
            if not lacks_consent(self.page):
                raise
            messages.error(request, refused_approval_message())
            return redirect("wagtailadmin_pages:edit", self.page.pk)


class PortraitWorkflowActionView(WorkflowActionView):
    """Approving a portrait publishes it; without consent, say so instead of failing with a 500."""

    def post(self, request, *args, **kwargs):
        if (
            self.action_name == "approve"
            and lacks_consent(self.object)
            and approval_would_publish(self.object)
        ):
            return self.refuse(request)
        try:
            return super().post(request, *args, **kwargs)
        except CONSENT_REFUSALS:
            # Task.on_action is atomic: the approval was rolled back with the failed publication.
            return self.refuse(request)

    def refuse(self, request):
        messages.error(request, refused_approval_message())
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return self.render_modal_json(request, {"step": "success", "redirect": self.redirect_url})
        return redirect(self.redirect_url)


# --- Reports of published content ("Signaler ce contenu") ----------------------------------


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


# --- Residents' proposals, one after the other ----------------------------------------------


def pending_proposals():
    return Proposal.objects.filter(status=Proposal.Status.PENDING, page__isnull=False).order_by(
        "created_at", "pk"
    )


def review_url(proposal) -> str:
    return reverse("agora_review_proposal", args=[proposal.pk])


class ReviewProposalView(WagtailAdminTemplateMixin, TemplateView):
    """A resident's proposal before a moderator: what it says and a preview, then "Publier" or
    "Refuser" with the reason the resident will read, a confirmation, and the next one."""

    template_name = "posts/admin/review_proposal.html"
    page_title = gettext_lazy("Relire une proposition")
    header_icon = "edit"

    def dispatch(self, request, proposal_id):
        if not request.user.has_perm("posts.view_proposal"):
            raise PermissionDenied
        self.proposal = get_object_or_404(Proposal.objects.select_related("page"), pk=proposal_id)
        page = self.proposal.page
        self.task_state = page.current_workflow_task_state if page else None
        if self.proposal.status != Proposal.Status.PENDING or self.task_state is None:
            messages.info(request, _("Cette proposition a déjà été traitée."))
            return self.next_one()
        self.task = self.task_state.task.specific
        self.page = page.specific
        if not self.task.get_actions(self.page, request.user):
            raise PermissionDenied
        return super().dispatch(request, proposal_id)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, reason_form=None, **kwargs):
        draft = self.page.get_latest_revision_as_object()
        return super().get_context_data(
            proposal=self.proposal,
            draft=draft,
            reason_form=reason_form or ReasonForm(),
            can_publish=not lacks_consent(self.page),
            preview_url=reverse("wagtailadmin_pages:workflow_preview", args=[self.page.pk, self.task.pk]),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
            waiting=pending_proposals().count(),
            **kwargs,
        )

    def post(self, request, proposal_id):
        action = request.POST.get("action")
        if action == "approve":
            return self.publish()
        if action == "reject":
            return self.refuse()
        return self.render_to_response(self.get_context_data(), status=400)

    def publish(self):
        if lacks_consent(self.page):
            messages.error(self.request, refused_approval_message())
            return redirect(review_url(self.proposal))
        try:
            self.task.on_action(self.task_state, self.request.user, "approve")
        except CONSENT_REFUSALS:
            messages.error(self.request, refused_approval_message())
            return redirect(review_url(self.proposal))
        self.page.refresh_from_db()
        buttons = [messages.button(self.page.url, _("Voir en ligne"))] if self.page.url else []
        messages.success(
            self.request, _("Publié : « %(title)s ».") % {"title": self.page.title}, buttons=buttons
        )
        return self.next_one()

    def refuse(self):
        form = ReasonForm(self.request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(reason_form=form))
        self.task.on_action(
            self.task_state, self.request.user, "reject", comment=form.cleaned_data["comment"]
        )
        if self.proposal.contact_email:
            message = _("Refusé : la personne a été prévenue.")
        else:
            message = _("Refusé : la personne verra la raison avec son code de suivi.")
        messages.success(self.request, message)
        return self.next_one()

    def next_one(self):
        following = pending_proposals().exclude(pk=self.proposal.pk).first()
        if following is None:
            messages.info(self.request, _("Plus aucune proposition en attente."))
            return redirect("wagtailadmin_home")
        return redirect(review_url(following))
