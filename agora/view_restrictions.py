"""Who may read a page, found in one query when nothing restricts it.

Before serving a page, Wagtail gathers the view restrictions of the page and its ancestors
(Page.get_view_restrictions): one query for the ancestors, to follow aliases to their source,
one for the restrictions. On a public page of a site with few private ones, both say
"nothing". OneQueryViewRestrictions asks the same question in one query: does any page on the
way carry a restriction, or is any an alias? If neither, there is no restriction to apply;
if either, Wagtail's own method answers, as it always would. The answer is read from the
database on every request, never remembered.
"""

from django.db.models import Exists, OuterRef

from wagtail.models import Page, PageViewRestriction


def paths_to(page: Page) -> list[str]:
    """The tree paths of the page and of each of its ancestors, root first."""
    return [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]


class OneQueryViewRestrictions:
    """A page mixin, before Page in the bases: see the module's docstring."""

    def get_view_restrictions(self):
        restricted = PageViewRestriction.objects.filter(page=OuterRef("pk"))
        way = Page.objects.filter(path__in=paths_to(self)).annotate(restricted=Exists(restricted))
        if not any(
            alias_of or restricted for alias_of, restricted in way.values_list("alias_of", "restricted")
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
