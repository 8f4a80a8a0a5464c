"""Letters through the API: the pages' rule on every endpoint, registration, the steps, and one letter end to end."""

import datetime
import hashlib

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.testing import token_client
from project.audit.models import AuditEvent, SubmissionReceipt
from search.indexing import apply_pending
from tests.support import pdf_upload
from workflows import inbox
from workflows.letters import services
from workflows.letters.flows import LetterFlow
from workflows.letters.models import Letter


@pytest.fixture
def komisi2_letter(org, register, dispose):
    """A letter disposed to Komisi II only, closed with a report file, its scan stamped (two versions)."""
    letter = register(subject="Hanya untuk Komisi II")
    dispose(letter, [org.komisi2])
    task = letter.process.task_set.get(flow_task=LetterFlow.follow_up)
    inbox.claim(task, user=org.k2)
    task.refresh_from_db()
    services.close_branch(task, user=org.k2, report="laporan", report_file=(pdf_upload("laporan.pdf"), "application/pdf"))
    letter = Letter.objects.get(pk=letter.pk)
    services.stamp_scan(letter)
    return letter


def letter_urls(letter):
    urls = [f"/api/v1/letters/{letter.pk}/", f"/api/v1/letters/{letter.pk}/files/", f"/api/v1/letters/{letter.pk}/trail/"]
    for document in letter.documents():
        urls.append(f"/api/v1/documents/{document.pk}/")
        urls += [f"/api/v1/documents/{document.pk}/versions/{v.number}/download/" for v in document.versions.all()]
    return urls


def test_komisi1_reaches_a_komisi2_letter_by_no_endpoint(org, komisi2_letter):
    client = token_client(org.k1)
    for url in letter_urls(komisi2_letter):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found", url
    listing = client.get("/api/v1/letters/").json()
    assert listing["count"] == 0 and listing["results"] == []
    apply_pending()
    assert client.get("/api/v1/search/", {"q": "Komisi"}).json()["count"] == 0


def test_komisi2_reaches_its_letter_by_every_endpoint(org, komisi2_letter):
    client = token_client(org.k2)
    urls = letter_urls(komisi2_letter)
    assert len(urls) == 3 + 5, "scan v1 + v2 and the report: documents and downloads"
    for url in urls:
        assert client.get(url).status_code == 200, url
    listing = client.get("/api/v1/letters/").json()
    assert listing["count"] == 1 and listing["results"][0]["subject"] == "Hanya untuk Komisi II"
    apply_pending()
    found = client.get("/api/v1/search/", {"q": "Komisi"}).json()
    assert found["count"] == 1 and found["results"][0]["kind"] == "letter"
    assert found["results"][0]["url"].endswith(komisi2_letter.get_absolute_url())
    assert {facet["name"] for facet in found["facets"]} >= {"kind", "unit"}


@pytest.fixture
def rahasia_letter(org, register, dispose):
    letter = register(subject="Laporan dugaan pelanggaran etik", nature="rahasia")
    dispose(letter, [org.komisi1])
    return letter


@pytest.mark.parametrize("who, sees", [
    ("chair", True), ("registrar", True), ("k1", True), ("k1_staff", True), ("auditor", True),
    ("deputy", False), ("k2", False), ("member", False),
])
def test_a_rahasia_letter_stays_in_its_circle(org, rahasia_letter, who, sees):
    client = token_client(getattr(org, who))
    assert client.get(f"/api/v1/letters/{rahasia_letter.pk}/").status_code == (200 if sees else 404)
    assert client.get("/api/v1/letters/").json()["count"] == (1 if sees else 0)


def test_the_list_filters_searches_orders_and_pages(org, register):
    register(subject="Undangan rapat banjir", nature="segera")
    register(subject="Permohonan audiensi", sender="Lurah Sepinggan")
    register(subject="Laporan keuangan", nature="rahasia")
    client = token_client(org.registrar)
    assert client.get("/api/v1/letters/", {"nature": "segera"}).json()["count"] == 1
    assert client.get("/api/v1/letters/", {"q": "sepinggan"}).json()["count"] == 1
    assert client.get("/api/v1/letters/", {"status": "awaiting_disposition"}).json()["count"] == 3
    numbers = [row["agenda_number"] for row in client.get("/api/v1/letters/", {"ordering": "agenda_number"}).json()["results"]]
    assert numbers == sorted(numbers)
    page = client.get("/api/v1/letters/", {"page_size": 2, "page": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 1 and page["previous"]
    wrong = client.get("/api/v1/letters/", {"nature": "penting"})
    assert wrong.status_code == 400 and "nature" in wrong.json()["errors"]


def registration(org, **overrides):
    today = timezone.localdate()
    data = {
        "sender": "Dinas Perhubungan", "sender_number": "551/88/DISHUB", "letter_date": today.isoformat(),
        "received_date": today.isoformat(), "subject": "Undangan rapat koordinasi lalu lintas", "nature": "segera",
        "classification": org.code.pk, "scan": pdf_upload(subject="Undangan rapat koordinasi"),
    }
    data.update(overrides)
    return data


def test_the_registrar_registers_a_letter_with_its_scan(org):
    client = token_client(org.registrar, "pemindai")
    form = client.get("/api/v1/letters/form/").json()
    classification = next(field for field in form if field["name"] == "classification")
    assert {"value": str(org.code.pk), "label": str(org.code)} in classification["choices"]
    response = client.post("/api/v1/letters/", registration(org), format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    letter = Letter.objects.get(pk=body["id"])
    assert body["agenda"] == letter.agenda_label and body["status"] == "awaiting_disposition"
    assert response["Location"].endswith(f"/api/v1/letters/{letter.pk}/")
    assert letter.scan.current.media_type == "application/pdf"
    event = AuditEvent.objects.for_object(letter).get(action="letter.registered")
    assert event.user == org.registrar and event.detail["api_token"] == "pemindai"


def test_only_registrars_register(org):
    client = token_client(org.k1)
    assert client.post("/api/v1/letters/", registration(org), format="multipart").status_code == 403
    assert client.get("/api/v1/letters/form/").status_code == 403
    assert not Letter.objects.exists()


def test_a_registration_is_refused_with_the_pages_messages(org):
    client = token_client(org.registrar)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    refused = client.post("/api/v1/letters/", registration(org, letter_date=tomorrow), format="multipart")
    assert refused.status_code == 400
    assert refused.json()["errors"]["letter_date"] == ["Tanggal surat tidak boleh di masa depan."]
    english = client.post("/api/v1/letters/", registration(org, letter_date=tomorrow), format="multipart",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["errors"]["letter_date"] != refused.json()["errors"]["letter_date"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    not_pdf = SimpleUploadedFile("surat.pdf", b"bukan pdf", content_type="application/pdf")
    assert "scan" in client.post("/api/v1/letters/", registration(org, scan=not_pdf), format="multipart").json()["errors"]
    assert not Letter.objects.exists()


def test_a_retried_registration_with_the_same_idempotency_key_registers_once(org):
    client = token_client(org.registrar)
    first = client.post("/api/v1/letters/", registration(org), format="multipart", HTTP_IDEMPOTENCY_KEY="kirim-1")
    again = client.post("/api/v1/letters/", registration(org), format="multipart", HTTP_IDEMPOTENCY_KEY="kirim-1")
    assert first.status_code == 201 and again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert Letter.objects.count() == 1


def test_the_chairs_task_is_the_chairs_alone(org, register):
    letter = register()
    task = inbox.open_task(letter, LetterFlow.dispose)
    urls = [f"/api/v1/tasks/{task.pk}/", f"/api/v1/tasks/{task.pk}/actions/"]
    chair = token_client(org.chair)
    [row] = chair.get("/api/v1/tasks/inbox/").json()["results"]
    assert row["id"] == task.pk and row["process"]["name"] == "letters" and row["subject"]["id"] == letter.pk
    assert row["subject"]["api_url"].endswith(f"/api/v1/letters/{letter.pk}/")
    assert row["overdue"] is False
    for url in urls:
        assert chair.get(url).status_code == 200, url
    for user in (org.deputy, org.registrar, org.k1):
        client = token_client(user)
        assert client.get("/api/v1/tasks/inbox/").json()["count"] == 0
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 404
        assert client.post(f"/api/v1/tasks/{task.pk}/actions/dispose/", {"decision": "file"}).status_code == 404
    assert inbox.open_task(letter, LetterFlow.dispose).pk == task.pk, "nothing happened to it"


def test_a_branch_is_claimed_only_by_its_unit_and_acted_on_only_once_claimed(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi2])
    task = letter.process.task_set.get(flow_task=LetterFlow.follow_up)
    k1, k2 = token_client(org.k1), token_client(org.k2)
    assert k1.get("/api/v1/tasks/queue/").json()["count"] == 0
    assert [row["id"] for row in k2.get("/api/v1/tasks/queue/").json()["results"]] == [task.pk]
    assert k1.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 404
    not_yet = k2.post(f"/api/v1/tasks/{task.pk}/actions/close/", {"report": "selesai"}, format="json")
    assert not_yet.status_code == 403 and not_yet.json()["detail"]
    claimed = k2.post(f"/api/v1/tasks/{task.pk}/claim/")
    assert claimed.status_code == 200 and claimed.json()["owner"] == "Komisi2"
    assert claimed.json()["deadline"] and claimed.json()["subject"]["text"] == str(letter)
    assert k2.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 403, "already claimed: the service says by whom"
    assert k2.post(f"/api/v1/tasks/{task.pk}/actions/terbang/", {}, format="json").status_code == 404
    empty = k2.post(f"/api/v1/tasks/{task.pk}/actions/close/", {}, format="json")
    assert empty.status_code == 400 and list(empty.json()["errors"]) == ["report"]


def test_a_resent_action_is_a_conflict(org, register):
    letter = register()
    task = inbox.open_task(letter, LetterFlow.dispose)
    token = hashlib.sha256(f"{org.chair.pk}:sekali".encode()).hexdigest()[:32]
    SubmissionReceipt.objects.create(token=token, user=org.chair)  # as if this key had been accepted before
    response = token_client(org.chair).post(
        f"/api/v1/tasks/{task.pk}/actions/dispose/", {"decision": "file", "note": ""}, format="json",
        HTTP_IDEMPOTENCY_KEY="sekali",
    )
    assert response.status_code == 409
    assert Letter.objects.get(pk=letter.pk).filed_without_disposition is False


def test_a_download_with_a_token_is_in_the_trail_with_the_person_and_the_token(org, komisi2_letter):
    scan = komisi2_letter.scan
    response = token_client(org.k2, "arsip-komisi").get(f"/api/v1/documents/{scan.pk}/versions/1/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment;")
    event = AuditEvent.objects.for_object(komisi2_letter).filter(action="file.downloaded").get()
    assert event.user == org.k2 and event.detail["api_token"] == "arsip-komisi"
    trail = token_client(org.k2).get(f"/api/v1/letters/{komisi2_letter.pk}/trail/").json()
    assert trail["results"][-1]["action"] == "file.downloaded" and trail["results"][-1]["user"] == "Komisi2"


def actions_of(client, task_id):
    response = client.get(f"/api/v1/tasks/{task_id}/actions/")
    assert response.status_code == 200
    return {action["name"]: action for action in response.json()}


def follow_up_and_close(client, report, **files):
    """Claim the unit's branch from the queue and close it with a report; return the closing answer."""
    [row] = client.get("/api/v1/tasks/queue/").json()["results"]
    assert client.post(f"/api/v1/tasks/{row['id']}/claim/").status_code == 200
    [mine] = client.get("/api/v1/tasks/inbox/").json()["results"]
    close = actions_of(client, mine["id"])["close"]
    assert {field["name"] for field in close["fields"]} == {"report", "report_file"}
    if files:
        return client.post(close["url"], {"report": report, **files}, format="multipart")
    return client.post(close["url"], {"report": report}, format="json")


def test_a_letter_from_registration_to_the_archive_through_the_api_alone(org):
    registrar, chair = token_client(org.registrar, "loket"), token_client(org.chair, "ponsel ketua")
    komisi1, komisi2 = token_client(org.k1, "komisi-1"), token_client(org.k2, "komisi-2")

    registered = registrar.post("/api/v1/letters/", registration(org), format="multipart", HTTP_IDEMPOTENCY_KEY="a1")
    assert registered.status_code == 201
    letter_url = registered.json()["links"]["self"]

    [task] = chair.get("/api/v1/tasks/inbox/").json()["results"]
    assert task["subject"]["api_url"] == letter_url
    dispose = actions_of(chair, task["id"])["dispose"]
    units = next(field for field in dispose["fields"] if field["name"] == "units")
    unit_ids = [choice["value"] for choice in units["choices"] if choice["label"] in ("Komisi I", "Komisi II")]
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    disposed = chair.post(dispose["url"], {
        "decision": "dispose", "units": unit_ids, "instruction": "ditindaklanjuti",
        "note": "Mohon dibahas bersama", "deadline": deadline,
    }, format="json")
    assert disposed.status_code == 200, disposed.json()
    assert disposed.json()["subject"]["api_url"] == letter_url
    assert chair.get("/api/v1/tasks/inbox/").json()["count"] == 0

    assert follow_up_and_close(komisi1, "Sudah dibahas di rapat kerja").status_code == 200
    assert registrar.get(letter_url).json()["status"] == "in_follow_up"
    closed = follow_up_and_close(komisi2, "Ditindaklanjuti", report_file=pdf_upload("laporan-komisi2.pdf"))
    assert closed.status_code == 200, closed.json()

    letter = registrar.get(letter_url).json()
    assert letter["status"] == "archived"
    [disposition] = letter["dispositions"]
    assert disposition["given_by"] == "Ketua" and disposition["deadline"] == deadline
    assert {(b["unit"]["code"], b["status"]) for b in disposition["branches"]} == {("komisi-1", "closed"), ("komisi-2", "closed")}
    files = registrar.get(letter["links"]["files"]).json()
    assert {document["role"] for document in files} == {"scan", "report"}

    events = AuditEvent.objects.for_object(Letter.objects.get(pk=letter["id"]))
    by_action = {event.action: event for event in events}
    assert by_action["letter.registered"].detail["api_token"] == "loket"
    assert by_action["letter.disposed"].user == org.chair and by_action["letter.disposed"].detail["api_token"] == "ponsel ketua"
    closers = {(event.user.username, event.detail["api_token"]) for event in events.filter(action="branch.closed")}
    assert closers == {("komisi1", "komisi-1"), ("komisi2", "komisi-2")}


def test_anonymous_callers_reach_no_letter(org, komisi2_letter):
    client = APIClient()
    for url in letter_urls(komisi2_letter) + ["/api/v1/letters/", "/api/v1/tasks/inbox/", "/api/v1/search/?q=surat"]:
        assert client.get(url).status_code == 401, url
