"""Moderation records: residents' proposals and visitors' reports of published content.

A Proposal ties the draft page a resident's proposal became to the follow-up code the
resident received; its status follows the page through the "Modération légère" workflow
(pending, then published or declined with the moderator's reason). A Report is one
visitor's "Signaler ce contenu" on a live page; open reports from enough distinct networks
alert the moderators, then take the page offline until a moderator reviews it (posts.reports).
ModerationTask is the workflow's one task: the moderators publish or refuse, with a reason.
"""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import GroupApprovalTask

# No 0/O, 1/I/L: a code read aloud or typed at the kiosk cannot be mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


def new_follow_up_code() -> str:
    """An unguessable code such as 7KQ4-MZ2X-H9RT (about 59 bits of randomness)."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


class ProposalQuerySet(models.QuerySet):
    def undecided(self):
        """Pending or declined: the moderators' alone until they publish it (posts.permissions)."""
        return self.exclude(status=Proposal.Status.PUBLISHED)


class Proposal(models.Model):
    class Kind(models.TextChoices):
        EVENT = "evenement", _("Événement")
        PORTRAIT = "portrait", _("Portrait")
        NEWS = "actualite", _("Actualité")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de relecture")
        PUBLISHED = "published", _("Publiée")
        DECLINED = "declined", _("Non retenue")

    code = models.CharField(_("code de suivi"), max_length=20, unique=True, default=new_follow_up_code)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    title = models.CharField(_("titre"), max_length=255)
    display_name = models.CharField(_("nom affiché"), max_length=120)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(_("raison du refus"), blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    # Counted, never shown with the proposal: how many residents use the social centre's kiosk.
    from_kiosk = models.BooleanField(_("envoyée depuis le poste du centre social"), default=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposition d'habitant")
        verbose_name_plural = _("propositions d'habitants")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} « {self.title} » ({self.code})"


class Report(models.Model):
    class Reason(models.TextChoices):
        WRONG = "inexact", _("Information inexacte ou périmée")
        OFFENSIVE = "offensant", _("Propos offensants ou discriminatoires")
        PRIVACY = "vie_privee", _("Atteinte à la vie privée ou au droit à l'image")
        SPAM = "spam", _("Publicité ou spam")
        OTHER = "autre", _("Autre raison")

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("raison"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("précisions"), blank=True)
    # A salted hash of the visitor's address (agora.ratelimit.visitor_key), never the address.
    visitor = models.CharField(_("visiteur"), max_length=64)
    # A salted hash of the visitor's network (agora.ratelimit.network_key): reports are counted
    # by network, as one person easily has several addresses in one (IPv6 privacy addresses).
    network = models.CharField(_("réseau"), max_length=64)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "visitor"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report_per_visitor_and_page",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} — {self.page}"


# --- The moderators' task -------------------------------------------------------------------


class ReasonForm(forms.Form):
    """What the moderator writes when refusing: the author reads it, so it is required."""

    comment = forms.CharField(
        label=_("Raison du refus"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "La personne ou l'association qui a proposé cette publication lira ce texte : "
            "dites ce qui manque ou pourquoi elle n'est pas retenue."
        ),
        error_messages={
            "required": _("Écrivez la raison : la personne qui a proposé la publication la lira.")
        },
    )


class ChangesForm(ReasonForm):
    comment = forms.CharField(
        label=_("Modifications demandées"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "L'association lira ce texte sur sa page d'accueil de l'administration, avec sa publication."
        ),
        error_messages={"required": _("Dites à l'association ce qu'elle doit modifier.")},
    )


class ModerationTask(GroupApprovalTask):
    """The moderators' review under two words: "Publier" and "Refuser", the reason required and
    read by the author; association pages may also get "Demander des modifications". Both
    refusals send the page back to its author (Wagtail's "needs changes"); a resident's proposal
    is then declined (posts.signals)."""

    class Meta:
        verbose_name = _("relecture par les modérateurs")
        verbose_name_plural = _("relectures par les modérateurs")

    def get_actions(self, obj, user):
        if not super().get_actions(obj, user):
            return []
        actions = [("approve", _("Publier"), False), ("reject", _("Refuser"), True)]
        if not obj.proposals.exists():
            actions.append(("request_changes", _("Demander des modifications"), True))
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        return super().on_action(
            task_state, user, "reject" if action_name == "request_changes" else action_name, **kwargs
        )

    def get_form_for_action(self, action):
        if action == "reject":
            return ReasonForm
        if action == "request_changes":
            return ChangesForm
        return super().get_form_for_action(action)


# --- A resident's photo kept while they correct their form ------------------------------------


def kept_photos_storage() -> FileSystemStorage:
    """Outside MEDIA_ROOT: a kept photo is shown only to whoever holds its token."""
    return FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT) / "photos-gardees", base_url=None)


def kept_photo_token() -> str:
    return secrets.token_urlsafe(24)


class KeptPhoto(models.Model):
    """The checked photo of a proposal form sent back with an error (posts.uploads.keep_photo):
    the form shows it and sends its token, so the resident does not choose it again. Deleted
    when the proposal is sent or the photo removed, and by the daily purge after a day."""

    token = models.CharField(max_length=64, unique=True, default=kept_photo_token)
    file = models.FileField(storage=kept_photos_storage, upload_to="%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo gardée d'un formulaire")
        verbose_name_plural = _("photos gardées des formulaires")

    def __str__(self):
        return f"{self._meta.verbose_name} ({self.created_at:%d/%m/%Y %H:%M})"

    def delete(self, *args, **kwargs):
        self.file.delete(save=False)
        return super().delete(*args, **kwargs)


class PhotoFromPhone(models.Model):
    """A one-time address, shown as a QR code on a proposal form at the kiosk, where a resident
    sends a photo from their own phone, without an account (posts.uploads.receive_phone_photo).
    The photo becomes a KeptPhoto that the kiosk's form picks up."""

    token = models.CharField(max_length=64, unique=True, default=kept_photo_token)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    photo = models.OneToOneField(
        KeptPhoto, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("envoi de photo depuis un téléphone")
        verbose_name_plural = _("envois de photos depuis un téléphone")

    def __str__(self):
        return f"{self._meta.verbose_name} ({self.created_at:%d/%m/%Y %H:%M})"
