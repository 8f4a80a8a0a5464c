"""Serve SIAP on the embedded default: web server plus a background worker.

The worker runs Celery on the configured broker (a folder queue by default)
with its beat, which fires workflow timers (deadlines) and follows
delegations. Production runs gunicorn, Celery workers and one beat instead.
"""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Jalankan server web dan pekerja latar (mode tertanam, tanpa server lain)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "project", "worker", "--beat",
                "--pool=solo", "--loglevel=WARNING", "--queues=celery,asr",
                "--schedule", str(settings.VAR_DIR / "celerybeat-schedule"),
            ]
        )
        self.stdout.write(f"Worker started (pid {worker.pid}); serving http://{addrport}/")
        # a plain `kill` must stop the worker too, not only Ctrl+C
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
