"""Writes of the partner workspace: each one atomic, logged where personal data is involved,
and called alike by views, commands, the demo seed and tests.

Callers fetch the objects through partners.access first, which settles who may act; the
functions here enforce the rules of the data themselves (dates, scopes, file types) and raise
ValidationError with French messages that forms show as they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from axes.models import AccessLog as LoginLog

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agora import erasure
from agora.dates import months_before
from partners import filetypes, storage
from partners.models import (
    AccessLog,
    Consent,
    FileVersion,
    Folder,
    FolderShare,
    FollowUpNote,
    JobSeeker,
    Organisation,
    SharedFile,
    ShownRecord,
)

# --- Access log -------------------------------------------------------------------------------


# The largest id a log entry can hold: an id typed into a URL may be any number.
LARGEST_ID = 2**63 - 1


@transaction.atomic
def log_access(
    user,
    action: str,
    *,
    target_type: str,
    target_id: int | None = None,
    record_id: int | None = None,
    old_date: datetime.date | None = None,
    new_date: datetime.date | None = None,
    shown_records: Iterable[int] = (),
) -> AccessLog:
    """Write one entry of the GDPR access log (who, what, when), with the records a page showed."""
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    entry = AccessLog.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        record_id=record_id,
        old_date=old_date,
        new_date=new_date,
    )
    ShownRecord.objects.bulk_create(
        ShownRecord(entry=entry, record_id=pk) for pk in sorted(set(shown_records))
    )
    return entry


def log_record_view(user, record: JobSeeker) -> None:
    log_access(
        user,
        AccessLog.Action.VIEW,
        target_type=AccessLog.Target.RECORD,
        target_id=record.pk,
        record_id=record.pk,
    )


def log_page_view(
    user,
    action: str,
    *,
    shown_records: Iterable[int],
    target_type: str = AccessLog.Target.PAGE,
    target_id: int | None = None,
) -> None:
    """Log a page that lists several records (dashboard, list of people, folder): one entry
    naming, by number, the records it showed."""
    log_access(user, action, target_type=target_type, target_id=target_id, shown_records=shown_records)


def log_file_view(user, shared_file: SharedFile) -> None:
    log_access(
        user,
        AccessLog.Action.FILE_VIEW,
        target_type=AccessLog.Target.FILE,
        target_id=shared_file.pk,
        record_id=shared_file.job_seeker_id,
    )


def log_journal_view(user, record: JobSeeker) -> None:
    log_access(
        user,
        AccessLog.Action.LOG_VIEW,
        target_type=AccessLog.Target.RECORD,
        target_id=record.pk,
        record_id=record.pk,
    )


def log_denial(user, target_type: str, pk: int) -> None:
    """Log an attempt to open an object `user` may not see (or that does not exist): who, which
    object, when. A denied record shows in that record's journal."""
    target_id = pk if 0 <= pk <= LARGEST_ID else None
    record_id = target_id if target_type == AccessLog.Target.RECORD else None
    log_access(
        user, AccessLog.Action.DENIED, target_type=target_type, target_id=target_id, record_id=record_id
    )


def display_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- Folders ----------------------------------------------------------------------------------


@transaction.atomic
def create_folder(user, *, organisation: Organisation, name: str, description: str = "") -> Folder:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Donnez un nom au dossier.")})
    taken = ValidationError({"name": _("Votre organisation a déjà un dossier de ce nom.")})
    if Folder.objects.filter(owner=organisation, name__iexact=name).exists():
        raise taken
    try:
        with transaction.atomic():
            return Folder.objects.create(
                owner=organisation, name=name, description=description.strip(), created_by=user
            )
    except IntegrityError:
        # A colleague created the same name between the check and the insert.
        raise taken from None


@transaction.atomic
def share_folder(user, folder: Folder, organisation: Organisation, access: str | None) -> FolderShare | None:
    """Give `organisation` read-only or read-write access to `folder`, or take it away (None)."""
    if organisation.pk == folder.owner_id:
        raise ValidationError(
            {"organisation": _("Cette organisation est propriétaire du dossier : elle y a déjà accès.")}
        )
    if access is None:
        FolderShare.objects.filter(folder=folder, organisation=organisation).delete()
        return None
    if access not in FolderShare.Access.values:
        raise ValidationError({"access": _("Choisissez un accès valide.")})
    share, _created = FolderShare.objects.update_or_create(
        folder=folder, organisation=organisation, defaults={"access": access, "created_by": user}
    )
    return share


@transaction.atomic
def delete_folder(user, folder: Folder) -> None:
    if folder.files.exists():
        raise ValidationError(_("Le dossier contient encore des fichiers : supprimez-les d'abord."))
    folder.delete()


# --- Files ------------------------------------------------------------------------------------


def upload_file(user, folder: Folder, uploaded, *, job_seeker: JobSeeker | None = None) -> FileVersion:
    """Check an uploaded file by its content, store it privately and add it to `folder`.

    Raises ValidationError for a refused file, storage.StorageUnavailable when the bytes could
    not be written; either way nothing is kept, neither rows nor bytes.
    """
    kind, content = filetypes.content_to_keep(uploaded)
    name = filetypes.clean_file_name(uploaded.name, kind)
    stored = storage.store(content)
    try:
        with transaction.atomic():
            now = timezone.now()
            shared_file = SharedFile.objects.create(
                folder=folder,
                title=name,
                job_seeker=job_seeker,
                created_by=user,
                created_at=now,
                updated_at=now,
            )
            version = _add_version(user, shared_file, 1, name, kind, stored, now)
    except BaseException:
        storage.delete_stored([stored.name])
        raise
    return version


def upload_version(user, shared_file: SharedFile, uploaded) -> FileVersion:
    """Add a new version of a file; earlier versions stay downloadable."""
    kind, content = filetypes.content_to_keep(uploaded)
    name = filetypes.clean_file_name(uploaded.name, kind)
    stored = storage.store(content)
    try:
        with transaction.atomic():
            # Lock the file row so that two uploads at once get distinct numbers.
            locked = SharedFile.objects.select_for_update().get(pk=shared_file.pk)
            number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
            now = timezone.now()
            version = _add_version(user, locked, number, name, kind, stored, now)
            locked.updated_at = now
            locked.save(update_fields=["updated_at"])
    except BaseException:
        storage.delete_stored([stored.name])
        raise
    return version


def _add_version(user, shared_file, number, name, kind, stored, now) -> FileVersion:
    version = FileVersion.objects.create(
        file=shared_file,
        number=number,
        original_name=name,
        storage_name=stored.name,
        content_type=filetypes.content_type_for(name, kind),
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=user,
        uploaded_at=now,
    )
    log_access(
        user,
        AccessLog.Action.UPLOAD,
        target_type=AccessLog.Target.VERSION,
        target_id=version.pk,
        record_id=shared_file.job_seeker_id,
    )
    return version


@transaction.atomic
def delete_file(user, shared_file: SharedFile) -> None:
    """Delete a file and all its versions, bytes included (once the transaction commits)."""
    names = list(shared_file.versions.values_list("storage_name", flat=True))
    log_access(
        user,
        AccessLog.Action.FILE_DELETE,
        target_type=AccessLog.Target.FILE,
        target_id=shared_file.pk,
        record_id=shared_file.job_seeker_id,
    )
    shared_file.delete()
    transaction.on_commit(lambda: storage.delete_stored(names))


def record_download(user, version: FileVersion) -> None:
    log_access(
        user,
        AccessLog.Action.DOWNLOAD,
        target_type=AccessLog.Target.VERSION,
        target_id=version.pk,
        record_id=version.file.job_seeker_id,
    )


# --- Records, consents and notes --------------------------------------------------------------


def _not_in_future(day: datetime.date | None, message: str, errors: dict, key: str) -> None:
    if day is not None and day > timezone.localdate():
        errors[key] = message


@transaction.atomic
def create_record(
    user,
    *,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    status: str = JobSeeker.Status.SEARCHING,
    referent=None,
    last_contact_on: datetime.date | None = None,
    consent_given_on: datetime.date | None = None,
) -> JobSeeker:
    """Open a record followed by `organisation`, with the person's consent to that follow-up."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not first_name.strip() and not last_name.strip():
        errors["last_name"] = _("Indiquez au moins le nom ou le prénom de la personne.")
    _not_in_future(
        last_contact_on,
        _("La date du dernier contact ne peut pas être dans le futur."),
        errors,
        "last_contact_on",
    )
    _not_in_future(
        consent_given_on, _("La date de l'accord ne peut pas être dans le futur."), errors, "consent_given_on"
    )
    if referent is not None and not organisation.memberships.filter(user=referent).exists():
        errors["referent"] = _("La personne référente doit être membre de l'organisation référente.")
    if errors:
        raise ValidationError(errors)
    record = JobSeeker.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        status=status,
        referent_organisation=organisation,
        referent=referent,
        last_contact_on=last_contact_on or today,
        created_by=user,
    )
    Consent.objects.create(
        job_seeker=record,
        organisation=organisation,
        scope=Consent.Scope.FULL,
        given_on=consent_given_on or today,
        recorded_by=user,
    )
    log_access(
        user,
        AccessLog.Action.CREATE,
        target_type=AccessLog.Target.RECORD,
        target_id=record.pk,
        record_id=record.pk,
    )
    return record


# The daily purge erases a record 24 months after its last contact: moving that date far back
# would erase the record, which only the referent organisation's admins may do. A correction
# moves it back by this much at most.
LAST_CONTACT_MAX_BACKDATE = datetime.timedelta(days=7)


def earliest_last_contact(record: JobSeeker) -> datetime.date:
    """The earliest date of last contact a correction may give the record.

    At most LAST_CONTACT_MAX_BACKDATE below the latest date the record has had (taken from the
    changes logged), so that repeated corrections do not add up, and never before the record
    was created; a date already earlier than that, given when the record was created, stays.
    """
    logged = AccessLog.objects.filter(record_id=record.pk, action=AccessLog.Action.LAST_CONTACT).aggregate(
        old=Max("old_date"), new=Max("new_date")
    )
    latest = max(day for day in (record.last_contact_on, logged["old"], logged["new"]) if day is not None)
    floor = max(latest - LAST_CONTACT_MAX_BACKDATE, timezone.localdate(record.created_at))
    return min(record.last_contact_on, floor)


def _log_last_contact(user, record: JobSeeker, old_date: datetime.date) -> None:
    if record.last_contact_on != old_date:
        log_access(
            user,
            AccessLog.Action.LAST_CONTACT,
            target_type=AccessLog.Target.RECORD,
            target_id=record.pk,
            record_id=record.pk,
            old_date=old_date,
            new_date=record.last_contact_on,
        )


def _note_moves_last_contact(user, record: JobSeeker, day: datetime.date) -> None:
    """A note's date is a contact: the record's date of last contact moves forward to it."""
    if day > record.last_contact_on:
        old_date = record.last_contact_on
        record.last_contact_on = day
        record.save(update_fields=["last_contact_on", "updated_at"])
        _log_last_contact(user, record, old_date)


RECORD_EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "status",
    "referent",
    "last_contact_on",
)


@transaction.atomic
def update_record(user, record: JobSeeker, **changes) -> JobSeeker:
    unknown = set(changes) - set(RECORD_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    last_contact_on = changes.get("last_contact_on")
    _not_in_future(
        last_contact_on,
        _("La date du dernier contact ne peut pas être dans le futur."),
        errors,
        "last_contact_on",
    )
    if last_contact_on is not None and last_contact_on < record.last_contact_on:
        earliest = earliest_last_contact(record)
        if last_contact_on < earliest:
            errors["last_contact_on"] = _(
                "La date du dernier contact ne peut pas reculer avant le %(date)s : une correction ne "
                "la recule que de %(days)s jours au plus, et jamais avant la création de la fiche."
            ) % {"date": earliest.strftime("%d/%m/%Y"), "days": LAST_CONTACT_MAX_BACKDATE.days}
    referent = changes.get("referent")
    if referent is not None and not record.referent_organisation.memberships.filter(user=referent).exists():
        errors["referent"] = _("La personne référente doit être membre de l'organisation référente.")
    if "first_name" in changes or "last_name" in changes:
        first = changes.get("first_name", record.first_name).strip()
        last = changes.get("last_name", record.last_name).strip()
        if not first and not last:
            errors["last_name"] = _("Indiquez au moins le nom ou le prénom de la personne.")
    if errors:
        raise ValidationError(errors)
    old_date = record.last_contact_on
    for name, value in changes.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)
    record.save(update_fields=[*changes, "updated_at"])
    log_access(
        user,
        AccessLog.Action.UPDATE,
        target_type=AccessLog.Target.RECORD,
        target_id=record.pk,
        record_id=record.pk,
    )
    _log_last_contact(user, record, old_date)
    return record


@transaction.atomic
def grant_consent(
    user, record: JobSeeker, *, organisation: Organisation, scope: str, given_on: datetime.date | None = None
) -> Consent:
    """Record that the person agreed to share their record with `organisation`."""
    errors: dict[str, str] = {}
    already = _("Cette organisation a déjà l'accord de la personne.")
    if Consent.objects.active().filter(job_seeker=record, organisation=organisation).exists():
        errors["organisation"] = already
    if scope not in Consent.Scope.values:
        errors["scope"] = _("Choisissez l'étendue du partage.")
    _not_in_future(given_on, _("La date de l'accord ne peut pas être dans le futur."), errors, "given_on")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                job_seeker=record,
                organisation=organisation,
                scope=scope,
                given_on=given_on or timezone.localdate(),
                recorded_by=user,
            )
    except IntegrityError:
        # The same consent, recorded by a colleague between the check and the insert.
        raise ValidationError({"organisation": already}) from None
    log_access(
        user,
        AccessLog.Action.CONSENT_GRANT,
        target_type=AccessLog.Target.CONSENT,
        target_id=consent.pk,
        record_id=record.pk,
    )
    return consent


@transaction.atomic
def withdraw_consent(user, consent: Consent) -> Consent:
    """Withdraw an organisation's consent: its members lose access from their next request on."""
    consent = Consent.objects.select_for_update().select_related("job_seeker").get(pk=consent.pk)
    if consent.organisation_id == consent.job_seeker.referent_organisation_id:
        raise ValidationError(
            _(
                "L'accord donné à l'organisation référente ne peut pas être retiré : si la personne "
                "ne souhaite plus être suivie, effacez sa fiche."
            )
        )
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = user
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        log_access(
            user,
            AccessLog.Action.CONSENT_WITHDRAW,
            target_type=AccessLog.Target.CONSENT,
            target_id=consent.pk,
            record_id=consent.job_seeker_id,
        )
    return consent


def note_errors(
    *,
    text: str,
    date: datetime.date | None,
    next_step: str = "",
    next_step_on: datetime.date | None = None,
    check_next_step_date: bool = True,
) -> dict[str, str]:
    """The rules of a follow-up note, shared by the note forms and the actions."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not (text or "").strip():
        errors["text"] = _("Écrivez l'objet et les faits de cet échange : la note ne peut pas être vide.")
    if date is not None and date > today:
        errors["date"] = _("La date de l'échange ne peut pas être dans le futur.")
    if next_step_on is not None:
        if check_next_step_date and next_step_on < today:
            errors["next_step_on"] = _(
                "La date de la prochaine étape est déjà passée : choisissez aujourd'hui ou une date à venir."
            )
        elif date is not None and next_step_on < date:
            errors["next_step_on"] = _(
                "La prochaine étape ne peut pas être prévue avant la date de l'échange : "
                "corrigez l'une des deux dates."
            )
        if not (next_step or "").strip():
            errors["next_step"] = _("Décrivez la prochaine étape prévue à cette date.")
    return errors


@transaction.atomic
def record_note(
    user,
    record: JobSeeker,
    *,
    organisation: Organisation,
    text: str,
    kind: str = FollowUpNote.Kind.INTERVIEW,
    date: datetime.date | None = None,
    next_step: str = "",
    next_step_on: datetime.date | None = None,
) -> FollowUpNote:
    """Add a follow-up note, written on behalf of `organisation`; the record's date of last
    contact moves forward to the note's date."""
    date = date or timezone.localdate()
    errors = note_errors(text=text, date=date, next_step=next_step, next_step_on=next_step_on)
    full_consent = Consent.objects.active().filter(
        job_seeker=record, organisation=organisation, scope=Consent.Scope.FULL
    )
    if not organisation.memberships.filter(user=user).exists() or not full_consent.exists():
        errors["organisation"] = _("Votre organisation n'a pas l'accord de la personne pour ce suivi.")
    if errors:
        raise ValidationError(errors)
    note = FollowUpNote.objects.create(
        job_seeker=record,
        date=date,
        author=user,
        organisation=organisation,
        kind=kind,
        text=text.strip(),
        next_step=next_step.strip(),
        next_step_on=next_step_on,
    )
    _note_moves_last_contact(user, record, date)
    log_access(
        user,
        AccessLog.Action.NOTE_ADD,
        target_type=AccessLog.Target.NOTE,
        target_id=note.pk,
        record_id=record.pk,
    )
    return note


@transaction.atomic
def update_note(
    user,
    note: FollowUpNote,
    *,
    text: str,
    kind: str,
    date: datetime.date,
    next_step: str = "",
    next_step_on: datetime.date | None = None,
) -> FollowUpNote:
    errors = note_errors(
        text=text,
        date=date,
        next_step=next_step,
        next_step_on=next_step_on,
        # A next step that has passed since the note was written may stay as it was.
        check_next_step_date=next_step_on != note.next_step_on,
    )
    if errors:
        raise ValidationError(errors)
    note.text, note.kind, note.date = text.strip(), kind, date
    note.next_step, note.next_step_on = next_step.strip(), next_step_on
    note.save(update_fields=["text", "kind", "date", "next_step", "next_step_on", "updated_at"])
    _note_moves_last_contact(user, note.job_seeker, date)
    log_access(
        user,
        AccessLog.Action.NOTE_EDIT,
        target_type=AccessLog.Target.NOTE,
        target_id=note.pk,
        record_id=note.job_seeker_id,
    )
    return note


# --- GDPR: export, erasure, purge -------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


@transaction.atomic
def export_record(user, record: JobSeeker) -> dict:
    """Everything the workspace holds about one person, machine-readable (the right of access)."""
    log_access(
        user,
        AccessLog.Action.EXPORT,
        target_type=AccessLog.Target.RECORD,
        target_id=record.pk,
        record_id=record.pk,
    )
    consents = record.consents.select_related("organisation", "recorded_by", "withdrawn_by").order_by("pk")
    notes = record.notes.select_related("organisation", "author").order_by("date", "pk")
    files = record.files.select_related("folder").prefetch_related("versions__uploaded_by").order_by("pk")
    log = AccessLog.objects.about(record.pk).order_by("at", "pk")
    return {
        "format": "agora-espace-partenaires/1",
        "exported_at": _iso(timezone.now()),
        "exported_by": user.get_username(),
        "person": {
            "id": record.pk,
            "first_name": record.first_name,
            "last_name": record.last_name,
            "email": record.email,
            "phone": record.phone,
            "status": record.status,
            "status_label": str(record.get_status_display()),
            "referent_organisation": record.referent_organisation.name,
            "referent": display_name(record.referent),
            "last_contact_on": _iso(record.last_contact_on),
            "created_at": _iso(record.created_at),
            "updated_at": _iso(record.updated_at),
        },
        "consents": [
            {
                "organisation": consent.organisation.name,
                "scope": consent.scope,
                "scope_label": str(consent.get_scope_display()),
                "given_on": _iso(consent.given_on),
                "recorded_by": display_name(consent.recorded_by),
                "recorded_at": _iso(consent.recorded_at),
                "withdrawn_at": _iso(consent.withdrawn_at),
                "withdrawn_by": display_name(consent.withdrawn_by),
            }
            for consent in consents
        ],
        "notes": [
            {
                "id": note.pk,
                "date": _iso(note.date),
                "kind": note.kind,
                "kind_label": str(note.get_kind_display()),
                "organisation": note.organisation.name,
                "author": display_name(note.author),
                "text": note.text,
                "next_step": note.next_step,
                "next_step_on": _iso(note.next_step_on),
                "created_at": _iso(note.created_at),
                "updated_at": _iso(note.updated_at),
            }
            for note in notes
        ],
        "files": [
            {
                "id": shared_file.pk,
                "title": shared_file.title,
                "folder": shared_file.folder.name,
                "versions": [
                    {
                        "number": version.number,
                        "file_name": version.original_name,
                        "content_type": version.content_type,
                        "size": version.size,
                        "sha256": version.sha256,
                        "uploaded_by": display_name(version.uploaded_by),
                        "uploaded_at": _iso(version.uploaded_at),
                    }
                    for version in sorted(shared_file.versions.all(), key=lambda v: v.number)
                ],
            }
            for shared_file in files
        ],
        "access_log": [
            {
                "at": _iso(entry.at),
                "user": entry.username,
                "action": entry.action,
                "action_label": str(entry.get_action_display()),
                "target": entry.target_type,
                "target_id": entry.target_id,
                "old_date": _iso(entry.old_date),
                "new_date": _iso(entry.new_date),
            }
            for entry in log
        ],
    }


@dataclass
class ErasureReport:
    record_id: int
    notes: int = 0
    consents: int = 0
    files: int = 0
    versions: int = 0


def erase_record(
    user, record: JobSeeker, *, action: str = AccessLog.Action.ERASE, journal: bool = True
) -> ErasureReport:
    """Erase a person's record with its notes, consents and the files tied to it, bytes included.

    The access log keeps its entries (ids only, no name) and gains one for the erasure. The
    erasure journal (agora.erasure) gets the record's id, so that restoring an older backup
    erases it again; that replay passes journal=False.
    """
    with transaction.atomic():
        record = JobSeeker.objects.select_for_update().get(pk=record.pk)
        files = SharedFile.objects.filter(job_seeker=record)
        names = list(FileVersion.objects.filter(file__in=files).values_list("storage_name", flat=True))
        report = ErasureReport(
            record_id=record.pk,
            notes=record.notes.count(),
            consents=record.consents.count(),
            files=files.count(),
            versions=len(names),
        )
        files.delete()
        record.delete()
        log_access(
            user,
            action,
            target_type=AccessLog.Target.RECORD,
            target_id=report.record_id,
            record_id=report.record_id,
        )
        if journal:
            erasure.record_erasure(JobSeeker._meta.label_lower, [report.record_id])
        transaction.on_commit(lambda: storage.delete_stored(names))
    return report


def erase_record_again(pk: int) -> bool:
    """After a restore: erase again a record the erasure journal lists; False if it is absent."""
    record = JobSeeker.objects.filter(pk=pk).first()
    if record is None:
        return False
    erase_record(None, record, journal=False)
    return True


@dataclass
class PurgeReport:
    dry_run: bool
    record_cutoff: datetime.date
    log_cutoff: datetime.datetime
    records: list[tuple[int, datetime.date]] = field(default_factory=list)
    logs: int = 0
    login_logs: int = 0
    orphan_files: list[str] = field(default_factory=list)


def purge_expired(
    *,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> PurgeReport:
    """Erase the records without contact for longer than the retention period (24 months by
    default) and the access-log entries older than theirs (12 months). Meant to run daily.

    With dry_run, nothing is deleted: the report lists what would be.
    """
    now = now or timezone.now()
    say = progress or (lambda message: None)
    report = PurgeReport(
        dry_run=dry_run,
        record_cutoff=months_before(timezone.localdate(now), settings.PARTNERS_RECORD_RETENTION_MONTHS),
        log_cutoff=months_before(now, settings.PARTNERS_LOG_RETENTION_MONTHS),
    )
    expired = JobSeeker.objects.filter(last_contact_on__lt=report.record_cutoff).order_by("pk")
    report.records = list(expired.values_list("pk", "last_contact_on"))
    old_logs = AccessLog.objects.filter(at__lt=report.log_cutoff)
    old_login_logs = LoginLog.objects.filter(attempt_time__lt=report.log_cutoff)
    report.logs = old_logs.count()
    report.login_logs = old_login_logs.count()

    total = len(report.records)
    for index, (pk, last_contact_on) in enumerate(report.records, start=1):
        if dry_run:
            say(
                _("[%(index)s/%(total)s] fiche n° %(pk)s à effacer (dernier contact le %(date)s)")
                % {"index": index, "total": total, "pk": pk, "date": last_contact_on.strftime("%d/%m/%Y")}
            )
            continue
        record = JobSeeker.objects.filter(pk=pk).first()
        if record is not None:
            erase_record(None, record, action=AccessLog.Action.PURGE)
        say(
            _("[%(index)s/%(total)s] fiche n° %(pk)s effacée (dernier contact le %(date)s)")
            % {"index": index, "total": total, "pk": pk, "date": last_contact_on.strftime("%d/%m/%Y")}
        )
    if not dry_run:
        with transaction.atomic():
            old_logs.delete()
            old_login_logs.delete()
    report.orphan_files = orphan_files(now)
    if not dry_run:
        storage.delete_stored(report.orphan_files)
    return report


ORPHAN_GRACE = datetime.timedelta(days=1)


def orphan_files(now: datetime.datetime) -> list[str]:
    """Private files no version refers to: bytes a deletion or an erasure failed to remove.

    Only files older than a day: a file being uploaded is written before its version is saved.
    """
    stored = storage.stored_names_before(now - ORPHAN_GRACE)
    referenced = set(
        FileVersion.objects.filter(storage_name__in=stored).values_list("storage_name", flat=True)
    )
    return sorted(stored - referenced)
