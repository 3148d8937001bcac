"""The public "Signaler ce contenu" page: a reason, a few optional words, then a thank-you page.

The rule (one report per visitor, counted by network) lives in posts.actions.report_content;
this view parses the form (posts.forms), applies the rate limit and the honeypot, and renders.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from agora.forms import HONEYPOT_FIELD
from agora.ratelimit import hit, network_key, visitor_key
from posts.actions import report_content
from posts.forms import ReportForm
from posts.reports import ReportOutcome, reportable_pages

RATE_LIMITED = _(
    "Vous avez envoyé beaucoup de signalements en peu de temps : réessayez dans une heure. "
    "Ce que vous avez écrit est conservé ci-dessous."
)
NOT_SENT = _("Votre signalement n'a pas pu être envoyé. Vérifiez le formulaire et réessayez.")


@require_http_methods(["GET", "HEAD", "POST"])
def report_page(request, page_id):
    page = get_object_or_404(reportable_pages(), pk=page_id).specific
    if request.method != "POST":
        return render_form(request, page, ReportForm())

    form = ReportForm(request.POST)
    if not hit(request, "report", settings.AGORA_REPORTS_PER_HOUR, 3600):
        return render_form(request, page, form, error=RATE_LIMITED, status=429)
    if form.is_spam:
        data = request.POST.copy()
        data.pop(HONEYPOT_FIELD)
        return render_form(request, page, ReportForm(data), error=NOT_SENT, status=400)
    if not form.is_valid():
        return render_form(request, page, form)

    outcome = report_content(
        page,
        form.cleaned_data["reason"],
        form.cleaned_data["text"],
        visitor_key(request),
        network_key(request),
    )
    return render(
        request,
        "posts/report_done.html",
        {
            "reported_page": page,
            "already_recorded": outcome == ReportOutcome.ALREADY_RECORDED,
            "unpublished": outcome == ReportOutcome.UNPUBLISHED,
        },
    )


def render_form(request, page, form, error=None, status=200):
    if error:
        form.add_error(None, error)
    context = {"reported_page": page, "form": form}
    return render(request, "posts/report_form.html", context, status=status)
