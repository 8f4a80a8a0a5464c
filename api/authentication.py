"""Personal API tokens in ``Authorization: Bearer <key>``.

DRF authenticates inside the view, after the middleware has put Django's
request (with its anonymous user) where the audit trail reads it. The
token's user and the token itself are therefore written onto that request
too: every ``AuditEvent`` recorded while serving the call names the person
and the token they used.

A refused token counts as a failed sign-in: Django's ``user_login_failed``
signal carries it (with the token owner's username when the key names a
token, and the key's first characters) to the same failure counter as the
login page (django-axes) and to the audit trail; a client address or account
locked out there is answered 429 before any key is looked at.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken, hash_key

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization harus berbentuk: Bearer <token>."))
        key = parts[1].decode("ascii", errors="replace")
        token = ApiToken.for_key(key)
        # a valid token names its owner already: the owner of a refused one is looked up only then
        credentials = {"username": token.user.username if token else owner_username(key), "token": key[:8]}
        if AxesProxyHandler.is_locked(request._request, credentials):
            raise LockedOut()
        if token is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request._request)
            raise exceptions.AuthenticationFailed(_("Token tidak valid atau sudah dicabut."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request._request.user = token.user
        request._request.api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


class LockedOut(exceptions.Throttled):
    default_detail = _("Terlalu banyak percobaan dengan token yang salah dari akun atau alamat ini; coba lagi nanti.")
    default_code = "locked_out"


def owner_username(key):
    """The username of the token ``key`` names (revoked too), or "" when it names none."""
    return ApiToken.objects.filter(key_hash=hash_key(key)).values_list("user__username", flat=True).first() or ""
