"""Who may see which letter, by every list, page, file, export and task URL.

One test per rule, each with the user who must be refused.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from project.org.services import create_delegation
from tests.support import PASSWORD
from workflows import inbox
from workflows.letters import services
from workflows.letters.flows import LetterFlow
from workflows.letters.models import Letter


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def document_urls(letter):
    """Every document page and every version download of the letter."""
    urls = []
    for document in letter.documents():
        urls.append(reverse("documents:detail", args=[document.pk]))
        urls += [reverse("documents:download", args=[document.pk, v.number]) for v in document.versions.all()]
    return urls


def letter_urls(letter):
    return [
        reverse("letters:detail", args=[letter.pk]),
        reverse("letters:sheet", args=[letter.pk]),
        reverse("letters:trail_csv", args=[letter.pk]),
    ] + document_urls(letter)


@pytest.fixture
def komisi2_letter(org, register, dispose):
    """A letter disposed to Komisi II only, whose branch was closed with a report file."""
    from tests.support import pdf_upload

    letter = register(subject="Hanya untuk Komisi II")
    dispose(letter, [org.komisi2])
    task = letter.process.task_set.get(flow_task=LetterFlow.follow_up)
    inbox.claim(task, user=org.k2)
    task.refresh_from_db()
    services.close_branch(task, user=org.k2, report="laporan", report_file=(pdf_upload("laporan.pdf"), "application/pdf"))
    letter = Letter.objects.get(pk=letter.pk)
    services.stamp_scan(letter)  # a second version of the scan, as the worker makes it
    assert len(document_urls(letter)) == 5, "scan v1 + v2 and the report: pages and downloads"
    return letter


def test_komisi1_cannot_reach_a_komisi2_letter_by_any_url(org, komisi2_letter):
    client = client_for(org.k1)
    for url in letter_urls(komisi2_letter):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("letters:list")).content.decode()
    assert "Hanya untuk Komisi II" not in listing


def test_komisi2_reaches_its_letter_by_every_url(org, komisi2_letter):
    client = client_for(org.k2)
    for url in letter_urls(komisi2_letter):
        assert client.get(url).status_code == 200, url
    assert "Hanya untuk Komisi II" in client.get(reverse("letters:list")).content.decode()


def test_downloads_are_attachments_with_safe_headers_and_recorded(org, komisi2_letter):
    scan = komisi2_letter.scan
    response = client_for(org.k2).get(reverse("documents:download", args=[scan.pk, 1]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    from project.audit.models import AuditEvent

    event = AuditEvent.objects.for_object(komisi2_letter).filter(action="file.downloaded").get()
    assert event.user == org.k2 and event.client_address == "127.0.0.1"
    assert event.detail["sha256"] == scan.versions.get(number=1).sha256


def test_komisi1_cannot_see_or_claim_a_komisi2_task(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi2])
    task = letter.process.task_set.get(flow_task=LetterFlow.follow_up)
    k1 = client_for(org.k1)
    assert k1.get(reverse("tasks:task", args=[task.pk])).status_code == 404
    assert k1.post(reverse("tasks:claim", args=[task.pk])).status_code == 404
    assert reverse("tasks:task", args=[task.pk]) not in k1.get(reverse("tasks:queue")).content.decode()
    task.refresh_from_db()
    assert task.owner is None
    k2 = client_for(org.k2)
    assert reverse("tasks:task", args=[task.pk]) in k2.get(reverse("tasks:queue")).content.decode()


def test_chair_dispose_task_is_not_reachable_by_others(org, register):
    letter = register()
    task = inbox.open_task(letter, LetterFlow.dispose)
    for user in (org.deputy, org.registrar, org.k1):
        assert client_for(user).get(reverse("tasks:task", args=[task.pk])).status_code == 404
    assert client_for(org.chair).get(reverse("tasks:task", args=[task.pk])).status_code == 200


def test_unauthenticated_users_are_sent_to_login(org, komisi2_letter):
    client = Client()
    for url in letter_urls(komisi2_letter) + [reverse("letters:list"), reverse("tasks:inbox")]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url


@pytest.fixture
def rahasia_letter(org, register, dispose):
    letter = register(subject="Laporan dugaan pelanggaran etik", nature="rahasia")
    dispose(letter, [org.komisi1])
    return letter


@pytest.mark.parametrize("who", ["chair", "registrar", "k1", "k1_staff", "auditor"])
def test_rahasia_letter_visible_to_its_circle(org, rahasia_letter, who):
    client = client_for(getattr(org, who))
    assert client.get(reverse("letters:detail", args=[rahasia_letter.pk])).status_code == 200
    assert Letter.objects.visible_to(getattr(org, who)).filter(pk=rahasia_letter.pk).exists()


@pytest.mark.parametrize("who", ["deputy", "k2", "member"])
def test_rahasia_letter_hidden_outside_its_circle(org, rahasia_letter, who):
    client = client_for(getattr(org, who))
    assert client.get(reverse("letters:detail", args=[rahasia_letter.pk])).status_code == 404
    for url in document_urls(rahasia_letter):
        assert client.get(url).status_code == 404, url
    assert "pelanggaran etik" not in client.get(reverse("letters:list")).content.decode()


def test_deputy_sees_ordinary_letters_but_not_rahasia(org, register):
    ordinary, secret = register(), register(nature="rahasia")
    visible = Letter.objects.visible_to(org.deputy)
    assert visible.filter(pk=ordinary.pk).exists() and not visible.filter(pk=secret.pk).exists()


def test_acting_deputy_sees_rahasia_letters_during_the_delegation(org, register):
    secret = register(nature="rahasia")
    now = timezone.now()
    create_delegation(position=org.chair_position, delegate=org.deputy, starts_at=now - timezone.timedelta(hours=1),
                      ends_at=now + timezone.timedelta(days=2))
    assert Letter.objects.visible_to(org.deputy).filter(pk=secret.pk).exists()
    assert Letter.objects.visible_to(org.chair).filter(pk=secret.pk).exists(), "the chair away is still the chair"


def test_only_registrars_may_register(org):
    assert client_for(org.k1).get(reverse("letters:register")).status_code == 403
    assert client_for(org.auditor).get(reverse("letters:register")).status_code == 403
    assert client_for(org.registrar).get(reverse("letters:register")).status_code == 200


def test_stored_files_have_no_public_url(org, komisi2_letter):
    from django.conf import settings

    path = settings.MEDIA_URL + komisi2_letter.scan.current.blob.file.name
    assert client_for(org.k2).get(path).status_code == 404
    assert Client().get(path).status_code == 404
