"""Personal API tokens in ``Authorization: Bearer <key>``.

DRF authenticates inside the view, after the middleware has put Django's
request (with its anonymous user) where the audit trail reads it. The
token's user and the token itself are therefore written onto that request
too: every ``AuditEvent`` recorded while serving the call names the person
and the token they used.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization harus berbentuk: Bearer <token>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token tidak valid atau sudah dicabut."))
        token = ApiToken.for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token tidak valid atau sudah dicabut."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request._request.user = token.user
        request._request.api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'
