"""Sign-ins in the trail: who signed in and out, which sign-ins failed, which accounts were locked.

The site's login page, the admin's and the API's tokens all send Django's
``user_logged_in``, ``user_logged_out`` and ``user_login_failed`` signals, and
django-axes its ``user_locked_out``; one receiver each records the event on
the account (the user's record), with the address the request came from.

A failure keeps only what identifies the account it was aimed at: the
username, cut to a username's length and without control characters, and for
a token its first characters (the same as the token's shown hint). Never a
password: ``credentials`` carries it (masked by Django, but not by every
sender), so nothing else is read from it. A username that matches no account
has no record to hang the event on: such an event names the user model with
an empty key (its subject is gone, as for a deleted draft) and the typed name
in its detail, which pages and exports escape like any other detail.
"""

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

SIGNED_IN = "auth.signed_in"
SIGNED_OUT = "auth.signed_out"
SIGN_IN_FAILED = "auth.sign_in_failed"
LOCKED_OUT = "auth.locked_out"
SIGN_IN_ACTIONS = {SIGNED_IN, SIGNED_OUT, SIGN_IN_FAILED, LOCKED_OUT}
ACTION_LABELS = {
    SIGNED_IN: _("Masuk ke SIAP"),
    SIGNED_OUT: _("Keluar dari SIAP"),
    SIGN_IN_FAILED: _("Gagal masuk"),
    LOCKED_OUT: _("Akun dikunci sementara"),
}
# detail "channel": where the sign-in came through
CHANNELS = {"site": _("Halaman masuk"), "admin": _("Halaman admin"), "api": _("Token API")}
TOKEN_HINT_LENGTH = 8


def signed_in(sender, request, user, **kwargs):
    AuditEvent.record(user, SIGNED_IN, user=user, detail={"channel": _channel(request)})


def signed_out(sender, request, user, **kwargs):
    if user is not None:  # signing out without being signed in changes nothing
        AuditEvent.record(user, SIGNED_OUT, user=user, detail={"channel": _channel(request)})


def sign_in_failed(sender, credentials, request=None, **kwargs):
    token = credentials.get("token")
    channel = "api" if token is not None else _channel(request)
    _record_attempt(SIGN_IN_FAILED, credentials.get("username"), channel, hint=_token_hint(token))


def locked_out(sender, request, username=None, **kwargs):
    credentials = getattr(request, "axes_credentials", None) or {}
    token = credentials.get("token")
    channel = "api" if token is not None else _channel(request)
    _record_attempt(LOCKED_OUT, username, channel, hint=_token_hint(token))


def _record_attempt(action, typed_username, channel, hint=""):
    username = safe_username(typed_username)
    account = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first() if username else None
    detail = {"channel": channel, "hint": hint}
    if account is None:
        detail["username"] = username
        AuditEvent.record(get_user_model(), action, detail=detail)
    else:
        AuditEvent.record(account, action, detail=detail)


def safe_username(typed):
    """What was typed as a username, kept to a username's length, printable characters only."""
    if not isinstance(typed, str):
        return ""
    field = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD)
    return "".join(character for character in typed if character.isprintable())[: field.max_length]


def _token_hint(token):
    """A token's first characters (what its hint shows); nothing for Django's mask of a secret."""
    if not isinstance(token, str) or set(token) <= {"*"}:
        return ""
    return token[:TOKEN_HINT_LENGTH]


def _channel(request):
    path = getattr(request, "path", "") or ""
    try:
        admin = reverse("admin:index")
    except NoReverseMatch:
        admin = None
    if admin and path.startswith(admin):
        return "admin"
    return "api" if getattr(request, "api_token", None) is not None else "site"


def connect():
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(signed_in, dispatch_uid="audit.signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="audit.signed_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="audit.sign_in_failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit.locked_out")
