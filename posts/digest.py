"""The weekly e-mail digest: subscriptions with double opt-in, one-click unsubscribe, sending.

Someone gives an address at /lettre/; a pending DigestSubscription is created and a link is
mailed to that address; only once that link is followed and confirmed does the address get
anything else. Every digest carries a one-click unsubscribe link, also in the
List-Unsubscribe and List-Unsubscribe-Post headers (RFC 8058), so mail clients can offer
their own button; unsubscribing deletes the subscription and its history.

`send_weekly_digest` (the `send_digest` command, and the `send_weekly_digest_task` task for a
worker's weekly schedule) sends the coming week's events and the news and portraits
published since the subscriber's previous digest, as plain text and light HTML without any
remote image. One DigestDelivery per subscriber and week makes it idempotent: a second run
for the same week sends nothing to those already served.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django_tasks import task

from django import forms
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection, send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wagtail.models import Site

from agora import erasure, ratelimit
from agora.forms import HONEYPOT_FIELD
from kiosk.mode import in_kiosk
from posts import printing
from posts.models import DigestDelivery, DigestSubscription, PortraitPage, ProjectNewsPage
from posts.notifications import site_url

logger = logging.getLogger(__name__)

# A first digest lists what was published during the week before it.
FIRST_DIGEST_LOOKBACK = timedelta(days=7)
MAX_PUBLICATIONS = 12


# --- Subscribing, confirming, unsubscribing ------------------------------------------------


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


def page_url(page) -> str:
    """The absolute public address of a page, under SITE_URL like every other e-mail link."""
    parts = page.get_url_parts()
    return site_url(parts[2] if parts and parts[2] else "/")


def confirm_url(subscription) -> str:
    return site_url(reverse("digest_confirm", args=[subscription.token]))


def unsubscribe_url(subscription) -> str:
    return site_url(reverse("digest_unsubscribe", args=[subscription.token]))


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
        body = render_to_string("posts/digest/confirmation_email.txt", context)
    return send_mail(subject, body, None, [subscription.email])


# --- The weekly digest ---------------------------------------------------------------------


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
    occurrences = printing.week_occurrences(monday)
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
            "agenda_url": site_url("/agenda/"),
            "programme_url": site_url(
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
        text = render_to_string("posts/digest/digest_email.txt", context)
        html = render_to_string("posts/digest/digest_email.html", context)
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


# --- Views ---------------------------------------------------------------------------------


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse e-mail"),
        # The column's length: a longer address would be refused by PostgreSQL with an error.
        max_length=DigestSubscription._meta.get_field("email").max_length,
        help_text=gettext_lazy(
            "Elle ne sert qu'à vous envoyer la lettre. Vous pourrez vous désinscrire en un clic."
        ),
    )
    # Hidden from people, tempting for robots: a filled value means the request is not kept.
    site_web = forms.CharField(label=gettext_lazy("Ne remplissez pas ce champ"), required=False)

    def __init__(self, *args, kiosk=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        # At the kiosk, the next person must not be offered the previous one's address.
        self.fields["email"].widget.attrs["autocomplete"] = "off" if kiosk else "email"

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe_view(request):
    kiosk = in_kiosk(request)
    status = 200
    if request.method == "POST":
        form = SubscribeForm(request.POST, kiosk=kiosk)
        if form.is_spam:
            form.add_error(
                None, _("Votre demande n'a pas pu être envoyée. Réessayez sans remplir le champ caché.")
            )
            status = 400
        elif not form.is_valid():
            status = 400
        elif not ratelimit.hit(request, "digest_subscribe", settings.DIGEST_SUBSCRIBE_PER_HOUR, 3600):
            form.add_error(
                None,
                _("Trop de demandes d'inscription depuis ce poste. Réessayez dans une heure."),
            )
            status = 429
        else:
            subscribe(form.cleaned_data["email"], language=translation.get_language())
            return redirect("digest_subscribe_sent")
    else:
        form = SubscribeForm(kiosk=kiosk)
    context = {"form": form, "honeypot": form[HONEYPOT_FIELD]}
    return render(request, "posts/digest/subscribe.html", context, status=status)


@never_cache
def subscribe_sent_view(request):
    return render(request, "posts/digest/subscribe_sent.html", {"days": settings.DIGEST_CONFIRMATION_DAYS})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_view(request, token):
    # A GET only shows a button: mail scanners that open links must not confirm by themselves.
    subscription = confirm(token) if request.method == "POST" else subscription_for_link(token)
    if subscription is None:
        return invalid_link(request)
    return render(request, "posts/digest/confirm.html", {"subscription": subscription})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """GET shows a button; POST unsubscribes.

    Exempt from CSRF on purpose: mail clients send the one-click POST of RFC 8058 without
    cookies nor CSRF token. The secret token in the address is the authentication, and
    knowing it is all a forged request could use.
    """
    if request.method == "POST":
        unsubscribe(token)
        # Done, or already done: the same answer either way, as a mail client may retry.
        return render(request, "posts/digest/unsubscribe.html", {"done": True})
    if not DigestSubscription.objects.filter(token=token).exists():
        return invalid_link(request)
    return render(request, "posts/digest/unsubscribe.html", {"done": False})


def invalid_link(request):
    return render(request, "posts/digest/invalid_link.html", status=404)
