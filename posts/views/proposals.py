"""Residents' proposals, without an account: choose a kind, fill a short form, follow it up.

The forms are in posts.forms, the write in posts.actions.submit_proposal.
"""

import mimetypes
from functools import partial

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from agora import ratelimit
from agora.addresses import absolute
from agora.forms import submit_once
from agora.qr import qr_svg
from kiosk.mode import in_kiosk
from posts.actions import submit_proposal
from posts.forms import FORMS, PhonePhotoForm
from posts.models import PhotoFromPhone, Proposal
from posts.proposals import ProposalsClosed, find_proposal
from posts.uploads import (
    PHONE_LINK_LIFETIME,
    PhoneLinkClosed,
    find_kept_photo,
    open_phone_link,
    phone_link_is_open,
    receive_phone_photo,
)

# At the kiosk, the code of the last proposal sent, shown at /proposer/recu/; the kiosk's reset
# flushes the session, and this with it.
RECEIPT_SESSION_KEY = "proposal_receipt"
RATE_LIMITED = gettext_lazy(
    "Vous avez déjà envoyé beaucoup de propositions depuis ce poste. Réessayez dans une "
    "heure, ou adressez-vous à l'accueil du centre social."
)
CLOSED = gettext_lazy("Les propositions ne sont pas encore ouvertes sur ce site.")


def propose_index(request):
    code = request.GET.get("code", "").strip()
    if code:
        proposal = find_proposal(code)
        if proposal:
            return redirect("proposal_status", code=proposal.code)
    return render(
        request,
        "posts/propose_index.html",
        {"kinds": Proposal.Kind.choices, "code": code, "unknown_code": bool(code)},
    )


SUBMISSIONS = "proposal"
# What the photo field sends once its photo is kept (templates/forms/photo_input.html).
KEPT_PHOTO_FIELD, REMOVE_PHOTO_FIELD = "photo_gardee", "retirer_photo"
# The status of a form shown again, by the code of its error.
STATUS_BY_ERROR = {"busy": 409, "rate_limited": 429, "closed": 503}


@never_cache
@require_http_methods(["GET", "POST"])
def propose(request, kind):
    form_class = FORMS.get(kind)
    if form_class is None:
        raise Http404
    status = 200
    if request.method == "POST":
        kept = find_kept_photo(request.POST.get(KEPT_PHOTO_FIELD))
        if kept is not None and request.POST.get(REMOVE_PHOTO_FIELD):
            kept.delete()
            kept = None
        form = form_class(request.POST, request.FILES, kiosk=in_kiosk(request), kept_photo=kept)
        if form.is_spam:
            form.add_error(
                None, _("Votre proposition n'a pas pu être envoyée. Réessayez sans remplir le champ caché.")
            )
            return render_form(request, form, kind, status=400)

        def send() -> str:
            if not ratelimit.hit(request, "proposal", settings.AGORA_PROPOSALS_PER_HOUR, 3600):
                raise ValidationError(RATE_LIMITED, code="rate_limited")
            try:
                code = submit_proposal(kind, form.proposal_data()).code
            except ProposalsClosed:
                raise ValidationError(CLOSED, code="closed") from None
            if form.kept_photo is not None:
                form.kept_photo.delete()
            return code

        # A double click or a resent form: one proposal, the same receipt.
        done = partial(receipt_redirect, request)
        if response := submit_once(request, form, send, scope=SUBMISSIONS, done=done):
            return response
        form.keep_the_photo()
        codes = [code for code in STATUS_BY_ERROR if form.has_error(NON_FIELD_ERRORS, code)]
        status = STATUS_BY_ERROR[codes[0]] if codes else 400
    else:
        form = form_class(kiosk=in_kiosk(request))
    return render_form(request, form, kind, status=status)


def render_form(request, form, kind, status):
    if in_kiosk(request) and "photo" in form.fields:
        form.fields["photo"].widget.phone = phone_link_for_kiosk(request)
    context = {"form": form, "kind": kind, "kind_label": Proposal.Kind(kind).label}
    return render(request, "posts/propose_form.html", context, status=status)


def phone_link_for_kiosk(request) -> dict:
    """A new one-time address for a photo from a phone, as the QR code the kiosk's form shows and
    the address the form's script asks whether the photo has arrived."""
    link = open_phone_link()
    url = absolute(reverse("phone_photo", args=[link.token]))
    return {
        "qr": qr_svg(url, label=_("QR code qui ouvre, sur votre téléphone, la page d'envoi de la photo")),
        "status_url": reverse("phone_photo_status", args=[link.token]),
        "minutes": int(PHONE_LINK_LIFETIME.total_seconds() // 60),
    }


def receipt_redirect(request, code: str):
    """To the receipt. At the kiosk its address carries no code, so that the next person finds
    none in the browser's history: the code waits in the session."""
    if in_kiosk(request):
        request.session[RECEIPT_SESSION_KEY] = code
        return redirect("kiosk_receipt")
    return redirect("proposal_receipt", code=code)


@never_cache
def proposal_receipt(request, code):
    proposal = find_proposal(code)
    if proposal is None:
        raise Http404
    return render_receipt(request, proposal)


@never_cache
def kiosk_receipt(request):
    """The receipt of the proposal this browser sent last at the kiosk; else the proposals."""
    code = request.session.get(RECEIPT_SESSION_KEY)
    proposal = find_proposal(code) if isinstance(code, str) else None
    if proposal is None:
        return redirect("propose_index")
    return render_receipt(request, proposal)


def render_receipt(request, proposal):
    """The code in large type, and the follow-up page's absolute address as a QR code to scan
    with a phone."""
    follow_up_url = absolute(reverse("proposal_status", args=[proposal.code]))
    qr_code = qr_svg(follow_up_url, label=_("QR code qui ouvre la page de suivi de votre proposition"))
    return render(request, "posts/proposal_receipt.html", {"proposal": proposal, "qr_code": qr_code})


@never_cache
def kept_photo(request, token):
    """The thumbnail of the photo kept for a form sent back with an error, for whoever holds its
    unguessable token (the form's page), for a day."""
    kept = find_kept_photo(token)
    if kept is None:
        raise Http404
    content_type = mimetypes.guess_type(kept.file.name)[0] or "application/octet-stream"
    response = FileResponse(kept.file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


PHONE_PHOTOS_PER_HOUR = 20


@never_cache
@require_http_methods(["GET", "POST"])
def phone_photo(request, token):
    """The page a phone opens from the kiosk's QR code: one photo, once, within 15 minutes."""
    link = PhotoFromPhone.objects.filter(token=token).first()
    if link is None:
        raise Http404
    if not phone_link_is_open(link):
        return render_phone_page(request, closed_because_used=link.used_at is not None, status=410)
    form = PhonePhotoForm()
    status = 200
    if request.method == "POST":
        form = PhonePhotoForm(request.POST, request.FILES)
        if not ratelimit.hit(request, "phone_photo", PHONE_PHOTOS_PER_HOUR, 3600):
            form.add_error(None, _("Trop de photos envoyées depuis ce téléphone. Réessayez dans une heure."))
            return render_phone_page(request, form=form, status=429)
        if form.is_valid():
            try:
                receive_phone_photo(token, form.cleaned_data["photo"])
            except PhoneLinkClosed as closed:
                return render_phone_page(request, closed_because_used=closed.used, status=410)
            except ValidationError as error:
                form.add_error("photo", error)
            else:
                return render_phone_page(request, received=True)
        status = 400
    return render_phone_page(request, form=form, status=status)


def render_phone_page(request, *, form=None, received=False, closed_because_used=None, status=200):
    context = {"form": form, "received": received, "closed_because_used": closed_because_used}
    return render(request, "posts/phone_photo.html", context, status=status)


@never_cache
def phone_photo_status(request, token):
    """For the kiosk's form: has the photo arrived? Then its kept photo's token and thumbnail."""
    link = PhotoFromPhone.objects.filter(token=token).select_related("photo").first()
    if link is None:
        raise Http404
    if link.photo is None:
        return JsonResponse({"received": False})
    return JsonResponse(
        {
            "received": True,
            "kept": link.photo.token,
            "thumbnail": reverse("kept_photo", args=[link.photo.token]),
        }
    )


@never_cache
def proposal_status(request, code):
    proposal = find_proposal(code)
    if proposal is None:
        raise Http404
    page = proposal.page
    live_url = page.url if page is not None and page.live else None
    return render(request, "posts/proposal_status.html", {"proposal": proposal, "live_url": live_url})
