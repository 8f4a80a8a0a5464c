"""Read the aspiration mailboxes once, now, and say what came of it (what the worker's beat does every few minutes)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workflows.aspirations.channels.mail import check_all_accounts
from workflows.aspirations.models import MailAccount


def outcome_labels():
    return {
        "aspiration": _("aspirasi baru"),
        "reply": _("balasan pengirim"),
        "seen_before": _("sudah diproses sebelumnya"),
        "refused": _("ditolak"),
        "failed": _("gagal"),
        "gone": _("hilang dari folder"),
    }


class Command(BaseCommand):
    help = "Periksa kotak surel aspirasi sekarang dan cetak hasilnya."

    def handle(self, *args, **options):
        counts = check_all_accounts()
        self.stdout.write(_("%(count)d kotak surel diperiksa.") % {"count": counts.get("accounts", 0)})
        self.stdout.write(", ".join(f"{counts.get(key, 0)} {label}" for key, label in outcome_labels().items()))
        for account in MailAccount.objects.filter(enabled=True).order_by("pk"):
            if account.last_error:
                self.stderr.write(f"{account.name}: {account.last_error}")
            else:
                self.stdout.write(_("%(name)s: terbaca.") % {"name": account.name})
