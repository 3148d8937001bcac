"""A mail server that is down: the proposal is kept and the worker sends the e-mail again later."""

import smtplib

import pytest
from django_tasks_db.models import DBTaskResult

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import override_settings

from posts.models import EventPage, Proposal
from tests.test_proposals import event_data, propose, workflow_action

WORKER_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class MailServerDownFor(EmailBackend):
    """The locmem backend behind a server that refuses the first `failures` sends."""

    failures = 0

    def send_messages(self, messages):
        if MailServerDownFor.failures > 0:
            MailServerDownFor.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connexion fermée par le serveur")
        return super().send_messages(messages)


@pytest.fixture
def mail_server_down():
    def down_for(failures: int) -> None:
        MailServerDownFor.failures = failures

    yield down_for
    MailServerDownFor.failures = 0


@pytest.fixture
def run_worker(monkeypatch):
    """The worker command, in the test's transaction: between tasks it closes database
    connections that are not in autocommit, which a test's always is (as Django's test case
    does for requests, that closing is switched off)."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run


def mail_statuses() -> list[str]:
    """Statuses of the e-mail tasks, oldest first (Wagtail queues tasks of its own too)."""
    mail_tasks = DBTaskResult.objects.filter(task_path__startswith="posts.notifications.")
    return list(mail_tasks.order_by("enqueued_at").values_list("status", flat=True))


pytestmark = pytest.mark.usefixtures("moderation")


@override_settings(
    TASKS=WORKER_TASKS,
    AGORA_MAIL_RETRY_DELAYS=[0, 0, 0],
    EMAIL_BACKEND="tests.test_mail_retry.MailServerDownFor",
)
def test_the_moderators_e_mail_is_sent_again_once_the_mail_server_is_back(
    client, mail_server_down, run_worker
):
    mail_server_down(2)

    response = propose(client, "evenement", event_data())

    assert response.status_code == 302
    assert Proposal.objects.count() == 1
    assert mail.outbox == []  # queued for the worker, not sent during the resident's request
    run_worker()
    assert [message.subject for message in mail.outbox] == [
        "[Agora] À relire : Événement « Fête des voisins de la rue Jean-Bart »"
    ]
    assert mail_statuses() == ["FAILED", "FAILED", "SUCCESSFUL"]


@override_settings(
    TASKS=WORKER_TASKS,
    AGORA_MAIL_RETRY_DELAYS=[0, 0],
    EMAIL_BACKEND="tests.test_mail_retry.MailServerDownFor",
)
def test_the_worker_gives_up_after_the_last_retry_and_keeps_the_proposal(
    client, mail_server_down, caplog, run_worker
):
    mail_server_down(10)

    propose(client, "evenement", event_data())
    run_worker()

    assert mail.outbox == []
    assert mail_statuses() == ["FAILED", "FAILED", "FAILED"]
    assert "not sent after 3 attempt(s); giving up" in caplog.text
    proposal = Proposal.objects.get()
    assert client.get(f"/proposer/suivi/{proposal.code}/").status_code == 200


@override_settings(
    TASKS=WORKER_TASKS,
    AGORA_MAIL_RETRY_DELAYS=[600],
    EMAIL_BACKEND="tests.test_mail_retry.MailServerDownFor",
)
def test_a_retry_waits_for_its_delay(client, mail_server_down, run_worker):
    mail_server_down(1)

    propose(client, "evenement", event_data())
    run_worker()

    assert mail.outbox == []
    waiting = DBTaskResult.objects.get(task_path__startswith="posts.notifications.", status="READY")
    assert waiting.args_kwargs["kwargs"]["attempt"] == 2
    assert (waiting.run_after - waiting.enqueued_at).total_seconds() == pytest.approx(600, abs=5)


@override_settings(
    TASKS=WORKER_TASKS,
    AGORA_MAIL_RETRY_DELAYS=[0],
    EMAIL_BACKEND="tests.test_mail_retry.MailServerDownFor",
)
def test_the_residents_decision_e_mail_is_sent_again(client, moderation, mail_server_down, run_worker):
    propose(client, "evenement", event_data())
    run_worker()
    moderator_client = client.__class__()
    moderator_client.force_login(moderation["moderator"])
    mail_server_down(1)

    workflow_action(moderator_client, EventPage.objects.get(), "approve")
    run_worker()

    to_resident = [message for message in mail.outbox if message.to == ["lina@example.org"]]
    assert len(to_resident) == 1 and "publiée" in to_resident[0].subject
