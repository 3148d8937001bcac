"""Admin of the bilans, under one "Valoriser" menu: outcomes and press mentions (each user sees
and changes only those of their association: bilans.access), the activity reports, and the
missing outcomes on association staff's start page (bilans.staff)."""

from django.urls import path
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from bilans import admin_views, views
from bilans.access import acteur_ids_for
from bilans.models import Outcome, PressMention
from bilans.staff import MissingOutcomesPanel
from posts.staff import is_association_staff


class OutcomeViewSet(ModelViewSet):
    model = Outcome
    icon = "tasks"
    menu_label = gettext_lazy("Bilans d'événements")
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = admin_views.ScopedIndexView
    add_view_class = admin_views.OutcomeCreateView
    edit_view_class = admin_views.ScopedEditView
    delete_view_class = admin_views.ScopedDeleteView
    list_display = ["event", "date", "participants", "volunteers"]
    search_fields = ["event__title"]
    # Wagtail's spreadsheet export of the listing: figures and organisations, no free text.
    list_export = ["event", "date", "participants", "under_25", "residents", "volunteers", "partners"]


class PressMentionViewSet(ModelViewSet):
    model = PressMention
    icon = "doc-full"
    menu_label = gettext_lazy("Revue de presse")
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = admin_views.ScopedIndexView
    edit_view_class = admin_views.ScopedEditView
    delete_view_class = admin_views.ScopedDeleteView
    list_display = ["title", "outlet", "published_on", "acteur"]
    search_fields = ["title", "outlet"]
    list_export = ["published_on", "title", "outlet", "url", "acteur"]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return acteur_ids_for(request.user) != set()


class ActivityReportViewSet(ViewSet):
    icon = "table"
    menu_label = gettext_lazy("Bilans d'activité")
    menu_item_class = ReportMenuItem
    url_prefix = "bilans"

    def get_urlpatterns(self):
        return [
            path("", views.ReportIndexView.as_view(), name="index"),
            path("<int:acteur_id>/", views.ReportView.as_view(), name="report"),
            path("<int:acteur_id>/csv/", views.report_download, {"kind": "csv"}, name="csv"),
            path("<int:acteur_id>/xlsx/", views.report_download, {"kind": "xlsx"}, name="xlsx"),
            path("<int:acteur_id>/imprimer/", views.report_print, name="print"),
            path("<int:acteur_id>/public/", views.set_public_summary, name="public"),
        ]


class ValoriserGroup(ViewSetGroup):
    menu_label = gettext_lazy("Valoriser")
    menu_icon = "table"
    menu_order = 240
    items = (
        ActivityReportViewSet("bilans_reports"),
        OutcomeViewSet("bilans_outcomes"),
        PressMentionViewSet("bilans_press"),
    )


@hooks.register("register_admin_viewset")
def register_bilans_viewsets():
    return ValoriserGroup()


@hooks.register("construct_homepage_panels")
def add_missing_outcomes(request, panels):
    if is_association_staff(request.user):
        panels.append(MissingOutcomesPanel(request.user))
