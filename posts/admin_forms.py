"""The admin's forms: an association's staff credit only their own association; places get their
coordinates from their address.

Moderators and administrators credit any association through the page chooser. Staff choose in
a plain list of their own association(s), filled in when they have one; the same list checks
what is posted, so a forged request crediting another association is refused with the form
shown again, whatever the action (save, submit or publish).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from posts.geocoding import GeocodingFailed, geocode
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


class LocatedForm(WagtailAdminPageForm):
    """Finds the coordinates of the page's address when it is new or changed, unless the editor
    typed them; a failure leaves them empty and the page is saved all the same (the admin then
    says how to place it by hand, posts.wagtail_hooks)."""

    def clean(self):
        cleaned_data = super().clean()
        address_field = self.instance.address_field
        typed = {"latitude", "longitude"} & set(self.changed_data)
        if typed:
            if (cleaned_data.get("latitude") is None) != (cleaned_data.get("longitude") is None):
                self.add_error("longitude", _("Saisissez la latitude et la longitude, ou aucune des deux."))
            return cleaned_data
        address = cleaned_data.get(address_field) or ""
        if address_field in self.changed_data or cleaned_data.get("latitude") is None:
            try:
                found = geocode(address)
            except GeocodingFailed:
                found = None
            cleaned_data["latitude"], cleaned_data["longitude"] = found or (None, None)
        return cleaned_data


class EventForm(LocatedForm, PublicationForm):
    pass
