"""The letter's public pages under /lettre/: subscribe, confirm, unsubscribe.

Thin views: the subscriptions' writes are in letter.subscriptions. Every page is personal
(never_cache), and home.cache never stores /lettre/ either.
"""

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from agora import ratelimit
from agora.forms import HoneypotForm
from kiosk.mode import in_kiosk
from letter import subscriptions
from letter.models import DigestSubscription


class SubscribeForm(HoneypotForm):
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse e-mail"),
        # The column's length: a longer address would be refused by PostgreSQL with an error.
        max_length=DigestSubscription._meta.get_field("email").max_length,
        help_text=gettext_lazy(
            "Elle ne sert qu'à vous envoyer la lettre. Vous pourrez vous désinscrire en un clic."
        ),
    )

    def __init__(self, *args, kiosk=False, **kwargs):
        super().__init__(*args, **kwargs)
        # At the kiosk, the next person must not be offered the previous one's address.
        self.fields["email"].widget.attrs["autocomplete"] = "off" if kiosk else "email"


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
            subscriptions.subscribe(form.cleaned_data["email"], language=translation.get_language())
            return redirect("digest_subscribe_sent")
    else:
        form = SubscribeForm(kiosk=kiosk)
    return render(request, "letter/subscribe.html", {"form": form}, status=status)


@never_cache
def subscribe_sent_view(request):
    return render(request, "letter/subscribe_sent.html", {"days": settings.DIGEST_CONFIRMATION_DAYS})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_view(request, token):
    # A GET only shows a button: mail scanners that open links must not confirm by themselves.
    if request.method == "POST":
        subscription = subscriptions.confirm(token)
    else:
        subscription = subscriptions.subscription_for_link(token)
    if subscription is None:
        return invalid_link(request)
    return render(request, "letter/confirm.html", {"subscription": subscription})


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
        subscriptions.unsubscribe(token)
        # Done, or already done: the same answer either way, as a mail client may retry.
        return render(request, "letter/unsubscribe.html", {"done": True})
    if not DigestSubscription.objects.filter(token=token).exists():
        return invalid_link(request)
    return render(request, "letter/unsubscribe.html", {"done": False})


def invalid_link(request):
    return render(request, "letter/invalid_link.html", status=404)
