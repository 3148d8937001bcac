"""A small partner world built like the demo seed, for the partner workspace tests.

Accounts have the demo names. Résoudre (partenaire1, organisation admin) owns folders shared
with Mission locale (partenaire2, member) read-write and read-only, and one it keeps to
itself; Courteline (partenaire3, organisation admin) shares nothing. Records cover each case
of consent: shared in full, shared "record only", private to one organisation, withdrawn.
`admin` is a superuser without membership; moderatrice, resoudre and courteline are staff
of the public site without membership.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from partners import actions
from partners.models import Consent, FolderShare, FollowUpNote, Membership, Organisation

PASSWORD = "un-mot-de-passe-solide"
USERNAMES = ("admin", "moderatrice", "resoudre", "courteline", "partenaire1", "partenaire2", "partenaire3")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    organisations: dict = field(default_factory=dict)
    folders: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    consents: dict = field(default_factory=dict)

    def objects(self, kind: str) -> dict:
        return getattr(self, kind)


def text_file(name: str, text: str = "Compte rendu de la réunion des partenaires.\n") -> ContentFile:
    return ContentFile(text.encode(), name=name)


def make_users() -> dict:
    User = get_user_model()
    users = {}
    for username in USERNAMES:
        superuser = username == "admin"
        users[username] = User.objects.create_user(
            username=username,
            password=PASSWORD,
            first_name=username.capitalize(),
            email=f"{username}@agora.example.org",
            is_superuser=superuser,
            is_staff=superuser,
        )
    return users


def build_world() -> World:
    world = World(users=make_users())
    u = world.users
    p1, p2, p3 = u["partenaire1"], u["partenaire2"], u["partenaire3"]
    resoudre = Organisation.objects.create(name="Résoudre")
    mission = Organisation.objects.create(name="Mission locale")
    courteline = Organisation.objects.create(name="Association socioculturelle Courteline")
    world.organisations = {"resoudre": resoudre, "mission": mission, "courteline": courteline}
    Membership.objects.create(user=p1, organisation=resoudre, role=Membership.Role.ADMIN)
    Membership.objects.create(user=p2, organisation=mission, role=Membership.Role.MEMBER)
    Membership.objects.create(user=p3, organisation=courteline, role=Membership.Role.ADMIN)

    # Folders
    f = world.folders
    f["shared"] = actions.create_folder(p1, organisation=resoudre, name="Suivi emploi — Rabière")
    actions.share_folder(p1, f["shared"], mission, FolderShare.Access.WRITE)
    f["readonly"] = actions.create_folder(p1, organisation=resoudre, name="Comptes rendus")
    actions.share_folder(p1, f["readonly"], mission, FolderShare.Access.READ)
    f["private"] = actions.create_folder(p1, organisation=resoudre, name="Interne Résoudre")
    f["courteline"] = actions.create_folder(p3, organisation=courteline, name="Ateliers PREF")

    # Records and consents
    today = timezone.localdate()
    r = world.records

    def record(key, referent, organisation, first, last):
        r[key] = actions.create_record(
            referent,
            organisation=organisation,
            first_name=first,
            last_name=last,
            referent=referent,
            last_contact_on=today - datetime.timedelta(days=10),
        )
        world.consents[f"{key}_referent"] = Consent.objects.get(job_seeker=r[key], organisation=organisation)

    record("shared", p1, resoudre, "Inès", "Moreau")
    record("record_only", p2, mission, "Karim", "Haddad")
    record("resoudre_only", p1, resoudre, "Sophie", "Lambert")
    record("courteline", p3, courteline, "Yanis", "Petit")
    record("withdrawn", p1, resoudre, "Lucas", "Bernard")
    c = world.consents
    c["shared_mission"] = actions.grant_consent(
        p1, r["shared"], organisation=mission, scope=Consent.Scope.FULL
    )
    c["record_only_resoudre"] = actions.grant_consent(
        p2, r["record_only"], organisation=resoudre, scope=Consent.Scope.RECORD
    )
    c["withdrawn_mission"] = actions.grant_consent(
        p1, r["withdrawn"], organisation=mission, scope=Consent.Scope.FULL
    )
    actions.withdraw_consent(p1, c["withdrawn_mission"])

    # Files and versions
    files, versions = world.files, world.versions

    def upload(key, user, folder, name, job_seeker=None):
        version = actions.upload_file(user, folder, text_file(name), job_seeker=job_seeker)
        files[key], versions[key] = version.file, version

    upload("shared", p1, f["shared"], "Compte rendu réunion.txt")
    versions["shared_v2"] = actions.upload_version(
        p2, files["shared"], text_file("Compte rendu réunion v2.txt")
    )
    upload("readonly", p1, f["readonly"], "Calendrier des ateliers.csv")
    upload("private", p1, f["private"], "Notes internes.txt")
    upload("courteline", p3, f["courteline"], "Programme PREF.txt")
    upload("linked_shared", p1, f["shared"], "CV Inès Moreau.txt", job_seeker=r["shared"])
    upload("linked_resoudre_only", p1, f["shared"], "CV Sophie Lambert.txt", job_seeker=r["resoudre_only"])
    upload("linked_record_only", p2, f["shared"], "CV Karim Haddad.txt", job_seeker=r["record_only"])

    # Notes
    n = world.notes

    def note(key, user, record_key, organisation, text):
        n[key] = actions.record_note(user, r[record_key], organisation=organisation, text=text)

    note("shared_by_p1", p1, "shared", resoudre, "Atelier CV du 12/03 : CV mis à jour, à relire ensemble")
    note("shared_by_p2", p2, "shared", mission, "Entretien à la Mission locale : projet de formation.")
    note("record_only_by_p2", p2, "record_only", mission, "Orientation vers une formation logistique.")
    note("resoudre_only_by_p1", p1, "resoudre_only", resoudre, "Appel : a signé un CDD.")
    note("courteline_by_p3", p3, "courteline", courteline, "Atelier PREF : espace candidat créé.")
    return world


def page_text(response) -> str:
    """The response's HTML with entities decoded (Django escapes apostrophes)."""
    return html.unescape(response.content.decode())


def note_data(world: World, **overrides) -> dict:
    """The follow-up note form as a partner of Résoudre fills it in, with `overrides`."""
    today = timezone.localdate()
    data = {
        "date": today.isoformat(),
        "kind": FollowUpNote.Kind.WORKSHOP,
        "organisation": world.organisations["resoudre"].pk,
        "text": "Atelier CV du 12/03 : CV mis à jour, à relire ensemble",
        "next_step": "Relire le CV ensemble",
        "next_step_on": (today + datetime.timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return data


def record_form_data(record, **overrides) -> dict:
    """The record edit form as it comes, filled with the record's values, with `overrides`."""
    data = {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "email": record.email,
        "phone": record.phone,
        "status": record.status,
        "referent": record.referent_id or "",
        "last_contact_on": record.last_contact_on.isoformat(),
    }
    data.update(overrides)
    return data
