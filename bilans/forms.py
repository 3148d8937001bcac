"""Admin forms of outcomes and press mentions: staff choose among their association's own, in a
plain list (not Wagtail's page chooser, which would browse every page of the site)."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.admin.forms import WagtailAdminModelForm

from bilans.access import acteur_ids_for, acteurs_for
from posts.models import EventPage
from posts.recurrence import PARIS


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({date_format(obj.start.astimezone(PARIS).date(), 'SHORT_DATE_FORMAT')})"


def as_select(form, name, queryset, field_class=forms.ModelChoiceField):
    model_field = form._meta.model._meta.get_field(name)
    form.fields[name] = field_class(
        queryset=queryset,
        label=form.fields[name].label,
        help_text=model_field.help_text,
        required=not model_field.blank,
    )


class OutcomeForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "event" in self.fields and self.for_user is not None:
            ids = acteur_ids_for(self.for_user)
            events = EventPage.objects.filter(start__lt=timezone.now()).order_by("-start")
            events = events if ids is None else events.filter(acteur_id__in=ids)
            as_select(self, "event", events.defer_streamfields(), EventChoiceField)


class PressMentionForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "acteur" in self.fields and self.for_user is not None:
            acteurs = acteurs_for(self.for_user)
            as_select(self, "acteur", acteurs)
            if self.instance.pk is None and len(acteurs) == 1:
                self.initial.setdefault("acteur", acteurs[0].pk)
