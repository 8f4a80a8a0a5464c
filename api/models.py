"""Personal API tokens.

A token stands for its user in API calls from scripts and other systems.
Only the SHA-256 of the key is stored: the key itself is shown once, when
it is made, and a leaked database does not hand out working keys. A revoked
token keeps its row, so the trail's events made with it still name it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "siap_"


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("awal kunci"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user, name):
        """Make a token; return it with its key, which is never stored and cannot be shown again."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_key(key), hint=key[: len(KEY_PREFIX) + 4])
        return token, key

    @classmethod
    def for_key(cls, key):
        """The active token of ``key`` whose user may still sign in, or None."""
        return (
            cls.objects.active()
            .select_related("user")
            .filter(key_hash=hash_key(key), user__is_active=True)
            .first()
        )
