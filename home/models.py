"""The site shell: the home page at `/` and the site-wide settings shown in the footer.

HomePage is the root of the public tree; the section indexes of `posts` (agenda, news,
portraits, directory) live beneath it. SiteSettings holds what an administrator edits
without a developer: the site name, the contact and the social centre's address.
"""

import copy

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from agora.view_restrictions import OneQueryViewRestrictions


class HomePage(OneQueryViewRestrictions, Page):
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
    ]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def route(self, request, path_components):
        """Find a page below the home page in two queries instead of two per level of the tree.

        Wagtail walks down the tree one level at a time, and only the page at the end must be
        live. Looking that page up by its URL path gives the same answer as long as no page on
        the way claims the path with a route of its own: the agenda's only route, programme/,
        is a slug events cannot take (posts.models.RESERVED_EVENT_SLUGS). A path that matches
        no live page (a route such as programme/ or affiche/, a draft, a typo) takes Wagtail's
        walk, which answers it as before.
        """
        from home.site_memo import remembered_routes

        page = live_page_at(self, path_components, remembered_routes(request)) if path_components else None
        if page is not None:
            return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from home.listing import home_sections

        context = super().get_context(request, *args, **kwargs)
        context.update(home_sections())
        return context


def live_page_at(home: HomePage, path_components: list[str], remembered: dict | None = None) -> Page | None:
    """The live page at home's URL + path, its parent attached, in its own class; or None.

    Page classes may name the foreign keys their page shows in `detail_select_related`, so
    that they come in the same query. `remembered` (home.site_memo) keeps, for each URL path
    found, the page's class, id and parent: the next time, one query fetches the page, and
    checks that it is still live at that path.
    """
    url_path = home.url_path + "".join(f"{component}/" for component in path_components)
    if remembered is not None and url_path in remembered:
        page = _remembered_page_at(home, url_path, remembered)
        if page is not None:
            return page
    parent_url_path = url_path[: url_path.rstrip("/").rindex("/") + 1]
    found = {page.url_path: page for page in Page.objects.filter(url_path__in={url_path, parent_url_path})}
    target = found.get(url_path)
    model = target.specific_class if target is not None and target.live else None
    if model is None:
        return None
    page = _detail_queryset(model).get(pk=target.pk)
    parent = home if parent_url_path == home.url_path else found.get(parent_url_path)
    page._cached_parent_obj = parent
    if remembered is not None and len(remembered) < MAX_REMEMBERED_ROUTES:
        remembered[url_path] = (model, page.pk, None if parent is home else copy.copy(parent))
    return page


# More pages than the neighbourhood's site holds; a crawler cannot grow a worker without bound.
MAX_REMEMBERED_ROUTES = 2000


def _detail_queryset(model):
    return model.objects.select_related(*getattr(model, "detail_select_related", ()))


def _remembered_page_at(home: HomePage, url_path: str, remembered: dict) -> Page | None:
    model, pk, parent = remembered[url_path]
    try:
        page = _detail_queryset(model).get(pk=pk, url_path=url_path, live=True)
    except model.DoesNotExist:  # moved, unpublished or deleted since: look it up afresh
        remembered.pop(url_path, None)
        return None
    # A copy: the page in memory is the worker's, the one handed out is this request's.
    page._cached_parent_obj = home if parent is None else copy.copy(parent)
    return page


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
    ]

    class Meta:
        verbose_name = _("réglages du site")
