from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from project.audit.models import register_actions

        from . import schema  # noqa: F401  (the token scheme, for drf-spectacular)

        register_actions(
            {
                "api_token.created": _("Token API dibuat"),
                "api_token.revoked": _("Token API dicabut"),
            }
        )
