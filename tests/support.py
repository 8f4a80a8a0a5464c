"""Shared test helpers: a small organisation, users, real PDFs.

Tests run against the real PostgreSQL and Redis started by ``make test``
(``DATABASE_URL``/``BROKER_URL``); run alone, pytest falls back to SQLite and
the tests that need PostgreSQL or Redis skip with the reason.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import ClassificationCode
from fixtures.letters import letter_pdf
from project.org import roles
from project.org.models import Position, Unit

PASSWORD = "test-pass-123"

requires_postgresql = pytest.mark.skipif(
    not settings.USES_POSTGRESQL, reason="needs PostgreSQL (make test sets DATABASE_URL)"
)
requires_redis = pytest.mark.skipif(
    not settings.BROKER_URL.startswith("redis"), reason="needs Redis (make test sets BROKER_URL)"
)


def make_user(username, *, groups=(), first_name=""):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=first_name or username.title(), email=f"{username}@example.org"
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


class Org:
    """The people a letter meets: registrar, chair, deputy, two commissions, auditor."""

    def __init__(self):
        self.pimpinan = Unit.objects.create(code="pimpinan", name="Pimpinan DPRD", kind=Unit.Kind.PIMPINAN)
        self.komisi1 = Unit.objects.create(code="komisi-1", name="Komisi I", kind=Unit.Kind.KOMISI)
        self.komisi2 = Unit.objects.create(code="komisi-2", name="Komisi II", kind=Unit.Kind.KOMISI)
        self.registrar = make_user("registrar", groups=[roles.REGISTRAR])
        self.auditor = make_user("auditor", groups=[roles.AUDITOR])
        self.chair = make_user("chair", first_name="Ketua")
        self.deputy = make_user("deputy", first_name="Wakil")
        self.k1 = make_user("komisi1")
        self.k1_staff = make_user("staf1")
        self.k2 = make_user("komisi2")
        self.member = make_user("member")
        self.chair_position = Position.objects.create(unit=self.pimpinan, role=Position.Role.HEAD, holder=self.chair)
        Position.objects.create(unit=self.pimpinan, role=Position.Role.DEPUTY, holder=self.deputy)
        Position.objects.create(unit=self.komisi1, role=Position.Role.HEAD, holder=self.k1)
        Position.objects.create(unit=self.komisi1, role=Position.Role.STAFF, holder=self.k1_staff)
        Position.objects.create(unit=self.komisi2, role=Position.Role.HEAD, holder=self.k2)
        Position.objects.create(unit=Unit.objects.create(code="komisi-3", name="Komisi III", kind=Unit.Kind.KOMISI),
                                role=Position.Role.MEMBER, holder=self.member)
        self.code, _ = ClassificationCode.objects.get_or_create(code="000", defaults={"name": "Umum"})


def pdf_upload(name="surat.pdf", subject="Permohonan audiensi"):
    content = letter_pdf("Dinas Pekerjaan Umum", "600/12/DPU", datetime.date(2026, 1, 5), subject)
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def letter_data(org, **overrides):
    today = timezone.localdate()
    data = {
        "sender": "Dinas Pekerjaan Umum",
        "sender_number": "600/12/DPU",
        "letter_date": today - datetime.timedelta(days=3),
        "received_date": today,
        "subject": "Permohonan audiensi banjir Jalan Soekarno-Hatta",
        "nature": "biasa",
        "classification": org.code,
    }
    data.update(overrides)
    return data


def pdf_text(content):
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def elasticsearch_url():
    """The test node's URL; skips (or fails under make test) when it is not running."""
    import os
    import urllib.request

    url = os.environ.get("SIAP_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9200")
    try:
        urllib.request.urlopen(f"{url}/_cluster/health", timeout=3).read()
    except OSError:
        if os.environ.get("SIAP_REQUIRE_TOOLS"):
            pytest.fail(f"the Elasticsearch test node is not running at {url} (make test starts it)")
        pytest.skip("Elasticsearch test node not running (make es-up starts it)")
    return url



def require_tool(available, what):
    """Skip a test whose tool is missing; under ``make test`` (SIAP_REQUIRE_TOOLS) fail instead."""
    import os

    if available:
        return
    if os.environ.get("SIAP_REQUIRE_TOOLS"):
        pytest.fail(f"{what} is missing (make test installs it)")
    pytest.skip(f"{what} is not installed (make test installs it)")


def tiny_nemo_model(folder):
    """Build tests.tiny_nemo's model into ``folder`` (NeMo is installed by make test, not make run)."""
    import importlib.util

    require_tool(importlib.util.find_spec("nemo") is not None, "NeMo (requirements-nemo.txt)")
    from tests.tiny_nemo import build_tiny_model

    return build_tiny_model(folder / "tiny.nemo")


def whisper_model():
    """The Whisper base directory `make install` assembles."""
    from asr.whisper_model import verify

    require_tool(not verify(settings.ASR_WHISPER_MODEL), "the Whisper base model (manage.py install_whisper_model)")
    return settings.ASR_WHISPER_MODEL


def restore_migration_data():
    """Put back the rows the data migrations made (classification codes), which an earlier
    transactional test's flush removed; idempotent. ``serialized_rollback`` would clash with the
    role groups that post_migrate makes again after that flush."""
    import importlib

    from django.apps import apps

    importlib.import_module("documents.migrations.0002_primary_classification_codes").add_codes(apps, None)
    importlib.import_module("documents.migrations.0004_secondary_codes_and_retention").forwards(apps, None)
