"""Run SIAP's certificate authority from a terminal: init, issue, revoke, list.

Passphrases are typed at a hidden prompt, or, for scripts and the demo, read
from the environment variable named by ``--passphrase-env`` /
``--ca-passphrase-env`` so that they never appear in the process list or the
shell history. A new passphrase is asked twice; the authority's existing one
once, since a mistyped one is refused anyway.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from project.signing.errors import SigningError
from project.signing.models import CertificateAuthority, SignerCertificate
from project.signing.services import (
    DEFAULT_CERTIFICATE_DAYS,
    create_authority,
    issue_certificate,
    revoke,
)


class Command(BaseCommand):
    help = "Kelola otoritas sertifikat tanda tangan elektronik SIAP: init, issue, revoke, list."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        init = actions.add_parser("init", help="Buat otoritas sertifikat SIAP.")
        init.add_argument("--name", required=True)
        init.add_argument("--replace", action="store_true", help="Ganti otoritas yang ada (sertifikatnya dicabut).")
        init.add_argument("--ca-passphrase-env", metavar="VAR")
        issue = actions.add_parser("issue", help="Terbitkan sertifikat penanda tangan untuk seorang pengguna.")
        issue.add_argument("username")
        issue.add_argument("--days", type=int, default=DEFAULT_CERTIFICATE_DAYS)
        issue.add_argument("--passphrase-env", metavar="VAR")
        issue.add_argument("--ca-passphrase-env", metavar="VAR")
        revoke_parser = actions.add_parser("revoke", help="Cabut sertifikat seorang pengguna.")
        revoke_parser.add_argument("username")
        actions.add_parser("list", help="Tampilkan otoritas dan sertifikat.")

    def handle(self, *args, action, **options):
        handlers = {"init": self._init, "issue": self._issue, "revoke": self._revoke, "list": self._list}
        try:
            handlers[action](**options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except SigningError as error:
            raise CommandError(str(error.message)) from error

    def _init(self, *, name, replace, ca_passphrase_env, **options):
        existing = CertificateAuthority.objects.current()
        if existing is not None and not replace:
            raise CommandError(
                _("Otoritas sertifikat %(name)s sudah ada. Gunakan --replace untuk menggantinya.") % {"name": existing}
            )
        passphrase = self._passphrase(ca_passphrase_env, _("Frasa sandi baru otoritas sertifikat: "), confirm=True)
        outstanding = SignerCertificate.objects.filter(revoked_at__isnull=True).count()
        self.stdout.write(_("Membuat otoritas sertifikat %(name)s …") % {"name": name})
        authority = create_authority(name, passphrase)
        self.stdout.write(
            self.style.SUCCESS(
                _("Otoritas sertifikat %(name)s dibuat, berlaku sampai %(date)s.")
                % {"name": authority, "date": _date(authority.certificate.not_valid_after_utc)}
            )
        )
        if outstanding:
            self.stdout.write(
                _("%(count)d sertifikat dari otoritas lama dicabut; terbitkan ulang dengan: signing_ca issue USERNAME.")
                % {"count": outstanding}
            )

    def _issue(self, *, username, days, passphrase_env, ca_passphrase_env, **options):
        user = _user(username)
        prompt = _("Frasa sandi baru untuk %(user)s: ") % {"user": username}
        passphrase = self._passphrase(passphrase_env, prompt, confirm=True)
        ca_passphrase = self._passphrase(ca_passphrase_env, _("Frasa sandi otoritas sertifikat: "), confirm=False)
        self.stdout.write(_("Menerbitkan sertifikat untuk %(user)s …") % {"user": username})
        certificate = issue_certificate(user, passphrase=passphrase, ca_passphrase=ca_passphrase, days=days)
        self.stdout.write(
            self.style.SUCCESS(
                _("Sertifikat %(serial)s diterbitkan untuk %(name)s, berlaku sampai %(date)s.")
                % {
                    "serial": certificate.serial_number,
                    "name": certificate.common_name,
                    "date": _date(certificate.not_after),
                }
            )
        )

    def _revoke(self, *, username, **options):
        count = revoke(_user(username))
        if count:
            message = _("%(count)d sertifikat milik %(user)s dicabut.") % {"count": count, "user": username}
            self.stdout.write(self.style.SUCCESS(message))
        else:
            self.stdout.write(_("%(user)s tidak memiliki sertifikat yang belum dicabut.") % {"user": username})

    def _list(self, **options):
        authority = CertificateAuthority.objects.current()
        if authority is None:
            self.stdout.write(_("Belum ada otoritas sertifikat."))
            return
        heading = _("Otoritas sertifikat: %(name)s (dibuat %(date)s)")
        self.stdout.write(heading % {"name": authority, "date": _date(authority.created_at)})
        for certificate in SignerCertificate.objects.select_related("user").order_by("user__username", "-created_at"):
            self.stdout.write(
                "\t".join(
                    [
                        certificate.user.get_username(),
                        certificate.common_name,
                        certificate.serial_number,
                        _date(certificate.not_after),
                        _state(certificate),
                    ]
                )
            )

    def _passphrase(self, variable, prompt, *, confirm):
        if variable:
            if variable not in os.environ:
                raise CommandError(_("Variabel lingkungan %(name)s tidak ada.") % {"name": variable})
            return os.environ[variable]
        passphrase = getpass.getpass(prompt)
        if confirm and getpass.getpass(_("Ulangi frasa sandi: ")) != passphrase:
            raise CommandError(_("Kedua frasa sandi tidak sama."))
        return passphrase


def _user(username):
    try:
        return get_user_model().objects.get_by_natural_key(username)
    except get_user_model().DoesNotExist as error:
        raise CommandError(_("Pengguna %(user)s tidak ditemukan.") % {"user": username}) from error


def _state(certificate):
    if certificate.revoked_at is not None:
        return _("dicabut %(date)s") % {"date": _date(certificate.revoked_at)}
    if certificate.is_expired:
        return _("kedaluwarsa")
    return _("aktif")


def _date(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
