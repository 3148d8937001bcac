"""Moving the letter's models from the posts app to the letter app keeps every subscriber with its
token and history, the permissions granted on them, and the e-mails queued for them."""

from datetime import UTC, date, datetime

import pytest
from django_tasks_db.models import DBTaskResult

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import import_string

from letter import sending, subscriptions
from letter.models import DigestDelivery, DigestSubscription

# The database as it was while the letter lived in posts.
BEFORE_THE_MOVE = [("posts", "0006_remove_proposal_contact_phone"), ("letter", None)]
SENT_AT = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)


def migrate(targets=None):
    """Migrate the test database to `targets` (default: the latest migrations); returns the executor."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor


@pytest.fixture
def before_the_move():
    """The database before the move; the latest state again afterwards, whatever the test did.

    The content types keep their ids throughout (the migration renames them), so ContentType's
    cache stays right and is left alone: the next test reloads them with these ids."""
    try:
        yield migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE[:1]).apps
    finally:
        migrate()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_subscribers_tokens_and_deliveries_survive_the_move_to_the_letter_app(before_the_move):
    OldSubscription = before_the_move.get_model("posts", "DigestSubscription")
    OldDelivery = before_the_move.get_model("posts", "DigestDelivery")
    confirmed = OldSubscription.objects.create(
        email="lina@example.org", token="jeton-de-lina", language="fr", confirmed_at=SENT_AT
    )
    pending = OldSubscription.objects.create(
        email="yanis@example.org", token="jeton-de-yanis", language="en", confirmation_sent_at=SENT_AT
    )
    OldDelivery.objects.create(subscription=confirmed, week=date(2026, 11, 30), sent_at=SENT_AT)
    before = {
        row["email"]: row
        for row in OldSubscription.objects.values(
            "pk", "email", "token", "language", "created_at", "confirmation_sent_at", "confirmed_at"
        )
    }

    migrate()

    after = {
        row["email"]: row
        for row in DigestSubscription.objects.values(
            "pk", "email", "token", "language", "created_at", "confirmation_sent_at", "confirmed_at"
        )
    }
    assert after == before
    assert DigestSubscription.objects.get(pk=confirmed.pk).is_confirmed
    assert not DigestSubscription.objects.get(pk=pending.pk).is_confirmed
    delivery = DigestDelivery.objects.get()
    assert (delivery.subscription_id, delivery.week, delivery.sent_at) == (
        confirmed.pk,
        date(2026, 11, 30),
        SENT_AT,
    )
    # The tokens in the links already mailed still work, and new rows follow the old ones.
    assert subscriptions.subscription_for_link("jeton-de-lina").pk == confirmed.pk
    assert subscriptions.subscription_for_link("jeton-de-yanis")
    newcomer = DigestSubscription.objects.create(email="nour@example.org")
    assert newcomer.pk > max(confirmed.pk, pending.pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_permissions_and_queued_letter_emails_follow_the_move(before_the_move):
    # Before the move, the content types and the task paths were those of posts.
    ContentType.objects.filter(app_label="letter").update(app_label="posts")
    view = Permission.objects.get(content_type__app_label="posts", codename="view_digestsubscription")
    moderators = Group.objects.create(name="Lecteurs de la lettre")
    moderators.permissions.add(view)
    queued = DBTaskResult.objects.create(
        task_path="posts.digest.send_confirmation_email",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=SENT_AT,
    )
    weekly = DBTaskResult.objects.create(
        task_path="posts.digest.send_weekly_digest_task",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=SENT_AT,
    )

    migrate()

    letter_type = ContentType.objects.get(app_label="letter", model="digestsubscription")
    assert letter_type.pk == view.content_type_id
    assert not ContentType.objects.filter(app_label="posts", model__startswith="digest").exists()
    assert moderators.permissions.get().natural_key() == (
        "view_digestsubscription",
        "letter",
        "digestsubscription",
    )
    queued.refresh_from_db()
    weekly.refresh_from_db()
    assert import_string(queued.task_path) is subscriptions.send_confirmation_email
    assert import_string(weekly.task_path) is sending.send_weekly_digest_task
