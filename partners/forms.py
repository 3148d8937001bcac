"""Forms of the partner workspace. They parse input; the rules live in partners.actions."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.forms import DateInput
from agora.submissions import SUBMISSION_FIELD, OneTimeSubmissionForm
from partners import actions, filetypes
from partners.models import Consent, FolderShare, FollowUpNote, JobSeeker, Organisation


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class WorkspaceLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Vérifiez-les, en respectant les majuscules, puis réessayez."
        ),
        "inactive": _("Ce compte est désactivé. Adressez-vous à l'administratrice du site."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("Identifiant")
        # AuthenticationForm sets the length after the field is built, without its validator:
        # an overlong name would reach the lockout log, whose column is shorter.
        username.validators.append(MaxLengthValidator(username.max_length))
        self.fields["password"].label = _("Mot de passe")


class FolderForm(OneTimeSubmissionForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation propriétaire"), queryset=Organisation.objects.none(), empty_label=None
    )
    name = forms.CharField(label=_("Nom du dossier"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facultatif : à quoi sert ce dossier, qui l'alimente."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class FolderShareForm(forms.Form):
    NO_ACCESS = "none"

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    access = forms.ChoiceField(
        label=_("Accès"),
        choices=[*FolderShare.Access.choices, (NO_ACCESS, _("Aucun accès (retirer le partage)"))],
        help_text=_(
            "En lecture seule, l'organisation consulte et télécharge ; en écriture, elle ajoute et supprime aussi des fichiers."
        ),
    )

    def __init__(self, *args, folder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk=folder.owner_id)

    @property
    def access_value(self) -> str | None:
        access = self.cleaned_data["access"]
        return None if access == self.NO_ACCESS else access


def upload_help_text() -> str:
    return _("%(types)s Taille maximale : %(limit)s.") % {
        "types": filetypes.accepted_types_text(),
        "limit": filesizeformat(filetypes.max_upload_bytes()),
    }


class UploadForm(OneTimeSubmissionForm):
    file = forms.FileField(label=_("Fichier"), allow_empty_file=True)
    job_seeker = PersonChoiceField(
        label=_("Personne concernée"),
        queryset=JobSeeker.objects.none(),
        required=False,
        empty_label=_("Aucune (document général)"),
        help_text=_(
            "Facultatif. Un document lié à une personne n'est visible que des organisations auxquelles "
            "elle a donné son accord, et il est effacé avec sa fiche."
        ),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_help_text()
        self.fields["job_seeker"].queryset = people


class VersionForm(OneTimeSubmissionForm):
    file = forms.FileField(label=_("Nouvelle version"), allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_help_text()


class RecordFields(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    status = forms.ChoiceField(label=_("Situation"), choices=JobSeeker.Status.choices)
    referent = UserChoiceField(
        label=_("Référent ou référente"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Personne pour l'instant"),
    )
    last_contact_on = forms.DateField(
        label=_("Date du dernier contact"),
        widget=DateInput,
        help_text=_("La fiche est effacée automatiquement 24 mois après le dernier contact."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})


class RecordCreateForm(RecordFields, OneTimeSubmissionForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation référente"), queryset=Organisation.objects.none(), empty_label=None
    )
    consent = forms.BooleanField(
        label=_(
            "La personne a donné son accord pour être suivie par cette organisation et pour que "
            "ses informations soient enregistrées ici."
        ),
        error_messages={"required": _("Sans l'accord de la personne, sa fiche ne peut pas être créée.")},
    )
    consent_given_on = forms.DateField(label=_("Date de l'accord"), widget=DateInput)

    field_order = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "status",
        "organisation",
        "referent",
        "last_contact_on",
    ]

    def __init__(self, *args, organisations, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["referent"].queryset = colleagues
        today = timezone.localdate()
        self.fields["last_contact_on"].initial = today
        self.fields["consent_given_on"].initial = today


class RecordEditForm(RecordFields):
    def __init__(self, *args, record: JobSeeker, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "first_name": record.first_name,
                "last_name": record.last_name,
                "email": record.email,
                "phone": record.phone,
                "status": record.status,
                "referent": record.referent_id,
                "last_contact_on": record.last_contact_on,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = get_user_model().objects.filter(
            partner_memberships__organisation=record.referent_organisation_id
        )
        earliest = actions.earliest_last_contact(record)
        last_contact = self.fields["last_contact_on"]
        last_contact.widget.attrs["min"] = earliest.isoformat()
        last_contact.help_text = _(
            "La fiche est effacée automatiquement 24 mois après le dernier contact. Cette date ne peut "
            "pas reculer avant le %(date)s."
        ) % {"date": earliest.strftime("%d/%m/%Y")}


class NoteForm(OneTimeSubmissionForm):
    date = forms.DateField(label=_("Date de l'échange"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Type"), choices=FollowUpNote.Kind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Au nom de"), queryset=Organisation.objects.none(), empty_label=None
    )
    text = forms.CharField(
        label=_("Objet et faits"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Des faits utiles au suivi, écrits de façon neutre : démarches faites, ateliers suivis, "
            "documents remis. Aucune donnée sensible (santé, religion, opinions, origine, vie privée, "
            "situation judiciaire) ni jugement sur la personne."
        ),
    )
    next_step = forms.CharField(label=_("Prochaine étape"), max_length=255, required=False)
    next_step_on = forms.DateField(label=_("Date de la prochaine étape"), widget=DateInput, required=False)

    def __init__(self, *args, organisations, note: FollowUpNote | None = None, **kwargs):
        self.note = note
        if note is not None:
            kwargs.setdefault(
                "initial",
                {
                    "date": note.date,
                    "kind": note.kind,
                    "organisation": note.organisation_id,
                    "text": note.text,
                    "next_step": note.next_step,
                    "next_step_on": note.next_step_on,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["date"].initial = self.fields["date"].initial or timezone.localdate()
        if note is not None:
            # A note stays on behalf of the organisation it was written for; editing it twice
            # changes nothing, so the form needs no one-time token.
            del self.fields["organisation"]
            del self.fields[SUBMISSION_FIELD]

    def clean(self):
        cleaned = super().clean()
        errors = actions.note_errors(
            text=cleaned.get("text", ""),
            date=cleaned.get("date"),
            next_step=cleaned.get("next_step", ""),
            next_step_on=cleaned.get("next_step_on"),
            check_next_step_date=self.note is None or cleaned.get("next_step_on") != self.note.next_step_on,
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


class ConsentForm(OneTimeSubmissionForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    scope = forms.ChoiceField(label=_("Ce que l'organisation peut voir"), choices=Consent.Scope.choices)
    given_on = forms.DateField(label=_("Date de l'accord"), widget=DateInput)
    confirm = forms.BooleanField(
        label=_("La personne a donné son accord pour ce partage."),
        error_messages={
            "required": _("Cochez cette case : sans l'accord de la personne, rien n'est partagé.")
        },
    )

    def __init__(self, *args, record: JobSeeker, **kwargs):
        super().__init__(*args, **kwargs)
        already = Consent.objects.active().filter(job_seeker=record).values("organisation")
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk__in=already)
        self.fields["given_on"].initial = timezone.localdate()


class RecordSearchForm(forms.Form):
    q = forms.CharField(label=_("Nom ou prénom"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Situation"), required=False, choices=[("", _("Toutes")), *JobSeeker.Status.choices]
    )
