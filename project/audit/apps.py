from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "project.audit"
    label = "audit"
    verbose_name = _("Jejak audit")

    def ready(self):
        from project.dashboard import register_counters

        from . import receivers
        from .counters import auditor_counters
        from .details import register_details
        from .models import register_actions

        register_counters(auditor_counters)
        register_actions(receivers.ACTION_LABELS)
        register_details({
            "channel": (_("Jalur"), receivers.CHANNELS),
            "username": _("Nama pengguna yang diketik"),
        })
        receivers.connect()
