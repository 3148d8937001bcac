"""The admin's generic views of outcomes and press mentions, narrowed to the user's associations:
another association's object does not exist for its staff (404)."""

from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView

from bilans.access import acteur_ids_for
from bilans.models import Outcome
from bilans.report import parse_day
from posts.models import EventPage


class ScopedMixin:
    def scoped_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["change"])


class ScopedIndexView(ScopedMixin, IndexView):
    def get_base_queryset(self):
        return self.scoped_queryset()


class ScopedEditView(ScopedMixin, EditView):
    def get_queryset(self):
        return self.scoped_queryset()


class ScopedDeleteView(ScopedMixin, DeleteView):
    def get_queryset(self):
        return self.scoped_queryset()


class OutcomeCreateView(CreateView):
    """The form opened from the start page comes with its event and date (?event=…&date=…)."""

    def get_initial_form_instance(self):
        outcome = Outcome()
        event_id, day = self.request.GET.get("event", ""), parse_day(self.request.GET.get("date"))
        ids = acteur_ids_for(self.request.user)
        events = EventPage.objects.all() if ids is None else EventPage.objects.filter(acteur_id__in=ids)
        if event_id.isdigit() and (event := events.filter(pk=event_id).first()):
            outcome.event = event
            outcome.date = day
        return outcome

    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()
