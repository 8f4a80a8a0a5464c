from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "project.org"
    label = "org"
    verbose_name = _("Organisasi")

    def ready(self):
        from . import signals

        signals.connect_post_migrate()
