"""schema.org descriptions of events and associations, for search engines and the applications
that read them (JSON-LD in the page's <head>, written by agora.previews.json_ld).

Only facts someone gave: no price when none was given (no `offers`), no organiser when the
resident proposed in their own name (the name they gave, as a Person).
"""

from agora.addresses import absolute
from agora.previews import preview_image
from posts import recurrence

SCHEMA = "https://schema.org"
PLACE_KINDS = {"centre_social", "epn"}


def event_data(event, request, occurrence) -> dict:
    """An Event at `occurrence` (its next one; its first when past)."""
    url = absolute(event.get_url(request))
    data = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": schema_date(occurrence.start, event.all_day),
        "endDate": schema_date(occurrence.end, event.all_day),
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": event.place_name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.place_address or event.place_name,
                "addressCountry": "FR",
            },
        },
    }
    if event.summary:
        data["description"] = event.summary
    if image := preview_image(event, request):
        data["image"] = [image["url"]]
    if event.public_acteur is not None:
        data["organizer"] = {
            "@type": "Organization",
            "name": event.public_acteur.title,
            "url": absolute(event.public_acteur.get_url(request)),
        }
    elif event.display_name:
        data["organizer"] = {"@type": "Person", "name": event.display_name}
    if event.is_free:
        data["offers"] = {"@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": url}
    elif event.is_free is False and event.price.strip():
        data["offers"] = {"@type": "Offer", "description": event.price, "url": url}
    return data


def schema_date(moment, all_day: bool) -> str:
    """ISO 8601 in Paris time with its offset (+01:00 or +02:00); a day alone for all-day events."""
    local = moment.astimezone(recurrence.PARIS)
    return local.date().isoformat() if all_day else local.isoformat()


def acteur_data(acteur, request) -> dict:
    """An Organization (association, public service) or a Place (social centre, EPN)."""
    data = {
        "@context": SCHEMA,
        "@type": "Place" if acteur.kind in PLACE_KINDS else "Organization",
        "name": acteur.title,
        "url": absolute(acteur.get_url(request)),
    }
    if acteur.summary:
        data["description"] = acteur.summary
    if acteur.address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": " ".join(acteur.address.split()),
            "addressCountry": "FR",
        }
    if acteur.phone:
        data["telephone"] = acteur.phone
    if acteur.email:
        data["email"] = acteur.email
    if acteur.website:
        data["sameAs"] = [acteur.website]
    if image := preview_image(acteur, request):
        data["logo" if data["@type"] == "Organization" else "image"] = image["url"]
    return data
