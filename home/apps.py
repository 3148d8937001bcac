from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Accueil et réglages du site")

    def ready(self):
        from django.db.backends.signals import connection_created

        from agora import sqlite
        from home import checks  # noqa: F401
        from home.cache import connect_signals

        connect_signals()
        connection_created.connect(sqlite.secure_delete, dispatch_uid="agora_sqlite_secure_delete")
