from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Accueil et réglages du site")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from agora import sqlite
        from agora.addresses import sync_default_site
        from home import checks  # noqa: F401
        from home.cache import connect_signals

        connect_signals()
        # The links Wagtail writes itself (sitemap, Page.full_url) name SITE_URL too.
        post_migrate.connect(sync_default_site, sender=self, dispatch_uid="agora_sync_default_site")
        connection_created.connect(sqlite.secure_delete, dispatch_uid="agora_sqlite_secure_delete")
