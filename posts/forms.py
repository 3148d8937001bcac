"""The public forms of the publishing side: the short forms residents fill in at /proposer/,
one per kind of publication, and the "Signaler ce contenu" form.

They validate and check the photo; posts.actions cleans the texts and creates the page or
records the report. (The admin's form of a publication is posts.admin_forms, the pages'
`base_form_class`: the models import it.)
"""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agora.forms import DateInput, HoneypotForm, TimeInput
from agora.submissions import OneTimeSubmissionForm
from posts.models import ActeurPage, Proposal, Report, event_day_error
from posts.proposals import ProposalData
from posts.reports import TEXT_MAX_LENGTH
from posts.uploads import keep_photo, kept_image, reencode_image

PERSONAL_FIELDS = ("display_name", "contact_email", "person_name", "consent_given_by")


class PhotoInput(forms.FileInput):
    """The photo field. Once the form came back with an error, the photo kept for it
    (posts.uploads.keep_photo) comes first: its thumbnail, its token and "Retirer cette photo".
    At the kiosk, `phone` adds the QR code of a one-time address for a photo from a phone."""

    template_name = "forms/photo_input.html"
    kept = None
    phone = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(kept=self.kept, phone=self.phone)
        return context


class PhonePhotoForm(forms.Form):
    """The one field of the page a phone opens from the kiosk's QR code."""

    photo = forms.FileField(
        label=_("Votre photo"),
        help_text=_("Une image JPEG, PNG, WebP ou GIF. Sa position GPS éventuelle est effacée."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        error_messages={"required": _("Choisissez une photo.")},
    )


class ProposalForm(HoneypotForm, OneTimeSubmissionForm):
    """Fields every proposal shares: photo, who proposes it, how to reach them, the honeypot.

    Its hidden `envoi` token (agora.submissions) makes the same form sent twice one proposal.
    """

    kind: str = ""
    text_label = _("Description")

    photo = forms.FileField(
        label=_("Photo (facultative)"),
        required=False,
        help_text=_("Une image JPEG, PNG, WebP ou GIF. Sa position GPS éventuelle est effacée."),
        widget=PhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    photo_alt = forms.CharField(
        label=_("Que montre la photo ?"),
        required=False,
        max_length=250,
        help_text=_("Une phrase pour les personnes qui ne voient pas l'image. Obligatoire avec une photo."),
    )
    display_name = forms.CharField(
        label=_("Votre nom, tel qu'il sera affiché"),
        max_length=120,
        help_text=_("Un prénom, un surnom ou le nom de votre association."),
    )
    contact_email = forms.EmailField(
        label=_("Votre e-mail (facultatif)"),
        required=False,
        help_text=_("Pour recevoir la décision. Il ne sera jamais publié."),
    )

    def __init__(self, *args, kiosk=False, kept_photo=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_photo = kept_photo
        self.kiosk = kiosk
        self.fields["photo"].widget.kept = kept_photo
        for name in PERSONAL_FIELDS:
            if name in self.fields and kiosk:
                # At the kiosk, the next person must not be offered the previous one's details.
                self.fields[name].widget.attrs["autocomplete"] = "off"
        if "contact_email" in self.fields and not kiosk:
            self.fields["contact_email"].widget.attrs.setdefault("autocomplete", "email")

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            return reencode_image(photo)
        return kept_image(self.kept_photo) if self.kept_photo else None

    def keep_the_photo(self) -> None:
        """After an error anywhere in the form, keep a newly chosen photo that passed its checks,
        so that the resident does not have to choose it again (the previous kept one goes)."""
        photo = getattr(self, "cleaned_data", {}).get("photo")
        if photo is None or not self.files.get("photo"):
            return
        if self.kept_photo is not None:
            self.kept_photo.delete()
        self.kept_photo = keep_photo(photo)
        self.fields["photo"].widget.kept = self.kept_photo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo") and not cleaned.get("photo_alt", "").strip():
            self.add_error("photo_alt", _("Décrivez la photo en une phrase."))
        return cleaned

    def proposal_data(self) -> ProposalData:
        data = self.cleaned_data
        return ProposalData(
            title=data.get("title", ""),
            text=data["text"],
            display_name=data["display_name"],
            contact_email=data.get("contact_email", ""),
            acteur=data.get("acteur"),
            photo=data.get("photo"),
            photo_alt=data.get("photo_alt", ""),
            from_kiosk=self.kiosk,
        )


def acteur_field(label, help_text):
    return forms.ModelChoiceField(
        label=label,
        queryset=ActeurPage.objects.listed().order_by("title"),
        required=False,
        empty_label=_("Aucune : je propose en mon nom"),
        help_text=help_text,
    )


class EventProposalForm(ProposalForm):
    kind = Proposal.Kind.EVENT

    title = forms.CharField(label=_("Nom de l'événement"), max_length=120)
    day = forms.DateField(label=_("Date"), widget=DateInput, help_text=_("Par exemple 12/03/2027."))
    start_time = forms.TimeField(
        label=_("Heure de début"), widget=TimeInput, help_text=_("Par exemple 14:30.")
    )
    end_time = forms.TimeField(label=_("Heure de fin (facultative)"), required=False, widget=TimeInput)
    place_name = forms.CharField(
        label=_("Lieu"), max_length=150, help_text=_("Par exemple : salle du centre social.")
    )
    place_address = forms.CharField(label=_("Adresse (facultative)"), max_length=250, required=False)
    text = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ce qui va se passer, pour qui, s'il faut s'inscrire. Laissez une ligne vide entre deux paragraphes."
        ),
    )
    acteur = acteur_field(_("Association organisatrice"), _("Si une association organise l'événement."))

    field_order = [
        "title", "day", "start_time", "end_time", "place_name", "place_address", "text", "acteur",
        "photo", "photo_alt", "display_name", "contact_email",
    ]  # fmt: skip

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Cette date est passée : indiquez une date à venir."))
        if message := event_day_error(day):
            raise forms.ValidationError(message)
        return day

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("L'heure de fin doit être après l'heure de début."))
        return cleaned

    def proposal_data(self) -> ProposalData:
        proposal = super().proposal_data()
        data = self.cleaned_data
        proposal.day, proposal.start_time, proposal.end_time = (
            data["day"],
            data["start_time"],
            data["end_time"],
        )
        proposal.place_name, proposal.place_address = data["place_name"], data["place_address"]
        return proposal


class PortraitProposalForm(ProposalForm):
    kind = Proposal.Kind.PORTRAIT

    person_name = forms.CharField(
        label=_("Nom de la personne, tel qu'il sera affiché"),
        max_length=120,
        help_text=_("Souvent un prénom suffit."),
    )
    role = forms.CharField(
        label=_("Qui est-ce ?"), max_length=150, help_text=_("Habitante, bénévole, personne ressource…")
    )
    text = forms.CharField(
        label=_("Le portrait"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Son histoire, ce qu'elle ou il fait dans le quartier. Laissez une ligne vide entre deux paragraphes."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "La personne a lu ce portrait et accepte qu'il soit publié sur l'agora, avec sa photo s'il y en a une."
        ),
        error_messages={"required": _("Sans l'accord de la personne, le portrait ne peut pas être publié.")},
    )
    consent_given_by = forms.CharField(
        label=_("Nom complet de la personne qui donne son accord"),
        max_length=150,
        help_text=_("Il reste privé : seule l'équipe de modération le voit."),
    )

    field_order = [
        "person_name", "role", "text", "photo", "photo_alt", "consent", "consent_given_by",
        "display_name", "contact_email",
    ]  # fmt: skip

    def proposal_data(self) -> ProposalData:
        proposal = super().proposal_data()
        data = self.cleaned_data
        proposal.title = _("Portrait de %(name)s") % {"name": data["person_name"]}
        proposal.person_name, proposal.role = data["person_name"], data["role"]
        proposal.consent_given_by = data["consent_given_by"]
        return proposal


class NewsProposalForm(ProposalForm):
    kind = Proposal.Kind.NEWS

    title = forms.CharField(label=_("Titre de la nouvelle"), max_length=120)
    acteur = acteur_field(_("Association"), _("L'association qui porte le projet, s'il y en a une."))
    project_name = forms.CharField(label=_("Nom du projet"), max_length=150, required=False)
    text = forms.CharField(
        label=_("La nouvelle"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Laissez une ligne vide entre deux paragraphes."),
    )

    field_order = [
        "title", "acteur", "project_name", "text", "photo", "photo_alt",
        "display_name", "contact_email",
    ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("acteur") and not cleaned.get("project_name", "").strip():
            self.add_error("project_name", _("Indiquez l'association ou le nom du projet."))
        return cleaned

    def proposal_data(self) -> ProposalData:
        proposal = super().proposal_data()
        proposal.project_name = self.cleaned_data["project_name"]
        return proposal


FORMS = {form.kind: form for form in (EventProposalForm, PortraitProposalForm, NewsProposalForm)}


class ReportForm(HoneypotForm):
    """ "Signaler ce contenu": a reason, and a few optional words for the moderators."""

    reason = forms.ChoiceField(
        label=_("Pourquoi signalez-vous ce contenu ?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une raison.")},
    )
    text = forms.CharField(
        label=_("Précisions (facultatif)"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=format_lazy(
            _("{max} caractères au plus. Seule l'équipe de modération lit ce texte."), max=TEXT_MAX_LENGTH
        ),
    )
