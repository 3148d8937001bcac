"""The four institutional pages every French neighbourhood site needs before it opens: legal
notice, personal data, accessibility statement, about. Their wording is a starting point the
site's team edits in the admin; the facts that change (publisher, publication director, host,
contact, retention periods) are not in the wording but read from the site settings and the
settings module by templates/home/content_page.html.

Created by a data migration for new installs (home 0003) and by `seed_demo`
(home.demo.seed_institutional_pages), never over a page that exists: editing or deleting one is
the site team's choice.
"""

import uuid

from django.conf import settings
from django.utils.translation import gettext as _

LEGAL, DATA = "legal", "data"


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html, "id": str(uuid.uuid4())}


def heading(text: str) -> dict:
    return {"type": "heading", "value": text, "id": str(uuid.uuid4())}


# slug, title, what the page shows from the settings, body (StreamField JSON)
PAGES = (
    (
        "mentions-legales",
        "Mentions légales",
        LEGAL,
        [
            paragraph(
                "<p>Ce site est l'agora numérique du quartier : les associations, les habitantes et les "
                "habitants y annoncent leurs activités et y racontent les projets du quartier.</p>"
            ),
            heading("Textes et photos"),
            paragraph(
                "<p>Les textes et les photos restent à leurs auteurs. Pour réutiliser un contenu, demandez "
                "leur accord en écrivant à l'adresse de contact du site.</p>"
            ),
        ],
    ),
    (
        "donnees-personnelles",
        "Données personnelles",
        DATA,
        [
            paragraph(
                "<p>L'agora collecte le moins de données possible, seulement pour fonctionner, et ne les "
                "transmet à personne.</p>"
            ),
            heading("Ce que nous collectons, et pourquoi"),
            paragraph(
                "<p><b>Proposer une publication</b> : le nom que vous choisissez (publié avec la "
                "publication), votre e-mail si vous le donnez (pour vous dire la décision, jamais publié), "
                "la photo et sa description.</p>"
            ),
            paragraph(
                "<p><b>La lettre de la semaine</b> : votre e-mail, pour vous l'envoyer. Un lien dans chaque "
                "lettre vous désabonne en un clic.</p>"
            ),
            paragraph(
                "<p><b>Signaler un contenu</b> : la raison et votre texte, pour la modération, et l'adresse "
                "de votre réseau, abrégée, pour compter les signalements.</p>"
            ),
            paragraph(
                "<p><b>L'espace partenaires</b> : les fiches des personnes accompagnées par les structures "
                "partenaires, avec leur accord, et le journal de qui les a consultées.</p>"
            ),
            heading("Vos droits"),
            paragraph(
                "<p>Vous pouvez accéder à vos données, les faire corriger ou effacer, et vous opposer à leur "
                "traitement : écrivez à l'adresse de contact du site. Si notre réponse ne vous satisfait "
                'pas, vous pouvez adresser une réclamation à la CNIL : <a href="https://www.cnil.fr/fr/'
                'plaintes">www.cnil.fr/fr/plaintes</a>.</p>'
            ),
        ],
    ),
    (
        "accessibilite",
        "Accessibilité",
        "",
        [
            paragraph(
                "<p>L'équipe de l'agora s'engage à rendre le site accessible, conformément à l'article 47 "
                "de la loi n° 2005-102 du 11 février 2005.</p>"
            ),
            heading("État de conformité"),
            paragraph(
                "<p>Le site est <b>partiellement conforme</b> au référentiel général d'amélioration de "
                "l'accessibilité (RGAA 4.1), en raison des non-conformités énumérées plus bas.</p>"
            ),
            heading("Pages vérifiées"),
            paragraph(
                "<p>L'accueil, l'agenda et un événement, les actualités et une actualité, les portraits et "
                "un portrait, les acteurs et une fiche d'acteur, la recherche, les formulaires de "
                "proposition, l'accusé de réception et le suivi d'une proposition, et les pages du kiosque "
                "du centre social : tests automatiques (axe-core, validateur HTML Nu) et navigation au "
                "clavier à chaque modification du site.</p>"
            ),
            heading("Non-conformités connues"),
            paragraph(
                "<p>L'interface d'administration n'a pas été vérifiée. Les documents PDF déposés par les "
                "associations peuvent ne pas être accessibles. Aucun audit complet n'a encore été mené par "
                "un organisme extérieur.</p>"
            ),
            heading("Nous signaler un problème"),
            paragraph(
                "<p>Si vous n'arrivez pas à lire un contenu ou à utiliser un service, écrivez à l'adresse "
                "de contact du site ou appelez le centre social : nous vous le transmettrons sous une autre "
                "forme.</p>"
            ),
            heading("Voies de recours"),
            paragraph(
                "<p>Si vous nous avez signalé un défaut d'accessibilité sans obtenir de réponse "
                "satisfaisante, vous pouvez saisir le Défenseur des droits : par le formulaire en ligne de "
                '<a href="https://www.defenseurdesdroits.fr/">www.defenseurdesdroits.fr</a>, auprès de son '
                "délégué dans votre département, ou par courrier gratuit, sans affranchissement : Défenseur "
                "des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</p>"
            ),
        ],
    ),
    (
        "a-propos",
        "À propos",
        "",
        [
            paragraph(
                "<p>L'agora de la Rabière est née d'une étude des pratiques numériques des associations du "
                "quartier : « Participer, collaborer, valoriser ».</p>"
            ),
            paragraph(
                "<p>Les associations y annoncent leurs activités ; les habitantes et les habitants y "
                "proposent les leurs, même sans ordinateur, depuis le poste du centre social ; une petite "
                "équipe de modération relit avant de publier.</p>"
            ),
        ],
    ),
)


def retention_periods() -> list[tuple[str, str]]:
    """How long each kind of personal data is kept, read from the settings the purge applies."""
    resident_months = settings.AGORA_RESIDENT_DATA_RETENTION_MONTHS
    return [
        (
            _("E-mail donné avec une proposition"),
            _("%(months)s mois après la décision sur la proposition") % {"months": resident_months},
        ),
        (_("Signalements"), _("%(months)s mois après leur clôture") % {"months": resident_months}),
        (_("Photo gardée d'un formulaire non envoyé"), _("un jour")),
        (_("Adresse d'envoi d'une photo depuis un téléphone"), _("15 minutes, puis effacée après un jour")),
        (_("Inscription à la lettre"), _("jusqu'au désabonnement")),
        (
            _("Fiches de l'espace partenaires"),
            _("%(months)s mois après le dernier contact")
            % {"months": settings.PARTNERS_RECORD_RETENTION_MONTHS},
        ),
        (
            _("Journal des consultations de l'espace partenaires"),
            _("%(months)s mois") % {"months": settings.PARTNERS_LOG_RETENTION_MONTHS},
        ),
    ]
