"""The page shown while the database cannot be reached (restarting, failing over): 503, not a stack trace.

Django turns any exception a view or a middleware raises into the ``handler500``
response; this handler tells the database's own errors apart, because they
pass: the visitor is asked to try again in a moment (``Retry-After``). Nothing
is half-saved: every change runs in one transaction, which the database rolls
back when the connection breaks.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 15


def database_unavailable(exception):
    return isinstance(exception, (OperationalError, InterfaceError))


def server_error(request):
    """``handler500``: a translated 503 page when the database failed, Django's 500 page otherwise.

    Rendered without the request, so no context processor touches the
    database that just failed.
    """
    if not database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
