"""Job-seeker follow-up: records, consents, notes and the access log of every read and write."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partners import actions
from partners.models import AccessLog, Consent, FollowUpNote, JobSeeker
from tests.conftest import note_data, page_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_note_is_recorded_with_a_confirmation_and_moves_the_last_contact(client, partner_world):
    record = partner_world.records["shared"]
    JobSeeker.objects.filter(pk=record.pk).update(last_contact_on=TODAY() - datetime.timedelta(days=30))
    client.force_login(partner_world.users["partenaire1"])

    response = client.post(
        reverse("partners:note_create", args=[record.pk]),
        note_data(partner_world, text="Atelier « Candidater en ligne » : deux candidatures envoyées."),
        follow=True,
    )

    assert "La note de suivi est enregistrée." in page_text(response)
    note = record.notes.get(text="Atelier « Candidater en ligne » : deux candidatures envoyées.")
    assert (note.author, note.organisation, note.kind) == (
        partner_world.users["partenaire1"],
        partner_world.organisations["resoudre"],
        FollowUpNote.Kind.WORKSHOP,
    )
    record.refresh_from_db()
    assert record.last_contact_on == TODAY()
    assert AccessLog.objects.filter(
        action=AccessLog.Action.NOTE_ADD, target_id=note.pk, record_id=record.pk
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": "   "}, "text", "la note ne peut pas être vide"),
        (
            {"next_step_on": (TODAY() - datetime.timedelta(days=1)).isoformat()},
            "next_step_on",
            "La date de la prochaine étape est déjà passée",
        ),
        (
            {"date": (TODAY() + datetime.timedelta(days=2)).isoformat()},
            "date",
            "ne peut pas être dans le futur",
        ),
        ({"next_step": ""}, "next_step", "Décrivez la prochaine étape"),
    ],
    ids=["empty-text", "next-step-in-the-past", "date-in-the-future", "next-step-date-without-step"],
)
def test_bad_note_gets_a_french_message_next_to_the_field_and_stores_nothing(
    client, partner_world, overrides, field, message
):
    record = partner_world.records["shared"]
    client.force_login(partner_world.users["partenaire1"])
    notes_before = FollowUpNote.objects.count()
    logs_before = AccessLog.objects.count()

    response = client.post(
        reverse("partners:note_create", args=[record.pk]), note_data(partner_world, **overrides)
    )

    assert response.status_code == 200
    html = page_text(response)
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert f'href="#id_{field}"' in html
    assert FollowUpNote.objects.count() == notes_before
    assert AccessLog.objects.count() == logs_before


def test_note_rules_hold_in_the_action_too(partner_world):
    with pytest.raises(ValidationError) as error:
        actions.record_note(
            partner_world.users["partenaire1"],
            partner_world.records["shared"],
            organisation=partner_world.organisations["resoudre"],
            text="",
            next_step="Rappeler",
            next_step_on=TODAY() - datetime.timedelta(days=3),
        )
    assert set(error.value.message_dict) == {"text", "next_step_on"}


def test_organisation_without_full_consent_cannot_write_a_note(partner_world):
    with pytest.raises(ValidationError, match="pas l'accord"):
        actions.record_note(
            partner_world.users["partenaire1"],
            partner_world.records["record_only"],
            organisation=partner_world.organisations["resoudre"],
            text="Une note",
        )


def test_note_form_reminds_to_write_facts_and_nothing_sensitive(client, partner_world):
    client.force_login(partner_world.users["partenaire2"])

    html = page_text(client.get(reverse("partners:note_create", args=[partner_world.records["shared"].pk])))

    assert "Écrivez des faits" in html
    for word in ("santé", "religion", "opinions politiques"):
        assert word in html


def test_only_the_author_edits_a_note_and_the_edit_is_logged(client, partner_world):
    note = partner_world.notes["shared_by_p2"]
    client.force_login(partner_world.users["partenaire2"])

    response = client.post(
        reverse("partners:note_edit", args=[note.pk]),
        {"date": note.date.isoformat(), "kind": "entretien", "text": "Entretien : dossier remis."},
        follow=True,
    )

    assert "La note de suivi est modifiée." in page_text(response)
    note.refresh_from_db()
    assert note.text == "Entretien : dossier remis."
    assert note.organisation == partner_world.organisations["mission"]
    assert AccessLog.objects.filter(action=AccessLog.Action.NOTE_EDIT, target_id=note.pk).exists()


def test_withdrawing_consent_removes_access_on_the_next_request(client, partner_world):
    record = partner_world.records["shared"]
    consent = partner_world.consents["shared_mission"]
    partner2 = partner_world.users["partenaire2"]
    record_url = reverse("partners:record_detail", args=[record.pk])
    file_url = reverse("partners:file_detail", args=[partner_world.files["linked_shared"].pk])
    client.force_login(partner2)
    assert client.get(record_url).status_code == 200
    assert client.get(file_url).status_code == 200

    owner = type(client)()
    owner.force_login(partner_world.users["partenaire1"])
    confirmation = owner.get(reverse("partners:consent_withdraw", args=[consent.pk]))
    assert "Retirer l'accord donné à Mission locale ?" in page_text(confirmation)
    response = owner.post(reverse("partners:consent_withdraw", args=[consent.pk]), follow=True)
    assert "Mission locale n'a plus accès à cette fiche." in page_text(response)

    assert client.get(record_url).status_code == 404
    assert client.get(file_url).status_code == 404
    assert client.get(reverse("partners:note_create", args=[record.pk])).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == partner_world.users["partenaire1"]
    assert AccessLog.objects.filter(action=AccessLog.Action.CONSENT_WITHDRAW, target_id=consent.pk).exists()


def test_referent_organisation_consent_cannot_be_withdrawn(partner_world):
    with pytest.raises(ValidationError, match="effacez sa fiche"):
        actions.withdraw_consent(
            partner_world.users["partenaire1"], partner_world.consents["shared_referent"]
        )


def test_new_consent_with_record_only_scope_shows_the_record_but_not_the_notes(client, partner_world):
    record = partner_world.records["resoudre_only"]
    client.force_login(partner_world.users["partenaire1"])

    response = client.post(
        reverse("partners:consent_create", args=[record.pk]),
        {
            "organisation": partner_world.organisations["courteline"].pk,
            "scope": Consent.Scope.RECORD,
            "given_on": TODAY().isoformat(),
            "confirm": "on",
        },
        follow=True,
    )

    assert "L'accord de partage avec Association socioculturelle Courteline est enregistré." in page_text(
        response
    )
    client.force_login(partner_world.users["partenaire3"])
    html = page_text(client.get(reverse("partners:record_detail", args=[record.pk])))
    assert "Sophie Lambert" in html and partner_world.notes["resoudre_only_by_p1"].text not in html
    assert client.get(reverse("partners:note_create", args=[record.pk])).status_code == 404


def test_consent_needs_the_confirmation_box(client, partner_world):
    record = partner_world.records["resoudre_only"]
    client.force_login(partner_world.users["partenaire1"])

    response = client.post(
        reverse("partners:consent_create", args=[record.pk]),
        {
            "organisation": partner_world.organisations["mission"].pk,
            "scope": "suivi",
            "given_on": TODAY().isoformat(),
        },
    )

    assert "sans l'accord de la personne, rien n'est partagé" in page_text(response)
    assert record.consents.count() == 1


def test_record_is_created_only_with_the_person_consent(client, partner_world):
    client.force_login(partner_world.users["partenaire2"])
    url = reverse("partners:record_create")
    data = {
        "first_name": "Awa",
        "last_name": "Diallo",
        "email": "",
        "phone": "",
        "status": JobSeeker.Status.SEARCHING,
        "organisation": partner_world.organisations["mission"].pk,
        "referent": partner_world.users["partenaire2"].pk,
        "last_contact_on": TODAY().isoformat(),
        "consent_given_on": TODAY().isoformat(),
    }

    refused = client.post(url, data)
    assert "Sans l'accord de la personne, sa fiche ne peut pas être créée." in page_text(refused)
    assert not JobSeeker.objects.filter(last_name="Diallo").exists()

    response = client.post(url, {**data, "consent": "on"}, follow=True)

    assert "La fiche de Awa Diallo est créée." in page_text(response)
    record = JobSeeker.objects.get(last_name="Diallo")
    consent = record.consents.get()
    assert (consent.organisation, consent.scope, consent.recorded_by) == (
        partner_world.organisations["mission"],
        Consent.Scope.FULL,
        partner_world.users["partenaire2"],
    )
    assert AccessLog.objects.filter(action=AccessLog.Action.CREATE, record_id=record.pk).exists()


def test_referent_must_belong_to_the_referent_organisation(client, partner_world):
    client.force_login(partner_world.users["partenaire1"])

    response = client.post(
        reverse("partners:record_edit", args=[partner_world.records["shared"].pk]),
        {
            "first_name": "Inès",
            "last_name": "Moreau",
            "status": JobSeeker.Status.TRAINING,
            "referent": partner_world.users["partenaire2"].pk,
            "last_contact_on": TODAY().isoformat(),
        },
    )

    assert response.status_code == 200
    assert 'id="id_referent_error"' in page_text(response)
    partner_world.records["shared"].refresh_from_db()
    assert partner_world.records["shared"].status == JobSeeker.Status.SEARCHING


def test_record_edit_is_confirmed_and_logged(client, partner_world):
    record = partner_world.records["shared"]
    client.force_login(partner_world.users["partenaire2"])

    response = client.post(
        reverse("partners:record_edit", args=[record.pk]),
        {
            "first_name": "Inès",
            "last_name": "Moreau",
            "status": JobSeeker.Status.TRAINING,
            "referent": partner_world.users["partenaire1"].pk,
            "last_contact_on": TODAY().isoformat(),
        },
        follow=True,
    )

    assert "La fiche est mise à jour." in page_text(response)
    record.refresh_from_db()
    assert record.status == JobSeeker.Status.TRAINING
    entry = AccessLog.objects.filter(action=AccessLog.Action.UPDATE).get()
    assert (entry.user, entry.record_id) == (partner_world.users["partenaire2"], record.pk)


def test_every_record_read_is_logged(client, partner_world):
    record = partner_world.records["shared"]
    client.force_login(partner_world.users["partenaire2"])
    before = AccessLog.objects.filter(action=AccessLog.Action.VIEW).count()

    client.get(reverse("partners:record_detail", args=[record.pk]))
    client.get(reverse("partners:record_edit", args=[record.pk]))

    views = AccessLog.objects.filter(action=AccessLog.Action.VIEW).order_by("pk")[before:]
    assert [(entry.username, entry.record_id, entry.target_type) for entry in views] == [
        ("partenaire2", record.pk, "record"),
        ("partenaire2", record.pk, "record"),
    ]
    assert all(abs(entry.at - timezone.now()) < datetime.timedelta(minutes=1) for entry in views)


def test_denied_read_is_logged_as_a_denial_not_as_a_read(client, partner_world):
    client.force_login(partner_world.users["partenaire3"])
    before = AccessLog.objects.latest("pk").pk

    assert (
        client.get(reverse("partners:record_detail", args=[partner_world.records["shared"].pk])).status_code
        == 404
    )

    logged = AccessLog.objects.filter(pk__gt=before).values_list("username", "action", "record_id")
    assert list(logged) == [("partenaire3", AccessLog.Action.DENIED, partner_world.records["shared"].pk)]


def test_record_log_lists_who_did_what(client, partner_world):
    record = partner_world.records["shared"]
    client.force_login(partner_world.users["partenaire2"])
    client.get(reverse("partners:record_detail", args=[record.pk]))
    client.force_login(partner_world.users["partenaire1"])

    html = page_text(client.get(reverse("partners:record_log", args=[record.pk])))

    assert "Consultation de la fiche" in html
    assert "Partenaire2" in html
    assert "Ajout d'une note" in html
    assert "Création de la fiche" in html


def test_dashboard_shows_due_next_steps_and_my_follow_ups(client, partner_world):
    p1 = partner_world.users["partenaire1"]
    record = partner_world.records["shared"]
    actions.record_note(
        p1,
        record,
        organisation=partner_world.organisations["resoudre"],
        text="Point sur les candidatures.",
        next_step="Relancer l'employeur",
        next_step_on=TODAY() + datetime.timedelta(days=3),
    )
    actions.record_note(
        p1,
        partner_world.records["resoudre_only"],
        organisation=partner_world.organisations["resoudre"],
        text="Signature du contrat prévue.",
        next_step="Appeler après la signature",
        next_step_on=TODAY() + datetime.timedelta(days=60),
    )
    client.force_login(p1)

    html = page_text(client.get(reverse("partners:dashboard")))

    assert "Relancer l'employeur" in html
    assert "Appeler après la signature" not in html
    assert "Inès Moreau" in html and "Sophie Lambert" in html
    assert "Compte rendu réunion v2.txt" in html


def test_member_without_organisation_is_told_so(client, partner_world):
    client.force_login(partner_world.users["moderatrice"])

    html = page_text(client.get(reverse("partners:dashboard")))

    assert "rattaché à aucune organisation partenaire" in html
