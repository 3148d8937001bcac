"""Where a thing is: the coordinates of an association's address or of an event's place.

They are geocoded from the address by the national address service when the page is saved in
the admin (posts.geocoding, through posts.admin_forms.LocatedForm), or typed by hand when the
service cannot place it. Without them a place still has its address and its directions link;
it only stays off the map.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def directions_to(destination: str) -> str:
    """OpenStreetMap's directions to an address or to "latitude,longitude"; "" for nowhere."""
    destination = " ".join(destination.split())
    return "https://www.openstreetmap.org/directions?" + urlencode({"to": destination}) if destination else ""


class Located(models.Model):
    # The address the coordinates were found for is the model's own field, named here.
    address_field = "address"

    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        help_text=_("Trouvée à partir de l'adresse ; à saisir seulement si elle ne l'est pas (ex. 47,3356)."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
        help_text=_("Par exemple 0,6621."),
    )

    class Meta:
        abstract = True

    @property
    def located_address(self) -> str:
        return " ".join(str(getattr(self, self.address_field) or "").split())

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def directions_url(self) -> str:
        """OpenStreetMap's directions to this place: by its coordinates, else by its address."""
        if self.has_coordinates:
            return directions_to(f"{self.latitude},{self.longitude}")
        return directions_to(self.located_address)

    @property
    def geo_url(self) -> str:
        """A geo: link (RFC 5870): phones open it in their own maps application."""
        return f"geo:{self.latitude},{self.longitude}" if self.has_coordinates else ""
