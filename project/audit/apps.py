from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "project.audit"
    label = "audit"
    verbose_name = _("Jejak audit")

    def ready(self):
        from project.dashboard import register_counters

        from .counters import auditor_counters

        register_counters(auditor_counters)
