"""Auditor evidence bundles and the archivist's retention report."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from documents.models import ClassificationCode, DisposalDecision
from documents.retention import report
from project.audit.models import AuditEvent
from project.org import roles
from tests.support import PASSWORD, make_user, pdf_text
from workflows import inbox
from workflows.letters import services
from workflows.letters.flows import LetterFlow
from workflows.letters.models import Letter


def login(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def archived_letter(org, register):
    letter = register(subject="Laporan hasil pemeriksaan BPK")
    services.stamp_scan(letter)
    services.file_without_disposition(inbox.open_task(letter, LetterFlow.dispose), user=org.chair)
    return Letter.objects.get(pk=letter.pk)


def test_auditor_downloads_a_complete_evidence_bundle(org, archived_letter):
    response = login("auditor").get(reverse("letters:evidence", args=[archived_letter.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = bundle.namelist()
    sums = dict(reversed(line.split("  ", 1)) for line in bundle.read("SHA256SUMS").decode().splitlines())
    assert len(sums) == 2, "both versions of the scan"
    for path, digest in sums.items():
        assert hashlib.sha256(bundle.read(path)).hexdigest() == digest
    assert {v.sha256 for v in archived_letter.scan.versions.all()} == set(sums.values())
    assert any(name.startswith("text/") for name in names)
    assert "Laporan hasil pemeriksaan BPK" in bundle.read("metadata.txt").decode()
    trail = " ".join(pdf_text(bundle.read("trail.pdf")).split())
    assert "JEJAK AUDIT" in trail and "Surat didaftarkan" in trail and "Diarsipkan tanpa disposisi" in trail
    event = AuditEvent.objects.for_object(archived_letter).get(action="evidence.exported")
    assert event.user == org.auditor


def test_evidence_bundle_is_for_auditors_only(org, archived_letter):
    assert login("registrar").get(reverse("letters:evidence", args=[archived_letter.pk])).status_code == 403
    assert login("chair").get(reverse("letters:evidence", args=[archived_letter.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="evidence.exported").exists()


def test_evidence_bundle_of_an_unseen_letter_is_not_found(org, register, dispose):
    letter = register(nature="rahasia")
    outsider = make_user("auditor2", groups=[roles.AUDITOR])
    Group.objects.get(name=roles.AUDITOR).permissions.remove(
        *Group.objects.get(name=roles.AUDITOR).permissions.filter(codename="view_all_letters")
    )
    assert login(outsider.username).get(reverse("letters:evidence", args=[letter.pk])).status_code == 404


@pytest.fixture
def archivist(db):
    return make_user("arsiparis", groups=[roles.ARCHIVIST])


def close_on(letter, year):
    Letter.objects.filter(pk=letter.pk).update(archived_at=timezone.make_aware(datetime.datetime(year, 3, 1)))


def test_retention_report_finds_items_becoming_inactive_and_due(org, archived_letter, archivist):
    code = ClassificationCode.objects.get(code="000")  # provisional JRA: 2 active + 3 inactive, musnah
    assert code.retention() == (2, 3, "musnah")
    close_on(archived_letter, 2021)
    sections = report(2023)
    assert [row.item.subject for rows in sections["inactive"].values() for row in rows] == [archived_letter]
    assert not sections["due"]
    sections = report(2026)
    due = [row for rows in sections["due"].values() for row in rows]
    assert [(row.item.subject, row.due_year, row.final_disposition) for row in due] == [(archived_letter, 2026, "musnah")]
    assert list(sections["due"]) == [("000", "Sekretariat DPRD")]


def test_child_codes_inherit_the_schedule(db):
    child = ClassificationCode.objects.get(code="000.1")
    assert child.retention() == ClassificationCode.objects.get(code="000").retention()


def test_archivist_records_a_decision_and_nothing_is_deleted(org, archived_letter, archivist):
    close_on(archived_letter, 2020)
    client = login("arsiparis")
    page = client.get(reverse("documents:retention") + "?tahun=2026")
    assert page.status_code == 200 and "Laporan hasil pemeriksaan BPK" in page.content.decode()
    key = page.context["sections"]["due"][("000", "Sekretariat DPRD")][0].key
    response = client.post(
        reverse("documents:retention") + "?tahun=2026", {"item": key, "decision": "musnah", "note": "Berita acara 12/2026"}
    )
    assert response.status_code == 302
    decision = DisposalDecision.objects.get()
    assert (decision.decision, decision.decided_by, decision.item) == ("musnah", archivist, archived_letter)
    assert Letter.objects.filter(pk=archived_letter.pk).exists(), "a decision deletes nothing"
    assert archived_letter.scan.current.blob.file.storage.exists(archived_letter.scan.current.blob.file.name)
    assert not report(2026)["due"], "decided items leave the due list"
    assert AuditEvent.objects.for_object(archived_letter).filter(action="retention.decided", user=archivist).exists()
    csv_text = client.get(reverse("documents:retention") + "?tahun=2021&format=csv").content.decode("utf-8-sig")
    assert "Bagian,Kode,Unit" in csv_text.splitlines()[0]


def test_retention_report_is_refused_to_others(org, archived_letter):
    for username in ("registrar", "auditor", "komisi1"):
        assert login(username).get(reverse("documents:retention")).status_code == 403
    assert login("registrar").post(reverse("documents:retention"), {"item": "1:1", "decision": "musnah"}).status_code == 403
    assert not DisposalDecision.objects.exists()
