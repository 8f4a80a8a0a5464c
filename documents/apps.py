from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Dokumen")

    def ready(self):
        from project.audit.details import register_details
        from project.dashboard import register_counters

        from . import retention
        from .models import FinalDisposition

        register_details({"decision": (_("Keputusan"), FinalDisposition.choices)})
        register_counters(retention.counters)
