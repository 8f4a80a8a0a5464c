from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "workflows.letters"
    label = "letters"
    verbose_name = _("Surat masuk")

    def ready(self):
        from . import audit_labels  # noqa: F401  (registers the trail's action names)
