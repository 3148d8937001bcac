"""Demo publications of la Rabière: the four sections, the associations, events, news and portraits.

`seed_demo` (in home) calls `seed_publications` after the accounts, and `seed_staff_work`
(the associations' drafts, an event waiting for moderation, a refused news item) and
`seed_residents_proposals` (two waiting for the moderators) once the moderation workflow exists. The places and activities
come from DEMO_CONTENT.md; every person and contact detail is fictional. Like every demo
function it is idempotent: pages are looked up by slug under their parent and only the missing
ones are created and published (one revision each), images are looked up by title, and a
portrait's consent is recorded only when the portrait is created. A second run therefore adds
no page, revision, image, consent or tag.

Dates are computed from today, so the agenda always has past events, events in the coming
week and events further ahead.
"""

import io
import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Site

from posts.actions import submit_proposal
from posts.demo_pictograms import WHITE, draw_pictogram, seeded_bytes
from posts.models import (
    ActeurIndexPage,
    ActeurPage,
    AgendaIndexPage,
    EventExtraDate,
    EventPage,
    NewsIndexPage,
    PortraitConsent,
    PortraitIndexPage,
    PortraitPage,
    ProjectNewsPage,
    Proposal,
)
from posts.proposals import ProposalData
from posts.recurrence import MONTHLY_RULE, PARIS, WEEKLY_RULE

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY = range(6)


# --- Illustrations ---------------------------------------------------------------------------
# Drawn with Pillow, no network: a diagonal gradient, a few soft discs and a white pictogram.

ILLUSTRATION_SIZE = (960, 600)
LOGO_SIZE = (480, 480)

PALETTES = {
    "bleu": ((11, 92, 138), (78, 170, 160)),
    "vert": ((31, 107, 52), (120, 170, 70)),
    "violet": ((86, 52, 130), (170, 90, 140)),
    "orange": ((163, 51, 15), (230, 140, 60)),
    "ocre": ((140, 90, 20), (215, 170, 70)),
    "nuit": ((8, 63, 95), (60, 90, 150)),
}


@dataclass(frozen=True)
class Illustration:
    motif: str
    palette: str
    description: str  # What the picture shows, for the alt text.

    @property
    def alt(self) -> str:
        return f"Illustration : {self.description}."


ILLUSTRATIONS = {
    "souris": Illustration(
        "souris", "bleu", "une souris d'ordinateur dessinée en blanc sur un fond bleu-vert"
    ),
    "ecran": Illustration("ecran", "bleu", "un écran d'ordinateur dessiné en blanc sur un fond bleu-vert"),
    "diagnostic": Illustration(
        "diagnostic",
        "nuit",
        "un écran d'ordinateur marqué d'une coche de validation, en blanc sur fond bleu nuit",
    ),
    "formulaire": Illustration(
        "formulaire", "bleu", "un formulaire aux cases cochées, dessiné en blanc sur un fond bleu-vert"
    ),
    "debat": Illustration("bulles", "violet", "deux bulles de dialogue blanches sur un fond violet"),
    "famille": Illustration(
        "famille", "orange", "deux adultes et un enfant en silhouettes blanches sur un fond orangé"
    ),
    "cv": Illustration(
        "cv", "vert", "un curriculum vitæ avec photo et lignes de texte, en blanc sur fond vert"
    ),
    "camera": Illustration("camera", "vert", "une caméra vidéo dessinée en blanc sur un fond vert"),
    "fete": Illustration(
        "fete", "orange", "une étoile entourée de confettis blancs sur un fond rouge orangé"
    ),
    "maison": Illustration(
        "maison", "ocre", "une maison aux portes ouvertes, dessinée en blanc sur fond ocre"
    ),
    "accessibilite": Illustration(
        "fauteuil", "bleu", "le pictogramme d'une personne en fauteuil roulant, en blanc sur fond bleu-vert"
    ),
    "parcours": Illustration(
        "panneau", "vert", "un panneau indicateur à trois directions, en blanc sur un fond vert"
    ),
    "scene": Illustration(
        "scene", "violet", "une scène de théâtre aux rideaux ouverts, dessinée en blanc sur fond violet"
    ),
    "femmes": Illustration(
        "groupe", "violet", "trois silhouettes côte à côte, en blanc sur un fond violet et rose"
    ),
}


def _background(size, palette: str, seed: str) -> PILImage.Image:
    width, height = size
    start, end = PALETTES[palette]
    # A diagonal gradient: rotate a small vertical one, crop its middle, then scale it up.
    small_w, small_h = width // 8, height // 8
    side = int(math.hypot(small_w, small_h)) + 2
    mask = PILImage.linear_gradient("L").resize((side, side)).rotate(35, resample=PILImage.Resampling.BICUBIC)
    left, top = (side - small_w) // 2, (side - small_h) // 2
    mask = mask.crop((left, top, left + small_w, top + small_h)).resize(size, PILImage.Resampling.BILINEAR)
    picture = PILImage.composite(PILImage.new("RGB", size, end), PILImage.new("RGB", size, start), mask)
    discs = PILImage.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(discs)
    numbers = seeded_bytes(seed, 24)
    for i in range(6):
        x, y, r, a = numbers[i * 4 : i * 4 + 4]
        x, y = x * width // 255, y * height // 255
        radius = 30 + r * min(width, height) // 1400
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, 20 + a // 12))
    return PILImage.alpha_composite(picture.convert("RGBA"), discs).convert("RGB")


def _jpeg(picture: PILImage.Image) -> io.BytesIO:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer


def _png(picture: PILImage.Image) -> io.BytesIO:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer


class ImageLibrary:
    """Wagtail images of the demo, created once and found again by title on later runs."""

    def __init__(self):
        self.model = get_image_model()
        self.created = 0
        self._cache = {}

    def _get_or_create(self, title: str, filename: str, description: str, render):
        if title in self._cache:
            return self._cache[title]
        image = self.model.objects.filter(title=title).first()
        if image is None:
            image = self.model(title=title, description=description[:255])
            image.file = ImageFile(render(), name=filename)
            image.save()
            self.created += 1
        self._cache[title] = image
        return image

    def illustration(self, key: str):
        art = ILLUSTRATIONS[key]

        def render():
            picture = _background(ILLUSTRATION_SIZE, art.palette, key)
            draw_pictogram(
                ImageDraw.Draw(picture), art.motif, ILLUSTRATION_SIZE[0] / 2, ILLUSTRATION_SIZE[1] / 2, 110
            )
            return _jpeg(picture)

        return self._get_or_create(f"Illustration — {key}", f"demo-{key}.jpg", art.alt, render)

    def portrait(self, slug: str, palette: str, first_name: str):
        description = (
            f"Illustration : une silhouette dessinée en blanc sur un fond {palette}, "
            f"à la place d'une photo de {first_name}."
        )

        def render():
            picture = _background(ILLUSTRATION_SIZE, palette, slug)
            draw_pictogram(
                ImageDraw.Draw(picture), "portrait", ILLUSTRATION_SIZE[0] / 2, ILLUSTRATION_SIZE[1] / 2, 110
            )
            return _jpeg(picture)

        return self._get_or_create(
            f"Portrait — {first_name}", f"demo-portrait-{slug}.jpg", description, render
        )

    def logo(self, slug: str, name: str, initials: str, palette: str):
        def render():
            picture = _background(LOGO_SIZE, palette, slug)
            draw = ImageDraw.Draw(picture)
            font = ImageFont.load_default(size=190 if len(initials) < 3 else 140)
            draw.text((LOGO_SIZE[0] / 2, LOGO_SIZE[1] / 2), initials, fill=WHITE, font=font, anchor="mm")
            return _png(picture)

        return self._get_or_create(f"Logo — {name}", f"demo-logo-{slug}.png", f"Logo de {name}", render)


# --- Dates -----------------------------------------------------------------------------------


def _at(day: date, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes)).replace(tzinfo=PARIS)


def _next(day: date, weekday: int) -> date:
    """`day` itself if it falls on `weekday`, else the next such day."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _internet_festival(today: date) -> tuple[date, date]:
    """Wednesday to Saturday of the last week of March, this year or next if already over."""
    for year in (today.year, today.year + 1):
        saturday = date(year, 3, 31)
        saturday -= timedelta(days=(saturday.weekday() - SATURDAY) % 7)
        if saturday >= today:
            return saturday - timedelta(days=3), saturday
    raise AssertionError("unreachable")


# --- Body helpers ----------------------------------------------------------------------------


def _p(html: str) -> dict:
    return {"type": "paragraph", "value": html if html.startswith("<") else f"<p>{html}</p>"}


def _h(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def _quote(text: str, author: str = "") -> dict:
    return {"type": "quote", "value": {"text": text, "author": author}}


def _picture(key: str, caption: str = "") -> tuple:
    """A body image, resolved to an image id when the page is built."""
    return ("image", key, caption)


def _body(blocks, images: ImageLibrary) -> list[dict]:
    stream = []
    for block in blocks:
        if isinstance(block, tuple):
            _, key, caption = block
            image = images.illustration(key)
            value = {"image": image.pk, "alt": ILLUSTRATIONS[key].alt, "caption": caption}
            stream.append({"type": "image", "value": value})
        else:
            stream.append(block)
    return stream


# --- Page helpers ----------------------------------------------------------------------------


def _child(parent, model, slug):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _add_draft(parent, page):
    page.live = False
    parent.add_child(instance=page)
    return page


def _add_and_publish(parent, page):
    _add_draft(parent, page)
    page.save_revision().publish()
    return page


# --- Sections --------------------------------------------------------------------------------

SECTIONS = (
    (
        "agenda",
        AgendaIndexPage,
        "Agenda",
        "Ateliers, débats, fêtes et portes ouvertes : tout ce qui se passe à la Rabière et autour, "
        "annoncé par les associations et les habitants. Choisissez une période, un thème ou une "
        "association pour trouver ce qui vous intéresse.",
    ),
    (
        "actualites",
        NewsIndexPage,
        "Actualités",
        "Les nouvelles des projets du quartier, racontées par celles et ceux qui les portent : "
        "ce qui démarre, ce qui avance, ce qui s'est bien passé.",
    ),
    (
        "portraits",
        PortraitIndexPage,
        "Portraits",
        "Des habitantes, des habitants et des personnes ressources qui font vivre la Rabière. "
        "Chaque portrait est publié avec l'accord de la personne.",
    ),
    (
        "acteurs",
        ActeurIndexPage,
        "Acteurs du quartier",
        "Associations, centres sociaux, espaces publics numériques et services publics : qui fait "
        "quoi dans le quartier, où les trouver et comment les joindre.",
    ),
)


def seed_sections(home, log) -> dict:
    sections = {}
    created = 0
    for slug, model, title, intro in SECTIONS:
        page = _child(home, model, slug)
        if page is None:
            page = _add_and_publish(home, model(title=title, slug=slug, intro=intro))
            created += 1
        sections[slug] = page
    log(f"Sections : {len(sections)} pages d'index ({created} créées).")
    return sections


# --- Acteurs ---------------------------------------------------------------------------------

Kind = ActeurPage.Kind

ACTEURS = (
    {
        "slug": "resoudre",
        "title": "Résoudre",
        "initials": "R",
        "palette": "bleu",
        "kind": Kind.EPN,
        "trusted": True,
        "summary": "Association qui anime l'espace public numérique de la Rabière et l'agora du "
        "quartier : ateliers, accès libre et recherche d'emploi avec l'ordinateur.",
        "address": "Espace numérique de la Rabière\nPlace de la Rabière\n37300 Joué-lès-Tours",
        "email": "contact@resoudre.example.org",
        "phone": "02 47 00 01 10",
        "website": "https://resoudre.example.org",
        "opening_hours": "Lundi : 14 h – 18 h\nMercredi : 9 h 30 – 12 h et 14 h – 18 h\n"
        "Vendredi : 14 h – 17 h\nSamedi : 10 h – 12 h",
        "activities": "Initiation à l'informatique, de la souris aux logiciels\nAccès libre et conseils\n"
        "Recherche d'emploi avec l'ordinateur\nDiagnostic de premier niveau de votre ordinateur\n"
        "Débats sur les usages d'internet\nAnimation de l'agora et de l'espace partenaires",
        "body": [
            _p(
                "Résoudre est née de l'envie de quelques habitants et professionnels de rendre "
                "l'ordinateur et internet accessibles à tout le monde dans le quartier. L'association "
                "anime l'espace public numérique de la Rabière et a lancé l'agora numérique avec les "
                "autres associations."
            ),
            _p(
                "<p>On vient chez nous pour apprendre, pour <b>chercher un emploi</b>, pour faire une "
                "démarche ou simplement pour poser une question. Pas besoin d'être inscrit : poussez "
                "la porte aux heures d'ouverture.</p>"
            ),
        ],
    },
    {
        "slug": "centre-social-de-la-rabiere",
        "title": "Centre social de la Rabière",
        "initials": "CS",
        "palette": "orange",
        "kind": Kind.SOCIAL_CENTRE,
        "summary": "Le centre social du quartier : secteur adultes, coin emploi, activités familles, "
        "et le poste en libre accès de l'agora à l'entrée.",
        "address": "Place de la Rabière\n37300 Joué-lès-Tours",
        "email": "accueil@centresocial-rabiere.example.org",
        "phone": "02 47 00 02 20",
        "website": "https://centresocial-rabiere.example.org",
        "opening_hours": "Du lundi au vendredi : 9 h – 12 h et 13 h 30 – 18 h\n"
        "Le poste en libre accès de l'entrée est disponible pendant les heures d'ouverture.",
        "activities": "Secteur adultes : 4 ordinateurs pour l'initiation, l'usage personnel et la "
        "recherche d'emploi\nCoin emploi : 2 ordinateurs\nPoste en libre accès pour lire et "
        "alimenter l'agora\nJeux parents-enfants\nAide aux démarches en ligne avec des bénévoles",
        "body": [
            _p(
                "Le centre social accueille les habitants de tous âges. Son secteur adultes met à "
                "disposition quatre ordinateurs pour s'initier, faire ses démarches ou chercher un "
                "emploi, et deux postes dans le coin emploi."
            ),
            _h("Le poste de l'agora"),
            _p(
                "À l'entrée, un ordinateur en libre accès permet de lire l'agora et d'y proposer un "
                "événement, un portrait ou une nouvelle, sans créer de compte."
            ),
        ],
    },
    {
        "slug": "courteline",
        "title": "Association socioculturelle Courteline",
        "initials": "ASC",
        "palette": "violet",
        "kind": Kind.ASSOCIATION,
        "trusted": False,
        "summary": "Association socioculturelle qui anime un espace public numérique et des ateliers "
        "de recherche d'emploi, et porte le projet « Parcours de femmes ».",
        "address": "Quartier Courteline\n37000 Tours",
        "email": "bonjour@courteline.example.org",
        "phone": "02 47 00 03 30",
        "website": "https://courteline.example.org",
        "opening_hours": "Mardi et jeudi : 14 h – 18 h\nMercredi : 10 h – 12 h\n"
        "Ateliers emploi sur inscription.",
        "activities": "Espace public numérique\nAteliers de recherche d'emploi (PREF)\nAteliers CV et "
        "lettre de motivation\nDébats « Les bons plans sur internet »\nProjet « Parcours de femmes »",
        "body": [
            _p(
                "L'association accueille petits et grands pour des activités culturelles, sociales et "
                "numériques. Son espace numérique sert aussi de point d'appui aux ateliers de "
                "recherche d'emploi."
            ),
        ],
    },
    {
        "slug": "regie-plus",
        "title": "Régie Plus",
        "initials": "R+",
        "palette": "vert",
        "kind": Kind.ASSOCIATION,
        "summary": "Régie de quartier : emploi et insertion, entretien des espaces communs, et des "
        "CV vidéo pour se présenter autrement aux employeurs.",
        "address": "Quartier de la Rabière\n37300 Joué-lès-Tours",
        "email": "accueil@regieplus.example.org",
        "phone": "02 47 00 04 40",
        "opening_hours": "Du lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h",
        "activities": "Emploi et insertion\nAccompagnement vers l'emploi\nTournage de CV vidéo\n"
        "Chantiers d'entretien du quartier",
        "body": [
            _p(
                "La régie de quartier emploie des habitants sur des chantiers d'entretien et les "
                "accompagne dans leur parcours. Elle a expérimenté le CV vidéo avec des jeunes du "
                "quartier."
            ),
        ],
    },
    {
        "slug": "compagnie-pih-poh",
        "title": "Compagnie Pih-Poh",
        "initials": "PP",
        "palette": "violet",
        "kind": Kind.ASSOCIATION,
        "summary": "Compagnie artistique itinérante qui monte des projets avec les structures de "
        "plusieurs quartiers de l'agglomération tourangelle.",
        "address": "Compagnie itinérante — Tours et son agglomération\n37000 Tours",
        "email": "compagnie@pihpoh.example.org",
        "phone": "02 47 00 05 50",
        "website": "https://pihpoh.example.org",
        "opening_hours": "Sur rendez-vous.",
        "activities": "Spectacles écrits avec les habitants\nAteliers d'écriture et de théâtre\n"
        "Expositions itinérantes",
        "body": [
            _p(
                "La compagnie va de quartier en quartier. Elle écrit ses spectacles à partir des "
                "paroles d'habitants, recueillies avec les centres sociaux et les associations."
            ),
        ],
    },
    {
        "slug": "patronage-laique",
        "title": "Patronage laïque",
        "initials": "PL",
        "palette": "ocre",
        "kind": Kind.ASSOCIATION,
        "summary": "Association d'éducation populaire qui anime une Cyberbase près de la Galboiserie.",
        "address": "Cyberbase — près de la Galboiserie\n37300 Joué-lès-Tours",
        "email": "cyberbase@patronage.example.org",
        "phone": "02 47 00 06 60",
        "opening_hours": "Mardi, jeudi et vendredi : 16 h – 19 h\nMercredi : 13 h 30 – 18 h 30",
        "activities": "Cyberbase : accès libre et accompagné\nAteliers jeunes\n"
        "Débats sur les réseaux sociaux",
        "body": [
            _p(
                "La Cyberbase accueille surtout des jeunes après l'école, et des adultes qui veulent "
                "un coup de main. On y parle aussi de ce qu'on fait sur les réseaux sociaux."
            ),
        ],
    },
    {
        "slug": "mission-locale",
        "title": "Mission locale",
        "initials": "ML",
        "palette": "nuit",
        "kind": Kind.INSTITUTION,
        "summary": "Accueil, information et accompagnement des jeunes de 16 à 25 ans vers l'emploi et "
        "la formation.",
        "address": "Antenne de Joué-lès-Tours\n37300 Joué-lès-Tours",
        "email": "joue@missionlocale.example.org",
        "phone": "02 47 00 07 70",
        "opening_hours": "Du lundi au vendredi : 9 h – 12 h 30 et 13 h 30 – 17 h\nSur rendez-vous "
        "le jeudi après-midi.",
        "activities": "Accompagnement vers l'emploi et la formation\n« Parcours découverte métiers »\n"
        "Ateliers CV et entretien",
        "body": [
            _p(
                "La Mission locale reçoit les jeunes qui cherchent une formation, un emploi ou un "
                "coup de main pour leurs démarches, et travaille avec les associations du quartier."
            ),
        ],
    },
)


# The place of PLACES each association is at; an itinerant company has none.
ACTEUR_PLACES = {
    "resoudre": "epn",
    "centre-social-de-la-rabiere": "centre",
    "courteline": "courteline",
    "regie-plus": "regie",
    "patronage-laique": "cyberbase",
    "mission-locale": "mission",
}


def seed_acteurs(parent, images: ImageLibrary, log) -> dict:
    acteurs = {}
    created = 0
    for data in ACTEURS:
        fields = dict(data)
        slug = fields.pop("slug")
        if slug in ACTEUR_PLACES:
            fields["latitude"], fields["longitude"] = PLACES[ACTEUR_PLACES[slug]][2]
        initials, palette, body = fields.pop("initials"), fields.pop("palette"), fields.pop("body")
        page = _child(parent, ActeurPage, slug)
        if page is None:
            logo = images.logo(slug, fields["title"], initials, palette)
            page = _add_and_publish(
                parent, ActeurPage(slug=slug, logo=logo, body=_body(body, images), **fields)
            )
            created += 1
        acteurs[slug] = page
    log(f"Acteurs du quartier : {len(acteurs)} acteurs ({created} créés).")
    return acteurs


# --- Agenda ----------------------------------------------------------------------------------

# Where the demo's places are, roughly (decimal degrees): the map shows them without asking the
# national address service, which a laptop may not reach.
RABIERE = (Decimal("47.339000"), Decimal("0.676800"))
PLACES = {
    "epn": ("Espace numérique de la Rabière", "Place de la Rabière, 37300 Joué-lès-Tours", RABIERE),
    "centre": ("Salle polyvalente du centre social", "Place de la Rabière, 37300 Joué-lès-Tours", RABIERE),
    "adultes": ("Secteur adultes du centre social", "Place de la Rabière, 37300 Joué-lès-Tours", RABIERE),
    "courteline": (
        "Espace numérique Courteline",
        "Quartier Courteline, 37000 Tours",
        (Decimal("47.378000"), Decimal("0.683000")),
    ),
    "regie": (
        "Locaux de Régie Plus",
        "Quartier de la Rabière, 37300 Joué-lès-Tours",
        (Decimal("47.340500"), Decimal("0.674500")),
    ),
    "cyberbase": (
        "Cyberbase du Patronage laïque",
        "Près de la Galboiserie, 37300 Joué-lès-Tours",
        (Decimal("47.344500"), Decimal("0.656000")),
    ),
    "mission": (
        "Mission locale, antenne de Joué-lès-Tours",
        "37300 Joué-lès-Tours",
        (Decimal("47.351600"), Decimal("0.663600")),
    ),
}

ACCESS_GROUND_FLOOR = "Salle de plain-pied, accessible en fauteuil roulant. Toilettes adaptées."
ACCESS_CENTRE = (
    "Centre social de plain-pied, accessible en fauteuil roulant. Boucle magnétique à l'accueil. "
    "Prévenez-nous si vous avez besoin d'un accompagnement."
)


def _events(today: date) -> list[dict]:
    """The demo agenda, dated from today: weekly and monthly workshops, past and coming events."""
    wednesday = _next(today, WEDNESDAY)
    festival_start, festival_end = _internet_festival(today)
    family_day = _next(today + timedelta(days=1), SATURDAY)
    monthly_day = today - timedelta(days=12)
    while monthly_day.day > 28:  # a monthly rule skips months without that day
        monthly_day -= timedelta(days=1)
    return [
        {
            "slug": "atelier-prise-en-main-de-la-souris",
            "title": "Atelier « prise en main de la souris »",
            "acteur": "resoudre",
            "summary": "Chaque mercredi après-midi, on apprend à son rythme à tenir la souris, cliquer, "
            "ouvrir un logiciel. Accès libre, débutants bienvenus.",
            "start": _at(wednesday - timedelta(weeks=6), "14:00"),
            "end": _at(wednesday - timedelta(weeks=6), "16:00"),
            "recurrence": WEEKLY_RULE,
            "recurrence_until": today + timedelta(weeks=26),
            "place": "epn",
            "registration": "Sans inscription : accès libre, venez quand vous voulez pendant l'atelier.",
            "accessibility": ACCESS_GROUND_FLOOR + " Souris adaptées et grands écrans disponibles.",
            "tags": ["numérique", "atelier"],
            "image": "souris",
            "body": [
                _p(
                    "Vous n'avez jamais touché un ordinateur, ou si peu ? Cet atelier est fait pour "
                    "vous. Un animateur et deux bénévoles vous accompagnent, sans jargon."
                ),
                _p(
                    "<ul><li>tenir la souris et cliquer ;</li><li>ouvrir et fermer une fenêtre ;"
                    "</li><li>écrire un petit texte et l'enregistrer.</li></ul>"
                ),
            ],
        },
        {
            "slug": "acces-libre-et-conseils",
            "title": "Accès libre et conseils au secteur adultes",
            "acteur": "centre-social-de-la-rabiere",
            "summary": "Les quatre ordinateurs du secteur adultes sont ouverts à tous le mardi matin, "
            "avec une animatrice pour répondre à vos questions.",
            "start": _at(_next(today, TUESDAY) - timedelta(weeks=4), "09:30"),
            "end": _at(_next(today, TUESDAY) - timedelta(weeks=4), "12:00"),
            "recurrence": WEEKLY_RULE,
            "recurrence_until": today + timedelta(weeks=30),
            "place": "adultes",
            "registration": "Sans inscription.",
            "accessibility": ACCESS_CENTRE,
            "tags": ["numérique", "emploi"],
            "image": "ecran",
            "body": [
                _p(
                    "Imprimer un document, envoyer un courriel, consulter une offre d'emploi : "
                    "venez avec votre question, on cherche la réponse ensemble."
                ),
            ],
        },
        {
            "slug": "atelier-cv-et-lettre-de-motivation",
            "title": "Atelier CV et lettre de motivation",
            "acteur": "courteline",
            "summary": "Un atelier de recherche d'emploi chaque jeudi : on met son CV à jour sur "
            "l'ordinateur et on prépare une lettre de motivation.",
            "start": _at(_next(today, THURSDAY) - timedelta(weeks=3), "14:00"),
            "end": _at(_next(today, THURSDAY) - timedelta(weeks=3), "16:30"),
            "recurrence": WEEKLY_RULE,
            "recurrence_until": today + timedelta(weeks=16),
            "place": "courteline",
            "registration": "Sur inscription, 8 places : par téléphone au 02 47 00 03 30 ou à l'accueil.",
            "accessibility": "Espace numérique au rez-de-chaussée, accessible en fauteuil roulant.",
            "tags": ["emploi", "atelier", "numérique"],
            "image": "cv",
            "body": [
                _p(
                    "Apportez votre CV sur papier ou sur une clé USB, ou partez de zéro : l'atelier "
                    "fait partie des ateliers de recherche d'emploi (PREF) de l'association."
                ),
                _quote("On repart avec un CV propre et une lettre prête à envoyer.", "Une participante"),
            ],
        },
        {
            "slug": "vos-demarches-en-ligne",
            "title": "Questions-réponses : vos démarches en ligne",
            "acteur": "centre-social-de-la-rabiere",
            "summary": "Chaque vendredi matin, des bénévoles vous aident à remplir un formulaire en "
            "ligne : CAF, impôts, prise de rendez-vous…",
            "start": _at(_next(today, FRIDAY) - timedelta(weeks=5), "10:00"),
            "end": _at(_next(today, FRIDAY) - timedelta(weeks=5), "12:00"),
            "recurrence": WEEKLY_RULE,
            "recurrence_until": today + timedelta(weeks=20),
            "place": "adultes",
            "registration": "Sans inscription. Pensez à apporter vos identifiants et vos papiers.",
            "accessibility": ACCESS_CENTRE,
            "tags": ["numérique", "démarches en ligne"],
            "image": "formulaire",
            "body": [
                _p(
                    "Les bénévoles ne font pas à votre place : ils vous montrent comment faire, pour "
                    "que la prochaine fois vous soyez plus à l'aise."
                ),
            ],
        },
        {
            "slug": "diagnostic-de-votre-ordinateur",
            "title": "Diagnostic de votre ordinateur",
            "acteur": "resoudre",
            "summary": "Une fois par mois, apportez votre ordinateur portable : on regarde ensemble "
            "pourquoi il est lent, plante ou ne se connecte plus.",
            "start": _at(monthly_day, "10:00"),
            "end": _at(monthly_day, "12:00"),
            "recurrence": MONTHLY_RULE,
            "recurrence_until": today + timedelta(days=365),
            "place": "epn",
            "is_free": False,
            "price": "2 € ; gratuit pour les adhérents de Résoudre",
            "registration": "Sur inscription auprès de Résoudre (02 47 00 01 10), 6 ordinateurs par séance.",
            "accessibility": ACCESS_GROUND_FLOOR,
            "tags": ["numérique", "atelier"],
            "image": "diagnostic",
            "body": [
                _p(
                    "C'est un diagnostic de premier niveau : on nettoie, on met à jour, on vous "
                    "explique. Pour une réparation, on vous oriente vers un professionnel."
                ),
            ],
        },
        {
            "slug": "jeux-en-famille-parents-enfants",
            "title": "Jeux en famille : parents et enfants devant l'écran",
            "acteur": "centre-social-de-la-rabiere",
            "summary": "Un samedi après-midi de jeux à partager entre parents et enfants, pour parler "
            "aussi du temps d'écran à la maison.",
            "start": _at(family_day, "14:30"),
            "end": _at(family_day, "17:00"),
            "extra_dates": [family_day + timedelta(weeks=2), family_day + timedelta(weeks=4)],
            "place": "centre",
            "registration": "Inscription conseillée à l'accueil du centre social. Enfants à partir de 6 ans, "
            "accompagnés d'un adulte.",
            "accessibility": ACCESS_CENTRE,
            "tags": ["famille", "jeunesse", "numérique"],
            "image": "famille",
            "body": [
                _p(
                    "Jeux de société, jeux vidéo coopératifs et petits défis : les enfants montrent "
                    "aux parents, les parents montrent aux enfants."
                ),
                _p("Un goûter clôt l'après-midi. Trois samedis au choix, venez à un ou à tous."),
            ],
        },
        {
            "slug": "fete-de-l-internet",
            "title": "Fête de l'internet",
            "acteur": "resoudre",
            "summary": "Quatre jours de débats, de démonstrations et de rencontres dans le quartier, "
            "pendant la dernière semaine de mars.",
            "start": _at(festival_start, "00:00"),
            "end": _at(festival_end, "23:59"),
            "all_day": True,
            "place": "epn",
            "registration": "Sans inscription. Programme détaillé à l'accueil des associations.",
            "accessibility": ACCESS_GROUND_FLOOR + " Les débats sont sous-titrés sur grand écran.",
            "tags": ["fête", "numérique", "débat"],
            "image": "fete",
            "body": [
                _p(
                    "Résoudre, le centre social, Courteline et le Patronage laïque ouvrent leurs "
                    "portes : débats, conférences, ateliers découverte et exposition."
                ),
                _h("Au programme"),
                _p(
                    "<ul><li>mercredi : ateliers pour les enfants ;</li><li>jeudi : débat sur la vie "
                    "privée ;</li><li>vendredi : conférence sur les démarches en ligne ;</li>"
                    "<li>samedi : fête de clôture et exposition.</li></ul>"
                ),
            ],
        },
        {
            "slug": "debat-est-on-espionnes-sur-internet",
            "title": "Débat « Est-on espionnés sur internet ? »",
            "acteur": "resoudre",
            "summary": "Cookies, traces, réglages de confidentialité : une soirée pour comprendre ce "
            "que l'on laisse en ligne et comment se protéger.",
            "start": _at(today + timedelta(days=5), "18:30"),
            "end": _at(today + timedelta(days=5), "20:30"),
            "place": "epn",
            "registration": "Sans inscription.",
            "accessibility": ACCESS_GROUND_FLOOR,
            "tags": ["débat", "numérique"],
            "image": "debat",
            "body": [
                _p(
                    "Le débat est ouvert à tous, sans connaissance particulière. On repart avec "
                    "quelques réglages simples à faire sur son téléphone."
                ),
            ],
        },
        {
            "slug": "tournage-de-cv-video",
            "title": "Tournage de CV vidéo",
            "acteur": "regie-plus",
            "summary": "Une matinée pour préparer et tourner une courte vidéo de présentation à joindre "
            "à sa candidature.",
            "start": _at(today + timedelta(days=9), "09:30"),
            "end": _at(today + timedelta(days=9), "12:30"),
            "place": "regie",
            "registration": "Sur inscription auprès de Régie Plus (02 47 00 04 40), 6 places.",
            "accessibility": "Locaux au rez-de-chaussée, une marche à l'entrée (rampe amovible sur demande).",
            "tags": ["emploi", "vidéo", "jeunesse"],
            "image": "camera",
            "body": [
                _p(
                    "On écrit d'abord ce que l'on veut dire, on s'entraîne devant les autres, puis on "
                    "tourne. Chacun repart avec sa vidéo sur une clé USB."
                ),
            ],
        },
        {
            "slug": "debat-bons-et-mauvais-usages-des-reseaux-sociaux",
            "title": "Débat « Bons et mauvais usages des réseaux sociaux »",
            "acteur": "patronage-laique",
            "summary": "Un débat avec et pour les jeunes : ce qu'on publie, ce qu'on partage, et "
            "comment réagir au harcèlement.",
            "start": _at(today + timedelta(days=12), "17:00"),
            "end": _at(today + timedelta(days=12), "19:00"),
            "place": "cyberbase",
            "registration": "Sans inscription. Ouvert aux 13–25 ans et à leurs parents.",
            "accessibility": "Cyberbase au rez-de-chaussée, accessible en fauteuil roulant.",
            "tags": ["débat", "jeunesse", "numérique"],
            "image": "debat",
            "body": [
                _p(
                    "Préparé avec la Mission locale, le débat part de situations vécues proposées "
                    "par les jeunes de la Cyberbase."
                ),
            ],
        },
        {
            "slug": "initiation-informatique-situation-de-handicap",
            "title": "Initiation à l'informatique pour les personnes en situation de handicap",
            "acteur": "centre-social-de-la-rabiere",
            "summary": "Un atelier en petit groupe, avec du matériel adapté, pour découvrir "
            "l'ordinateur à son rythme.",
            "start": _at(today + timedelta(days=15), "14:00"),
            "end": _at(today + timedelta(days=15), "16:00"),
            "place": "adultes",
            "registration": "Sur inscription à l'accueil du centre social (02 47 00 02 20) : dites-nous ce "
            "dont vous avez besoin.",
            "accessibility": ACCESS_CENTRE
            + " Clavier à grosses touches, loupe d'écran et synthèse vocale disponibles.",
            "tags": ["numérique", "atelier", "accessibilité"],
            "image": "accessibilite",
            "body": [
                _p(
                    "Préparé avec des structures du secteur du handicap, l'atelier accueille 5 "
                    "personnes au plus, avec leurs accompagnants si elles le souhaitent."
                ),
            ],
        },
        {
            "slug": "journee-portes-ouvertes-centre-social",
            "title": "Journée portes ouvertes au centre social",
            "acteur": "centre-social-de-la-rabiere",
            "summary": "Découvrez les activités du centre social et des associations du quartier, "
            "et essayez le poste en libre accès de l'agora.",
            "start": _at(today + timedelta(days=19), "10:00"),
            "end": _at(today + timedelta(days=19), "17:00"),
            "place": "centre",
            "registration": "Entrée libre.",
            "accessibility": ACCESS_CENTRE,
            "tags": ["fête", "famille"],
            "image": "maison",
            "body": [
                _p(
                    "Toute la journée : démonstrations, inscriptions aux ateliers, café et gâteaux "
                    "préparés par les habitantes et habitants."
                ),
            ],
        },
        {
            "slug": "parcours-decouverte-metiers",
            "title": "Parcours découverte métiers",
            "acteur": "mission-locale",
            "summary": "Une journée pour découvrir des métiers qui recrutent à Joué-lès-Tours, en "
            "rencontrant des professionnels sur leur lieu de travail.",
            "start": _at(today + timedelta(days=22), "09:00"),
            "end": _at(today + timedelta(days=22), "17:00"),
            "place": "mission",
            "registration": "Sur inscription auprès de la Mission locale (02 47 00 07 70). "
            "Pour les 16–25 ans.",
            "accessibility": "Déplacements en minibus adapté ; précisez vos besoins à l'inscription.",
            "tags": ["emploi", "jeunesse"],
            "image": "parcours",
            "body": [
                _p(
                    "Rendez-vous à la Mission locale à 9 h. Trois visites d'entreprises, un repas "
                    "partagé, puis un temps d'échange pour faire le point."
                ),
            ],
        },
        {
            "slug": "spectacle-connexions",
            "title": "Spectacle « Connexions » et rencontre avec la compagnie",
            "acteur": "compagnie-pih-poh",
            "summary": "Le spectacle écrit avec les habitants de la Rabière, suivi d'un échange avec "
            "les comédiens et celles et ceux qui ont prêté leur voix.",
            "start": _at(today + timedelta(days=33), "20:00"),
            "end": _at(today + timedelta(days=33), "21:30"),
            "place": "centre",
            "is_free": False,
            "price": "5 € ; gratuit pour les moins de 12 ans",
            "registration": "Réservation conseillée au centre social ou auprès de la compagnie.",
            "accessibility": ACCESS_CENTRE + " Places réservées aux personnes en fauteuil au premier rang.",
            "tags": ["culture", "fête", "famille"],
            "image": "scene",
            "body": [
                _p(
                    "« Connexions » raconte le quartier à travers les écrans : les appels aux "
                    "familles lointaines, les démarches, les jeux, les rencontres."
                ),
            ],
        },
        # Past events, for the archive.
        {
            "slug": "debat-les-bons-plans-sur-internet",
            "title": "Débat « Les bons plans sur internet »",
            "acteur": "courteline",
            "summary": "Sites d'annonces, comparateurs, arnaques : une soirée pour dépenser moins sans "
            "se faire avoir.",
            "start": _at(today - timedelta(days=20), "18:30"),
            "end": _at(today - timedelta(days=20), "20:30"),
            "place": "courteline",
            "registration": "Sans inscription.",
            "accessibility": "Espace numérique au rez-de-chaussée, accessible en fauteuil roulant.",
            "tags": ["débat", "numérique"],
            "image": "debat",
            "body": [
                _p(
                    "Une trentaine de personnes sont venues échanger leurs astuces. Le support du "
                    "débat est disponible à l'accueil de l'association."
                ),
            ],
        },
        {
            "slug": "portes-ouvertes-de-la-cyberbase",
            "title": "Portes ouvertes de la Cyberbase",
            "acteur": "patronage-laique",
            "summary": "Un après-midi pour découvrir la Cyberbase, ses ordinateurs et ses ateliers "
            "pour les jeunes.",
            "start": _at(today - timedelta(days=34), "14:00"),
            "end": _at(today - timedelta(days=34), "18:00"),
            "place": "cyberbase",
            "registration": "Entrée libre.",
            "accessibility": "Cyberbase au rez-de-chaussée, accessible en fauteuil roulant.",
            "tags": ["jeunesse", "fête"],
            "image": "maison",
            "body": [
                _p("Démonstrations, tournoi de jeux en réseau et inscriptions aux ateliers de l'année.")
            ],
        },
        {
            "slug": "exposition-la-rabiere-en-images",
            "title": "Exposition « La Rabière en images »",
            "acteur": "compagnie-pih-poh",
            "summary": "Trois jours d'exposition des photos prises par les habitants pendant les "
            "ateliers de la compagnie.",
            "start": _at(today - timedelta(days=48), "10:00"),
            "end": _at(today - timedelta(days=46), "18:00"),
            "place": "centre",
            "registration": "Entrée libre.",
            "accessibility": ACCESS_CENTRE,
            "tags": ["culture"],
            "image": "scene",
            "body": [
                _p(
                    "Les photos ont ensuite rejoint l'exposition itinérante de la compagnie dans "
                    "d'autres quartiers de l'agglomération."
                ),
            ],
        },
    ]


def seed_events(parent, acteurs: dict, images: ImageLibrary, today: date, log) -> list:
    events = []
    created = 0
    for data in _events(today):
        fields = dict(data)
        # The demo's associations run free activities unless their event gives a price.
        fields.setdefault("is_free", True)
        slug = fields.pop("slug")
        page = _child(parent, EventPage, slug)
        if page is None:
            place_name, place_address, (latitude, longitude) = PLACES[fields.pop("place")]
            image_key = fields.pop("image")
            tags = fields.pop("tags")
            extra_dates = fields.pop("extra_dates", [])
            page = EventPage(
                slug=slug,
                acteur=acteurs[fields.pop("acteur")],
                body=_body(fields.pop("body"), images),
                place_name=place_name,
                place_address=place_address,
                latitude=latitude,
                longitude=longitude,
                image=images.illustration(image_key),
                image_alt=ILLUSTRATIONS[image_key].alt,
                **fields,
            )
            page.extra_dates = [EventExtraDate(date=day) for day in extra_dates]
            page.tags.add(*tags)
            _add_and_publish(parent, page)
            created += 1
        events.append(page)
    log(f"Agenda : {len(events)} événements ({created} créés).")
    return events


# --- News ------------------------------------------------------------------------------------

NEWS = (
    {
        "slug": "l-agora-numerique-de-la-rabiere-est-en-ligne",
        "title": "L'agora numérique de la Rabière est en ligne",
        "project_name": "Agora numérique",
        "acteur": "resoudre",
        "days_ago": 3,
        "summary": "Associations et habitants ont désormais un site commun pour annoncer leurs "
        "actions, raconter leurs projets et présenter celles et ceux qui font le quartier.",
        "image": "ecran",
        "tags": ["numérique"],
        "body": [
            _p(
                "L'idée est née lors d'une réunion entre associations : chacune avait du mal à faire "
                "vivre son propre site, faute de temps et de compétences. L'agora est un site "
                "partagé, ouvert à toutes les associations et à tous les habitants."
            ),
            _h("Comment proposer une publication ?"),
            _p(
                "<p>Pas besoin de compte : cliquez sur <b>Proposer</b>, choisissez un événement, un "
                "portrait ou une actualité, puis remplissez le formulaire. Une personne de l'équipe "
                "relit avant la mise en ligne.</p>"
            ),
        ],
    },
    {
        "slug": "quatre-nouveaux-ordinateurs-au-centre-social",
        "title": "Quatre nouveaux ordinateurs au centre social",
        "project_name": "Secteur adultes",
        "acteur": "centre-social-de-la-rabiere",
        "days_ago": 10,
        "summary": "Le secteur adultes s'équipe de quatre ordinateurs neufs pour l'initiation, "
        "l'usage personnel et la recherche d'emploi.",
        "image": "ecran",
        "tags": ["numérique", "emploi"],
        "body": [
            _p(
                "Les anciens postes avaient plus de huit ans. Les nouveaux sont installés avec des "
                "logiciels libres et un réglage d'affichage en grands caractères."
            ),
            _picture("souris", "Le secteur adultes accueille les débutants le mercredi et le mardi."),
            _p("Le coin emploi garde ses deux ordinateurs, réservés à la recherche d'emploi."),
        ],
    },
    {
        "slug": "parcours-de-femmes",
        "title": "« Parcours de femmes » : quatre structures se lancent ensemble",
        "project_name": "Parcours de femmes",
        "acteur": "courteline",
        "days_ago": 17,
        "summary": "Courteline, l'Entr'aide Ouvrière, le Salon Joséphine et le CRIA construisent un "
        "parcours d'accompagnement pour les femmes éloignées de l'emploi.",
        "image": "femmes",
        "tags": ["emploi", "femmes"],
        "body": [
            _p(
                "Le projet réunit l'Association socioculturelle Courteline, l'Entr'aide Ouvrière, "
                "le Salon Joséphine et le CRIA. Chaque structure apporte ce qu'elle sait faire : "
                "ateliers numériques, image de soi, apprentissage du français, emploi."
            ),
            _quote(
                "On voulait que les femmes n'aient pas à refaire dix fois le même récit d'une "
                "structure à l'autre.",
                "Une animatrice de Courteline",
            ),
        ],
    },
    {
        "slug": "des-cv-video-pour-se-presenter-autrement",
        "title": "Des CV vidéo pour se présenter autrement",
        "project_name": "CV vidéo",
        "acteur": "regie-plus",
        "days_ago": 24,
        "summary": "Régie Plus a accompagné six jeunes du quartier dans le tournage d'un CV vidéo. "
        "Un nouveau tournage est prévu.",
        "image": "camera",
        "tags": ["emploi", "vidéo", "jeunesse"],
        "body": [
            _p(
                "Une minute pour dire qui l'on est, ce que l'on sait faire et ce que l'on cherche : "
                "le CV vidéo permet de montrer ce qu'un CV papier ne dit pas."
            ),
            _quote("Je me suis trouvé bien moins timide à l'écran que je le pensais.", "Yanis, 20 ans"),
        ],
    },
    {
        "slug": "connexions-un-spectacle-ecrit-avec-les-habitants",
        "title": "« Connexions », un spectacle écrit avec les habitants",
        "project_name": "Connexions",
        "acteur": "compagnie-pih-poh",
        "days_ago": 31,
        "summary": "La Compagnie Pih-Poh a recueilli pendant six mois les paroles d'habitants de "
        "plusieurs quartiers sur leur vie avec les écrans.",
        "image": "scene",
        "tags": ["culture"],
        "body": [
            _p(
                "Avec le centre social, la compagnie a animé des ateliers d'écriture et de photo. "
                "Le spectacle qui en est né sera joué à la Rabière puis dans d'autres quartiers."
            ),
        ],
    },
    {
        "slug": "un-poste-en-libre-acces-a-l-entree-du-centre-social",
        "title": "Un poste en libre accès à l'entrée du centre social",
        "project_name": "Agora numérique",
        "acteur": "centre-social-de-la-rabiere",
        "days_ago": 38,
        "summary": "Pour celles et ceux qui n'ont pas d'ordinateur, un poste à l'entrée du centre "
        "social permet de lire l'agora et d'y proposer une publication.",
        "image": "formulaire",
        "tags": ["numérique"],
        "body": [
            _p(
                "Le poste se remet à zéro tout seul après quelques minutes sans activité : la personne "
                "suivante ne voit rien de ce que vous avez tapé."
            ),
        ],
    },
    {
        "slug": "fete-de-l-internet-appel-aux-idees",
        "title": "Fête de l'internet : appel aux idées",
        "project_name": "Fête de l'internet",
        "acteur": "resoudre",
        "days_ago": 45,
        "summary": "La prochaine Fête de l'internet se prépare. Associations et habitants, proposez "
        "un débat, un atelier ou une exposition.",
        "image": "fete",
        "tags": ["fête", "débat"],
        "body": [
            _p(
                "La fête a lieu chaque année pendant la dernière semaine de mars. Les propositions "
                "sont à déposer à Résoudre ou directement sur l'agora."
            ),
        ],
    },
)


def seed_news(parent, acteurs: dict, images: ImageLibrary, today: date, log) -> list:
    items = []
    created = 0
    for data in NEWS:
        fields = dict(data)
        slug = fields.pop("slug")
        page = _child(parent, ProjectNewsPage, slug)
        if page is None:
            image_key = fields.pop("image")
            tags = fields.pop("tags")
            page = ProjectNewsPage(
                slug=slug,
                acteur=acteurs[fields.pop("acteur")],
                body=_body(fields.pop("body"), images),
                image=images.illustration(image_key),
                image_alt=ILLUSTRATIONS[image_key].alt,
                # Spread the news over the last weeks, so the listing reads like a real one.
                first_published_at=_at(today - timedelta(days=fields.pop("days_ago")), "10:00"),
                **fields,
            )
            page.tags.add(*tags)
            _add_and_publish(parent, page)
            created += 1
        items.append(page)
    log(f"Actualités : {len(items)} actualités ({created} créées).")
    return items


# --- Portraits -------------------------------------------------------------------------------

Method = PortraitConsent.Method

PORTRAITS = (
    {
        "slug": "nadia-du-terrain-de-sport-a-l-espace-numerique",
        "title": "Nadia, du terrain de sport à l'espace numérique",
        "person_name": "Nadia",
        "role": "Coordinatrice de l'espace numérique de Résoudre",
        "acteur": "resoudre",
        "days_ago": 5,
        "palette": "bleu",
        "consent": ("Nadia Belkacem", Method.WRITTEN, 30),
        "summary": "Éducatrice sportive pendant dix ans, Nadia coordonne aujourd'hui l'espace "
        "numérique de Résoudre. Elle y retrouve le goût de faire progresser les gens.",
        "tags": ["numérique"],
        "body": [
            _p(
                "Avant les ordinateurs, il y avait le gymnase. Nadia a encadré des équipes de jeunes "
                "pendant dix ans, avant de rejoindre Résoudre pour un remplacement de quelques mois."
            ),
            _quote(
                "Au sport comme devant un écran, on progresse quand on a le droit de se tromper.",
                "Nadia",
            ),
            _p("Elle coordonne aujourd'hui les ateliers, l'accès libre et les bénévoles de l'espace."),
        ],
    },
    {
        "slug": "gerard-animateur-d-epn-un-peu-par-hasard",
        "title": "Gérard, animateur d'espace numérique « un peu par hasard »",
        "person_name": "Gérard",
        "role": "Responsable de l'espace numérique de Courteline",
        "acteur": "courteline",
        "days_ago": 12,
        "palette": "violet",
        "consent": ("Gérard Morin", Method.EMAIL, 45),
        "summary": "Ancien programmeur, Gérard est devenu responsable d'un espace public numérique "
        "« un peu par hasard ». Il ne l'a jamais regretté.",
        "tags": ["numérique", "emploi"],
        "body": [
            _p(
                "Vingt ans à écrire des programmes pour des banques, puis un licenciement. Un ami "
                "lui parle d'un poste d'animateur à Courteline : il postule « pour voir »."
            ),
            _quote(
                "J'ai plus appris en expliquant un clic qu'en écrivant des milliers de lignes de code.",
                "Gérard",
            ),
        ],
    },
    {
        "slug": "josiane-benevole-des-formulaires-en-ligne",
        "title": "Josiane, bénévole des formulaires en ligne",
        "person_name": "Josiane",
        "role": "Bénévole au centre social de la Rabière",
        "acteur": "centre-social-de-la-rabiere",
        "days_ago": 26,
        "palette": "orange",
        "consent": ("Josiane Lefèvre", Method.ORAL, 60),
        "summary": "Retraitée, Josiane aide chaque vendredi ses voisins à remplir leurs démarches "
        "en ligne au centre social.",
        "tags": ["démarches en ligne", "numérique"],
        "body": [
            _p(
                "Josiane a appris l'informatique à soixante ans, à l'atelier du mercredi. Aujourd'hui "
                "c'est elle qui accompagne les voisins pour leurs papiers : CAF, retraite, impôts."
            ),
            _p("Sa règle : ne jamais taper à la place de la personne, mais rester à côté jusqu'au bout."),
        ],
    },
    {
        "slug": "yanis-a-tourne-son-cv-video",
        "title": "Yanis, 20 ans, a tourné son CV vidéo",
        "person_name": "Yanis",
        "role": "Habitant de la Rabière",
        "acteur": "regie-plus",
        "days_ago": 40,
        "palette": "vert",
        "consent": ("Yanis Haddad", Method.WRITTEN, 50),
        "summary": "Timide en entretien, Yanis a essayé le CV vidéo avec Régie Plus. Trois semaines "
        "plus tard, il commençait un contrat dans la logistique.",
        "tags": ["emploi", "jeunesse", "vidéo"],
        "body": [
            _p(
                "Yanis avait envoyé des dizaines de CV sans réponse. À Régie Plus, il a écrit son texte, "
                "répété devant le groupe, puis tourné une vidéo d'une minute."
            ),
            _quote("Le recruteur m'a dit qu'il m'avait reconnu grâce à la vidéo.", "Yanis"),
        ],
    },
)

CONSENT_SCOPE = (
    "Publication du portrait (texte et illustration, prénom seulement) sur le site de l'agora de la "
    "Rabière, pour deux ans. La personne peut retirer son accord à tout moment."
)


def seed_portraits(parent, acteurs: dict, images: ImageLibrary, today: date, log, recorded_by=None) -> list:
    portraits = []
    created = 0
    for data in PORTRAITS:
        fields = dict(data)
        slug = fields.pop("slug")
        page = _child(parent, PortraitPage, slug)
        if page is None:
            given_by, method, consent_days_ago = fields.pop("consent")
            image = images.portrait(slug, fields.pop("palette"), fields["person_name"])
            tags = fields.pop("tags")
            page = PortraitPage(
                slug=slug,
                acteur=acteurs[fields.pop("acteur")],
                body=_body(fields.pop("body"), images),
                image=image,
                image_alt=image.description,
                first_published_at=_at(today - timedelta(days=fields.pop("days_ago")), "10:00"),
                **fields,
            )
            page.tags.add(*tags)
            # A portrait goes live only once the consent of the person is on record.
            _add_draft(parent, page)
            PortraitConsent.objects.create(
                portrait=page,
                given_by=given_by,
                given_on=today - timedelta(days=consent_days_ago),
                method=method,
                scope=CONSENT_SCOPE,
                recorded_by=recorded_by,
            )
            page.save_revision().publish()
            created += 1
        portraits.append(page)
    log(f"Portraits : {len(portraits)} portraits, chacun avec un consentement enregistré ({created} créés).")
    return portraits


# --- Entry point -----------------------------------------------------------------------------


def seed_publications(log, home=None, recorded_by=None) -> dict:
    """Build the four sections and their demo content under `home` (the default site's root).

    `recorded_by` is the user recorded as having taken down the portraits' consents.
    """
    if home is None:
        home = Site.objects.get(is_default_site=True).root_page
    today = timezone.localdate()
    images = ImageLibrary()
    sections = seed_sections(home, log)
    acteurs = seed_acteurs(sections["acteurs"], images, log)
    events = seed_events(sections["agenda"], acteurs, images, today, log)
    news = seed_news(sections["actualites"], acteurs, images, today, log)
    portraits = seed_portraits(sections["portraits"], acteurs, images, today, log, recorded_by)
    log(f"Images : {images.created} créées.")
    return {"sections": sections, "acteurs": acteurs, "events": events, "news": news, "portraits": portraits}


# --- What association staff have in progress -------------------------------------------------
# So that the demo accounts' start pages (posts.staff) show every state: Courteline (moderated)
# has a draft, an event waiting for the moderators and a news item they refused with a reason;
# Résoudre (trusted) has a draft. Seeded after the moderation workflow exists.

STAFF_WORK = (
    {
        "slug": "atelier-cv-parcours-de-femmes",
        "model": EventPage,
        "section": AgendaIndexPage,
        "acteur": "courteline",
        "author": "courteline",
        "state": "draft",
        "title": "Atelier CV « Parcours de femmes »",
        "fields": {"days": 16, "clock": ("14:00", "16:30"), "place": "courteline"},
    },
    {
        "slug": "jeux-parents-enfants-sur-tablette",
        "model": EventPage,
        "section": AgendaIndexPage,
        "acteur": "courteline",
        "author": "courteline",
        "state": "waiting",
        "title": "Jeux parents-enfants sur tablette",
        "fields": {"days": 11, "clock": ("10:00", "11:30"), "place": "courteline"},
    },
    {
        "slug": "l-epn-courteline-change-d-horaires",
        "model": ProjectNewsPage,
        "section": NewsIndexPage,
        "acteur": "courteline",
        "author": "courteline",
        "state": "refused",
        "title": "L'EPN Courteline change d'horaires",
        "fields": {"project_name": "Espace numérique Courteline"},
        "reason": "Indiquez les nouveaux horaires et la date à partir de laquelle ils s'appliquent, s'il vous plaît.",
    },
    {
        "slug": "bilan-des-ateliers-numeriques-de-l-automne",
        "model": ProjectNewsPage,
        "section": NewsIndexPage,
        "acteur": "resoudre",
        "author": "resoudre",
        "state": "draft",
        "title": "Bilan des ateliers numériques de l'automne",
        "fields": {"project_name": "Ateliers numériques"},
    },
)


def seed_staff_work(log, moderator=None) -> None:
    today = timezone.localdate()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["courteline", "resoudre"])
    }
    created = 0
    for work in STAFF_WORK:
        section = work["section"].objects.first()
        author = users.get(work["author"])
        acteur = ActeurPage.objects.filter(slug=work["acteur"]).first()
        if (
            section is None
            or author is None
            or acteur is None
            or _child(section, work["model"], work["slug"])
        ):
            continue
        fields = dict(work["fields"])
        if work["model"] is EventPage:
            day = today + timedelta(days=fields.pop("days"))
            start, end = fields.pop("clock")
            fields.update(start=_at(day, start), end=_at(day, end))
            fields["place_name"], fields["place_address"], (fields["latitude"], fields["longitude"]) = PLACES[
                fields.pop("place")
            ]
        page = work["model"](slug=work["slug"], title=work["title"], acteur=acteur, owner=author, **fields)
        _add_draft(section, page)
        page.save_revision(user=author)
        if work["state"] in ("waiting", "refused"):
            workflow_state = page.get_workflow().start(page, author)
            if work["state"] == "refused":
                workflow_state.current_task_state.reject(user=moderator, comment=work["reason"])
        created += 1
    log(f"Travail en cours des associations : {len(STAFF_WORK)} publications ({created} créées).")


# --- Residents' proposals waiting for the moderators ----------------------------------------

RESIDENTS_PROPOSALS = (
    (
        Proposal.Kind.EVENT,
        ProposalData(
            title="Troc de boutures au pied de la tour",
            text="Apportez une bouture, repartez avec une autre.\n\nOn installe une table devant l'entrée, "
            "s'il pleut on se met sous le porche.",
            display_name="Nora",
            place_name="Devant la tour, rue Jean-Bart",
            start_time=time(15, 0),
            end_time=time(17, 0),
        ),
        9,
    ),
    (
        Proposal.Kind.NEWS,
        ProposalData(
            title="Les bancs du square sont réparés",
            text="Les jeunes du chantier éducatif ont remis en état les trois bancs du square. Merci à eux !",
            display_name="Martine, voisine du square",
            project_name="Chantier éducatif",
        ),
        None,
    ),
)


def seed_residents_proposals(log) -> None:
    """Two residents' proposals waiting for the moderators, for the review from the admin home."""
    created = 0
    for kind, data, days_ahead in RESIDENTS_PROPOSALS:
        if Proposal.objects.filter(title=data.title).exists():
            continue
        if days_ahead is not None:
            data = replace(data, day=timezone.localdate() + timedelta(days=days_ahead))
        submit_proposal(kind, data)
        created += 1
    log(f"Propositions d'habitants en attente : {len(RESIDENTS_PROPOSALS)} ({created} créées).")
