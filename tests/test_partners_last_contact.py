"""The date of last contact decides when the daily purge erases a record: moving it back must
not be a way to erase a record without the erase right."""

import datetime
import io

import pytest

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from partners import actions
from partners.models import AccessLog, JobSeeker
from tests.conftest import note_data, page_text, record_form_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)
BACKDATE_REFUSED = "La date du dernier contact ne peut pas reculer avant le"


def age(record: JobSeeker, *, created_days_ago: int, last_contact: datetime.date) -> JobSeeker:
    JobSeeker.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - created_days_ago * DAY, last_contact_on=last_contact
    )
    record.refresh_from_db()
    return record


def edit(client, record, day: datetime.date):
    return client.post(
        reverse("partners:record_edit", args=[record.pk]),
        record_form_data(record, last_contact_on=day.isoformat()),
    )


def purge() -> None:
    call_command("purge_expired", stdout=io.StringIO())


def test_partner_without_erase_right_cannot_backdate_the_last_contact_to_have_the_record_purged(
    client, partner_world
):
    # Mission locale follows Inès's record but may not erase it; the record is three years
    # old, so the rule of the creation date alone would not save it.
    record = age(partner_world.records["shared"], created_days_ago=3 * 365, last_contact=TODAY() - 10 * DAY)
    client.force_login(partner_world.users["partenaire2"])

    response = edit(client, record, datetime.date(2001, 1, 1))

    assert response.status_code == 200
    html = page_text(response)
    assert BACKDATE_REFUSED in html
    assert 'id="id_last_contact_on_error"' in html
    record.refresh_from_db()
    assert record.last_contact_on == TODAY() - 10 * DAY
    purge()
    assert JobSeeker.objects.filter(pk=record.pk).exists()


def test_last_contact_rule_holds_in_the_action_too(partner_world):
    record = age(partner_world.records["shared"], created_days_ago=3 * 365, last_contact=TODAY() - 10 * DAY)

    with pytest.raises(ValidationError) as error:
        actions.update_record(
            partner_world.users["partenaire2"], record, last_contact_on=datetime.date(2001, 1, 1)
        )

    assert set(error.value.message_dict) == {"last_contact_on"}
    record.refresh_from_db()
    assert record.last_contact_on == TODAY() - 10 * DAY


def test_last_contact_moves_back_seven_days_at_most_even_with_the_erase_right(client, partner_world):
    record = age(partner_world.records["shared"], created_days_ago=60, last_contact=TODAY())
    client.force_login(partner_world.users["partenaire1"])

    assert BACKDATE_REFUSED in page_text(edit(client, record, TODAY() - 8 * DAY))
    assert edit(client, record, TODAY() - 7 * DAY).status_code == 302
    record.refresh_from_db()
    assert record.last_contact_on == TODAY() - 7 * DAY

    # Corrections do not add up: seven days below the latest date the record has had.
    refused = edit(client, record, TODAY() - 8 * DAY)
    assert BACKDATE_REFUSED in page_text(refused)
    assert edit(client, record, TODAY() - 3 * DAY).status_code == 302
    record.refresh_from_db()
    assert record.last_contact_on == TODAY() - 3 * DAY


def test_last_contact_never_moves_back_before_the_record_was_created(client, partner_world):
    record = age(partner_world.records["shared"], created_days_ago=3, last_contact=TODAY())
    client.force_login(partner_world.users["partenaire1"])

    response = edit(client, record, TODAY() - 4 * DAY)

    assert BACKDATE_REFUSED in page_text(response)
    assert (TODAY() - 3 * DAY).strftime("%d/%m/%Y") in page_text(response)
    assert edit(client, record, TODAY() - 3 * DAY).status_code == 302


def test_last_contact_never_moves_into_the_future(client, partner_world):
    record = age(partner_world.records["shared"], created_days_ago=60, last_contact=TODAY() - 10 * DAY)
    client.force_login(partner_world.users["partenaire1"])

    response = edit(client, record, TODAY() + DAY)

    assert "ne peut pas être dans le futur" in page_text(response)
    record.refresh_from_db()
    assert record.last_contact_on == TODAY() - 10 * DAY


def test_old_note_never_moves_the_last_contact_back(client, partner_world):
    record = age(partner_world.records["shared"], created_days_ago=3 * 365, last_contact=TODAY() - 10 * DAY)
    client.force_login(partner_world.users["partenaire2"])

    response = client.post(
        reverse("partners:note_create", args=[record.pk]),
        note_data(
            partner_world,
            organisation=partner_world.organisations["mission"].pk,
            date="2001-01-01",
            next_step="",
            next_step_on="",
        ),
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.last_contact_on == TODAY() - 10 * DAY
    purge()
    assert JobSeeker.objects.filter(pk=record.pk).exists()


def test_last_contact_changes_are_logged_with_old_and_new_dates(client, partner_world):
    before = TODAY() - 10 * DAY
    record = age(partner_world.records["shared"], created_days_ago=60, last_contact=before)
    last_entry = AccessLog.objects.latest("pk").pk
    client.force_login(partner_world.users["partenaire2"])

    edit(client, record, TODAY() - 5 * DAY)
    client.post(
        reverse("partners:note_create", args=[record.pk]),
        note_data(partner_world, organisation=partner_world.organisations["mission"].pk),
    )

    changes = AccessLog.objects.filter(
        action=AccessLog.Action.LAST_CONTACT, record_id=record.pk, pk__gt=last_entry
    )
    assert list(changes.order_by("pk").values_list("username", "old_date", "new_date")) == [
        ("partenaire2", before, TODAY() - 5 * DAY),
        ("partenaire2", TODAY() - 5 * DAY, TODAY()),
    ]
    client.force_login(partner_world.users["partenaire1"])
    journal = page_text(client.get(reverse("partners:record_log", args=[record.pk])))
    assert "Changement de la date du dernier contact" in journal
    assert f"du {before:%d/%m/%Y} au {TODAY() - 5 * DAY:%d/%m/%Y}" in journal
