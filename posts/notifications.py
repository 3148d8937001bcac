"""E-mails of the moderation: to moderators only, and to residents who left an address.

Every e-mail is sent by a background task (inline by default, a worker in production), so a
slow or failing mail server never blocks a resident's proposal nor loses it. With a worker
backend, a message the mail server refused is sent again later (AGORA_MAIL_RETRY_DELAYS);
inline, the failure is logged and the proposal is kept all the same.
"""

import logging
import smtplib
from datetime import timedelta

from django_tasks import task

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.addresses import absolute
from posts.moderation import MODERATORS_GROUP


def moderator_addresses() -> list[str]:
    """Active members of Modérateurs with an address; not every user who could approve."""
    users = get_user_model().objects.filter(is_active=True, groups__name=MODERATORS_GROUP).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def admin_url(name: str, *args) -> str:
    return absolute(reverse(name, args=args))


logger = logging.getLogger(__name__)


def send_or_retry(task, recipients: list[str], subject: str, body: str, attempt: int, **task_kwargs) -> int:
    """Send one e-mail; if the mail server fails, enqueue the same task again after a delay.

    The failed attempt still raises, so the task backend records it as failed; the next
    attempt is a new task run after the delay. After the last delay, the failure is final.
    """
    try:
        return send_mail(f"[Agora] {subject}", body, None, recipients)
    except (smtplib.SMTPException, OSError):
        delays = settings.AGORA_MAIL_RETRY_DELAYS
        if attempt <= len(delays) and task.get_backend().supports_defer:
            delay = delays[attempt - 1]
            task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                subject=subject, body=body, attempt=attempt + 1, **task_kwargs
            )
            logger.warning("E-mail %r not sent (attempt %s); next attempt in %s s.", subject, attempt, delay)
        else:
            logger.error("E-mail %r not sent after %s attempt(s); giving up.", subject, attempt)
        raise


@task()
def send_to_moderators(subject: str, body: str, attempt: int = 1) -> int:
    recipients = moderator_addresses()
    if not recipients:
        return 0
    return send_or_retry(send_to_moderators, recipients, subject, body, attempt)


@task()
def send_to_resident(address: str, subject: str, body: str, attempt: int = 1) -> int:
    return send_or_retry(send_to_resident, [address], subject, body, attempt, address=address)


def notify_moderators_of_submission(page, kind_label: str, submitted_by: str) -> None:
    subject = _("À relire : %(kind)s « %(title)s »") % {"kind": kind_label, "title": page.title}
    body = _(
        "Une publication attend votre relecture.\n\n"
        "Type : %(kind)s\nTitre : %(title)s\nProposée par : %(author)s\n\n"
        "Relire et décider : %(link)s\n"
    ) % {
        "kind": kind_label,
        "title": page.title,
        "author": submitted_by,
        "link": admin_url("wagtailadmin_pages:edit", page.pk),
    }
    send_to_moderators.enqueue(subject=subject, body=body)


def notify_moderators_of_reported_page(page, kind_label: str, networks: int) -> None:
    send_reports_notice(
        page,
        kind_label,
        networks,
        subject=_("Signalements à relire : %(kind)s « %(title)s »"),
        body=_(
            "Des visiteurs de %(count)s réseaux différents ont signalé cette publication ; elle reste "
            "en ligne en attendant votre décision.\n\nType : %(kind)s\nTitre : %(title)s\n\n"
            "Voir les signalements : %(reports)s\nRelire la page : %(link)s\n"
        ),
    )


def notify_moderators_of_reports(page, kind_label: str, networks: int) -> None:
    send_reports_notice(
        page,
        kind_label,
        networks,
        subject=_("Mis hors ligne après signalements : %(kind)s « %(title)s »"),
        body=_(
            "Des visiteurs de %(count)s réseaux différents ont signalé cette publication ; elle est "
            "hors ligne en attendant votre décision.\n\nType : %(kind)s\nTitre : %(title)s\n\n"
            "Voir les signalements : %(reports)s\nRelire la page : %(link)s\n"
        ),
    )


def send_reports_notice(page, kind_label: str, networks: int, *, subject: str, body: str) -> None:
    """Tell the moderators about the reports on a page: `subject` and `body` take the same fields."""
    fields = {
        "count": networks,
        "kind": kind_label,
        "title": page.title,
        "reports": admin_url("posts_reports:index"),
        "link": admin_url("wagtailadmin_pages:edit", page.pk),
    }
    send_to_moderators.enqueue(subject=subject % fields, body=body % fields)


def notify_resident_of_decision(proposal) -> None:
    if not proposal.contact_email:
        return
    follow_up = absolute(reverse("proposal_status", args=[proposal.code]))
    if proposal.status == proposal.Status.PUBLISHED:
        subject = _("Votre proposition est publiée")
        body = _(
            "Bonjour %(name)s,\n\nVotre proposition « %(title)s » est publiée sur l'agora : %(link)s\n\n"
            "Merci de faire vivre le quartier !\n"
        ) % {"name": proposal.display_name, "title": proposal.title, "link": follow_up}
    else:
        subject = _("Votre proposition n'a pas été retenue")
        body = _(
            "Bonjour %(name)s,\n\nVotre proposition « %(title)s » n'a pas été retenue.\n"
            "Raison donnée par l'équipe de modération : %(reason)s\n\n"
            "Vous pouvez en reparler avec l'équipe du centre social. Suivi : %(link)s\n"
        ) % {
            "name": proposal.display_name,
            "title": proposal.title,
            "reason": proposal.decline_reason or _("aucune raison précisée"),
            "link": follow_up,
        }
    send_to_resident.enqueue(address=proposal.contact_email, subject=subject, body=body)
