"""What associations did, for their funders: outcomes of events and press mentions.

An Outcome ("bilan") belongs to one occurrence of an EventPage (posts), named by the event and
the occurrence's date in Paris time; it is entered by the staff of the event's association
after the event. Every figure is optional: a report adds up those that are known and says of
how many occurrences they are known. OutcomePhoto are its photos, each with the consent of the
people who can be recognised. A PressMention is an article or mention of an association (the
study's "revue de presse"), with an optional PDF. PublicSummary is an association's choice to
show its yearly figures on the public site (aggregates only).

The activity report (bilans.report) reads these with the publications and residents' proposals.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from bilans.forms import OutcomeForm, PressMentionForm
from posts import recurrence

IMAGE_MODEL = "wagtailimages.Image"
DOCUMENT_MODEL = "wagtaildocs.Document"
CONSENT_REMINDER = _(
    "Les personnes reconnaissables sur la photo ont donné leur accord pour sa publication "
    "(droit à l'image). Sans cet accord, choisissez une photo où l'on ne reconnaît personne."
)


class OutcomeQuerySet(models.QuerySet):
    def for_acteurs(self, acteur_ids):
        return self.filter(event__acteur_id__in=acteur_ids)

    def between(self, first_day, last_day):
        return self.filter(date__gte=first_day, date__lte=last_day)


def optional_count(label, help_text=""):
    return models.PositiveIntegerField(label, null=True, blank=True, help_text=help_text)


class Outcome(ClusterableModel):
    """The outcome of one occurrence of an event (posts.EventPage): who came, who helped, with whom."""

    event = models.ForeignKey(
        "posts.EventPage", verbose_name=_("événement"), on_delete=models.CASCADE, related_name="outcomes"
    )
    date = models.DateField(
        _("date"), help_text=_("Le jour où l'événement a eu lieu (pour un atelier répété).")
    )
    participants = optional_count(
        _("participants"), _("Combien de personnes sont venues ? Laissez vide si vous ne savez pas.")
    )
    under_25 = optional_count(_("dont moins de 25 ans"))
    residents = optional_count(_("dont habitants du quartier"))
    volunteers = optional_count(_("bénévoles"))
    partners = models.TextField(
        _("partenaires associés"), blank=True, help_text=_("Une structure partenaire par ligne.")
    )
    summary = models.TextField(
        _("en quelques mots"),
        blank=True,
        help_text=_("Ce qui s'est passé, ce que les participants en ont dit. Aucun nom d'habitant."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = OutcomeQuerySet.as_manager()
    base_form_class = OutcomeForm

    panels = [
        FieldRowPanel([FieldPanel("event"), FieldPanel("date")]),
        MultiFieldPanel(
            [
                FieldPanel("participants"),
                FieldRowPanel([FieldPanel("under_25"), FieldPanel("residents")]),
                FieldPanel("volunteers"),
            ],
            heading=_("Participation"),
        ),
        FieldPanel("partners"),
        FieldPanel("summary"),
        InlinePanel("photos", heading=_("Photos"), label=_("Photo")),
    ]

    class Meta:
        verbose_name = _("bilan d'événement")
        verbose_name_plural = _("bilans d'événements")
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["event", "date"], name="one_outcome_per_occurrence")]

    def __str__(self):
        return f"{self.event.title} — {self.date:%d/%m/%Y}"

    @property
    def partner_names(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        errors = {}
        for name in ("under_25", "residents"):
            value = getattr(self, name)
            if value is not None and self.participants is not None and value > self.participants:
                errors[name] = _("Ce nombre ne peut pas dépasser celui des participants.")
        if self.event_id and self.date and not occurs_on(self.event, self.date):
            errors["date"] = _("L'événement n'a pas eu lieu ce jour-là : choisissez une de ses dates.")
        if errors:
            raise ValidationError(errors)


def occurs_on(event, day) -> bool:
    """Whether one of the event's occurrences starts on `day` (Paris time)."""
    start, end = recurrence.day_bounds(day)
    return any(occ.start_date == day for occ in event.occurrences(after=start, before=end))


class OutcomePhoto(Orderable):
    """A photo of the event, shown with its outcome; its people agreed to it (droit à l'image)."""

    outcome = ParentalKey(Outcome, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        IMAGE_MODEL, verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    alt = models.CharField(
        _("que montre la photo ?"),
        max_length=250,
        help_text=_("Décrivez la photo pour les personnes qui ne la voient pas."),
    )
    consent = models.BooleanField(
        _("accord des personnes photographiées"), default=False, help_text=CONSENT_REMINDER
    )

    panels = [FieldPanel("image"), FieldPanel("alt"), FieldPanel("consent")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo du bilan")
        verbose_name_plural = _("photos du bilan")

    def clean(self):
        super().clean()
        if not self.consent:
            raise ValidationError({"consent": CONSENT_REMINDER})


class PressMentionQuerySet(models.QuerySet):
    def for_acteurs(self, acteur_ids):
        return self.filter(acteur_id__in=acteur_ids)

    def between(self, first_day, last_day):
        return self.filter(published_on__gte=first_day, published_on__lte=last_day)


class PressMention(models.Model):
    """An article or a mention of an association in the press, on the radio, online."""

    acteur = models.ForeignKey(
        "posts.ActeurPage",
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="press_mentions",
    )
    title = models.CharField(_("titre"), max_length=255)
    outlet = models.CharField(_("média"), max_length=150, help_text=_("Journal, radio, site…"))
    published_on = models.DateField(_("date de parution"))
    url = models.URLField(_("lien"), blank=True)
    document = models.ForeignKey(
        DOCUMENT_MODEL,
        verbose_name=_("article en PDF"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    objects = PressMentionQuerySet.as_manager()
    base_form_class = PressMentionForm

    panels = [
        FieldPanel("acteur"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("outlet"), FieldPanel("published_on")]),
        FieldPanel("url"),
        FieldPanel("document"),
    ]

    class Meta:
        verbose_name = _("article de presse")
        verbose_name_plural = _("revue de presse")
        ordering = ["-published_on"]

    def __str__(self):
        return f"{self.title} ({self.outlet}, {self.published_on:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.document_id and self.document.file_extension.lower() != "pdf":
            raise ValidationError({"document": _("Choisissez un document PDF.")})


class PublicSummary(models.Model):
    """An association's choice to show its figures of the year on the public site (/bilan/)."""

    acteur = models.OneToOneField(
        "posts.ActeurPage",
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="public_summary",
    )
    public = models.BooleanField(_("bilan annuel public"), default=False)

    class Meta:
        verbose_name = _("bilan annuel public")
        verbose_name_plural = _("bilans annuels publics")

    def __str__(self):
        return str(self.acteur)


PUBLIC_SUMMARIES_CACHE_KEY = "bilans:public-summaries"


def public_summary_acteur_ids() -> set[int]:
    """Ids of the associations that show their yearly summary, kept in the default cache: every
    association page asks, and its queries are counted (bench/, tests/test_query_counts.py)."""
    ids = cache.get(PUBLIC_SUMMARIES_CACHE_KEY)
    if ids is None:
        ids = set(PublicSummary.objects.filter(public=True).values_list("acteur_id", flat=True))
        cache.set(PUBLIC_SUMMARIES_CACHE_KEY, ids, None)
    return ids
