"""Jobs delivered twice do their work once; the beat queues again exactly the work the database says is pending."""

import base64
import datetime
import json

import pytest
import redis
from django.core.files.base import ContentFile
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from asr import jobs as asr_jobs
from asr import sources
from asr.models import TranscriptionJob
from documents.models import Document, PageText, TextStatus
from documents.services import add_document
from documents.tasks import extract_text_once
from project.audit.models import AuditEvent
from project.jobs import recover_pending_work
from tests.support import pdf_upload, requires_postgresql, requires_redis
from workflows.letters.models import Letter
from workflows.letters.services import STAMP_NOTE
from workflows.letters.tasks import prepare_scan


def stamped_versions(letter):
    return letter.scan.versions.filter(note=STAMP_NOTE).count()


@requires_postgresql
@pytest.mark.django_db
def test_a_scan_job_delivered_twice_stamps_once(register):
    letter = register()  # its job is queued on commit, which this test's transaction never reaches
    assert prepare_scan(letter.pk) == 2
    assert prepare_scan(letter.pk) is None, "the second delivery finds the stamp and does nothing"
    assert stamped_versions(letter) == 1
    assert letter.scan.versions.count() == 2
    assert AuditEvent.objects.for_object(letter).filter(action="scan.stamped").count() == 1


@requires_postgresql
@pytest.mark.django_db
def test_a_text_job_delivered_twice_reads_the_file_once(register):
    version = register().scan.versions.get(number=1)
    assert extract_text_once(version.pk) == TextStatus.DONE
    first = type(version).objects.get(pk=version.pk)
    pages = list(PageText.objects.filter(version=version).values_list("pk", flat=True))
    assert extract_text_once(version.pk) == TextStatus.DONE
    again = type(version).objects.get(pk=version.pk)
    assert again.text_updated_at == first.text_updated_at, "the text layer was not built a second time"
    assert list(PageText.objects.filter(version=version).values_list("pk", flat=True)) == pages


@pytest.fixture
def broker(settings):
    """The real Redis broker, emptied: what a test's code queued is read back from its lists."""
    from project.celery import app

    app.conf.broker_url = settings.BROKER_URL
    app.control.purge()
    client = redis.Redis.from_url(settings.BROKER_URL)
    for queue in ("celery", "asr"):
        client.delete(queue)

    def queued():
        found = []
        for queue in ("celery", "asr"):
            for raw in client.lrange(queue, 0, -1):
                message = json.loads(raw)
                args = json.loads(base64.b64decode(message["body"]))[0]
                found.append((message["headers"]["task"], tuple(args)))
        return sorted(found)

    yield queued
    for queue in ("celery", "asr"):
        client.delete(queue)


def waited(instance, field, minutes=30):
    type(instance).objects.filter(pk=instance.pk).update(**{field: timezone.now() - datetime.timedelta(minutes=minutes)})


@requires_postgresql
@requires_redis
@pytest.mark.django_db
def test_the_beat_queues_again_exactly_the_pending_work(org, register, broker, settings, monkeypatch):
    settings.SIAP_JOB_RECOVERY_AFTER_SECONDS = 600
    monkeypatch.setitem(sources._AUDIO, Document, lambda document: document.current.blob.file.path)

    stamped = register()
    prepare_scan(stamped.pk)
    lost = register()  # registered long ago, its job lost: not stamped, its scan without text
    waited(lost, "registered_at")
    waited(lost.scan.versions.get(number=1), "uploaded_at")
    fresh = register()  # its job may well still be in the queue
    attachment = add_document(org.komisi1, role="lampiran", file=pdf_upload(name="lampiran.pdf"),
                              media_type="application/pdf", user=org.registrar).current
    waited(attachment, "uploaded_at")
    photo = add_document(org.komisi1, role="foto", file=ContentFile(b"\x89PNG not read", name="foto.png"),
                         media_type="image/png", user=org.registrar, extract_text=False).current
    waited(photo, "uploaded_at")

    def recording(name):
        return add_document(org.komisi1, role="audio", file=ContentFile(name.encode(), name=f"{name}.wav"),
                            media_type="audio/x-wav", user=org.registrar, extract_text=False)

    queued_long_ago = asr_jobs.queue_transcription(recording("lama"))
    waited(queued_long_ago, "queued_at")
    asr_jobs.queue_transcription(recording("baru"))  # queued a moment ago: its job is not lost yet
    done = asr_jobs.queue_transcription(recording("selesai"))
    TranscriptionJob.objects.filter(pk=done.pk).update(status=TranscriptionJob.Status.DONE)
    waited(done, "queued_at")
    assert broker() == [], "nothing was queued before the beat ran"

    counts = recover_pending_work()

    assert broker() == sorted([
        ("workflows.letters.tasks.prepare_scan", (lost.pk,)),
        ("documents.tasks.extract_version_text", (lost.scan.versions.get(number=1).pk,)),
        ("documents.tasks.extract_version_text", (attachment.pk,)),
        ("asr.tasks.transcribe", (queued_long_ago.pk,)),
    ])
    assert sum(counts.values()) == 4
    assert Letter.objects.filter(pk=fresh.pk).exists() and stamped_versions(fresh) == 0

    # the next beat, a moment later: the text and transcription jobs just queued are not queued once more
    recover_pending_work()
    assert [task for task, _args in broker()].count("documents.tasks.extract_version_text") == 2
    assert [task for task, _args in broker()].count("asr.tasks.transcribe") == 1


def raises_database_error(request):
    raise OperationalError("server closed the connection unexpectedly")


def raises_other_error(request):
    raise ValueError("a bug")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [path("db/", raises_database_error), path("bug/", raises_other_error), path("ok/", fine)]
handler500 = "project.unavailable.server_error"


@pytest.mark.django_db
def test_a_database_outage_shows_a_translated_503_page_not_a_stack_trace(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/db/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "SIAP sedang tidak tersedia sebentar" in response.content.decode()
    assert "OperationalError" not in response.content.decode()
    bug = client.get("/bug/")
    assert bug.status_code == 500, "other errors stay what they are"
    assert "tidak tersedia" not in bug.content.decode()
