"""Demo data of the partner workspace (DEMO_CONTENT.md, "Partner workspace").

Résoudre (partenaire1, organisation admin) and Mission locale (partenaire2, member) share the
folder "Suivi emploi — Rabière" and follow some job seekers together, with the people's
consent; Courteline (partenaire3, organisation admin) shares nothing with them. Everything is
looked up by a natural key first, so running the seed twice changes nothing. People are
fictional; files are generated here and go through the same actions as real uploads.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from partners import actions
from partners.models import (
    Consent,
    Folder,
    FolderShare,
    FollowUpNote,
    JobSeeker,
    Membership,
    Organisation,
    SharedFile,
)

RESOUDRE = "Résoudre"
MISSION_LOCALE = "Mission locale"
COURTELINE = "Association socioculturelle Courteline"
SHARED_FOLDER = "Suivi emploi — Rabière"
COURTELINE_FOLDER = "Ateliers PREF — Courteline"

MEMBERSHIPS = (
    ("partenaire1", RESOUDRE, Membership.Role.ADMIN),
    ("partenaire2", MISSION_LOCALE, Membership.Role.MEMBER),
    ("partenaire3", COURTELINE, Membership.Role.ADMIN),
)


def tiny_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of Helvetica text (WinAnsi covers French accents)."""

    def escape(text: str) -> bytes:
        raw = text.encode("cp1252", errors="replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    stream = b"BT /F1 16 Tf 56 780 Td (" + escape(title) + b") Tj /F1 11 Tf"
    for line in lines:
        stream += b" 0 -22 Td (" + escape(line) + b") Tj"
    stream += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    output = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        output += f"{offset:010d} 00000 n \n".encode()
    output += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return output


def last_march_12(today: datetime.date) -> datetime.date:
    """The most recent 12 March, so the demo note « Atelier CV du 12/03 » is never in the future."""
    day = datetime.date(today.year, 3, 12)
    return day if day <= today else datetime.date(today.year - 1, 3, 12)


def seed_partners(log: Callable[[str], None]) -> None:
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=[m[0] for m in MEMBERSHIPS])}
    missing = {m[0] for m in MEMBERSHIPS} - set(users)
    if missing:
        raise RuntimeError(f"Comptes de démonstration absents : {', '.join(sorted(missing))}.")

    organisations = {}
    for username, name, role in MEMBERSHIPS:
        organisation, created = Organisation.objects.get_or_create(name=name)
        organisations[name] = organisation
        Membership.objects.update_or_create(
            user=users[username], organisation=organisation, defaults={"role": role}
        )
        log(f"Organisation « {name} » {'créée' if created else 'déjà présente'} ({username}).")
    p1, p2, p3 = users["partenaire1"], users["partenaire2"], users["partenaire3"]
    resoudre, mission, courteline = (organisations[name] for name in (RESOUDRE, MISSION_LOCALE, COURTELINE))

    today = timezone.localdate()
    records = seed_records(log, today, resoudre, mission, courteline, p1, p2, p3)

    folder = folder_for(
        resoudre, SHARED_FOLDER, p1, "Comptes rendus, calendrier des ateliers et offres d'emploi du quartier."
    )
    FolderShare.objects.update_or_create(
        folder=folder, organisation=mission, defaults={"access": FolderShare.Access.WRITE, "created_by": p1}
    )
    add_file(
        folder,
        p1,
        "Compte rendu réunion partenaires.pdf",
        tiny_pdf(
            "Réunion des partenaires emploi — la Rabière",
            [
                "Présents : Résoudre, Mission locale, Centre social de la Rabière.",
                "1. Bilan des ateliers CV : 14 participants, 9 CV mis à jour.",
                "2. Parcours découverte métiers : inscriptions ouvertes à Joué-lès-Tours.",
                "3. Prochaine réunion : premier mardi du mois, 14 h, au centre social.",
            ],
        ),
    )
    calendar = add_file(
        folder,
        p1,
        "Calendrier des ateliers.csv",
        (
            "date;atelier;lieu\n"
            "mardi 9 h 30;Atelier CV;Espace numérique Résoudre\n"
            "jeudi 14 h;Candidater en ligne;Centre social de la Rabière\n"
        ).encode(),
    )
    if calendar is not None and calendar.versions.count() == 1:
        actions.upload_version(
            p2,
            calendar,
            ContentFile(
                (
                    "date;atelier;lieu\n"
                    "mardi 9 h 30;Atelier CV;Espace numérique Résoudre\n"
                    "jeudi 14 h;Candidater en ligne;Centre social de la Rabière\n"
                    "vendredi 10 h;Préparer un entretien;Mission locale\n"
                ).encode(),
                name="Calendrier des ateliers.csv",
            ),
        )
        log("Nouvelle version du calendrier envoyée par partenaire2.")
    add_file(
        folder,
        p2,
        "Offres d'emploi de la semaine.txt",
        (
            "Offres relevées par la Mission locale\n\n"
            "- Agent ou agente d'entretien, Joué-lès-Tours, CDD 6 mois, débutant accepté\n"
            "- Employé ou employée libre-service, Tours sud, CDI temps partiel\n"
            "- Aide-cuisinier ou aide-cuisinière, restauration collective, contrat d'apprentissage\n"
        ).encode(),
    )
    add_file(
        folder,
        p1,
        "CV Inès Moreau.pdf",
        tiny_pdf(
            "Inès Moreau — CV (brouillon)", ["Vente et accueil : 3 ans.", "Permis B.", "Atelier CV du 12/03."]
        ),
        job_seeker=records["ines"],
    )

    own = folder_for(
        courteline, COURTELINE_FOLDER, p3, "Documents des ateliers de recherche d'emploi de Courteline."
    )
    add_file(
        own,
        p3,
        "Programme PREF.txt",
        "Ateliers PREF : lundi et jeudi, 14 h - 16 h, à l'EPN de Courteline.\n".encode(),
    )


def folder_for(owner: Organisation, name: str, user, description: str) -> Folder:
    folder = Folder.objects.filter(owner=owner, name=name).first()
    return folder or actions.create_folder(user, organisation=owner, name=name, description=description)


def add_file(folder: Folder, user, name: str, content: bytes, job_seeker=None) -> SharedFile | None:
    existing = SharedFile.objects.filter(folder=folder, title=name).first()
    if existing is not None:
        return existing
    version = actions.upload_file(user, folder, ContentFile(content, name=name), job_seeker=job_seeker)
    return version.file


def seed_records(log, today, resoudre, mission, courteline, p1, p2, p3) -> dict[str, JobSeeker]:
    people = {
        "ines": ("Inès", "Moreau", JobSeeker.Status.SEARCHING, resoudre, p1, "ines.moreau@exemple.org"),
        "karim": ("Karim", "Haddad", JobSeeker.Status.TRAINING, mission, p2, ""),
        "sophie": ("Sophie", "Lambert", JobSeeker.Status.EMPLOYED, resoudre, p1, ""),
        "yanis": ("Yanis", "Petit", JobSeeker.Status.SEARCHING, courteline, p3, ""),
    }
    records = {}
    for key, (first, last, status, organisation, referent, email) in people.items():
        record = JobSeeker.objects.filter(
            first_name=first, last_name=last, referent_organisation=organisation
        ).first()
        if record is None:
            record = actions.create_record(
                referent,
                organisation=organisation,
                first_name=first,
                last_name=last,
                email=email,
                phone="06 00 00 00 00" if key == "ines" else "",
                status=status,
                referent=referent,
                last_contact_on=today - datetime.timedelta(days=40),
                consent_given_on=today - datetime.timedelta(days=60),
            )
            log(f"Fiche n° {record.pk} ({first} {last[0]}.) créée.")
        records[key] = record

    # Shared with consent: Inès (Résoudre → Mission locale, full), Karim (Mission locale → Résoudre, record only).
    for record, organisation, scope, user in (
        (records["ines"], mission, Consent.Scope.FULL, p1),
        (records["karim"], resoudre, Consent.Scope.RECORD, p2),
    ):
        if not Consent.objects.active().filter(job_seeker=record, organisation=organisation).exists():
            actions.grant_consent(
                user,
                record,
                organisation=organisation,
                scope=scope,
                given_on=today - datetime.timedelta(days=30),
            )

    march_12 = last_march_12(today)
    notes = (
        (
            records["ines"],
            p1,
            resoudre,
            march_12,
            FollowUpNote.Kind.WORKSHOP,
            "Atelier CV du 12/03 : CV mis à jour, à relire ensemble",
            "",
            None,
        ),
        (
            records["ines"],
            p2,
            mission,
            today - datetime.timedelta(days=3),
            FollowUpNote.Kind.INTERVIEW,
            "Entretien à la Mission locale : intéressée par une formation d'aide-cuisinière, dossier "
            "d'inscription remis.",
            "Déposer le dossier d'inscription à la formation",
            today + datetime.timedelta(days=5),
        ),
        (
            records["karim"],
            p2,
            mission,
            today - datetime.timedelta(days=10),
            FollowUpNote.Kind.ORIENTATION,
            "Orientation vers la formation préqualifiante « métiers de la logistique », entrée en formation confirmée.",
            "Point de mi-parcours avec l'organisme de formation",
            today + datetime.timedelta(days=12),
        ),
        (
            records["sophie"],
            p1,
            resoudre,
            today - datetime.timedelta(days=20),
            FollowUpNote.Kind.PHONE,
            "Appel : a signé un CDD de 6 mois comme agente d'accueil. Suivi allégé à sa demande.",
            "",
            None,
        ),
        (
            records["yanis"],
            p3,
            courteline,
            today - datetime.timedelta(days=7),
            FollowUpNote.Kind.WORKSHOP,
            "Atelier PREF : création d'une adresse électronique et d'un espace candidat en ligne.",
            "Candidater à deux offres repérées ensemble",
            today + datetime.timedelta(days=2),
        ),
    )
    for record, author, organisation, date, kind, text, next_step, next_step_on in notes:
        if FollowUpNote.objects.filter(job_seeker=record, text=text).exists():
            continue
        actions.record_note(
            author,
            record,
            organisation=organisation,
            date=date,
            kind=kind,
            text=text,
            next_step=next_step,
            next_step_on=next_step_on,
        )
    log(
        f"{len(records)} personnes suivies, {FollowUpNote.objects.filter(job_seeker__in=records.values()).count()} notes."
    )
    return records
