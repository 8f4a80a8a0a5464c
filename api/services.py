"""Issuing and revoking personal API tokens, each with its trail event."""

from django.db import transaction
from django.utils import timezone

from project.audit.models import AuditEvent

from .models import ApiToken


@transaction.atomic
def issue_token(user, name):
    """Return (token, key): the key is shown to its owner once and never stored."""
    token, key = ApiToken.issue(user, name)
    AuditEvent.record(user, "api_token.created", user=user, detail={"token": name, "hint": token.hint})
    return token, key


@transaction.atomic
def revoke_token(token, *, by):
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    AuditEvent.record(token.user, "api_token.revoked", user=by, detail={"token": token.name, "hint": token.hint})
