"""The site's address: the one source of every absolute link Agora writes.

Pages, the sitemap, feeds, calendars, QR codes, link previews and e-mails all name the address
set in SITE_URL (settings.WAGTAILADMIN_BASE_URL, "https://agora.example.org" in production),
never the Host a request happened to carry: a link in an e-mail or on a printed poster must
lead to the public site, whatever address the page was rendered from. Wagtail's default Site
is kept at the same address after every `migrate` (home.apps), so the links Wagtail writes
itself (the sitemap, Page.full_url) agree.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """The public address of the site, without a trailing slash."""
    return settings.WAGTAILADMIN_BASE_URL


def absolute(path: str) -> str:
    """`path` ("/agenda/") under the site's address; a full address is returned as it is."""
    return path if "://" in path else site_url() + path


def site_domain() -> str:
    """The host name of the site's address, e.g. for e-mail Message-IDs."""
    return urlsplit(site_url()).hostname or "localhost"


def sync_default_site(**kwargs) -> None:
    """Give Wagtail's default Site the host and port of SITE_URL (a post_migrate receiver)."""
    from wagtail.models import Site

    address = urlsplit(site_url())
    hostname = address.hostname or "localhost"
    port = address.port or (443 if address.scheme == "https" else 80)
    Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).update(
        hostname=hostname, port=port
    )
