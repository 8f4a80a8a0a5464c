"""Remember the current request's user and client address for the audit trail.

Services record audit events deep below the views; they read the request
context from here instead of having the request passed down every call.
"""

import contextvars
import ipaddress
import logging

logger = logging.getLogger(__name__)

_current_request = contextvars.ContextVar("siap_current_request", default=None)


def current_request():
    return _current_request.get()


def client_address(request):
    """The client's address: behind ``SIAP_TRUSTED_PROXY_HOPS`` proxies of ours, the X-Forwarded-For entry the
    outermost of them appended — counted from the right, since a client can write anything at the left (and
    would otherwise choose its own address in the trail and around every rate limit).

    Only a valid IP address comes back, written as ``ipaddress`` writes it; anything else (a proxy that passes a
    header through, a port, a formula) is None and logged: it would otherwise land in the trail and its exports."""
    from django.conf import settings

    hops = settings.SIAP_TRUSTED_PROXY_HOPS
    address = request.META.get("REMOTE_ADDR")
    if hops:
        entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
        if len(entries) >= hops:
            address = entries[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        logger.warning("client address is not an IP address: %r", (address or "")[:100])
        return None


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
