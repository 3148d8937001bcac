"""The site shell: the home page at `/` and the site-wide settings shown in the footer.

HomePage is the root of the public tree; the section indexes of `posts` (agenda, news,
portraits, directory) live beneath it. SiteSettings holds what an administrator edits
without a developer: the site name, the contact and the social centre's address.
"""

from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The neighbourhood's front page. There is exactly one, at the root of the site."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Quelques phrases d'accueil sous le titre."),
    )
    propose_text = models.CharField(
        _("texte de l'appel à proposer"),
        max_length=255,
        blank=True,
        default=_("Un événement, un portrait, une nouvelle du quartier ? Proposez-le, sans créer de compte."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("propose_text")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "posts.AgendaIndexPage",
        "posts.NewsIndexPage",
        "posts.PortraitIndexPage",
        "posts.ActeurIndexPage",
        "home.ContentPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def get_context(self, request, *args, **kwargs):
        from home.listing import home_sections

        context = super().get_context(request, *args, **kwargs)
        context.update(home_sections())
        return context


class ContentPage(Page):
    """A plain page of text under the home page: legal notice, personal data, accessibility,
    about (home.institutional). `shows` adds the facts kept in the site settings."""

    SHOWS = [
        ("", _("rien de plus")),
        ("legal", _("l'éditeur, la direction de la publication et l'hébergeur (réglages du site)")),
        ("data", _("les durées de conservation des données")),
    ]

    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Intertitre"), form_classname="title")),
            (
                "paragraph",
                blocks.RichTextBlock(label=_("Paragraphe"), features=["bold", "italic", "link", "ol", "ul"]),
            ),
        ],
        verbose_name=_("contenu"),
        blank=True,
    )
    shows = models.CharField(_("affiche aussi"), max_length=10, choices=SHOWS, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    settings_panels = [*Page.settings_panels, FieldPanel("shows")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page de contenu")
        verbose_name_plural = _("pages de contenu")

    def get_context(self, request, *args, **kwargs):
        from home.institutional import retention_periods

        context = super().get_context(request, *args, **kwargs)
        if self.shows == "data":
            context["retention_periods"] = retention_periods()
        return context


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Name and contact of the agora, shown in the header and footer of every page."""

    site_name = models.CharField(_("nom du site"), max_length=100, default="Agora de la Rabière")
    tagline = models.CharField(
        _("accroche"),
        max_length=200,
        blank=True,
        default=_("L'agora numérique du quartier"),
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    social_centre_name = models.CharField(_("nom du centre social"), max_length=150, blank=True)
    social_centre_address = models.TextField(_("adresse du centre social"), blank=True)
    publisher = models.TextField(
        _("éditeur du site"),
        blank=True,
        help_text=_("Pour les mentions légales : nom de la structure, adresse, numéro SIRET ou RNA."),
    )
    publication_director = models.CharField(
        _("directeur ou directrice de la publication"), max_length=150, blank=True
    )
    host = models.TextField(
        _("hébergeur"), blank=True, help_text=_("Nom, adresse et téléphone de l'hébergeur.")
    )

    panels = [
        MultiFieldPanel([FieldPanel("site_name"), FieldPanel("tagline")], heading=_("Identité")),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("social_centre_name"),
                FieldPanel("social_centre_address"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("publisher"), FieldPanel("publication_director"), FieldPanel("host")],
            heading=_("Mentions légales"),
        ),
    ]

    class Meta:
        verbose_name = _("réglages du site")

    # Every page shows them (header, footer, title): they are kept in Django's default cache,
    # shared by every app process, and dropped when they are saved. The timeout bounds how long
    # a change made without save() (QuerySet.update) could go unseen.
    CACHE_TIMEOUT = 24 * 60 * 60

    @staticmethod
    def cache_key(site_id) -> str:
        return f"agora:site-settings:{site_id}"

    @classmethod
    def for_site(cls, site):
        if site is None:
            return super().for_site(site)
        key = cls.cache_key(site.pk)
        instance = cache.get(key)
        if instance is None:
            instance = super().for_site(site)
            cache.set(key, instance, cls.CACHE_TIMEOUT)
        return instance

    def forget(self):
        # Now, and again once the transaction commits: a request between the two could
        # otherwise store the old settings again.
        key = self.cache_key(self.site_id)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.forget()

    def delete(self, *args, **kwargs):
        self.forget()
        return super().delete(*args, **kwargs)
