"""The admin's form of a publication: an association's staff credit only their own association.

Moderators and administrators credit any association through the page chooser. Staff choose in
a plain list of their own association(s), filled in when they have one; the same list checks
what is posted, so a forged request crediting another association is refused with the form
shown again, whatever the action (save, submit or publish).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from posts.permissions import acts_for_every_association, staff_acteur_ids

NOT_YOUR_ASSOCIATION = _("Vous ne pouvez publier qu'au nom de votre association.")


class PublicationForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("acteur")
        if field is None or self.for_user is None or acts_for_every_association(self.for_user):
            return
        own = staff_acteur_ids(self.for_user)
        field.widget = forms.Select()
        field.required = True
        field.help_text = _("L'association au nom de laquelle vous publiez.")
        field.queryset = field.queryset.filter(pk__in=own).order_by("title")
        field.error_messages["invalid_choice"] = NOT_YOUR_ASSOCIATION
        if len(own) == 1:
            field.empty_label = None
            if not self.initial.get("acteur"):
                self.initial["acteur"] = next(iter(own))
