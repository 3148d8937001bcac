"""Addresses to coordinates, with the national address service (Base adresse nationale).

One HTTP request per address saved in the admin, never on a public page. The service may be
down or the address unknown to it: `geocode` then raises, and the admin tells the editor to
type the coordinates or to try again later (posts.wagtail_hooks); the page is saved anyway.
AGORA_GEOCODER_URL empty turns geocoding off (an install without internet access).
"""

from decimal import Decimal

import requests

from django.conf import settings

TIMEOUT_SECONDS = 5
# Below this score the service is guessing (a street name alone, another town).
MIN_SCORE = 0.5
SIX_PLACES = Decimal("0.000001")


class GeocodingFailed(Exception):
    """The service could not be reached, or it did not recognise the address."""


def geocode(address: str) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) of `address`; None when geocoding is off or there is no address."""
    query = " ".join(address.split())
    if not settings.AGORA_GEOCODER_URL or not query:
        return None
    try:
        response = requests.get(
            settings.AGORA_GEOCODER_URL, params={"q": query, "limit": 1}, timeout=TIMEOUT_SECONDS
        )
        response.raise_for_status()
        features = response.json().get("features") or []
    except (requests.RequestException, ValueError, AttributeError) as error:
        raise GeocodingFailed(str(error)) from error
    if not features or features[0].get("properties", {}).get("score", 0) < MIN_SCORE:
        raise GeocodingFailed(f"address not found: {query}")
    longitude, latitude = features[0]["geometry"]["coordinates"]
    return (
        Decimal(str(latitude)).quantize(SIX_PLACES),
        Decimal(str(longitude)).quantize(SIX_PLACES),
    )
