"""Publications: events, portraits, project news and the directory of associations.

The public tree under the home page has four sections, each an index with one kind of child:

    AgendaIndexPage (/agenda/)       -> EventPage
    NewsIndexPage (/actualites/)     -> ProjectNewsPage
    PortraitIndexPage (/portraits/)  -> PortraitPage
    ActeurIndexPage (/acteurs/)      -> ActeurPage

Every publication (event, news, portrait) names its organising association, an ActeurPage,
through `acteur`; an ActeurPage lists the publications that point to it. Everything the public
site lists is `listed()`: live, and not made private with Wagtail's privacy settings. Tags are
taggit tags shared by all kinds (one through model per kind, one Tag table).
A portrait can only be live while a PortraitConsent of the person portrayed is active.
"""

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import slug_unicode_re
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Left, Length
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from agora.addresses import absolute
from agora.previews import PREVIEW_IMAGE, json_ld
from agora.sanitizer import plain_summary
from posts import agenda, ics, recurrence, structured_data
from posts.admin_forms import EventForm, LocatedForm, PublicationForm
from posts.blocks import BodyBlock
from posts.models.places import Located
from posts.permissions import PortraitIndexPermissionTester, PublicationPermissionTester
from posts.templatetags.cards import CARD_IMAGE_SPECS
from posts.widgets import ActeurChooser, ImageChooser

LISTING_PAGE_SIZE = 12
IMAGE_MODEL = "wagtailimages.Image"


def under_view_restriction(path="path"):
    """True for a page that Wagtail's privacy settings (login, password or groups) restrict, on
    the page itself or on an ancestor: a restricted page whose tree path begins the page's own.
    `path` names the page's tree path from the listed model ("acteur__path" for its organiser).

    The same pages as Wagtail's PageQuerySet.public() leaves out, but inside the listing's own
    query, where public() first reads every restriction in a query of its own.
    """
    return Exists(PageViewRestriction.objects.filter(page__path=Left(OuterRef(path), Length("page__path"))))


def listed_acteur():
    """True for a publication whose organiser's page is live and public: only then may visitors
    read its name or follow a link to it."""
    return Q(acteur__live=True) & ~under_view_restriction("acteur__path")


class ListedQuerySet(PageQuerySet):
    def listed(self):
        """The pages the public site may list: live, and readable by every visitor.

        Every public listing goes through it (indexes, home page, association pages, feeds,
        calendars, search, the printable programme, the weekly letter, choice lists): a private
        page's title, summary, image or date shows nowhere outside its own, guarded, address.
        """
        return self.live().filter(~under_view_restriction())


# The renditions a page's own template and its link preview (agora.previews) show.
PAGE_IMAGE_SPECS = [*Filter.expand_spec("format-{avif,webp,jpeg} max-{480x360,960x720}"), PREVIEW_IMAGE]
LOGO_SPECS = [*Filter.expand_spec("format-{avif,webp,png} max-{240x240,480x480}"), PREVIEW_IMAGE]


def renditions_of(image_field: str, specs=CARD_IMAGE_SPECS) -> Prefetch:
    """The renditions in `specs` (by default a card's) of the image each page names in
    `image_field`, in one query for all.

    With the image itself joined (select_related), each `{% card_picture %}` or `{% picture %}`
    then finds its renditions among these instead of asking the renditions cache and the
    database. Only the sizes shown: an image has others, which these pages never show.
    """
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return Prefetch(f"{image_field}__renditions", queryset=renditions)


class ActeurQuerySet(ListedQuerySet):
    def with_logo(self):
        """The logo and its renditions, for a directory of logos in a constant number of queries."""
        return self.defer_streamfields().select_related("logo").prefetch_related(renditions_of("logo"))


def kind_label(page) -> str:
    """The name of a page's kind for visitors: « Événement », « Portrait »…"""
    return capfirst(page.specific_class._meta.verbose_name)


class SectionIndexPage(Page):
    """Shared shape of the four section indexes: an introduction and a paginated listing."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    max_count = 1

    class Meta:
        abstract = True

    def paginate(self, request, items, per_page=LISTING_PAGE_SIZE):
        return Paginator(items, per_page).get_page(request.GET.get("page"))

    def child_pages(self):
        """The section's children as their own kind, with what their page shows joined in."""
        raise NotImplementedError

    def route(self, request, path_components):
        # One query for the child, already of its own kind and with its organiser and image,
        # where Wagtail's Page.route makes two (the page, then .specific) and the template two
        # more. Anything else (a child of another kind, a missing slug) goes Wagtail's way.
        if path_components:
            child = self.child_pages().filter(slug=path_components[0]).first()
            if child is not None:
                return child.route(request, path_components[1:])
        return super().route(request, path_components)


def slug_from(request, name: str) -> str:
    """A slug typed in the query string, or "" for anything else (a null byte, for one, would
    be refused by PostgreSQL with an error)."""
    value = request.GET.get(name, "").strip()
    return value if slug_unicode_re.match(value) else ""


def selected_tag(request):
    slug = slug_from(request, "tag")
    if not slug:
        return None
    return Tag.objects.filter(slug=slug).first()


# --- Directory -----------------------------------------------------------------------------


class ActeurIndexPage(SectionIndexPage):
    """The directory of associations and places at /acteurs/."""

    subpage_types = ["posts.ActeurPage"]

    class Meta:
        verbose_name = _("annuaire des acteurs")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        acteurs = ActeurPage.objects.child_of(self).listed().order_by("title")
        kind = request.GET.get("type", "")
        if kind in ActeurPage.Kind.values:
            acteurs = acteurs.filter(kind=kind)
        context["kinds"] = ActeurPage.Kind.choices
        context["selected_kind"] = kind
        context["acteurs"] = self.paginate(request, acteurs.with_logo())
        return context

    def child_pages(self):
        return (
            ActeurPage.objects.child_of(self)
            .select_related("logo")
            .prefetch_related(renditions_of("logo", LOGO_SPECS))
        )


class ActeurPage(Located, Page):
    """An association, a social centre or a public digital space (EPN).

    Publications point to it through their `acteur` field; its page lists them. Staff of
    a *trusted* association publish directly, others go through moderation.
    """

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        SOCIAL_CENTRE = "centre_social", _("Centre social")
        EPN = "epn", _("Espace public numérique")
        INSTITUTION = "institution", _("Service public")
        OTHER = "autre", _("Autre")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.ASSOCIATION)
    summary = models.CharField(_("présentation courte"), max_length=300, blank=True)
    address = models.TextField(_("adresse"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)
    opening_hours = models.TextField(_("horaires d'ouverture"), blank=True)
    activities = models.TextField(_("activités"), blank=True, help_text=_("Une activité par ligne."))
    logo = models.ForeignKey(
        IMAGE_MODEL,
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("présentation"), blank=True)
    trusted = models.BooleanField(
        _("association de confiance"),
        default=False,
        help_text=_("Son équipe publie directement, sans passer par la modération."),
    )
    staff_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("groupe de l'équipe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="acteur",
        help_text=_("Les membres de ce groupe publient pour cette association."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("logo", widget=ImageChooser),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("website"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Contact et horaires"),
        ),
        FieldPanel("activities"),
        FieldPanel("body"),
    ]
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("trusted"),
        FieldPanel("staff_group"),
    ]
    # AutocompleteField: what the public search also finds by the beginning of its words
    # (posts.views.public), as « atelier » finds « Ateliers ».
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.AutocompleteField("summary"),
        index.SearchField("activities"),
        index.AutocompleteField("activities"),
        index.SearchField("body"),
        index.FilterField("kind"),
    ]

    objects = PageManager.from_queryset(ActeurQuerySet)()
    base_form_class = LocatedForm

    parent_page_types = ["posts.ActeurIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")

    @property
    def activity_list(self):
        return [line.strip() for line in self.activities.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        events = EventPage.objects.listed().filter(acteur=self).upcoming(now).for_listing()
        # A weekly workshop once, at its next date, rather than at each of its weeks.
        context["activities"] = agenda.next_of_each(events, after=now)[:LISTING_PAGE_SIZE]
        context["news"] = (
            ProjectNewsPage.objects.listed().filter(acteur=self).for_listing()[:LISTING_PAGE_SIZE]
        )
        context["portraits"] = (
            PortraitPage.objects.listed().filter(acteur=self).for_listing()[:LISTING_PAGE_SIZE]
        )
        context["json_ld"] = json_ld(structured_data.acteur_data(self, request))
        return context


# --- Shared shape of publications ----------------------------------------------------------


class PublicationQuerySet(ListedQuerySet):
    def for_listing(self):
        """Everything a card needs (organiser, image and its renditions), in a constant number
        of queries: one for the pages, one for the renditions of their images."""
        return (
            self.defer_streamfields()
            .select_related("acteur", "image")
            .annotate(acteur_listed=listed_acteur())
            .prefetch_related(renditions_of("image"))
        )

    def for_feed(self):
        """Everything an item of a feed or a calendar needs: organiser and tags, no image."""
        return (
            self.defer_streamfields()
            .select_related("acteur")
            .annotate(acteur_listed=listed_acteur())
            .prefetch_related("tags")
        )

    def for_page(self):
        """A publication's own page: the organiser and the image it shows, joined, and the
        image's renditions that the page and its link preview show."""
        return (
            self.select_related("acteur", "image")
            .annotate(acteur_listed=listed_acteur())
            .prefetch_related(renditions_of("image", PAGE_IMAGE_SPECS))
        )

    def tagged(self, tag):
        return self.filter(tags=tag) if tag else self

    def used_tags(self):
        """The tags of these pages, for a filter that offers none of a page it does not list."""
        through = self.model._meta.get_field("tags").through
        return Tag.objects.filter(
            pk__in=through.objects.filter(content_object__in=self.values("pk")).values("tag_id")
        ).order_by("name")


class Publication(Page):
    """Fields every publication shares: organiser, summary, image, body, display name."""

    acteur = models.ForeignKey(
        "posts.ActeurPage",
        verbose_name=_("association organisatrice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "L'association ou le lieu qui porte cette publication. Sans association, indiquez le nom "
            "de la personne qui la propose (« nom affiché »)."
        ),
    )
    summary = models.CharField(
        _("résumé"),
        max_length=300,
        blank=True,
        help_text=_("Une ou deux phrases. Laissé vide, le début du contenu sert de résumé."),
    )
    image = models.ForeignKey(
        IMAGE_MODEL,
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Décrivez l'image pour les personnes qui ne la voient pas."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)
    display_name = models.CharField(
        _("nom affiché"),
        max_length=120,
        blank=True,
        help_text=_("Le nom sous lequel une habitante ou un habitant a proposé cette publication."),
    )

    base_form_class = PublicationForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.AutocompleteField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name"), index.AutocompleteField("name")]),
    ]

    class Meta:
        abstract = True

    @property
    def section_url(self) -> str:
        """The URL of the section listing this publication (its parent), for the tag links: the
        page's own URL less its slug, as Wagtail builds both from url_path — without a query
        for the parent page."""
        url = self.url or ""
        return url[: url.rstrip("/").rfind("/") + 1]

    @cached_property
    def public_acteur(self):
        """The organiser as visitors may see it: None while its page is a draft or private.
        The public site's querysets say so in the page's own query (`acteur_listed`); a page
        loaded otherwise (an admin preview) asks once."""
        if self.acteur_id is None:
            return None
        listed = getattr(self, "acteur_listed", None)
        if listed is None:
            listed = ActeurPage.objects.listed().filter(pk=self.acteur_id).exists()
        return self.acteur if listed else None

    def permissions_for_user(self, user):
        return PublicationPermissionTester(user, self)

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Le texte alternatif de l'image est obligatoire.")})
        if not self.summary.strip():
            self.summary = plain_summary(
                "".join(block.value.source for block in self.body if block.block_type == "paragraph")
            )
        if self.acteur_id is None and not self.display_name.strip():
            raise ValidationError(
                {
                    "acteur": _(
                        "Choisissez l'association organisatrice, ou indiquez le nom affiché de la personne."
                    )
                }
            )


def publication_panels(*middle):
    return [
        *Page.content_panels,
        FieldPanel("acteur", widget=ActeurChooser),
        FieldPanel("summary", widget=forms.Textarea(attrs={"rows": 3})),
        *middle,
        MultiFieldPanel(
            [FieldPanel("image", widget=ImageChooser), FieldPanel("image_alt")], heading=_("Image")
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldPanel("display_name"),
    ]


# --- Agenda --------------------------------------------------------------------------------


class AgendaIndexPage(RoutablePageMixin, SectionIndexPage):
    """The agenda at /agenda/: upcoming occurrences, filters, and the past-events archive.

    Its route programme/ is the printable programme of a week (see posts.printing).
    """

    subpage_types = ["posts.EventPage"]

    class Meta:
        verbose_name = _("agenda")

    PERIODS = {"semaine": _("Cette semaine"), "mois": _("Ce mois-ci")}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        archive = request.GET.get("archives") == "1"
        period = request.GET.get("periode", "")
        tag = selected_tag(request)
        acteur_slug = slug_from(request, "acteur")
        acteur = ActeurPage.objects.listed().filter(slug=acteur_slug).first() if acteur_slug else None

        listed = EventPage.objects.child_of(self).listed()
        events = listed.tagged(tag)
        if acteur:
            events = events.filter(acteur=acteur)
        if archive:
            events = events.started_before(now).for_listing()
            occurrences = [
                occ for occ in recurrence.expand_all(events, before=now, reverse=True) if occ.end < now
            ]
        else:
            before = period_end(now, period)
            events = events.upcoming(now).for_listing()
            occurrences = recurrence.expand_all(events, after=now, before=before)
        listing = self.paginate(request, occurrences)
        today = agenda.local_today(now)

        feed = reverse("agenda_ics") + (f"?{urlencode({'tag': tag.slug})}" if tag else "")
        feed_name = f"{self.title} — {tag.name}" if tag else self.title
        context.update(
            calendar_links=ics.subscription_links(absolute(feed), feed_name),
            occurrences=listing,
            days=agenda.by_day(listing.object_list, today, upcoming=not archive),
            archive=archive,
            period=period if period in self.PERIODS else "",
            periods=self.PERIODS,
            selected_tag=tag,
            tags=listed.used_tags(),
            selected_acteur=acteur,
            acteurs=ActeurPage.objects.listed().order_by("title").only("title", "slug"),
        )
        return context

    def child_pages(self):
        return EventPage.objects.child_of(self).for_page()

    @path("programme/", name="programme")
    def programme(self, request):
        from posts import printing

        return printing.programme_response(request, self, EventPage.objects.child_of(self).listed())


def period_end(now, period):
    """End of "this week" (posts.agenda, as on the home page) or of this month in Paris time;
    None for no limit."""
    local_today = agenda.local_today(now)
    if period == "semaine":
        return agenda.this_week_end(now)
    if period == "mois":
        first_next = (local_today.replace(day=28) + timedelta(days=4)).replace(day=1)
        return recurrence.day_bounds(first_next)[0]
    return None


class EventQuerySet(PublicationQuerySet):
    def upcoming(self, now=None):
        """Events with at least one occurrence that has not ended yet."""
        now = now or timezone.now()
        today = now.astimezone(recurrence.PARIS).date()
        # Exists rather than a join: a join repeats an event once per extra date, and the
        # DISTINCT that removes the copies compares every column of the listing's rows.
        extra_date_ahead = Exists(EventExtraDate.objects.filter(event=OuterRef("pk"), date__gte=today))
        return self.filter(
            Q(end__gte=now) | (~Q(recurrence="") & Q(recurrence_until__gte=today)) | extra_date_ahead
        )

    def this_week(self, now=None):
        """Events with an occurrence this week (posts.agenda.this_week_end): the home page's and
        the agenda filter's, expanded with `recurrence.expand_all(after=now, before=end)`."""
        now = now or timezone.now()
        return self.upcoming(now).filter(start__lt=agenda.this_week_end(now))

    def started_before(self, now=None):
        return self.filter(start__lt=now or timezone.now())

    def for_listing(self):
        return super().for_listing().prefetch_related("extra_dates")

    def for_feed(self):
        return super().for_feed().prefetch_related("extra_dates")


EventManager = PageManager.from_queryset(EventQuerySet)


RESERVED_EVENT_SLUGS = {"programme"}

# The dates an event may take. Others are typing mistakes (2206 for 2026), and a date near the
# year 1 or 9999 cannot even be converted to UTC: the agenda and its calendar feeds failed on it.
FIRST_EVENT_YEAR = 2000
EVENT_YEARS_AHEAD = 10
# Every agenda page expands the repetitions of the events it lists: they last a few years at most.
RECURRENCE_MAX_YEARS = 5


def event_day_error(day: date):
    """The French message for a day an event may not take, or None."""
    last_year = timezone.localdate().year + EVENT_YEARS_AHEAD
    if FIRST_EVENT_YEAR <= day.year <= last_year:
        return None
    return _("Indiquez une date comprise entre %(first)s et %(last)s.") % {
        "first": FIRST_EVENT_YEAR,
        "last": last_year,
    }


# --- The rules an event's dates and price follow ---------------------------------------------
# One function a rule: each raises a ValidationError keyed by the field to correct, and
# EventPage.clean collects them in this order, the first message of a field winning.


def event_start_day(event) -> date | None:
    """The start's date in Paris: a start read back from the database is in UTC."""
    return event.start.astimezone(recurrence.PARIS).date() if event.start else None


def validate_slug_not_reserved(event):
    if event.slug in RESERVED_EVENT_SLUGS:
        # /agenda/programme/ is the printable programme of the week, not an event.
        raise ValidationError(
            {"slug": _("Cette adresse est réservée par le site : choisissez-en une autre.")}
        )


def validate_end_after_start(event):
    if event.start and event.end and event.end < event.start:
        raise ValidationError({"end": _("La fin doit être après le début.")})


def validate_recurrence_has_an_end(event):
    if event.recurrence and not event.recurrence_until:
        raise ValidationError({"recurrence_until": _("Indiquez jusqu'à quelle date l'événement se répète.")})


def validate_recurrence_ends_after_start(event):
    start_day = event_start_day(event)
    if event.recurrence_until and start_day and event.recurrence_until < start_day:
        raise ValidationError(
            {"recurrence_until": _("La fin de la répétition doit être après le début de l'événement.")}
        )


def validate_dates_in_range(event):
    errors = {}
    for name in ("start", "end", "recurrence_until"):
        value = getattr(event, name)
        # A date and time from the form is in Paris time already: astimezone() changes nothing,
        # so it cannot overflow on the year 1 or 9999 this check is there to refuse.
        day = value.astimezone(recurrence.PARIS).date() if isinstance(value, datetime) else value
        if day and (message := event_day_error(day)):
            errors[name] = message
    if errors:
        raise ValidationError(errors)


def validate_recurrence_not_too_long(event):
    start_day = event_start_day(event)
    # A start out of range has its own message, and adding years to it could overflow.
    if not (event.recurrence and event.recurrence_until and start_day) or event_day_error(start_day):
        return
    if event.recurrence_until > start_day + timedelta(days=366 * RECURRENCE_MAX_YEARS):
        raise ValidationError(
            {
                "recurrence_until": _(
                    "Une répétition dure au plus %(years)s ans : choisissez une date de fin plus proche."
                )
                % {"years": RECURRENCE_MAX_YEARS}
            }
        )


def validate_price_given(event):
    if event.is_free is False and not event.price.strip():
        raise ValidationError(
            {"price": _("Indiquez le tarif, ou choisissez « Gratuit » ou « Tarif non précisé ».")}
        )


EVENT_RULES = (
    validate_slug_not_reserved,
    validate_end_after_start,
    validate_recurrence_has_an_end,
    validate_recurrence_ends_after_start,
    validate_dates_in_range,
    validate_recurrence_not_too_long,
    validate_price_given,
)


class EventPageTag(TaggedItemBase):
    content_object = ParentalKey("posts.EventPage", on_delete=models.CASCADE, related_name="tagged_items")


class EventPage(RoutablePageMixin, Located, Publication):
    """An event of the agenda. It may recur weekly or monthly until a date, and/or on extra dates.

    Its route affiche/ is its printable A4 poster (see posts.printing).
    """

    RECURRENCE_CHOICES = [
        (recurrence.NONE, _("Pas de répétition")),
        (recurrence.WEEKLY_RULE, _("Chaque semaine")),
        (recurrence.MONTHLY_RULE, _("Chaque mois")),
    ]

    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    all_day = models.BooleanField(_("toute la journée"), default=False)
    recurrence = models.CharField(
        _("répétition"), max_length=10, choices=RECURRENCE_CHOICES, default=recurrence.NONE, blank=True
    )
    recurrence_until = models.DateField(_("répéter jusqu'au"), null=True, blank=True)
    place_name = models.CharField(_("lieu"), max_length=150)
    place_address = models.CharField(_("adresse du lieu"), max_length=250, blank=True)
    # Unknown until someone says: a resident's proposal asks nothing about the price.
    is_free = models.BooleanField(
        _("prix"),
        null=True,
        blank=True,
        default=None,
        choices=[(None, _("Tarif non précisé")), (True, _("Gratuit")), (False, _("Payant"))],
    )
    price = models.CharField(_("tarif"), max_length=120, blank=True, help_text=_("Si c'est payant."))
    registration = models.TextField(
        _("inscription"), blank=True, help_text=_("Comment s'inscrire, ou « sans inscription ».")
    )
    registration_url = models.URLField(_("lien d'inscription"), blank=True)
    accessibility = models.TextField(
        _("accessibilité"), blank=True, help_text=_("Accès en fauteuil, boucle magnétique, traduction…")
    )
    tags = ClusterTaggableManager(through=EventPageTag, blank=True, verbose_name=_("mots-clés"))

    objects = EventManager()
    base_form_class = EventForm
    address_field = "place_address"

    content_panels = publication_panels(
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("all_day"),
                FieldRowPanel([FieldPanel("recurrence"), FieldPanel("recurrence_until")]),
                InlinePanel("extra_dates", label=_("Dates supplémentaires")),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place_name"),
                FieldPanel("place_address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Lieu"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("is_free", widget=forms.RadioSelect), FieldPanel("price")]),
                FieldPanel("registration"),
                FieldPanel("registration_url"),
                FieldPanel("accessibility"),
            ],
            heading=_("Infos pratiques"),
        ),
    )
    search_fields = [
        *Publication.search_fields,
        index.SearchField("place_name"),
        index.AutocompleteField("place_name"),
        index.FilterField("start"),
    ]

    parent_page_types = ["posts.AgendaIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def clean(self):
        super().clean()
        errors = {}
        for rule in EVENT_RULES:
            try:
                rule(self)
            except ValidationError as error:
                for field, field_errors in error.error_dict.items():
                    errors.setdefault(field, field_errors)
        if errors:
            raise ValidationError(errors)
        if self.all_day and self.start and self.end:
            # An all-day event covers whole days in Paris time.
            local_start = self.start.astimezone(recurrence.PARIS).date()
            local_end = self.end.astimezone(recurrence.PARIS).date()
            self.start = datetime.combine(local_start, time.min).replace(tzinfo=recurrence.PARIS)
            self.end = datetime.combine(local_end, time(23, 59)).replace(tzinfo=recurrence.PARIS)

    @property
    def price_label(self) -> str:
        """What the page, the poster, the programme and the calendar say of the price."""
        if self.is_free:
            return gettext("Gratuit")
        if self.is_free is False and self.price.strip():
            return self.price
        return gettext("Tarif non précisé")

    def occurrences(self, after=None, before=None):
        return recurrence.expand(self, after=after, before=before)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        upcoming = self.occurrences(after=now)
        context["next_occurrences"] = upcoming[:10]
        context["is_past"] = not upcoming
        if upcoming:
            context["add_links"] = ics.add_links(self, upcoming[0], absolute(self.get_url(request)))
        shown = upcoming[0] if upcoming else recurrence.Occurrence(self, self.start, self.end)
        context["json_ld"] = json_ld(structured_data.event_data(self, request, shown))
        return context

    @path("affiche/", name="poster")
    def poster(self, request):
        from posts import printing

        return printing.poster_response(request, self)


class EventExtraDate(Orderable):
    """A date on which a recurring event also happens, outside its weekly or monthly rule."""

    event = ParentalKey("posts.EventPage", on_delete=models.CASCADE, related_name="extra_dates")
    date = models.DateField(_("date"))

    panels = [FieldPanel("date")]

    class Meta(Orderable.Meta):
        verbose_name = _("date supplémentaire")

    def clean(self):
        super().clean()
        if self.date and (message := event_day_error(self.date)):
            raise ValidationError({"date": message})


# --- Project news --------------------------------------------------------------------------


class NewsIndexPage(SectionIndexPage):
    """Project news at /actualites/, newest first."""

    subpage_types = ["posts.ProjectNewsPage"]

    class Meta:
        verbose_name = _("actualités")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag = selected_tag(request)
        listed = ProjectNewsPage.objects.child_of(self).listed()
        news = listed.tagged(tag).for_listing()
        context["items"] = self.paginate(request, news.order_by("-first_published_at", "-pk"))
        context["selected_tag"] = tag
        context["tags"] = listed.used_tags()
        return context

    def child_pages(self):
        return ProjectNewsPage.objects.child_of(self).for_page()


class ProjectNewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "posts.ProjectNewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ProjectNewsPage(Publication):
    """News of a local project carried by an association."""

    preview_type = "article"  # Open Graph (agora.previews)

    project_name = models.CharField(_("nom du projet"), max_length=150, blank=True)
    tags = ClusterTaggableManager(through=ProjectNewsPageTag, blank=True, verbose_name=_("mots-clés"))

    objects = PageManager.from_queryset(PublicationQuerySet)()

    content_panels = publication_panels(FieldPanel("project_name"))
    search_fields = [
        *Publication.search_fields,
        index.SearchField("project_name"),
        index.AutocompleteField("project_name"),
    ]

    parent_page_types = ["posts.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")


# --- Portraits -----------------------------------------------------------------------------


class PortraitIndexPage(SectionIndexPage):
    """Portraits of residents and resource persons at /portraits/."""

    subpage_types = ["posts.PortraitPage"]

    class Meta:
        verbose_name = _("portraits")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        tag = selected_tag(request)
        listed = PortraitPage.objects.child_of(self).listed()
        portraits = listed.tagged(tag).for_listing()
        context["items"] = self.paginate(request, portraits.order_by("-first_published_at", "-pk"))
        context["selected_tag"] = tag
        context["tags"] = listed.used_tags()
        return context

    def child_pages(self):
        return PortraitPage.objects.child_of(self).for_page()

    def permissions_for_user(self, user):
        return PortraitIndexPermissionTester(user, self)


class PortraitPageTag(TaggedItemBase):
    content_object = ParentalKey("posts.PortraitPage", on_delete=models.CASCADE, related_name="tagged_items")


class PortraitPage(Publication):
    """A portrait of a resident or resource person.

    It may only be live while an active PortraitConsent (droit à l'image) exists for it;
    withdrawing that consent unpublishes the portrait (see posts.actions).
    """

    preview_type = "article"  # Open Graph (agora.previews)

    person_name = models.CharField(_("nom affiché de la personne"), max_length=120)
    role = models.CharField(
        _("qui est-ce ?"), max_length=150, help_text=_("Personne ressource, habitante, bénévole…")
    )
    tags = ClusterTaggableManager(through=PortraitPageTag, blank=True, verbose_name=_("mots-clés"))

    objects = PageManager.from_queryset(PublicationQuerySet)()

    content_panels = publication_panels(FieldPanel("person_name"), FieldPanel("role"))
    search_fields = [
        *Publication.search_fields,
        index.SearchField("person_name"),
        index.AutocompleteField("person_name"),
        index.SearchField("role"),
        index.AutocompleteField("role"),
    ]

    parent_page_types = ["posts.PortraitIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("portrait")
        verbose_name_plural = _("portraits")

    def has_active_consent(self) -> bool:
        return bool(self.pk) and self.consents.filter(withdrawn_at__isnull=True).exists()

    def save(self, *args, **kwargs):
        # Checked on every save that writes `live` as True, publishing included. Not in clean():
        # the admin validates a new page's form while `live` still has its default (True),
        # before saving it as a draft, so a new portrait could not even be drafted.
        update_fields = kwargs.get("update_fields")
        writes_live = update_fields is None or "live" in update_fields
        if self.live and writes_live and not self.has_active_consent():
            raise ValidationError(
                _(
                    "Ce portrait ne peut pas être publié : le consentement de la personne "
                    "(droit à l'image) n'est pas enregistré ou a été retiré."
                )
            )
        return super().save(*args, **kwargs)


# The kinds of publication, each with its own table, manager and tags.
PUBLICATION_MODELS = (EventPage, ProjectNewsPage, PortraitPage)


class PortraitConsent(models.Model):
    """The recorded consent of a portrayed person (droit à l'image): who, when, how, for what.

    Kept outside page revisions on purpose, so that reverting a portrait to an old revision
    can never bring back a withdrawn consent.
    """

    class Method(models.TextChoices):
        WRITTEN = "ecrit", _("Formulaire signé")
        EMAIL = "email", _("Par e-mail")
        ORAL = "oral", _("À l'oral, devant un témoin")
        ONLINE = "en_ligne", _("Case cochée lors d'une proposition en ligne")

    portrait = models.ForeignKey(
        PortraitPage, verbose_name=_("portrait"), on_delete=models.CASCADE, related_name="consents"
    )
    given_by = models.CharField(_("nom de la personne qui consent"), max_length=150)
    given_on = models.DateField(_("date du consentement"), default=timezone.localdate)
    method = models.CharField(_("forme du consentement"), max_length=20, choices=Method.choices)
    scope = models.TextField(
        _("pour quoi"),
        default=_("Publication du portrait, texte et photo, sur le site de l'agora."),
        help_text=_("Ce que la personne a accepté : texte, photo, durée…"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("consentement (droit à l'image)")
        verbose_name_plural = _("consentements (droit à l'image)")
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.given_by} — {self.portrait.title}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
