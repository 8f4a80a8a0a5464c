"""A request rate per client address for public pages that need no login (the aspiration form, letter checks).

Counted in Django's cache by the same sliding-window throttle the API uses
(``rest_framework.throttling.SimpleRateThrottle``); the rate is read from a
setting at each request, so tests and operators can change it.
"""

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from project.audit.middleware import client_address

log = logging.getLogger(__name__)


class AddressRateThrottle(SimpleRateThrottle):
    """Requests of one ``scope`` per client address, at the rate named by the setting ``rate_setting``."""

    def __init__(self, scope, rate_setting):
        self.scope = scope
        self.rate_setting = rate_setting
        super().__init__()

    def get_rate(self):
        return getattr(settings, self.rate_setting)

    def get_cache_key(self, request, view):
        # no valid address (a garbled X-Forwarded-For): one shared bucket, never a way around the limit
        address = client_address(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": address}


def allowed(request, scope, rate_setting):
    """Whether this client address may make one more request of ``scope`` now (the request is counted)."""
    if AddressRateThrottle(scope, rate_setting).allow_request(request, None):
        return True
    log.warning("%s: rate limit reached for %s", scope, client_address(request))
    return False
