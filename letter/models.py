"""The weekly letter: who subscribed, and which week each subscriber already received.

A DigestSubscription is created *pending* when someone gives an address at /lettre/; it is
confirmed only through the link mailed to that address (double opt-in), and nothing is sent
to a pending address. Its `token` authenticates both the confirmation and the one-click
unsubscribe links. Unsubscribing deletes the subscription, and with it its DigestDelivery
rows: one per week sent, so that a second run for the same week sends nothing.

Both models were born in the posts app: their tables keep the names they had there
(posts_digestsubscription, posts_digestdelivery), which letter's first migration adopts as
they are, so that no subscriber, token or delivery is copied or lost in the move.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_digest_token() -> str:
    """An unguessable token for the links of one subscription (256 bits of randomness)."""
    return secrets.token_urlsafe(32)


class DigestSubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at__isnull=True)


class DigestSubscription(models.Model):
    """One address that asked for the letter; its `deliveries` are the weeks it received."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=new_digest_token, editable=False)
    language = models.CharField(_("langue"), max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation envoyée le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)

    objects = DigestSubscriptionQuerySet.as_manager()

    class Meta:
        db_table = "posts_digestsubscription"
        verbose_name = _("abonnement à la lettre")
        verbose_name_plural = _("abonnements à la lettre")

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class DigestDelivery(models.Model):
    """The digest of one week (identified by its Monday) sent to one subscriber."""

    subscription = models.ForeignKey(
        DigestSubscription, verbose_name=_("abonnement"), on_delete=models.CASCADE, related_name="deliveries"
    )
    week = models.DateField(_("semaine (lundi)"))
    sent_at = models.DateTimeField(_("envoyée le"))

    class Meta:
        db_table = "posts_digestdelivery"
        verbose_name = _("envoi de la lettre")
        verbose_name_plural = _("envois de la lettre")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "week"], name="digest_one_delivery_per_week"),
        ]

    def __str__(self):
        return f"{self.subscription} — {self.week:%G-W%V}"
