"""Demo bilans: outcomes of the demo's past events and a few press mentions, so that the demo
activity report has figures, a chart and a press review.

Idempotent: outcomes are looked up by event and day, press mentions by association and title.
The latest past occurrence of each event keeps no outcome, so that the staff's start page shows
what is left to enter. Figures are made up but steady (derived from the day), never random; the outlets are fictional,
as the demo's people are.
"""

from datetime import timedelta

from django.utils import timezone

from bilans.actions import set_public_summary
from bilans.models import Outcome, PressMention
from bilans.report import Period, held_occurrences
from posts.models import ActeurPage

# How far back the demo has outcomes.
LOOK_BACK = timedelta(days=90)
PARTNERS = {
    "resoudre": "Mission locale\nCentre social de la Rabière",
    "courteline": "L'Entr'aide Ouvrière\nSalon Joséphine\nCRIA",
    "centre-social-de-la-rabiere": "Résoudre",
}
SUMMARIES = (
    "Bonne ambiance, plusieurs personnes sont venues pour la première fois.",
    "Les participants ont demandé une séance de plus sur le même thème.",
    "Séance calme : l'occasion d'accompagner chacun plus longuement.",
)
PRESS = (
    (
        "resoudre",
        "À la Rabière, l'agora numérique rassemble les associations",
        "La Gazette de la Rabière",
        40,
        "https://gazette.example.org/agora-numerique",
    ),
    ("resoudre", "Fête de l'internet : débats et ateliers au centre social", "Le Mag du quartier", 75, ""),
    (
        "courteline",
        "« Parcours de femmes » : un projet à plusieurs voix",
        "Radio Quartiers",
        25,
        "https://radio.example.org/parcours-de-femmes",
    ),
    (
        "centre-social-de-la-rabiere",
        "Un poste en libre accès pour contribuer à l'agora",
        "Le Mag du quartier",
        60,
        "",
    ),
)
# Associations whose yearly summary the demo shows on the public site.
PUBLIC_SUMMARIES = ("resoudre",)


def seed_bilans(log, now=None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = 0
    period = Period(today - LOOK_BACK, today)
    by_event = {}
    for occurrence in held_occurrences(None, period, now):
        if occurrence.end <= now and occurrence.event.acteur_id:
            by_event.setdefault(occurrence.event.pk, []).append(occurrence)
    slugs = dict(ActeurPage.objects.values_list("pk", "slug"))
    for occurrences in by_event.values():
        for occurrence in occurrences[:-1]:
            created += _outcome(occurrence, slugs.get(occurrence.event.acteur_id, ""))
    log(f"Bilans d'événements : {Outcome.objects.count()} ({created} créés).")

    acteurs = {acteur.slug: acteur for acteur in ActeurPage.objects.filter(slug__in=[p[0] for p in PRESS])}
    for slug, title, outlet, days_ago, url in PRESS:
        if slug in acteurs:
            PressMention.objects.get_or_create(
                acteur=acteurs[slug],
                title=title,
                defaults={"outlet": outlet, "published_on": today - timedelta(days=days_ago), "url": url},
            )
    log(f"Revue de presse : {PressMention.objects.count()} articles.")
    for acteur in ActeurPage.objects.filter(slug__in=PUBLIC_SUMMARIES):
        set_public_summary(acteur, True)


def _outcome(occurrence, acteur_slug: str) -> int:
    day = occurrence.start_date
    seed = day.toordinal() + occurrence.event.pk
    participants = 6 + seed % 14
    _outcome, created = Outcome.objects.get_or_create(
        event=occurrence.event,
        date=day,
        defaults={
            "participants": participants,
            "under_25": participants * (seed % 4) // 6 if seed % 5 else None,
            "residents": participants - seed % 3,
            "volunteers": 1 + seed % 3,
            "partners": PARTNERS.get(acteur_slug, "") if seed % 2 else "",
            "summary": SUMMARIES[seed % len(SUMMARIES)],
        },
    )
    return int(created)
