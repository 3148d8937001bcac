"""Partner workspace: organisations, shared folders and job-seeker follow-up.

Users belong to partner Organisations through Memberships. An organisation owns Folders and
shares them with other organisations (FolderShare); a folder holds SharedFiles, each with its
FileVersions, whose bytes live in the private storage (partners.storage), never under
MEDIA_ROOT. A JobSeeker record is followed by a referent organisation; the person's Consents
say which organisations may see it and how much; FollowUpNotes are written on it. Every read
and write of personal data (a record, a page listing records, a folder, a file, a download)
and every refused attempt leaves an AccessLog entry.

Who may see what is decided in one place: the `visible_to`-style queryset methods below,
used by partners.access. Writes go through partners.actions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- Organisations and memberships ------------------------------------------------------------


class OrganisationQuerySet(models.QuerySet):
    def of(self, user) -> OrganisationQuerySet:
        """The organisations `user` is a member of (none for anonymous or inactive users)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(memberships__user=user)

    def administered_by(self, user) -> OrganisationQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(memberships__user=user, memberships__role=Membership.Role.ADMIN)


class Organisation(models.Model):
    """A partner organisation (association, Mission locale…). Its members work in the workspace
    on its behalf; it owns folders and is the referent of the job seekers it follows."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation partenaire")
        verbose_name_plural = _("organisations partenaires")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's membership of an organisation. Organisation admins create folders, manage
    their sharing and may erase the records their organisation is referent of."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Membre")
        ADMIN = "admin", _("Administrateur ou administratrice de l'organisation")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_memberships",
        verbose_name=_("compte"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membre d'une organisation")
        verbose_name_plural = _("membres des organisations")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="partners_unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation}"


# --- Job-seeker follow-up ---------------------------------------------------------------------


class JobSeekerQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobSeekerQuerySet:
        """Records an organisation of `user` holds an active consent for, whatever its scope."""
        consents = Consent.objects.active().filter(organisation__in=Organisation.objects.of(user))
        return self.filter(pk__in=consents.values("job_seeker"))

    def followed_by(self, user) -> JobSeekerQuerySet:
        """Records whose notes and documents `user` may read and write (full-scope consent)."""
        consents = Consent.objects.active().filter(
            organisation__in=Organisation.objects.of(user), scope=Consent.Scope.FULL
        )
        return self.filter(pk__in=consents.values("job_seeker"))

    def managed_by(self, user) -> JobSeekerQuerySet:
        """Records `user`'s organisation is referent of: consents, export and access log."""
        return self.visible_to(user).filter(referent_organisation__in=Organisation.objects.of(user))

    def erasable_by(self, user) -> JobSeekerQuerySet:
        """Records whose referent organisation `user` administers."""
        return self.visible_to(user).filter(
            referent_organisation__in=Organisation.objects.administered_by(user)
        )


class JobSeeker(models.Model):
    """A person followed in their job search. The referent organisation (and member) leads the
    follow-up; the Consents decide which organisations see the record; FollowUpNotes and any
    SharedFile tied to the person belong to it and go with it on erasure."""

    class Status(models.TextChoices):
        SEARCHING = "en_recherche", _("En recherche d'emploi")
        TRAINING = "en_formation", _("En formation")
        EMPLOYED = "en_emploi", _("En emploi")
        ENDED = "suivi_termine", _("Suivi terminé")

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    status = models.CharField(_("situation"), max_length=20, choices=Status.choices, default=Status.SEARCHING)
    referent_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referred_job_seekers",
        verbose_name=_("organisation référente"),
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("référent ou référente"),
    )
    last_contact_on = models.DateField(_("date du dernier contact"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = JobSeekerQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("personne suivie")
        verbose_name_plural = _("personnes suivies")
        indexes = [models.Index(fields=["last_contact_on"], name="partners_js_last_contact")]

    def __str__(self):
        # Never the person's name: str() ends up in logs, error reports and admin screens.
        return _("Personne suivie n° %(pk)s") % {"pk": self.pk}

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ConsentQuerySet(models.QuerySet):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """The person's agreement that an organisation sees their record. Withdrawal is recorded
    (not deleted) and removes the organisation's access at once: every access query filters
    on active consents."""

    class Scope(models.TextChoices):
        FULL = "suivi", _("Fiche, notes de suivi et documents")
        RECORD = "fiche", _("Fiche seule (sans les notes ni les documents)")

    job_seeker = models.ForeignKey(
        JobSeeker, on_delete=models.CASCADE, related_name="consents", verbose_name=_("personne suivie")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="consents", verbose_name=_("organisation")
    )
    scope = models.CharField(_("étendue"), max_length=10, choices=Scope.choices, default=Scope.FULL)
    given_on = models.DateField(_("date de l'accord"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enregistré par"),
    )
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retiré par"),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("consentement au partage")
        verbose_name_plural = _("consentements au partage")
        constraints = [
            models.UniqueConstraint(
                fields=["job_seeker", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="partners_one_active_consent",
            ),
        ]

    def __str__(self):
        return _("Consentement n° %(pk)s") % {"pk": self.pk}

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class FollowUpNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> FollowUpNoteQuerySet:
        return self.filter(job_seeker__in=JobSeeker.objects.followed_by(user))

    def pending_next_steps(self, until) -> FollowUpNoteQuerySet:
        """Next steps due by `until` (overdue ones included), from the latest note of each
        record only: a later note means the follow-up has moved on."""
        latest = FollowUpNote.objects.filter(job_seeker=models.OuterRef("job_seeker")).order_by(
            "-date", "-pk"
        )
        return (
            self.filter(next_step_on__isnull=False, next_step_on__lte=until)
            .annotate(latest_note=models.Subquery(latest.values("pk")[:1]))
            .filter(pk=models.F("latest_note"))
            .order_by("next_step_on", "pk")
        )


class FollowUpNote(models.Model):
    """A dated, factual note on a person's follow-up, written by a member on behalf of one
    organisation, with an optional next step and its date."""

    class Kind(models.TextChoices):
        INTERVIEW = "entretien", _("Entretien")
        WORKSHOP = "atelier", _("Atelier")
        ORIENTATION = "orientation", _("Orientation")
        PHONE = "appel", _("Appel téléphonique")
        PROCEDURE = "demarche", _("Démarche")
        OTHER = "autre", _("Autre")

    job_seeker = models.ForeignKey(
        JobSeeker, on_delete=models.CASCADE, related_name="notes", verbose_name=_("personne suivie")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur ou autrice"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="notes", verbose_name=_("organisation")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.INTERVIEW)
    text = models.TextField(_("objet et faits"))
    next_step = models.CharField(_("prochaine étape"), max_length=255, blank=True)
    next_step_on = models.DateField(_("date de la prochaine étape"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = FollowUpNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("note de suivi")
        verbose_name_plural = _("notes de suivi")

    def __str__(self):
        return _("Note de suivi n° %(pk)s") % {"pk": self.pk}


# --- Shared folders and files -----------------------------------------------------------------


class FolderQuerySet(models.QuerySet):
    def visible_to(self, user) -> FolderQuerySet:
        """Folders owned by, or shared (read-only or read-write) with, an organisation of `user`."""
        organisations = Organisation.objects.of(user)
        shared = FolderShare.objects.filter(organisation__in=organisations)
        return self.filter(Q(owner__in=organisations) | Q(pk__in=shared.values("folder")))

    def writable_by(self, user) -> FolderQuerySet:
        organisations = Organisation.objects.of(user)
        shared = FolderShare.objects.filter(organisation__in=organisations, access=FolderShare.Access.WRITE)
        return self.filter(Q(owner__in=organisations) | Q(pk__in=shared.values("folder")))

    def managed_by(self, user) -> FolderQuerySet:
        """Folders whose owner organisation `user` administers: sharing and deletion."""
        return self.filter(owner__in=Organisation.objects.administered_by(user))


class Folder(models.Model):
    """A folder owned by an organisation, shared with others through FolderShare."""

    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="folders",
        verbose_name=_("organisation propriétaire"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = FolderQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("dossier partagé")
        verbose_name_plural = _("dossiers partagés")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="partners_unique_folder_name")]

    def __str__(self):
        return self.name


class FolderShare(models.Model):
    """One organisation's access to another organisation's folder."""

    class Access(models.TextChoices):
        READ = "read", _("Lecture seule")
        WRITE = "write", _("Lecture et écriture")

    folder = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="folder_shares")
    access = models.CharField(_("accès"), max_length=10, choices=Access.choices, default=Access.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("partage de dossier")
        verbose_name_plural = _("partages de dossiers")
        constraints = [
            models.UniqueConstraint(fields=["folder", "organisation"], name="partners_unique_folder_share"),
        ]

    def __str__(self):
        return f"{self.folder} → {self.organisation}"


class SharedFileQuerySet(models.QuerySet):
    def visible_to(self, user) -> SharedFileQuerySet:
        """Files of visible folders; a file tied to a person also needs a full-scope consent."""
        return self.filter(folder__in=Folder.objects.visible_to(user)).filter(
            Q(job_seeker__isnull=True) | Q(job_seeker__in=JobSeeker.objects.followed_by(user))
        )

    def writable_by(self, user) -> SharedFileQuerySet:
        return self.visible_to(user).filter(folder__in=Folder.objects.writable_by(user))


class SharedFile(models.Model):
    """A file in a folder, with its history of versions. It may be tied to a person followed:
    then only organisations the person consented to (full scope) see it, and erasing the
    person's record deletes it."""

    folder = models.ForeignKey(
        Folder, on_delete=models.CASCADE, related_name="files", verbose_name=_("dossier")
    )
    title = models.CharField(_("nom"), max_length=255)
    job_seeker = models.ForeignKey(
        JobSeeker,
        # Erasure deletes these files itself, bytes included; PROTECT keeps any other path
        # from dropping the rows and leaving the bytes behind.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("personne concernée"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ajouté le"), default=timezone.now)
    updated_at = models.DateTimeField(_("dernière version le"), default=timezone.now)

    objects = SharedFileQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("fichier")
        verbose_name_plural = _("fichiers")

    def __str__(self):
        return self.title

    @property
    def current_version(self) -> FileVersion | None:
        return self.versions.order_by("-number").first()


class FileVersionQuerySet(models.QuerySet):
    def visible_to(self, user) -> FileVersionQuerySet:
        return self.filter(file__in=SharedFile.objects.visible_to(user))


class FileVersion(models.Model):
    """One uploaded version of a file. The bytes are stored under a generated name
    (`storage_name`); the uploader's file name is only kept as text for the download."""

    file = models.ForeignKey(SharedFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("taille"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("envoyé par"),
    )
    uploaded_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    objects = FileVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version de fichier")
        verbose_name_plural = _("versions de fichiers")
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="partners_unique_version_number")
        ]

    def __str__(self):
        return f"{self.original_name} (v{self.number})"


# --- Access log (GDPR) ------------------------------------------------------------------------


class AccessLogQuerySet(models.QuerySet):
    def about(self, record_id: int) -> AccessLogQuerySet:
        """Entries about one record: its reads and writes, and the pages that showed it."""
        shown = ShownRecord.objects.filter(record_id=record_id).values("entry")
        return self.filter(Q(record_id=record_id) | Q(pk__in=shown))


class AccessLog(models.Model):
    """Who read or wrote which record, note, consent, folder or file, and when; which records
    a page showed (ShownRecord); and who tried to open what they may not see. Targets are kept
    as plain ids, not foreign keys: the entry outlives an erased record without naming anyone."""

    class Action(models.TextChoices):
        VIEW = "view", _("Consultation de la fiche")
        CREATE = "create", _("Création de la fiche")
        UPDATE = "update", _("Modification de la fiche")
        LAST_CONTACT = "last_contact", _("Changement de la date du dernier contact")
        NOTE_ADD = "note_add", _("Ajout d'une note")
        NOTE_EDIT = "note_edit", _("Modification d'une note")
        CONSENT_GRANT = "consent_grant", _("Enregistrement d'un consentement")
        CONSENT_WITHDRAW = "consent_withdraw", _("Retrait d'un consentement")
        EXPORT = "export", _("Export des données")
        ERASE = "erase", _("Effacement de la fiche")
        PURGE = "purge", _("Effacement automatique (durée de conservation dépassée)")
        UPLOAD = "upload", _("Envoi d'un fichier")
        DOWNLOAD = "download", _("Téléchargement d'un fichier")
        FILE_DELETE = "file_delete", _("Suppression d'un fichier")
        DASHBOARD = "dashboard", _("Affichage dans le tableau de bord")
        RECORD_LIST = "record_list", _("Affichage dans la liste des personnes")
        FOLDER_VIEW = "folder_view", _("Consultation d'un dossier partagé")
        FILE_VIEW = "file_view", _("Consultation d'un fichier")
        LOG_VIEW = "log_view", _("Consultation du journal d'accès")
        DENIED = "denied", _("Accès refusé")

    class Target(models.TextChoices):
        RECORD = "record", _("fiche")
        NOTE = "note", _("note")
        CONSENT = "consent", _("consentement")
        FOLDER = "folder", _("dossier")
        FILE = "file", _("fichier")
        VERSION = "version", _("version")
        PAGE = "page", _("page")

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compte"),
    )
    # Kept when the account is deleted, so that the log still says who it was.
    username = models.CharField(_("identifiant"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    target_type = models.CharField(_("objet"), max_length=10, choices=Target.choices)
    target_id = models.PositiveBigIntegerField(_("numéro de l'objet"), null=True, blank=True)
    record_id = models.PositiveBigIntegerField(_("numéro de la fiche"), null=True, blank=True, db_index=True)
    # A change of the date of last contact, which decides when the record is purged.
    old_date = models.DateField(_("ancienne date"), null=True, blank=True)
    new_date = models.DateField(_("nouvelle date"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("entrée du journal d'accès")
        verbose_name_plural = _("journal d'accès")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target_type}:{self.target_id}"


class ShownRecord(models.Model):
    """A record shown by a page that lists several (dashboard, list of people, folder), so
    that the record's journal names every page it appeared on. A plain id, like the entry's
    targets; purged with its entry."""

    entry = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="shown_records")
    record_id = models.PositiveBigIntegerField(_("numéro de la fiche"), db_index=True)

    class Meta:
        verbose_name = _("fiche affichée")
        verbose_name_plural = _("fiches affichées")
        constraints = [
            models.UniqueConstraint(fields=["entry", "record_id"], name="partners_unique_shown_record"),
        ]

    def __str__(self):
        return f"{self.entry_id}:{self.record_id}"
