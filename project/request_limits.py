"""Refuse a request body larger than its page accepts before a byte of it is read.

Django reads an upload whole (into memory or a temporary file) before a form can look at its size; a client could
otherwise fill the disk or hold a worker for minutes with one oversized request. The declared ``Content-Length``
is compared with the page's limit in ``process_view`` (when the page is known, and before the CSRF check, the first
code that reads the body); Django never reads past that length, and under WSGI it reads a body sent without one
(chunked) as empty, so the declared length is the whole of what can arrive.

A page accepts ``SIAP_MAX_REQUEST_BYTES`` (the largest form with several attachments) unless its view is marked
with :func:`allows_body` for a larger setting, such as a recording upload (``SIAP_MAX_AUDIO_BYTES``); the proxy in
front refuses anything larger than the largest of these before it reaches SIAP.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The multipart envelope and the other fields (the CSRF token, a note) around the largest file.
FORM_OVERHEAD_BYTES = 1024 * 1024


def allows_body(setting_name):
    """Mark a view whose requests may be as large as the setting ``setting_name`` (bytes) plus the form around it."""

    def mark(view):
        view.request_body_limit_setting = setting_name
        return view

    return mark


def request_body_limit(view):
    setting_name = getattr(view, "request_body_limit_setting", "SIAP_MAX_REQUEST_BYTES")
    return getattr(settings, setting_name) + FORM_OVERHEAD_BYTES


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads such a body as empty
        limit = request_body_limit(view_func)
        if declared > limit:
            message = _("Kiriman ini terlalu besar; batasnya %(limit)s. Tidak ada yang disimpan.") % {
                "limit": filesizeformat(limit - FORM_OVERHEAD_BYTES)
            }
            if request.accepts("text/html"):
                response = render(request, "413.html", {"message": message}, status=413)
            else:  # an API client: the API's error shape (api.exceptions)
                response = JsonResponse({"detail": message, "code": "too_large"}, status=413)
            response["Connection"] = "close"  # the unread body is not read just to keep the connection
            return response
        return None
