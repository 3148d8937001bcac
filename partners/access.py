"""Who may see and do what in the partner workspace: the one place that decides.

Every folder, file, version, record, consent and note a partner view touches is fetched here.
A helper returns the object when one of the user's memberships allows the requested level,
and raises Http404 otherwise: someone who may not see an object cannot even learn it exists.
Each refusal is written to the access log (who, which object, when).

Rules (membership of an organisation is the only key; being a superuser opens nothing here,
job-seeker data included, unless the superuser is also a member):

- folder, read: the owner organisation and the organisations it is shared with;
  write (upload, new version, delete a file): the owner and read-write shares;
  manage (sharing, deleting the folder): admins of the owner organisation.
- file and version: as their folder; a file tied to a person also needs the "follow" level
  on that person's record.
- record, read: organisations holding an active consent of the person, whatever its scope;
  follow (notes, documents, editing the record): an active consent with the full scope;
  manage (consents, export, access log): members of the referent organisation;
  erase: admins of the referent organisation.
- note: readable at the follow level of its record; editable by its author only.
- consent, withdraw: at the manage level of its record, except the referent organisation's own
  consent (erasing the record is the way to end the follow-up).
"""

from __future__ import annotations

import enum

from django.db.models import F, QuerySet
from django.http import Http404

from partners import actions
from partners.models import (
    AccessLog,
    Consent,
    FileVersion,
    Folder,
    FollowUpNote,
    JobSeeker,
    Organisation,
    SharedFile,
)


class Level(enum.Enum):
    READ = "read"
    WRITE = "write"
    FOLLOW = "follow"
    MANAGE = "manage"
    ERASE = "erase"


def organisations_of(user) -> QuerySet[Organisation]:
    return Organisation.objects.of(user)


def administered_organisations(user) -> QuerySet[Organisation]:
    return Organisation.objects.administered_by(user)


def is_partner(user) -> bool:
    return organisations_of(user).exists()


def get_or_404(user, objects: QuerySet, pk: int, target_type: str):
    """The object `pk` among `objects`, or a logged denial and Http404."""
    try:
        return objects.get(pk=pk)
    except objects.model.DoesNotExist:
        actions.log_denial(user, target_type, pk)
        raise Http404 from None


# --- Folders and files ------------------------------------------------------------------------


def folders_for(user, level: Level = Level.READ) -> QuerySet[Folder]:
    if level is Level.READ:
        return Folder.objects.visible_to(user)
    if level is Level.WRITE:
        return Folder.objects.writable_by(user)
    if level is Level.MANAGE:
        return Folder.objects.managed_by(user)
    raise ValueError(level)


def get_folder_for(user, pk: int, level: Level = Level.READ) -> Folder:
    return get_or_404(user, folders_for(user, level).select_related("owner"), pk, AccessLog.Target.FOLDER)


def files_for(user, level: Level = Level.READ) -> QuerySet[SharedFile]:
    if level is Level.READ:
        return SharedFile.objects.visible_to(user)
    if level is Level.WRITE:
        return SharedFile.objects.writable_by(user)
    raise ValueError(level)


def get_file_for(user, pk: int, level: Level = Level.READ) -> SharedFile:
    files = files_for(user, level).select_related("folder__owner", "job_seeker")
    return get_or_404(user, files, pk, AccessLog.Target.FILE)


def versions_for(user) -> QuerySet[FileVersion]:
    return FileVersion.objects.visible_to(user)


def get_version_for(user, pk: int) -> FileVersion:
    versions = versions_for(user).select_related("file__folder", "file__job_seeker")
    return get_or_404(user, versions, pk, AccessLog.Target.VERSION)


# --- Job-seeker records -----------------------------------------------------------------------


def records_for(user, level: Level = Level.READ) -> QuerySet[JobSeeker]:
    if level is Level.READ:
        return JobSeeker.objects.visible_to(user)
    if level is Level.FOLLOW:
        return JobSeeker.objects.followed_by(user)
    if level is Level.MANAGE:
        return JobSeeker.objects.managed_by(user)
    if level is Level.ERASE:
        return JobSeeker.objects.erasable_by(user)
    raise ValueError(level)


def get_record_for(user, pk: int, level: Level = Level.READ) -> JobSeeker:
    records = records_for(user, level).select_related("referent_organisation", "referent")
    return get_or_404(user, records, pk, AccessLog.Target.RECORD)


def record_levels(user, record: JobSeeker) -> set[Level]:
    """The levels `user` holds on a record they can read, to show only the actions they may take."""
    levels = {Level.READ}
    for level in (Level.FOLLOW, Level.MANAGE, Level.ERASE):
        if records_for(user, level).filter(pk=record.pk).exists():
            levels.add(level)
    return levels


def notes_for(user) -> QuerySet[FollowUpNote]:
    return FollowUpNote.objects.visible_to(user)


def get_note_for(user, pk: int, *, edit: bool = False) -> FollowUpNote:
    notes = notes_for(user)
    if edit:
        notes = notes.filter(author=user)
    return get_or_404(user, notes.select_related("job_seeker", "organisation"), pk, AccessLog.Target.NOTE)


def note_organisations(user, record: JobSeeker) -> QuerySet[Organisation]:
    """The user's organisations that may write notes on this record (active full-scope consent)."""
    return organisations_of(user).filter(
        consents__job_seeker=record,
        consents__withdrawn_at__isnull=True,
        consents__scope=Consent.Scope.FULL,
    )


def get_consent_for(user, pk: int) -> Consent:
    """An active consent the user may withdraw."""
    consents = (
        Consent.objects.active()
        .filter(job_seeker__in=JobSeeker.objects.managed_by(user))
        .exclude(organisation=F("job_seeker__referent_organisation"))
    )
    consents = consents.select_related("job_seeker", "organisation")
    return get_or_404(user, consents, pk, AccessLog.Target.CONSENT)
