from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from django.conf import settings

        from project.audit.models import register_actions
        from workflows import registry

        from . import schema  # noqa: F401  (the token scheme, for drf-spectacular)

        register_actions(
            {
                "api_token.created": _("Token API dibuat"),
                "api_token.revoked": _("Token API dicabut"),
            }
        )
        # stable schema names for the processes' choices (installed before this app, so registered by now)
        overrides = settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]
        for process in registry.processes():
            overrides.update(process.api_enum_names)
