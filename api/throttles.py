"""Request rates per person and per token (``SIAP_API_RATE_USER``, ``SIAP_API_RATE_TOKEN``).

A person's calls count together whether they come from the browser or from
any of their tokens; each token has its own, smaller budget too, so one
runaway script does not use up its owner's whole allowance.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class _Rate(SimpleRateThrottle):
    def get_rate(self):
        # read now, not at import: DRF binds its rates when the class is defined
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserRateThrottle(_Rate):
    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class TokenRateThrottle(_Rate):
    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
