"""Signing in with SIAP's own words, and the count of failed sign-ins (django-axes) it is throttled by.

Django's catalog builds its message from the username field's label and reads,
in Indonesian, "Masukkan nama pengguna nama pengguna …"; these are written
for the people who type into this form.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from project.audit.receivers import safe_username


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator SIAP di Sekretariat DPRD."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["username"].error_messages["required"] = _("Isi nama pengguna Anda.")
        self.fields["password"].label = _("Kata sandi")
        self.fields["password"].error_messages["required"] = _("Isi kata sandi Anda.")


login = auth_views.LoginView.as_view(template_name="auth/login.html", authentication_form=LoginForm)


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' gate before the password check, for sign-ins that come with a request.

    Every sign-in over the web (the login page, the admin's, an API token) has one. A check without one (a shell,
    the test client's ``login``) has no client address to count: it goes on to the password check, where axes' own
    backend would raise an error instead.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def attempted_username(request, credentials=None):
    """``AXES_USERNAME_CALLABLE``: the typed username as axes counts it, no longer than an account's can be.

    Anything longer names no account, and would not fit axes' column: the sign-in page answered a server error.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    typed = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    return safe_username(typed) if typed else typed  # as the trail records it


class LoginAttemptHandler(AxesDatabaseHandler):
    """django-axes' failure counter with a limit of its own for the client address.

    Axes compares the larger of the per-account and per-address counts with one limit; but a whole office signs in
    from one NAT address, so an address may fail more often (``SIAP_LOGIN_ADDRESS_FAILURE_LIMIT``) than an account
    (``AXES_FAILURE_LIMIT``) before it is locked. Failures without a username (an API token that matches no token)
    count for their address only, never for a shared empty account.
    """

    def get_failures(self, request, credentials=None):
        # one query set per AXES_LOCKOUT_PARAMETERS entry, in its order: ["username", "ip_address"]
        by_account, by_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if not get_client_username(request, credentials):
            by_account = 0
        if by_address >= settings.SIAP_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (``AXES_LOCKOUT_CALLABLE``): it says when the person may try again — the cool-off counts
    from the last failure, and each further failure during a lockout starts it again."""
    if original_response is not None and original_response.get("Content-Type", "").startswith("application/json"):
        return original_response  # an API call keeps its JSON answer; the next one is refused with 429 (api.authentication)
    retry_at = (getattr(request, "axes_attempt_time", None) or timezone.now()) + get_cool_off(request)
    return render(
        request,
        "auth/lockout.html",
        {"retry_at": retry_at, "cooloff_minutes": round(get_cool_off(request).total_seconds() / 60)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
