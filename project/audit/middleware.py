"""Remember the current request's user and client address for the audit trail.

Services record audit events deep below the views; they read the request
context from here instead of having the request passed down every call.
"""

import contextvars

_current_request = contextvars.ContextVar("siap_current_request", default=None)


def current_request():
    return _current_request.get()


def client_address(request):
    """The client's address; behind a trusted proxy the first X-Forwarded-For hop."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
