"""The "Partager" button of a publication: the phone's own share sheet where the browser has
one (the Web Share API, static/js/share.js), plain links otherwise. No third-party script:
each link only opens the application with the page's address, and nothing is loaded from the
networks until the visitor follows one."""

from urllib.parse import quote, urlencode

from django import template

from agora.addresses import absolute

register = template.Library()


def share_links(title: str, url: str) -> dict[str, str]:
    text = f"{title} {url}"
    return {
        "whatsapp": "https://wa.me/?" + urlencode({"text": text}),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        # "?&body=" is read by the messages applications of both Android and iOS.
        "sms": "sms:?&body=" + quote(text),
        "email": f"mailto:?subject={quote(title)}&body={quote(url)}",
    }


@register.inclusion_tag("includes/share.html", takes_context=True)
def share(context, page):
    url = absolute(page.get_url(context.get("request")))
    return {"title": page.title, "url": url, "links": share_links(page.title, url), "page": page}
