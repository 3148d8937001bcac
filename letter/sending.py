"""Sending the weekly letter.

`send_weekly_digest` (the `send_digest` command, and the `send_weekly_digest_task` task for a
worker's weekly schedule) sends the coming week's events and the news and portraits
published since the subscriber's previous letter, as plain text and light HTML without any
remote image. Every letter carries a one-click unsubscribe link, also in the
List-Unsubscribe and List-Unsubscribe-Post headers (RFC 8058), so mail clients can offer
their own button. One DigestDelivery per subscriber and week makes it idempotent: a second
run for the same week sends nothing to those already served.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django_tasks import task

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from agora.addresses import absolute
from letter.models import DigestDelivery, DigestSubscription
from letter.subscriptions import purge_unconfirmed, site_name, unsubscribe_url
from posts import printing
from posts.models import EventPage, PortraitPage, ProjectNewsPage

logger = logging.getLogger(__name__)

# A first digest lists what was published during the week before it.
FIRST_DIGEST_LOOKBACK = timedelta(days=7)
MAX_PUBLICATIONS = 12


def page_url(page) -> str:
    """The absolute public address of a page, under SITE_URL like every other e-mail link."""
    parts = page.get_url_parts()
    return absolute(parts[2] if parts and parts[2] else "/")


@dataclass
class DigestReport:
    week: date
    subscribers: int = 0
    sent: int = 0
    already_sent: int = 0
    nothing_to_send: int = 0
    failed: int = 0
    purged: int = 0

    def as_dict(self) -> dict:
        return {**asdict(self), "week": printing.iso_week(self.week)}


@dataclass(frozen=True)
class DigestItem:
    """One line of a digest: an occurrence of an event, or a new publication, with its link."""

    page: object
    url: str
    occurrence: object = None
    kind: str = ""


def week_programme(monday: date) -> list[tuple[date, list[DigestItem]]]:
    occurrences = printing.week_occurrences(monday, EventPage.objects.listed())
    urls = {occ.event.pk: page_url(occ.event) for occ in occurrences}
    return [
        (day, [DigestItem(occ.event, urls[occ.event.pk], occurrence=occ) for occ in day_occurrences])
        for day, day_occurrences in printing.days_of_week(occurrences, monday)
    ]


def publications_since(since: datetime) -> list[DigestItem]:
    """News and portraits first published after `since`, newest first."""
    pages = []
    for model in (ProjectNewsPage, PortraitPage):
        pages += list(
            model.objects.listed()
            .filter(first_published_at__gt=since)
            .defer_streamfields()
            .select_related("acteur")
        )
    pages.sort(key=lambda page: (page.first_published_at, page.pk), reverse=True)
    return [DigestItem(page, page_url(page), kind=str(page._meta.verbose_name)) for page in pages]


def build_digest_message(
    subscription, *, monday, days, publications, connection=None
) -> EmailMultiAlternatives:
    link = unsubscribe_url(subscription)
    with translation.override(subscription.language):
        name = site_name()
        sunday = monday + timedelta(days=6)
        context = {
            "site_name": name,
            "monday": monday,
            "sunday": sunday,
            "days": days,
            "publications": publications,
            "agenda_url": absolute("/agenda/"),
            "programme_url": absolute(
                f"/agenda/programme/?{printing.WEEK_PARAM}={printing.iso_week(monday)}"
            ),
            "unsubscribe_url": link,
            "language": subscription.language,
        }
        subject = _("%(site)s : au programme du %(start)s au %(end)s") % {
            "site": name,
            "start": date_format(monday, "j F"),
            "end": date_format(sunday, "j F Y"),
        }
        text = render_to_string("letter/digest_email.txt", context)
        html = render_to_string("letter/digest_email.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        None,
        [subscription.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_weekly_digest(
    monday: date | None = None, *, now: datetime | None = None, progress=None
) -> DigestReport:
    """Send the digest of the week starting on `monday` (default: the coming week) to every
    confirmed subscriber who has not received it yet. Safe to run again: nobody gets a week twice.
    """
    now = now or timezone.now()
    monday = monday or printing.coming_week_start(printing.local_today(now))
    report = DigestReport(week=monday, purged=purge_unconfirmed(now))

    def say(message):
        if progress:
            progress(message)

    days = week_programme(monday)
    subscriptions = list(
        DigestSubscription.objects.confirmed().exclude(deliveries__week=monday).order_by("pk")
    )
    report.subscribers = len(subscriptions)
    report.already_sent = DigestSubscription.objects.confirmed().filter(deliveries__week=monday).count()
    say(
        _(
            "Semaine %(week)s — dates d'événements : %(events)s ; abonnés à servir : %(count)s ; "
            "déjà servis : %(done)s."
        )
        % {
            "week": printing.iso_week(monday),
            "events": sum(len(items) for _day, items in days),
            "count": report.subscribers,
            "done": report.already_sent,
        }
    )
    if not subscriptions:
        return report

    last_sent = dict(
        DigestDelivery.objects.filter(subscription__in=subscriptions)
        .values("subscription")
        .annotate(last=Max("sent_at"))
        .values_list("subscription", "last")
    )
    newcomers_since = now - FIRST_DIGEST_LOOKBACK
    recent = publications_since(min([newcomers_since, *last_sent.values()]))

    with get_connection() as connection:
        for position, subscription in enumerate(subscriptions, start=1):
            since = last_sent.get(subscription.pk, newcomers_since)
            publications = [item for item in recent if item.page.first_published_at > since]
            publications = publications[:MAX_PUBLICATIONS]
            if not days and not publications:
                report.nothing_to_send += 1
                outcome = _("rien de neuf, pas d'envoi")
            else:
                try:
                    sent = deliver(subscription, monday, now, days, publications, connection)
                except Exception:
                    # One unreachable mailbox must not stop the others; its week stays unsent,
                    # so the next run tries it again.
                    logger.exception("Digest of week %s to subscription %s failed", monday, subscription.pk)
                    report.failed += 1
                    outcome = _("échec de l'envoi")
                else:
                    report.sent += sent
                    report.already_sent += not sent
                    outcome = _("envoyée") if sent else _("déjà envoyée")
            say(
                _("[%(position)s/%(total)s] abonnement n° %(id)s : %(outcome)s.")
                % {
                    "position": position,
                    "total": report.subscribers,
                    "id": subscription.pk,
                    "outcome": outcome,
                }
            )
    return report


def deliver(subscription, monday, now, days, publications, connection) -> bool:
    """Record then send one subscriber's digest, atomically; False if it was already recorded."""
    with transaction.atomic():
        # The unique (subscription, week) row is the lock: a concurrent run waits for it here,
        # then finds it and sends nothing. If sending fails, the row is rolled back.
        _delivery, created = DigestDelivery.objects.get_or_create(
            subscription=subscription, week=monday, defaults={"sent_at": now}
        )
        if not created:
            return False
        build_digest_message(
            subscription, monday=monday, days=days, publications=publications, connection=connection
        ).send()
    return True


@task()
def send_weekly_digest_task(week: str | None = None) -> dict:
    """For a worker's weekly schedule; `week` is an ISO week such as "2026-W12"."""
    return send_weekly_digest(printing.parse_iso_week(week) if week else None).as_dict()
