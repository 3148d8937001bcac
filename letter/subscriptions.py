"""Subscribing, confirming (double opt-in) and forgetting the letter's subscribers.

Every write on a subscription goes through these functions, called by the views, the
`send_digest` command and the erasure journal's replay alike. Forgetting a subscription
deletes it with its history and journals its id (agora.erasure).
"""

from datetime import datetime, timedelta

from django_tasks import task

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.models import Site

from agora import erasure
from agora.addresses import absolute
from letter.models import DigestSubscription


def normalize_email(address: str) -> str:
    return address.strip().lower()


def confirmation_deadline(now: datetime) -> datetime:
    """Pending subscriptions requested before this moment have expired."""
    return now - timedelta(days=settings.DIGEST_CONFIRMATION_DAYS)


def subscribe(address: str, *, language: str | None = None, now: datetime | None = None) -> None:
    """Ask for a subscription of `address`: mail it a confirmation link, unless it needs none.

    Says nothing about the address's state, so the form cannot tell whether someone is
    subscribed. An address already confirmed gets no e-mail; a pending one gets the link
    again, at most once per DIGEST_CONFIRMATION_INTERVAL_MINUTES, whoever asks and from
    wherever, so the form cannot be used to flood someone's mailbox.
    """
    now = now or timezone.now()
    email = normalize_email(address)
    forget(
        DigestSubscription.objects.pending().filter(email=email, created_at__lt=confirmation_deadline(now))
    )
    subscription, _created = DigestSubscription.objects.get_or_create(
        email=email, defaults={"language": language or settings.LANGUAGE_CODE}
    )
    if subscription.is_confirmed:
        return
    interval = timedelta(minutes=settings.DIGEST_CONFIRMATION_INTERVAL_MINUTES)
    # One conditional UPDATE: of two simultaneous requests, only one sends the e-mail.
    claimed = (
        DigestSubscription.objects.pending()
        .filter(pk=subscription.pk)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=now - interval))
        .update(confirmation_sent_at=now)
    )
    if claimed:
        send_confirmation_email.enqueue(subscription.pk)


def subscription_for_link(token: str, now: datetime | None = None) -> DigestSubscription | None:
    """The subscription of this link; None if there is none, or if it was never confirmed and its
    confirmation link has expired."""
    now = now or timezone.now()
    subscription = DigestSubscription.objects.filter(token=token).first()
    if subscription is None:
        return None
    if not subscription.is_confirmed and subscription.created_at < confirmation_deadline(now):
        return None
    return subscription


def confirm(token: str, now: datetime | None = None) -> DigestSubscription | None:
    """Confirm the subscription of this link (double opt-in); None if the link is not valid."""
    now = now or timezone.now()
    subscription = subscription_for_link(token, now)
    if subscription is not None and not subscription.is_confirmed:
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def forget(subscriptions, *, journal: bool = True) -> int:
    """Delete these subscriptions with their history; returns how many there were.

    Their ids go to the erasure journal (agora.erasure), so that restoring an older backup
    forgets them again; that replay passes journal=False.
    """
    with transaction.atomic():
        pks = list(subscriptions.values_list("pk", flat=True))
        if journal:
            erasure.record_erasure(DigestSubscription._meta.label_lower, pks)
        _deleted, per_model = DigestSubscription.objects.filter(pk__in=pks).delete()
    return per_model.get(DigestSubscription._meta.label, 0)


def forget_again(pk: int) -> bool:
    """After a restore: forget again a subscription the erasure journal lists."""
    return bool(forget(DigestSubscription.objects.filter(pk=pk), journal=False))


def unsubscribe(token: str) -> bool:
    """Delete the subscription of this link, with its history; False if there was none."""
    return bool(forget(DigestSubscription.objects.filter(token=token)))


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Forget the addresses that never confirmed: nothing may be kept about them."""
    return forget(
        DigestSubscription.objects.pending().filter(
            created_at__lt=confirmation_deadline(now or timezone.now())
        )
    )


# --- Links and names -----------------------------------------------------------------------


def confirm_url(subscription) -> str:
    return absolute(reverse("digest_confirm", args=[subscription.token]))


def unsubscribe_url(subscription) -> str:
    return absolute(reverse("digest_unsubscribe", args=[subscription.token]))


def site_name() -> str:
    site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


@task()
def send_confirmation_email(subscription_id: int) -> int:
    subscription = DigestSubscription.objects.pending().filter(pk=subscription_id).first()
    if subscription is None:
        return 0
    with translation.override(subscription.language):
        context = {
            "site_name": site_name(),
            "confirm_url": confirm_url(subscription),
            "days": settings.DIGEST_CONFIRMATION_DAYS,
        }
        subject = _("Confirmez votre inscription à la lettre « %(site)s »") % {"site": context["site_name"]}
        body = render_to_string("letter/confirmation_email.txt", context)
    return send_mail(subject, body, None, [subscription.email])
