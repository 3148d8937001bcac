"""Residents propose without an account; moderators decide; the follow-up page tells them."""

import html as html_module
import io
import re
from datetime import timedelta

import pytest
from PIL import Image as PILImage

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Page, TaskState

from posts.models import EventPage, PortraitConsent, PortraitPage, ProjectNewsPage, Proposal
from posts.proposals import SYSTEM_USERNAME
from tests.conftest import page_text
from tests.xss_corpus import XSS_PAYLOADS, active_content

pytestmark = pytest.mark.django_db

NEXT_WEEK = (timezone.localdate() + timedelta(days=7)).isoformat()


def event_data(**overrides):
    data = {
        "title": "Fête des voisins de la rue Jean-Bart",
        "day": NEXT_WEEK,
        "start_time": "18:00",
        "end_time": "22:00",
        "place_name": "Square de la Rabière",
        "place_address": "Rue Jean-Bart, Joué-lès-Tours",
        "text": "Chacun apporte un plat.\n\nMusique à partir de 20 h.",
        "display_name": "Lina",
        "contact_email": "lina@example.org",
    }
    data.update(overrides)
    return data


def portrait_data(**overrides):
    data = {
        "person_name": "Mireille",
        "role": "bénévole à l'aide aux devoirs",
        "text": "Mireille aide les enfants du quartier depuis dix ans.",
        "consent": "on",
        "consent_given_by": "Mireille Dupont",
        "display_name": "Karim",
    }
    data.update(overrides)
    return data


def news_data(**overrides):
    data = {
        "title": "Le jardin partagé s'agrandit",
        "project_name": "Jardin partagé",
        "text": "Six nouvelles parcelles sont ouvertes.",
        "display_name": "Les jardiniers",
    }
    data.update(overrides)
    return data


FORMS = {"evenement": event_data, "portrait": portrait_data, "actualite": news_data}


def propose(client, kind, data):
    return client.post(reverse("propose", args=[kind]), data)


def photo_upload(name="photo.jpg"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (200, 120), (20, 120, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def workflow_action(client, page, action, comment=""):
    task_state = TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


# --- The path a resident takes --------------------------------------------------------------


def test_propose_page_offers_the_three_kinds_without_account(client, moderation):
    response = client.get("/proposer/")

    assert response.status_code == 200
    html = page_text(response)
    for kind in ("evenement", "portrait", "actualite"):
        assert f'href="/proposer/{kind}/"' in html


def test_event_proposal_becomes_a_draft_in_moderation_with_a_follow_up_code(client, moderation):
    response = propose(client, "evenement", event_data())

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/proposer/recu/{proposal.code}/"
    event = EventPage.objects.get()
    assert event.get_parent().pk == moderation["sections"]["agenda"].pk
    assert not event.live
    assert event.owner.username == SYSTEM_USERNAME
    assert not event.owner.is_active
    assert event.display_name == "Lina"
    assert event.acteur is None  # proposed in the resident's own name
    assert event.start.astimezone(timezone.get_current_timezone()).strftime("%H:%M") == "18:00"
    assert event.workflow_in_progress
    assert proposal.page.pk == event.pk and proposal.status == Proposal.Status.PENDING
    receipt = client.get(response["Location"]).content.decode()
    assert proposal.code in receipt


def test_follow_up_code_is_unguessable_and_typed_loosely(client, moderation):
    propose(client, "evenement", event_data())
    proposal = Proposal.objects.get()

    assert len(proposal.code) == 14 and proposal.code.count("-") == 2
    loose = proposal.code.replace("-", "").lower()
    assert client.get(f"/proposer/suivi/{loose}/").status_code == 200
    assert client.get("/proposer/suivi/AAAA-BBBB-CCCC/").status_code == 404
    assert client.get("/proposer/?code=AAAA-BBBB-CCCC").status_code == 200


def test_approval_publishes_and_follow_up_shows_each_state(client, moderation):
    propose(client, "evenement", event_data())
    proposal = Proposal.objects.get()
    status_url = f"/proposer/suivi/{proposal.code}/"
    assert "En attente de relecture" in page_text(client.get(status_url))
    event = EventPage.objects.get()
    assert client.get(event.url).status_code == 404

    moderator_client = client.__class__()
    moderator_client.force_login(moderation["moderator"])
    response = workflow_action(moderator_client, event, "approve")

    assert response.status_code in (200, 302)
    event.refresh_from_db()
    assert event.live
    assert client.get(event.url).status_code == 200
    html = page_text(client.get(status_url))
    assert "Publiée" in html and f'href="{event.url}"' in html
    resident_mail = [message for message in mail.outbox if message.to == ["lina@example.org"]]
    assert len(resident_mail) == 1 and "publiée" in resident_mail[0].subject


def test_rejection_reason_appears_on_follow_up_and_in_the_e_mail(client, moderation):
    propose(client, "evenement", event_data())
    proposal = Proposal.objects.get()
    event = EventPage.objects.get()
    moderator_client = client.__class__()
    moderator_client.force_login(moderation["moderator"])

    workflow_action(
        moderator_client, event, "reject", comment="La date tombe pendant la fermeture du square."
    )

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED
    html = page_text(client.get(f"/proposer/suivi/{proposal.code}/"))
    assert "Non retenue" in html
    assert "La date tombe pendant la fermeture du square." in html
    resident_mail = [message for message in mail.outbox if message.to == ["lina@example.org"]]
    assert "La date tombe pendant la fermeture du square." in resident_mail[0].body
    event.refresh_from_db()
    assert not event.live


def test_moderators_only_are_told_with_kind_title_and_link(client, moderation, make_user):
    make_user("superviseuse", email="super@example.org", is_superuser=True, is_staff=True)
    make_user("autre", email="autre@example.org")

    propose(client, "actualite", news_data())

    page = ProjectNewsPage.objects.get()
    to_moderators = [message for message in mail.outbox if "moderatrice@example.org" in message.to]
    assert len(mail.outbox) == 1 and len(to_moderators) == 1
    message = to_moderators[0]
    assert message.to == ["moderatrice@example.org"]
    assert "Actualité" in message.subject and "Le jardin partagé s'agrandit" in message.subject
    assert f"/admin/pages/{page.pk}/edit/" in message.body
    assert "Les jardiniers" in message.body


def test_portrait_proposal_records_the_consent_and_news_its_project(client, moderation):
    propose(client, "portrait", portrait_data())
    propose(client, "actualite", news_data())

    portrait = PortraitPage.objects.get()
    assert portrait.title == "Portrait de Mireille"
    assert portrait.person_name == "Mireille" and not portrait.live
    consent = PortraitConsent.objects.get(portrait=portrait)
    assert consent.given_by == "Mireille Dupont"
    assert consent.method == PortraitConsent.Method.ONLINE
    news = ProjectNewsPage.objects.get()
    assert news.project_name == "Jardin partagé"
    assert news.get_parent().pk == moderation["sections"]["news"].pk


def test_photo_is_stored_re_encoded_with_its_description(client, moderation):
    data = event_data(photo=photo_upload("IMG_2031.jpg"), photo_alt="Des voisins autour d'une table")

    propose(client, "evenement", data)

    event = EventPage.objects.get()
    assert event.image is not None
    assert event.image_alt == "Des voisins autour d'une table"
    assert "IMG_2031" not in event.image.file.name


# --- Residents' photos: hidden from associations until the decision ---------------------------


@pytest.fixture
def association_staff(moderation, make_user):
    """A member of an association's staff in the admin, with an image of their own."""
    from django.test import Client

    from posts.models import ActeurPage

    staff = make_user("courteline")
    staff.groups.add(ActeurPage.objects.get(pk=moderation["host"].pk).staff_group)
    staff_client = Client()
    staff_client.force_login(staff)
    own = staff_client.post(
        reverse("wagtailimages:add"), {"title": "Affiche du loto", "file": photo_upload("affiche.jpg")}
    )
    assert own.status_code == 302
    return staff_client


def offered_images(client) -> str:
    """The image listing and the image chooser of the admin, as this user sees them."""
    listing = client.get(reverse("wagtailimages:index")).content.decode()
    chooser = client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    return html_module.unescape(listing + chooser)


def moderator_client(moderation):
    from django.test import Client

    logged_in = Client()
    logged_in.force_login(moderation["moderator"])
    return logged_in


def test_residents_photo_is_not_offered_to_associations_while_pending_and_deleted_when_declined(
    client, moderation, association_staff, django_capture_on_commit_callbacks
):
    propose(client, "evenement", event_data(photo=photo_upload(), photo_alt="Des voisins à table"))
    event = EventPage.objects.get()
    photo = event.image
    moderators = moderator_client(moderation)

    assert "Affiche du loto" in offered_images(association_staff)
    assert photo.title not in offered_images(association_staff)
    assert association_staff.get(reverse("wagtailimages:edit", args=[photo.pk])).status_code != 200
    assert photo.title in offered_images(moderators)

    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(moderators, event, "reject", comment="Pas de date précise.")

    assert not get_image_model().objects.filter(pk=photo.pk).exists()
    assert not photo.file.storage.exists(photo.file.name)
    assert photo.title not in offered_images(association_staff)
    assert Proposal.objects.get().status == Proposal.Status.DECLINED
    # The declined draft still opens, without its photo.
    assert moderators.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).status_code == 200


def test_photo_of_a_deleted_proposal_is_erased_by_the_daily_purge_a_day_later(
    client, moderation, django_capture_on_commit_callbacks
):
    propose(client, "evenement", event_data(photo=photo_upload(), photo_alt="Des voisins à table"))
    propose(
        client, "evenement", event_data(title="Repas partagé", photo=photo_upload(), photo_alt="Une table")
    )
    deleted, pending = EventPage.objects.order_by("pk")
    photo, kept = deleted.image, pending.image
    deleted.delete()
    images = get_image_model().objects.filter(pk__in=[photo.pk, kept.pk])

    call_command("purge_expired", stdout=io.StringIO())
    assert images.count() == 2  # not before a day: the proposal may still be on its way

    images.update(created_at=timezone.now() - timedelta(days=2))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired", stdout=out)

    assert list(images) == [kept]
    assert not photo.file.storage.exists(photo.file.name)
    assert "(proposition supprimée) effacées : 1" in out.getvalue()


def test_residents_photo_is_offered_to_associations_once_published(client, moderation, association_staff):
    propose(client, "evenement", event_data(photo=photo_upload(), photo_alt="Des voisins à table"))
    event = EventPage.objects.get()

    workflow_action(moderator_client(moderation), event, "approve")

    event.refresh_from_db()
    assert event.live and event.image is not None
    assert event.image.title in offered_images(association_staff)


def test_portrait_photo_stays_with_its_portrait_once_published(client, moderation, association_staff):
    propose(client, "portrait", portrait_data(photo=photo_upload(), photo_alt="Mireille qui sourit"))
    portrait = PortraitPage.objects.get()

    workflow_action(moderator_client(moderation), portrait, "approve")

    portrait.refresh_from_db()
    assert portrait.live and portrait.image is not None
    assert "Mireille qui sourit" in page_text(client.get(portrait.url))
    # Its person consented to this portrait, not to the photo's reuse by every association.
    assert portrait.image.title not in offered_images(association_staff)


def test_portrait_photo_is_deleted_when_its_consent_is_withdrawn(
    client, moderation, django_capture_on_commit_callbacks
):
    from posts.actions import withdraw_consent

    propose(client, "portrait", portrait_data(photo=photo_upload(), photo_alt="Mireille qui sourit"))
    portrait = PortraitPage.objects.get()
    workflow_action(moderator_client(moderation), portrait, "approve")
    photo = PortraitPage.objects.get().image

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(portrait.consents.get(), user=moderation["moderator"])

    assert not get_image_model().objects.filter(pk=photo.pk).exists()
    assert not photo.file.storage.exists(photo.file.name)
    assert PortraitPage.objects.get().image is None


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "overrides", "field", "message"),
    [
        ("evenement", {"day": "2020-01-01"}, "day", "Cette date est passée"),
        ("evenement", {"end_time": "17:00"}, "end_time", "L'heure de fin doit être après l'heure de début."),
        ("evenement", {"day": "31/02/2027"}, "day", "Saisissez une date valide."),
        ("evenement", {"title": ""}, "title", "Champ requis."),
        ("evenement", {"title": "x" * 500}, "title", "Assurez-vous que cette valeur comporte au plus 120"),
        ("portrait", {"consent": ""}, "consent", "Sans l'accord de la personne"),
        ("actualite", {"project_name": ""}, "project_name", "Indiquez l'association ou le nom du projet."),
        (
            "actualite",
            {"contact_email": "pas-une-adresse"},
            "contact_email",
            "Saisissez une adresse de courriel valide.",
        ),
    ],
)
def test_invalid_proposal_is_refused_with_a_french_message_and_keeps_the_input(
    client, moderation, kind, overrides, field, message
):
    data = FORMS[kind](**overrides)

    response = propose(client, kind, data)

    assert response.status_code == 400
    html = page_text(response)
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert 'class="error-summary"' in html
    assert data["display_name"] in html
    assert not Proposal.objects.exists()


def test_photo_without_description_is_refused(client, moderation):
    response = propose(client, "evenement", event_data(photo=photo_upload()))

    assert response.status_code == 400
    assert "Décrivez la photo en une phrase." in page_text(response)
    assert not Proposal.objects.exists()


BAD_UPLOADS = {
    "executable renamed .jpg": ("vacances.jpg", b"MZ\x90\x00" + b"\x00" * 300, "n'est pas une photo lisible"),
    "svg with script": (
        "dessin.jpg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "n'est pas une photo lisible",
    ),
    "truncated png": ("coupee.png", None, "n'est pas une photo lisible"),
    "zero-byte file": ("vide.jpg", b"", "vide"),
}


def truncated_png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 300), (1, 2, 3)).save(buffer, "PNG")
    data = buffer.getvalue()
    return data[: len(data) // 2]


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_upload_is_refused_nothing_stored_form_kept(client, moderation, case):
    name, content, message = BAD_UPLOADS[case]
    content = truncated_png() if content is None else content
    images_before = get_image_model().objects.count()
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")

    response = propose(client, "evenement", event_data(photo=upload, photo_alt="Une photo"))

    assert response.status_code == 400
    html = page_text(response)
    assert message in html and 'id="id_photo_error"' in html
    assert "Fête des voisins de la rue Jean-Bart" in html
    assert not Proposal.objects.exists() and not EventPage.objects.exists()
    assert get_image_model().objects.count() == images_before


@override_settings(AGORA_UPLOAD_MAX_BYTES=2_000)
def test_oversized_upload_is_refused(client, moderation):
    upload = SimpleUploadedFile("grande.jpg", b"\xff\xd8" + b"\x00" * 5_000, content_type="image/jpeg")

    response = propose(client, "evenement", event_data(photo=upload, photo_alt="Une photo"))

    assert response.status_code == 400
    assert "trop lourde" in page_text(response)
    assert not Proposal.objects.exists()


def test_decompression_bomb_upload_is_refused(client, moderation):
    from tests.test_uploads import decompression_bomb_png

    upload = SimpleUploadedFile("bombe.png", decompression_bomb_png(), content_type="image/png")

    response = propose(client, "evenement", event_data(photo=upload, photo_alt="Une photo"))

    assert response.status_code == 400
    assert "trop de pixels" in page_text(response)
    assert not Proposal.objects.exists()


def test_honeypot_filled_stores_nothing(client, moderation):
    response = propose(client, "evenement", event_data(site_web="http://spam.example"))

    assert response.status_code == 400
    assert "n'a pas pu être envoyée" in page_text(response)
    assert not Proposal.objects.exists() and not EventPage.objects.exists()


def test_honeypot_is_hidden_from_people(client, moderation):
    html = client.get("/proposer/evenement/").content.decode()

    assert '<div class="visually-hidden" aria-hidden="true">' in html
    assert 'name="site_web"' in html and 'tabindex="-1"' in html


@override_settings(AGORA_PROPOSALS_PER_HOUR=2)
def test_rate_limit_per_address_with_a_clear_message(client, moderation):
    assert propose(client, "actualite", news_data()).status_code == 302
    assert propose(client, "actualite", news_data()).status_code == 302

    response = propose(client, "actualite", news_data(title="Une troisième"))

    assert response.status_code == 429
    html = page_text(response)
    assert "Réessayez dans une heure" in html and "Une troisième" in html
    assert Proposal.objects.count() == 2
    other_address = client.post(reverse("propose", args=["actualite"]), news_data(), REMOTE_ADDR="10.9.8.7")
    assert other_address.status_code == 302


@override_settings(AGORA_PROPOSALS_PER_HOUR=1000)
@pytest.mark.parametrize("kind", list(FORMS))
def test_no_xss_payload_survives_in_any_rendered_page(client, moderation, kind):
    """Every payload goes through every text field of the form; none renders as live markup."""
    text_fields = {
        "evenement": ["title", "place_name", "place_address", "text", "display_name"],
        "portrait": ["person_name", "role", "text", "consent_given_by", "display_name"],
        "actualite": ["title", "project_name", "text", "display_name"],
    }[kind]
    accepted = 0
    for number, payload in enumerate(XSS_PAYLOADS):
        data = FORMS[kind](**dict.fromkeys(text_fields, f"{payload} {number}"[:110]))
        response = propose(client, kind, data)
        if response.status_code == 400:
            # Refused outright (a null byte): the form comes back with a message, inert too.
            assert "caractère nul" in page_text(response), payload
            pages = [response]
        else:
            assert response.status_code == 302, (payload, page_text(response)[:500])
            accepted += 1
            proposal = Proposal.objects.latest("pk")
            page = proposal.page.specific
            page.save_revision().publish()
            urls = (page.url, f"/proposer/suivi/{proposal.code}/", f"/proposer/recu/{proposal.code}/")
            pages = [client.get(url) for url in urls]
        for rendered in pages:
            html = rendered.content.decode()
            main = html[html.index("<main") : html.index("</main>")]
            # The receipt's QR code is Agora's own SVG, drawn from the follow-up URL only.
            main = re.sub(r'<figure class="receipt__qr">.*?</figure>', "", main, flags=re.DOTALL)
            # The refused form itself is a <form> with <input>s: anything else is the payload.
            problems = [found for found in active_content(main) if found not in {"<form>", "<input>"}]
            assert problems == [], (payload, rendered)
    assert Proposal.objects.count() == accepted >= len(XSS_PAYLOADS) - 1


def test_pages_and_follow_up_are_never_cached_by_the_browser(client, moderation):
    response = client.get("/proposer/evenement/")

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_proposals_closed_without_sections(client, db, make_user):
    Page.objects.filter(depth__gt=2).delete()

    response = propose(client, "actualite", news_data())

    assert response.status_code == 503
    assert "pas encore ouvertes" in page_text(response)


class FailingEmailBackend:
    """An SMTP server that is down: every send raises."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("serveur de messagerie injoignable")


@override_settings(EMAIL_BACKEND="tests.test_proposals.FailingEmailBackend")
def test_proposal_is_kept_when_the_mail_server_is_down(client, moderation):
    response = propose(client, "evenement", event_data())

    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.page.specific.workflow_in_progress
    assert client.get(f"/proposer/suivi/{proposal.code}/").status_code == 200


def test_double_click_makes_one_proposal_and_the_same_receipt(client, moderation):
    form_html = page_text(client.get("/proposer/actualite/"))
    token = re.search(r'name="envoi" value="([^"]+)"', form_html).group(1)
    data = news_data(envoi=token)

    first = propose(client, "actualite", data)
    second = propose(client, "actualite", data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Proposal.objects.count() == 1
    another_form = page_text(client.get("/proposer/actualite/"))
    assert f'value="{token}"' not in another_form


def test_right_to_left_and_emoji_text_is_kept(client, moderation):
    title = "عيد الجيران 🎉 Fête des voisins"

    response = propose(
        client, "actualite", news_data(title=title, text="مرحبا بالجميع 😊\n\nBienvenue à toutes et tous")
    )

    assert response.status_code == 302
    page = ProjectNewsPage.objects.get()
    assert page.title == title
    page.save_revision().publish()
    html = page_text(client.get(page.url))
    assert title in html and "مرحبا بالجميع 😊" in html


def test_missing_csrf_token_is_a_clean_403(moderation):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    response = strict.post(reverse("propose", args=["actualite"]), news_data())

    assert response.status_code == 403
    html = page_text(response)
    assert '<html lang="fr">' in html and "Formulaire expiré" in html
    assert not Proposal.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_huge_form_body_is_a_clean_400(client, moderation):
    from django.test import Client

    lenient = Client(raise_request_exception=False)
    response = lenient.post(reverse("propose", args=["actualite"]), news_data(text="x" * 50_000))

    assert response.status_code == 400
    html = page_text(response)
    assert '<html lang="fr">' in html and "Envoi refusé" in html
    assert not Proposal.objects.exists()
