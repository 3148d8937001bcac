"""A resident's event says only what the resident gave: no price, no organiser, no phone invented.

Published through the path residents and moderators take (the public form, then the moderator's
"approve"), then read where the event is shown: its page, its .ics, its poster, the programme.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from posts.models import EventPage, Proposal
from tests.conftest import page_text
from tests.test_proposals import event_data, propose, workflow_action

pytestmark = pytest.mark.django_db

HOST_PHONE = "02 47 00 00 00"


@pytest.fixture
def host(moderation):
    host = moderation["host"]
    host.phone = HOST_PHONE
    host.email = "centre@example.org"
    host.save_revision().publish()
    return host


def publish_proposal(client, moderation, **data):
    response = propose(client, "evenement", event_data(**data))
    assert response.status_code == 302
    event = EventPage.objects.get(pk=Proposal.objects.get().page_id)
    moderator = client.__class__()
    moderator.force_login(moderation["moderator"])
    workflow_action(moderator, event, "approve")
    event.refresh_from_db()
    assert event.live
    return event


def admin_edit_data(event, **overrides):
    """The admin's edit form of a resident's event as the moderator posts it, but for `overrides`."""
    local = timezone.get_current_timezone()
    fields = {
        "title": event.title,
        "slug": event.slug,
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "acteur": event.acteur_id or "",
        "summary": event.summary,
        "image": "",
        "image_alt": "",
        "body": streamfield([("paragraph", rich_text("<p>Chacun apporte un plat.</p>"))]),
        "tags": "",
        "display_name": event.display_name,
        "comments": inline_formset([]),
        "start": event.start.astimezone(local).strftime("%Y-%m-%d %H:%M"),
        "end": event.end.astimezone(local).strftime("%Y-%m-%d %H:%M"),
        "recurrence": "",
        "recurrence_until": "",
        "extra_dates": inline_formset([]),
        "place_name": event.place_name,
        "place_address": event.place_address,
        "is_free": "",
        "price": "",
        "registration": "",
        "registration_url": "",
        "accessibility": "",
    }
    raw = {key: value for key, value in overrides.items() if "-" in key}
    fields.update({key: value for key, value in overrides.items() if "-" not in key})
    return {**nested_form_data(fields), **raw}


def words(response) -> str:
    """What a visitor reads on the page, in single spaces."""
    return " ".join(BeautifulSoup(response.content.decode(), "html.parser").get_text(" ").split())


def where_the_event_is_shown(client, event):
    day = event.start.astimezone(timezone.get_current_timezone()).date()
    return {
        "page": words(client.get(event.url)),
        ".ics": client.get(f"/agenda/{event.slug}/evenement.ics").content.decode(),
        "poster": words(client.get(f"{event.url}affiche/")),
        "programme": words(client.get(f"/agenda/programme/?date={day.isoformat()}")),
    }


def unfolded(ics: str) -> str:
    """iCalendar folds long lines and escapes commas: read it as one text."""
    return ics.replace("\r\n ", "").replace("\\,", ",").replace("\\n", "\n")


def test_a_residents_event_in_their_own_name_shows_no_association_and_no_price(client, moderation, host):
    event = publish_proposal(client, moderation)

    assert event.acteur is None and event.is_free is None
    for place, text in where_the_event_is_shown(client, event).items():
        text = unfolded(text)
        assert "Tarif non précisé" in text, place
        assert "Gratuit" not in text, place
        assert host.title not in text, place
        assert HOST_PHONE not in text and "centre@example.org" not in text, place
    assert "Proposé par Lina" in words(client.get(event.url))
    assert "ORGANIZER" not in client.get(f"/agenda/{event.slug}/evenement.ics").content.decode()


def test_a_residents_event_for_an_association_is_credited_to_it(client, moderation, host, make_acteur):
    association = make_acteur("Courteline")

    event = publish_proposal(client, moderation, acteur=association.pk)

    assert event.acteur_id == association.pk
    text = words(client.get(event.url))
    assert "Proposé par Courteline — Lina" in text
    assert host.title not in text


def test_the_summary_keeps_the_residents_paragraphs(client, moderation):
    text = "On se retrouve pour partager.\n\nOuvert à tous & à toutes, <b>sans inscription</b>."

    event = publish_proposal(client, moderation, text=text)

    assert event.summary == "On se retrouve pour partager.\nOuvert à tous & à toutes, sans inscription."
    html = client.get(event.url).content.decode()
    assert "partager.<br>Ouvert à tous &amp; à toutes" in html
    assert "partager.Ouvert" not in words(client.get(event.url))


def test_a_long_text_makes_a_summary_of_at_most_280_characters(client, moderation):
    event = publish_proposal(client, moderation, text="Un mot. " * 100)

    assert len(event.summary) <= 280 and event.summary.endswith("…")


def test_the_moderator_can_edit_a_residents_event_without_giving_it_an_association(client, moderation):
    event = publish_proposal(client, moderation)
    moderator = client.__class__()
    moderator.force_login(moderation["moderator"])

    response = moderator.post(
        f"/admin/pages/{event.pk}/edit/", admin_edit_data(event, title="Fête des voisins (corrigée)")
    )

    assert response.status_code == 302, page_text(response)
    event.refresh_from_db()
    assert event.get_latest_revision_as_object().title == "Fête des voisins (corrigée)"
    assert event.acteur is None


def test_an_event_with_neither_association_nor_display_name_is_refused(client, moderation):
    event = publish_proposal(client, moderation)
    moderator = client.__class__()
    moderator.force_login(moderation["moderator"])

    response = moderator.post(f"/admin/pages/{event.pk}/edit/", admin_edit_data(event, display_name=""))

    assert response.status_code == 200
    assert (
        "Choisissez l&#x27;association organisatrice, ou indiquez le nom affiché" in response.content.decode()
    )


@pytest.mark.parametrize(
    ("is_free", "price", "shown"),
    [("True", "", "Gratuit"), ("False", "3 €", "3 €"), ("", "", "Tarif non précisé")],
)
def test_the_price_shows_what_was_said(client, moderation, is_free, price, shown):
    event = publish_proposal(client, moderation)
    moderator = client.__class__()
    moderator.force_login(moderation["moderator"])

    data = admin_edit_data(event, is_free=is_free, price=price, **{"action-publish": "action-publish"})
    response = moderator.post(f"/admin/pages/{event.pk}/edit/", data)

    assert response.status_code == 302, page_text(response)
    assert f"Tarif {shown} " in words(client.get(event.url))


def test_paying_without_a_price_is_refused_in_french(client, moderation):
    event = publish_proposal(client, moderation)
    moderator = client.__class__()
    moderator.force_login(moderation["moderator"])

    response = moderator.post(
        f"/admin/pages/{event.pk}/edit/", admin_edit_data(event, is_free="False", price="")
    )

    assert response.status_code == 200
    assert "Indiquez le tarif, ou choisissez" in response.content.decode()
    event.refresh_from_db()
    assert event.is_free is None


def test_an_event_proposed_next_week_is_in_that_weeks_programme(client, moderation):
    event = publish_proposal(client, moderation)

    day = timezone.localdate() + timedelta(days=7)
    assert event.title in words(client.get(f"/agenda/programme/?date={day.isoformat()}"))
