"""Views of the bilans: the activity report in the admin (page, CSV, XLSX, printable A4), the
comparison of associations for moderators, and the public year in numbers.

Thin views: the figures come from bilans.report, the access rules from bilans.access.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Site

from bilans import exports
from bilans.access import acteurs_for, get_acteur_for, sees_every_association
from bilans.actions import set_public_summary as set_public_summary_of
from bilans.chart import month_chart
from bilans.models import PublicSummary
from bilans.report import FIRST_YEAR, Period, activity_report, period_from, year_in_numbers
from posts.models import ActeurPage


def agora_name(request) -> str:
    site = Site.find_for_request(request)
    return (site and site.site_name) or _("Agora")


def period_query(period: Period) -> str:
    if period.is_calendar_year:
        return f"annee={period.first.year}"
    return f"debut={period.first.isoformat()}&fin={period.last.isoformat()}"


def report_context(request, acteur, period) -> dict:
    report = activity_report({acteur.pk}, period)
    return {
        "acteur": acteur,
        "period": period,
        "report": report,
        "chart": month_chart(report.months),
        "agora_name": agora_name(request),
        "query": period_query(period),
        "years": list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))[:10],
    }


# --- In the admin --------------------------------------------------------------------------


class ReportIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Staff of one association go to its report; moderators and administrators compare them all."""

    template_name = "bilans/admin/index.html"
    page_title = gettext_lazy("Bilans d'activité")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        acteurs = list(acteurs_for(request.user))
        if not acteurs:
            raise Http404
        if len(acteurs) == 1 and not sees_every_association(request.user):
            return redirect(
                reverse("bilans_reports:report", args=[acteurs[0].pk]) + "?" + request.GET.urlencode()
            )
        self.acteurs = acteurs
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        period = period_from(self.request.GET)
        rows = [(acteur, activity_report({acteur.pk}, period)) for acteur in self.acteurs]
        total = activity_report(None, period) if sees_every_association(self.request.user) else None
        return super().get_context_data(
            period=period,
            rows=rows,
            total=total,
            query=period_query(period),
            years=list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))[:10],
            **kwargs,
        )


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "bilans/admin/report.html"
    header_icon = "table"

    def get_page_title(self):
        return _("Bilan d'activité — %(acteur)s") % {"acteur": self.acteur.title}

    def get(self, request, acteur_id):
        self.acteur = get_acteur_for(request.user, acteur_id)
        return super().get(request, acteur_id=acteur_id)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("bilans_reports:index"), "label": _("Bilans d'activité")},
            {"url": "", "label": self.acteur.title},
        ]

    def get_context_data(self, **kwargs):
        period = period_from(self.request.GET)
        summary = PublicSummary.objects.filter(acteur=self.acteur, public=True).exists()
        return super().get_context_data(
            **report_context(self.request, self.acteur, period), public_summary=summary, **kwargs
        )


def report_download(request, acteur_id, kind):
    acteur = get_acteur_for(request.user, acteur_id)
    period = period_from(request.GET)
    report = activity_report({acteur.pk}, period)
    title = _("Bilan d'activité — %(acteur)s") % {"acteur": acteur.title}
    filename = f"bilan-{acteur.slug}-{period.slug}"
    if kind == "xlsx":
        return exports.xlsx_response(report, title, filename)
    return exports.csv_response(report, title, filename)


def report_print(request, acteur_id):
    """The report on A4 pages, with the agora's name and the period (bilans/print.css)."""
    acteur = get_acteur_for(request.user, acteur_id)
    context = report_context(request, acteur, period_from(request.GET))
    return render(request, "bilans/report_print.html", context)


@require_POST
def set_public_summary(request, acteur_id):
    acteur = get_acteur_for(request.user, acteur_id)
    public = request.POST.get("public") == "1"
    set_public_summary_of(acteur, public)
    if public:
        messages.success(request, _("Le bilan annuel de l'association est visible sur le site public."))
    else:
        messages.success(
            request, _("Le bilan annuel de l'association n'est plus visible sur le site public.")
        )
    return redirect(reverse("bilans_reports:report", args=[acteur.pk]) + "?" + request.POST.get("query", ""))


# --- On the public site --------------------------------------------------------------------


def public_year(request, year):
    """The agora's year in numbers: /bilan/<year>/."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    numbers = year_in_numbers(year)
    summaries = (
        ActeurPage.objects.listed()
        .filter(public_summary__public=True)
        .order_by("title")
        .only("title", "slug")
    )
    context = {
        "year": year,
        "numbers": numbers,
        "report": numbers.report,
        "chart": month_chart(numbers.report.months),
        "agora_name": agora_name(request),
        "summaries": summaries,
        "other_years": [y for y in (year - 1, year + 1) if FIRST_YEAR <= y <= timezone.localdate().year],
    }
    return render(request, "bilans/year.html", context)


def public_acteur_year(request, year, slug):
    """An association's year in numbers, when it chose to show it: /bilan/<year>/<slug>/."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    acteur = ActeurPage.objects.listed().filter(slug=slug, public_summary__public=True).first()
    if acteur is None:
        raise Http404
    report = activity_report({acteur.pk}, Period.year(year), public=True)
    context = {
        "year": year,
        "acteur": acteur,
        "report": report,
        "chart": month_chart(report.months),
        "agora_name": agora_name(request),
    }
    return render(request, "bilans/acteur_year.html", context)
