"""Views of the partner workspace: parse the request, fetch through partners.access, call an
action, render. Plain HTML forms, no JavaScript."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agora.forms import add_action_errors, submit_once
from partners import access, actions, storage
from partners.access import Level
from partners.forms import (
    ConsentForm,
    FolderForm,
    FolderShareForm,
    NoteForm,
    RecordCreateForm,
    RecordEditForm,
    RecordSearchForm,
    UploadForm,
    VersionForm,
    WorkspaceLoginForm,
)
from partners.middleware import mark_active
from partners.models import AccessLog, FileVersion, FollowUpNote

logger = logging.getLogger(__name__)

workspace_login_required = login_required(login_url=reverse_lazy("partners:login"))
PAGE_SIZE = 25
NEXT_STEPS_HORIZON = timedelta(days=14)


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def workspace_scope(request: HttpRequest) -> str:
    """One-time form tokens (agora.forms.submit_once) are each account's own."""
    return f"partners:{request.user.pk}"


def submit_upload_once(
    request: HttpRequest, form: forms.Form, upload: Callable[[], str]
) -> tuple[HttpResponse | None, int]:
    """submit_once for the file forms, with the status to show the form again with.

    What the action refuses is said on the file field; a storage that cannot take the file
    gives the form again with its message, status 503.
    """

    def act() -> str:
        try:
            return upload()
        except ValidationError as error:
            raise ValidationError({"file": error}) from None

    try:
        return submit_once(request, form, act, scope=workspace_scope(request)), 200
    except storage.StorageUnavailable as error:
        form.add_error("file", error.message)
        return None, 503


# --- Login and dashboard ----------------------------------------------------------------------


class WorkspaceLoginView(LoginView):
    template_name = "partners/login.html"
    form_class = WorkspaceLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("partners:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        # No "remember me": the session cookie ends with the browser, and idles out after 30 min.
        self.request.session.set_expiry(0)
        mark_active(self.request)
        messages.success(self.request, _("Vous êtes connecté·e à l'espace partenaires."))
        return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.success(request, _("Vous êtes déconnecté·e de l'espace partenaires."))
    return redirect("partners:login")


@workspace_login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    recent_versions = list(
        access.versions_for(user)
        .select_related("file__folder", "uploaded_by")
        .order_by("-uploaded_at", "-pk")[:6]
    )
    my_records = list(access.records_for(user).filter(referent=user).order_by("-last_contact_on", "pk")[:10])
    next_steps = list(
        access.notes_for(user)
        .pending_next_steps(until=today + NEXT_STEPS_HORIZON)
        .select_related("job_seeker", "author")[:10]
    )
    actions.log_page_view(
        user,
        AccessLog.Action.DASHBOARD,
        shown_records=[record.pk for record in my_records]
        + [note.job_seeker_id for note in next_steps]
        # A file's name may name the person it concerns.
        + [version.file.job_seeker_id for version in recent_versions if version.file.job_seeker_id],
    )
    context = {
        "organisations": access.organisations_of(user),
        "recent_versions": recent_versions,
        "my_records": my_records,
        "next_steps": next_steps,
        "today": today,
    }
    return render(request, "partners/dashboard.html", context)


# --- Folders ----------------------------------------------------------------------------------


@workspace_login_required
def folder_list(request: HttpRequest) -> HttpResponse:
    folders = access.folders_for(request.user).select_related("owner").order_by("name", "pk")
    context = {
        "folders": paginate(request, folders),
        "can_create": access.administered_organisations(request.user).exists(),
        "writable_ids": set(access.folders_for(request.user, Level.WRITE).values_list("pk", flat=True)),
    }
    return render(request, "partners/folder_list.html", context)


@workspace_login_required
@require_http_methods(["GET", "POST"])
def folder_create(request: HttpRequest) -> HttpResponse:
    organisations = access.administered_organisations(request.user)
    if not organisations.exists():
        raise Http404
    form = FolderForm(request.POST or None, organisations=organisations)
    if request.method == "POST":

        def create() -> str:
            folder = actions.create_folder(
                request.user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, _("Le dossier « %(name)s » est créé.") % {"name": folder.name})
            return reverse("partners:folder_detail", args=[folder.pk])

        if response := submit_once(request, form, create, scope=workspace_scope(request)):
            return response
    return render(request, "partners/folder_form.html", {"form": form})


@workspace_login_required
def folder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    folder = access.get_folder_for(request.user, pk)
    files = (
        access.files_for(request.user)
        .filter(folder=folder)
        .select_related("job_seeker", "created_by")
        .prefetch_related("versions__uploaded_by")
    )
    page = paginate(request, files)
    actions.log_page_view(
        request.user,
        AccessLog.Action.FOLDER_VIEW,
        target_type=AccessLog.Target.FOLDER,
        target_id=folder.pk,
        shown_records=[shared_file.job_seeker_id for shared_file in page if shared_file.job_seeker_id],
    )
    context = {
        "folder": folder,
        "files": page,
        "can_write": access.folders_for(request.user, Level.WRITE).filter(pk=folder.pk).exists(),
        "can_manage": access.folders_for(request.user, Level.MANAGE).filter(pk=folder.pk).exists(),
        "shares": folder.shares.select_related("organisation"),
    }
    return render(request, "partners/folder_detail.html", context)


@workspace_login_required
@require_http_methods(["GET", "POST"])
def folder_upload(request: HttpRequest, pk: int) -> HttpResponse:
    folder = access.get_folder_for(request.user, pk, Level.WRITE)
    people = access.records_for(request.user, Level.FOLLOW).order_by("last_name", "first_name")
    form = UploadForm(request.POST or None, request.FILES or None, people=people)
    status = 200
    if request.method == "POST":

        def upload() -> str:
            version = actions.upload_file(
                request.user, folder, form.cleaned_data["file"], job_seeker=form.cleaned_data["job_seeker"]
            )
            messages.success(
                request, _("Le fichier « %(name)s » est ajouté au dossier.") % {"name": version.original_name}
            )
            return reverse("partners:folder_detail", args=[folder.pk])

        response, status = submit_upload_once(request, form, upload)
        if response:
            return response
    else:
        # The form offers to link the file to a person: it lists the people one follows.
        actions.log_page_view(
            request.user,
            AccessLog.Action.RECORD_LIST,
            target_type=AccessLog.Target.FOLDER,
            target_id=folder.pk,
            shown_records=[person.pk for person in people],
        )
    return render(request, "partners/file_upload.html", {"form": form, "folder": folder}, status=status)


@workspace_login_required
@require_http_methods(["GET", "POST"])
def folder_shares(request: HttpRequest, pk: int) -> HttpResponse:
    folder = access.get_folder_for(request.user, pk, Level.MANAGE)
    form = FolderShareForm(request.POST or None, folder=folder)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            share = actions.share_folder(request.user, folder, organisation, form.access_value)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if share is None:
                message = _("%(organisation)s n'a plus accès au dossier.")
            else:
                message = _("%(organisation)s a maintenant accès au dossier : %(access)s.")
            messages.success(
                request,
                message
                % {
                    "organisation": organisation.name,
                    "access": share.get_access_display().lower() if share else "",
                },
            )
            return redirect("partners:folder_shares", pk=folder.pk)
    context = {"folder": folder, "form": form, "shares": folder.shares.select_related("organisation")}
    return render(request, "partners/folder_shares.html", context)


@workspace_login_required
@require_http_methods(["GET", "POST"])
def folder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    folder = access.get_folder_for(request.user, pk, Level.MANAGE)
    error = None
    if request.method == "POST":
        try:
            actions.delete_folder(request.user, folder)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Le dossier « %(name)s » est supprimé.") % {"name": folder.name})
            return redirect("partners:folder_list")
    file_count = access.files_for(request.user).filter(folder=folder).count()
    context = {
        "folder": folder,
        "file_count": file_count,
        # Files tied to people the organisation does not follow: their number, never their names.
        "hidden_file_count": folder.files.count() - file_count,
        "error": error,
    }
    return render(request, "partners/folder_confirm_delete.html", context)


# --- Files ------------------------------------------------------------------------------------


@workspace_login_required
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shared_file = access.get_file_for(request.user, pk)
    actions.log_file_view(request.user, shared_file)
    context = {
        "file": shared_file,
        "versions": shared_file.versions.select_related("uploaded_by").order_by("-number"),
        "can_write": access.files_for(request.user, Level.WRITE).filter(pk=shared_file.pk).exists(),
    }
    return render(request, "partners/file_detail.html", context)


@workspace_login_required
@require_http_methods(["GET", "POST"])
def file_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    shared_file = access.get_file_for(request.user, pk, Level.WRITE)
    form = VersionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":

        def upload() -> str:
            version = actions.upload_version(request.user, shared_file, form.cleaned_data["file"])
            messages.success(
                request,
                _(
                    "La version %(number)s de « %(name)s » est enregistrée ; les précédentes restent disponibles."
                )
                % {"number": version.number, "name": shared_file.title},
            )
            return reverse("partners:file_detail", args=[shared_file.pk])

        response, status = submit_upload_once(request, form, upload)
        if response:
            return response
    context = {"form": form, "folder": shared_file.folder, "file": shared_file}
    return render(request, "partners/file_upload.html", context, status=status)


@workspace_login_required
@require_http_methods(["GET", "POST"])
def file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    shared_file = access.get_file_for(request.user, pk, Level.WRITE)
    if request.method == "POST":
        folder_pk = shared_file.folder_id
        actions.delete_file(request.user, shared_file)
        messages.success(
            request,
            _("Le fichier « %(name)s » et toutes ses versions sont supprimés.") % {"name": shared_file.title},
        )
        return redirect("partners:folder_detail", pk=folder_pk)
    context = {"file": shared_file, "version_count": shared_file.versions.count()}
    return render(request, "partners/file_confirm_delete.html", context)


def send_version(request: HttpRequest, version: FileVersion) -> HttpResponse:
    try:
        response = storage.download_response(
            storage_name=version.storage_name,
            filename=version.original_name,
            content_type=version.content_type,
        )
    except FileNotFoundError:
        logger.error("Private file missing for version %s", version.pk)
        raise Http404 from None
    except OSError:
        # The storage is there but refuses to be read (permissions, a failing disk).
        logger.exception("Private file unreadable for version %s", version.pk)
        context = {"file": version.file, "version": version}
        return render(request, "partners/file_unavailable.html", context, status=503)
    actions.record_download(request.user, version)
    return response


@workspace_login_required
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    shared_file = access.get_file_for(request.user, pk)
    version = shared_file.current_version
    if version is None:
        raise Http404
    return send_version(request, version)


@workspace_login_required
def version_download(request: HttpRequest, pk: int) -> HttpResponse:
    return send_version(request, access.get_version_for(request.user, pk))


# --- Job-seeker records -----------------------------------------------------------------------


@workspace_login_required
def record_list(request: HttpRequest) -> HttpResponse:
    form = RecordSearchForm(request.GET or None)
    records = access.records_for(request.user).select_related("referent_organisation", "referent")
    if form.is_valid():
        for word in form.cleaned_data["q"].split():
            records = records.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        if form.cleaned_data["status"]:
            records = records.filter(status=form.cleaned_data["status"])
    page = paginate(request, records.order_by("last_name", "first_name", "pk"))
    actions.log_page_view(
        request.user, AccessLog.Action.RECORD_LIST, shown_records=[record.pk for record in page]
    )
    context = {
        "form": form,
        "records": page,
        "can_create": access.is_partner(request.user),
        "filtered": form.is_bound,
    }
    return render(request, "partners/record_list.html", context)


@workspace_login_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest) -> HttpResponse:
    organisations = access.organisations_of(request.user)
    if not organisations.exists():
        raise Http404
    colleagues = (
        get_user_model()
        .objects.filter(partner_memberships__organisation__in=organisations)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    form = RecordCreateForm(
        request.POST or None,
        organisations=organisations,
        colleagues=colleagues,
        initial={"referent": request.user.pk},
    )
    if request.method == "POST":

        def create() -> str:
            data = form.cleaned_data
            record = actions.create_record(
                request.user,
                organisation=data["organisation"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                status=data["status"],
                referent=data["referent"],
                last_contact_on=data["last_contact_on"],
                consent_given_on=data["consent_given_on"],
            )
            messages.success(request, _("La fiche de %(name)s est créée.") % {"name": record.full_name})
            return reverse("partners:record_detail", args=[record.pk])

        if response := submit_once(request, form, create, scope=workspace_scope(request)):
            return response
    return render(request, "partners/record_form.html", {"form": form, "record": None})


@workspace_login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for(request.user, pk)
    levels = access.record_levels(request.user, record)
    actions.log_record_view(request.user, record)
    can_follow = Level.FOLLOW in levels
    context = {
        "record": record,
        "can_follow": can_follow,
        "can_manage": Level.MANAGE in levels,
        "can_erase": Level.ERASE in levels,
        "consents": record.consents.select_related("organisation", "recorded_by", "withdrawn_by").order_by(
            "withdrawn_at", "recorded_at"
        ),
        "notes": record.notes.select_related("author", "organisation")
        if can_follow
        else FollowUpNote.objects.none(),
        "files": access.files_for(request.user).filter(job_seeker=record).select_related("folder"),
    }
    return render(request, "partners/record_detail.html", context)


@workspace_login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for(request.user, pk, Level.FOLLOW)
    form = RecordEditForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_record(request.user, record, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("La fiche est mise à jour."))
            return redirect("partners:record_detail", pk=record.pk)
    if request.method == "GET":
        actions.log_record_view(request.user, record)
    return render(request, "partners/record_form.html", {"form": form, "record": record})


@workspace_login_required
@require_http_methods(["GET", "POST"])
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for(request.user, pk, Level.FOLLOW)
    form = NoteForm(request.POST or None, organisations=access.note_organisations(request.user, record))
    if request.method == "POST":

        def create() -> str:
            data = form.cleaned_data
            actions.record_note(
                request.user,
                record,
                organisation=data["organisation"],
                date=data["date"],
                kind=data["kind"],
                text=data["text"],
                next_step=data["next_step"],
                next_step_on=data["next_step_on"],
            )
            messages.success(request, _("La note de suivi est enregistrée."))
            return reverse("partners:record_detail", args=[record.pk])

        if response := submit_once(request, form, create, scope=workspace_scope(request)):
            return response
    return render(request, "partners/note_form.html", {"form": form, "record": record, "note": None})


@workspace_login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = access.get_note_for(request.user, pk, edit=True)
    record = note.job_seeker
    form = NoteForm(request.POST or None, organisations=None, note=note)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_note(
                request.user,
                note,
                date=data["date"],
                kind=data["kind"],
                text=data["text"],
                next_step=data["next_step"],
                next_step_on=data["next_step_on"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("La note de suivi est modifiée."))
            return redirect("partners:record_detail", pk=record.pk)
    if request.method == "GET":
        actions.log_record_view(request.user, record)
    return render(request, "partners/note_form.html", {"form": form, "record": record, "note": note})


@workspace_login_required
@require_http_methods(["GET", "POST"])
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for(request.user, pk, Level.MANAGE)
    form = ConsentForm(request.POST or None, record=record)
    if request.method == "POST":

        def create() -> str:
            data = form.cleaned_data
            consent = actions.grant_consent(
                request.user,
                record,
                organisation=data["organisation"],
                scope=data["scope"],
                given_on=data["given_on"],
            )
            messages.success(
                request,
                _("L'accord de partage avec %(organisation)s est enregistré.")
                % {"organisation": consent.organisation.name},
            )
            return reverse("partners:record_detail", args=[record.pk])

        if response := submit_once(request, form, create, scope=workspace_scope(request)):
            return response
    return render(request, "partners/consent_form.html", {"form": form, "record": record})


@workspace_login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = access.get_consent_for(request.user, pk)
    record = consent.job_seeker
    if request.method == "POST":
        actions.withdraw_consent(request.user, consent)
        messages.success(
            request,
            _("L'accord est retiré : %(organisation)s n'a plus accès à cette fiche.")
            % {"organisation": consent.organisation.name},
        )
        return redirect("partners:record_detail", pk=record.pk)
    return render(request, "partners/consent_confirm_withdraw.html", {"consent": consent, "record": record})


@workspace_login_required
def record_export(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for(request.user, pk, Level.MANAGE)
    data = actions.export_record(request.user, record)
    return render(request, "partners/record_export.html", {"record": record, "data": data})


@workspace_login_required
def record_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for(request.user, pk, Level.MANAGE)
    data = actions.export_record(request.user, record)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    # The file name carries the record number, not the person's name.
    response["Content-Disposition"] = f'attachment; filename="personne-{record.pk}.json"'
    return response


@workspace_login_required
@require_http_methods(["GET", "POST"])
def record_erase(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for(request.user, pk, Level.ERASE)
    if request.method == "POST":
        name = record.full_name
        actions.erase_record(request.user, record)
        messages.success(
            request,
            _("La fiche de %(name)s, ses notes, ses accords et ses documents sont effacés définitivement.")
            % {"name": name},
        )
        return redirect("partners:record_list")
    context = {
        "record": record,
        "note_count": record.notes.count(),
        "consent_count": record.consents.count(),
        "file_count": record.files.count(),
    }
    return render(request, "partners/record_confirm_erase.html", context)


@workspace_login_required
def record_log(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.get_record_for(request.user, pk, Level.MANAGE)
    actions.log_journal_view(request.user, record)
    entries = AccessLog.objects.about(record.pk).select_related("user")
    return render(
        request, "partners/record_log.html", {"record": record, "entries": paginate(request, entries, 50)}
    )
