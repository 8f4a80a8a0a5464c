"""Aspirations through the API: the pages' rule on every endpoint, senders for the desk only, rahasia content
for its handlers only, and the steps through the shared task actions."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from api.testing import token_client
from tests.support import PASSWORD, pdf_upload
from workflows import inbox
from workflows.aspirations import services
from workflows.aspirations.flows import AspirationFlow
from workflows.aspirations.models import Aspiration

from .support import dispose, receive, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    """One of each: to Komisi I (with a follow-up document), rahasia to the dapil's member, anonim still at the desk."""
    unit = receive(world)
    verify(world, unit)
    dispose(world, unit, unit=world.org.komisi1)
    services.add_note(unit, user=world.org.k1_staff, text="Foto lokasi", file=pdf_upload("foto-lampu.pdf"),
                      media_type="application/pdf")
    secret = receive(world, subject="Pungutan liar di kelurahan", text="Oknum meminta uang.", privacy="rahasia",
                     channel="email", category="pengaduan")
    verify(world, secret)
    dispose(world, secret, members=[world.member])
    anonymous = receive(world, subject="Jalan berlubang", privacy="anonim", channel="whatsapp", wa_id="6281200000000")
    return {name: Aspiration.objects.get(pk=aspiration.pk)
            for name, aspiration in (("unit", unit), ("secret", secret), ("anonymous", anonymous))}


def listed(user, **query):
    body = token_client(user).get("/api/v1/aspirations/", query).json()
    return {row["id"]: row for row in body["results"]}


def test_the_desk_sees_every_aspiration_with_its_sender_but_never_an_anonim_name(world, cases):
    rows = listed(world.org.registrar)
    assert set(rows) == {aspiration.pk for aspiration in cases.values()}
    unit = rows[cases["unit"].pk]
    assert unit["sender"] == {"name": "Warga Klandasan", "phone": "081234567890", "email": "warga@example.org",
                              "wa_id": "6281234567890"}
    assert unit["code"] == cases["unit"].code and unit["unit"]["code"] == "komisi-1"
    assert unit["kelurahan"]["name"] == "Klandasan Ilir" and unit["status"] == "ditindaklanjuti"
    assert rows[cases["secret"].pk]["subject"] == "Pungutan liar di kelurahan", "the desk handles every aspiration"
    anonymous = token_client(world.org.registrar).get(f"/api/v1/aspirations/{cases['anonymous'].pk}/").json()
    assert anonymous["sender"] == {"name": None, "phone": "081234567890", "email": "warga@example.org",
                                   "wa_id": "6281200000000"}


def test_auditors_see_every_aspiration_without_senders_or_rahasia_content(world, cases):
    rows = listed(world.org.auditor)
    assert set(rows) == {aspiration.pk for aspiration in cases.values()}
    assert all(row["sender"] is None for row in rows.values())
    client = token_client(world.org.auditor)
    secret = client.get(f"/api/v1/aspirations/{cases['secret'].pk}/").json()
    assert secret["subject"] is None and secret["text"] is None
    assert secret["documents"] is None and secret["notes"] is None
    assert secret["category"] == "pengaduan" and secret["privacy"] == "rahasia"
    assert [step["status"] for step in secret["timeline"]] == ["diterima", "terverifikasi", "ditindaklanjuti"]
    unit = client.get(f"/api/v1/aspirations/{cases['unit'].pk}/").json()
    assert unit["subject"] == "Lampu jalan padam" and unit["sender"] is None
    [document] = unit["documents"]
    assert document["role"] == "follow_up" and document["role_label"] == "Dokumen tindak lanjut"
    download = client.get(document["versions"][0]["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_a_commission_sees_only_what_was_disposed_to_it(world, cases):
    for user in (world.org.k1, world.org.k1_staff):
        rows = listed(user)
        assert set(rows) == {cases["unit"].pk}, user
        assert rows[cases["unit"].pk]["sender"] is None and rows[cases["unit"].pk]["text"]
        client = token_client(user)
        assert client.get(f"/api/v1/aspirations/{cases['secret'].pk}/").status_code == 404
    assert listed(world.org.k2) == {}


def test_a_dapil_member_sees_what_was_disposed_to_them_rahasia_content_included(world, cases):
    rows = listed(world.org.member)
    assert set(rows) == {cases["secret"].pk}
    secret = token_client(world.org.member).get(f"/api/v1/aspirations/{cases['secret'].pk}/").json()
    assert secret["text"] == "Oknum meminta uang." and secret["notes"] == [] and secret["documents"] == []
    assert [member["name"] for member in secret["members"]] == ["Member"] and secret["sender"] is None
    assert listed(world.other_user) == {}, "a member of another dapil"


def test_outsiders_see_none_and_get_404(world, cases):
    client = token_client(world.outsider)
    assert client.get("/api/v1/aspirations/").json()["count"] == 0
    for aspiration in cases.values():
        answer = client.get(f"/api/v1/aspirations/{aspiration.pk}/")
        assert answer.status_code == 404 and answer.json() == {"detail": "Aspirasi tidak ditemukan.", "code": "not_found"}
    assert APIClient().get("/api/v1/aspirations/").status_code == 401


def test_the_list_filters_by_status_channel_category_and_lateness(world, cases):
    desk = world.org.registrar
    assert set(listed(desk, status="diterima")) == {cases["anonymous"].pk}
    assert set(listed(desk, channel="email")) == {cases["secret"].pk}
    assert set(listed(desk, category="pengaduan")) == {cases["secret"].pk}
    assert listed(desk, late="true") == {}
    Aspiration.objects.filter(pk=cases["anonymous"].pk).update(verify_due=datetime.date(2020, 1, 6))
    late = listed(desk, late="true")
    assert set(late) == {cases["anonymous"].pk} and late[cases["anonymous"].pk]["late"] is True
    assert all(row["late"] is False for row in listed(desk, late="false").values())
    bad = token_client(desk).get("/api/v1/aspirations/", {"status": "nope"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid" and "status" in bad.json()["errors"]


def test_session_callers_get_the_same_answer(world, cases):
    client = APIClient()
    assert client.login(username=world.org.k1.username, password=PASSWORD)
    assert [row["id"] for row in client.get("/api/v1/aspirations/").json()["results"]] == [cases["unit"].pk]


def test_notes_are_added_by_those_it_went_to_while_it_is_followed_up(world, cases):
    url = f"/api/v1/aspirations/{cases['unit'].pk}/notes/"
    staff = token_client(world.org.k1_staff)
    added = staff.post(url, {"text": "Sudah dikoordinasikan dengan dinas."}, format="json", HTTP_IDEMPOTENCY_KEY="n1")
    assert added.status_code == 201, added.content
    assert added.json()["text"] == "Sudah dikoordinasikan dengan dinas." and added.json()["by"] == "Staf1"
    again = staff.post(url, {"text": "Sudah dikoordinasikan dengan dinas."}, format="json", HTTP_IDEMPOTENCY_KEY="n1")
    assert again.status_code == 409
    notes = token_client(world.org.auditor).get(f"/api/v1/aspirations/{cases['unit'].pk}/").json()["notes"]
    assert [(note["text"], note["by"]) for note in notes] == [("Foto lokasi", "Staf1"),
                                                              ("Sudah dikoordinasikan dengan dinas.", "Staf1")]

    refused = token_client(world.org.auditor).post(url, {"text": "Catatan"}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Hanya unit atau anggota yang dituju yang dapat mencatat tindak lanjut.",
                              "code": "permission_denied"}
    assert token_client(world.outsider).post(url, {"text": "Catatan"}, format="json").status_code == 404
    early = token_client(world.org.registrar).post(f"/api/v1/aspirations/{cases['anonymous'].pk}/notes/",
                                                   {"text": "Catatan"}, format="json")
    assert early.status_code == 403 and "selama aspirasi ditindaklanjuti" in early.json()["detail"]
    empty = staff.post(url, {"text": ""}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()["errors"]


def test_a_note_may_bring_a_document_checked_as_the_page_checks_it(world, cases):
    url = f"/api/v1/aspirations/{cases['secret'].pk}/notes/"
    member = token_client(world.org.member)
    added = member.post(url, {"text": "Berita acara", "document": pdf_upload("berita-acara.pdf")}, format="multipart")
    assert added.status_code == 201, added.content
    documents = member.get(f"/api/v1/aspirations/{cases['secret'].pk}/").json()["documents"]
    assert [(document["title"], document["role"]) for document in documents] == [("berita-acara.pdf", "follow_up")]
    assert token_client(world.org.auditor).get(f"/api/v1/documents/{documents[0]['id']}/").status_code == 404, \
        "a rahasia aspiration's files are its handlers' only"
    fake = SimpleUploadedFile("bukan.pdf", b"bukan PDF", content_type="application/pdf")
    refused = member.post(url, {"text": "Lampiran rusak", "document": fake}, format="multipart")
    assert refused.status_code == 400 and refused.json()["errors"]["document"]


def act(user, task, name, data):
    return token_client(user).post(f"/api/v1/tasks/{task.pk}/actions/{name}/", data, format="json")


def test_the_steps_run_through_the_shared_task_actions(world):
    aspiration = receive(world)
    desk = token_client(world.org.registrar)
    verify_task = inbox.open_task(aspiration, AspirationFlow.verify)
    offered = desk.get(f"/api/v1/tasks/{verify_task.pk}/actions/").json()
    assert [action["name"] for action in offered] == ["verify"]
    assert act(world.org.registrar, verify_task, "verify", {"decision": "valid", "category": "aspirasi"}).status_code == 403
    assert desk.post(f"/api/v1/tasks/{verify_task.pk}/claim/").status_code == 200
    invalid = act(world.org.registrar, verify_task, "verify", {"decision": "needs_info", "category": "aspirasi"})
    assert invalid.status_code == 400 and invalid.json()["errors"]["info_request"] == ["Tuliskan keterangan apa yang diperlukan."]
    done = act(world.org.registrar, verify_task, "verify", {"decision": "valid", "category": "aspirasi"})
    assert done.status_code == 200, done.content
    assert done.json()["subject"]["api_url"].endswith(f"/api/v1/aspirations/{aspiration.pk}/")

    dispose_task = inbox.open_task(aspiration, AspirationFlow.dispose)
    assert act(world.org.deputy, dispose_task, "dispose", {"unit": world.org.komisi1.pk}).status_code == 404
    assert act(world.org.chair, dispose_task, "dispose", {"unit": world.org.komisi1.pk}).status_code == 200

    follow_up = inbox.open_task(aspiration, AspirationFlow.follow_up)
    assert act(world.org.k2, follow_up, "answer", {"answer": "Jawaban"}).status_code == 404
    assert token_client(world.org.k1_staff).post(f"/api/v1/tasks/{follow_up.pk}/claim/").status_code == 200
    assert act(world.org.k1, follow_up, "answer", {"answer": "Jawaban"}).status_code == 404, "claimed by a colleague"
    assert act(world.org.k1_staff, follow_up, "answer", {"answer": "Lampu diperbaiki pekan ini."}).status_code == 200

    approve = inbox.open_task(aspiration, AspirationFlow.approve)
    assert act(world.org.k1_staff, approve, "approve", {"answer": "Lampu diperbaiki."}).status_code == 404
    assert act(world.org.k1, approve, "approve", {"answer": "Lampu diperbaiki pekan ini."}).status_code == 200
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.ANSWERED and aspiration.answer == "Lampu diperbaiki pekan ini."
    body = token_client(world.org.registrar).get(f"/api/v1/aspirations/{aspiration.pk}/").json()
    assert body["answer"] == "Lampu diperbaiki pekan ini." and body["answered_at"]
    assert body["timeline"][-1] == {**body["timeline"][-1], "status": "dijawab", "public_note": body["answer"]}
