"""Demo data of the site shell: site settings, groups and the demo accounts of DESIGN.md.

`seed_demo` calls `seed_site` first, then each app's own demo module (`posts.demo`). Every
function here is idempotent: it looks objects up by a natural key and only creates what is
missing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from wagtail.models import Site

from home.institutional import PAGES as INSTITUTIONAL_PAGES
from home.models import ContentPage, HomePage, SiteSettings
from posts.models import ActeurPage
from posts.moderation import MODERATORS_GROUP, PARTNERS_GROUP, setup_moderation

RESOUDRE_GROUP = "Équipe Résoudre"
COURTELINE_GROUP = "Équipe Courteline"
# The account recorded as having taken down the demo portraits' consents.
CONSENT_RECORDER = "moderatrice"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    groups: tuple[str, ...] = ()
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin", "Administratrice Agora", "administratrice (tous les droits)", superuser=True),
    DemoAccount("moderatrice", "Mona Dératrice", "modératrice", (MODERATORS_GROUP,)),
    DemoAccount(
        "resoudre", "Rémi Soudre", "équipe de Résoudre (association de confiance)", (RESOUDRE_GROUP,)
    ),
    DemoAccount(
        "courteline",
        "Camille Courteline",
        "équipe de Courteline (publie après modération)",
        (COURTELINE_GROUP,),
    ),
    DemoAccount("partenaire1", "Paula Résoudre", "partenaire, Résoudre", (PARTNERS_GROUP,)),
    DemoAccount("partenaire2", "Paul Mission", "partenaire, Mission locale", (PARTNERS_GROUP,)),
    DemoAccount("partenaire3", "Pia Tierce", "partenaire, organisation sans partage", (PARTNERS_GROUP,)),
)


def seed_site(log) -> HomePage:
    """Name the site, fill its contact settings and make sure the home page serves it."""
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("La page d'accueil est absente : lancez d'abord « manage.py migrate ».")
    site = Site.objects.filter(root_page=home).first() or Site.objects.get(is_default_site=True)
    site.site_name = "Agora de la Rabière"
    site.save(update_fields=["site_name"])

    site_settings = SiteSettings.for_site(site)
    site_settings.site_name = "Agora de la Rabière"
    site_settings.tagline = "L'agora numérique du quartier de la Rabière, Joué-lès-Tours"
    site_settings.contact_email = "agora@rabiere.example.org"
    site_settings.contact_phone = "02 47 00 00 00"
    site_settings.social_centre_name = "Centre social de la Rabière"
    site_settings.social_centre_address = "Place de la Rabière\n37300 Joué-lès-Tours"
    site_settings.save()

    intro = (
        "Les associations et les habitantes et habitants de la Rabière font connaître ici leurs "
        "projets, annoncent leurs actions et présentent les personnes qui font vivre le quartier."
    )
    if home.intro != intro:
        home.intro = intro
        home.save_revision().publish()
    log("Site et page d'accueil prêts.")
    return home


def seed_groups(log) -> dict[str, Group]:
    """The groups of DESIGN.md. Their fine-grained page permissions come with the moderation work."""
    groups = {}
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in (MODERATORS_GROUP, RESOUDRE_GROUP, COURTELINE_GROUP, PARTNERS_GROUP):
        group, created = Group.objects.get_or_create(name=name)
        if name != PARTNERS_GROUP:
            group.permissions.add(access_admin)
        groups[name] = group
        log(f"Groupe « {name} » {'créé' if created else 'déjà présent'}.")
    return groups


def seed_accounts(log) -> list[DemoAccount]:
    """Create or refresh the demo accounts, all with settings.DEMO_PASSWORD."""
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        first_name, _, last_name = account.full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"email": f"{account.username}@agora.example.org"},
        )
        user.first_name, user.last_name = first_name, last_name
        user.is_superuser = user.is_staff = account.superuser
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=account.groups))
        log(f"Compte « {account.username} » {'créé' if created else 'mis à jour'}.")
    return list(DEMO_ACCOUNTS)


# The demo associations whose staff accounts exist, by acteur slug.
DEMO_STAFF_GROUPS = {"resoudre": RESOUDRE_GROUP, "courteline": COURTELINE_GROUP}


def seed_moderation(log) -> None:
    """Tie the demo staff groups to their associations, then set up groups and the workflow."""
    for slug, group_name in DEMO_STAFF_GROUPS.items():
        group = Group.objects.get(name=group_name)
        ActeurPage.objects.filter(slug=slug).update(staff_group=group)
    setup_moderation(log)


def seed_institutional_pages(home, log) -> int:
    """Create under `home` those of the four pages that are missing; how many were created."""
    created = 0
    for slug, title, shows, body in INSTITUTIONAL_PAGES:
        if home.get_children().filter(slug=slug).exists():
            continue
        page = ContentPage(title=title, slug=slug, shows=shows, body=body)
        home.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    log(f"Pages institutionnelles : {len(INSTITUTIONAL_PAGES)} ({created} créées).")
    return created
