from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsrConfig(AppConfig):
    name = "asr"
    verbose_name = _("Pengenalan ucapan")
    default_auto_field = "django.db.models.BigAutoField"
