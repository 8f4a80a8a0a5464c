"""Outgoing letters through the API: the pages' rule on every endpoint, drafting and submitting with the page's
form and services, and the chain's steps (verify, paraf, sign with the passphrase) through the shared task actions."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.testing import token_client
from documents.models import ClassificationCode
from fixtures import organisation
from fixtures import outgoing as demo
from project.audit.models import AuditEvent
from project.org.models import Position, Unit
from tests.support import pdf_upload, restore_migration_data
from workflows import inbox
from workflows.letters.models import Nature
from workflows.outgoing import services
from workflows.outgoing.flows import OutgoingLetterFlow
from workflows.outgoing.kinds import Kind
from workflows.outgoing.models import NumberCounter, OutgoingLetter

WRONG_PASSPHRASE = "bukan-frasa-sandinya"


@pytest.fixture
def world(db):
    """The demo organisation (units, positions, staff), with the paraf rules, SIAP's CA and the signers' certificates
    of the e-Piper demo: the chair's letters are initialled by ``sekwan`` then ``kabag.umum``."""
    restore_migration_data()
    organisation.build()
    users = {user.username: user for user in get_user_model().objects.all()}
    chair, sekwan = demo._organisation(users)
    komisi1 = Unit.objects.get(code="komisi-1")
    return SimpleNamespace(
        users=users, chair_position=chair, sekwan_position=sekwan, unit_k1=komisi1,
        unit_k2=Unit.objects.get(code="komisi-2"), head_k1=Position.objects.get(unit=komisi1, role=Position.Role.HEAD),
        kabag_position=Position.objects.get(unit__code="bag-umum", role=Position.Role.HEAD),
        code=ClassificationCode.objects.get(code="100.2"),
        **{name.replace(".", "_"): users[name] for name in (
            "staf.komisi1", "staf.komisi2", "komisi1", "komisi2", "sekwan", "kabag.umum", "chair", "auditor")},
    )


def draft_data(world, **overrides):
    data = {
        "unit": world.unit_k1.pk, "kind": Kind.SURAT_DINAS, "nature": Nature.BIASA, "classification": world.code.pk,
        "subject": "Permohonan data realisasi anggaran", "addressees": "Kepala Badan Pengelolaan Keuangan Daerah",
        "addressee_place": "Tempat", "body": "Dalam rangka rapat kerja, kami mohon data realisasi anggaran.",
        "signer_position": world.chair_position.pk,
    }
    data.update(overrides)
    return data


def draft(world, signer=None, **data):
    """A draft of Komisi I written by its staff through the service (not yet submitted)."""
    data = {"kind": Kind.SURAT_DINAS, "nature": Nature.BIASA, "classification": world.code, "addressee_place": "Tempat",
            "subject": "Permintaan penjelasan perizinan", "addressees": "Kepala DPMPTSP Kota Balikpapan",
            "body": "Kami mohon penjelasan mengenai perizinan bangunan.", "signer_position": signer or world.chair_position, **data}
    return services.create_draft(user=world.staf_komisi1, unit=world.unit_k1, data=data)


def signed(world, **data):
    """A letter of Komisi I walked to its signature by the services (the demo's walk), signed by the head of Komisi I."""
    return demo._through_signature(draft(world, signer=world.head_k1, **data), world.users)


def url_of(letter):
    return f"/api/v1/outgoing/{letter.pk}/"


def test_a_drafter_of_komisi1_writes_and_submits_a_draft_through_the_api(world):
    client = token_client(world.staf_komisi1, "skrip komisi")
    form = {field["name"]: field for field in client.get("/api/v1/outgoing/form/").json()}
    assert [choice["value"] for choice in form["unit"]["choices"]] == [str(world.unit_k1.pk)]
    signers = {int(choice["value"]) for choice in form["signer_position"]["choices"]}
    assert signers == {world.chair_position.pk, world.sekwan_position.pk, world.head_k1.pk}
    assert form["recipient_units"]["multiple"] and form["attachments"]["multiple"]
    assert {choice["value"] for choice in form["kind"]["choices"]} == set(Kind.values)

    created = client.post("/api/v1/outgoing/", draft_data(world), format="json", HTTP_IDEMPOTENCY_KEY="draf-1")
    assert created.status_code == 201, created.json()
    body = created.json()
    letter = OutgoingLetter.objects.get(pk=body["id"])
    assert created["Location"].endswith(url_of(letter)) and body["links"]["self"] == created["Location"]
    assert (body["status"], body["status_label"], body["number"]) == ("draft", "Draf", None)
    assert (body["kind"], body["kind_label"], body["classification"]) == ("surat_dinas", "Surat dinas", "100.2")
    assert body["drafting_unit"]["code"] == "komisi-1" and body["created_by"] == world.staf_komisi1.get_full_name()
    assert body["addressees"] == ["Kepala Badan Pengelolaan Keuangan Daerah"] and body["copies"] == []
    assert body["signer_position"] == {"id": world.chair_position.pk, "title": "Ketua DPRD Kota Balikpapan",
                                       "holder": world.chair.get_full_name()}
    assert body["paraf_steps"] == [] and body["verification_url"] is None and body["reply_to"] is None
    event = AuditEvent.objects.for_object(letter).get(action="outgoing.created")
    assert event.user == world.staf_komisi1 and event.detail["api_token"] == "skrip komisi"
    again = client.post("/api/v1/outgoing/", draft_data(world), format="json", HTTP_IDEMPOTENCY_KEY="draf-1")
    assert again.status_code == 409 and OutgoingLetter.objects.count() == 1

    submitted = client.post(body["links"]["submit"], HTTP_IDEMPOTENCY_KEY="ajukan-1")
    assert submitted.status_code == 200, submitted.json()
    body = submitted.json()
    assert body["status"] == "verifying" and body["submitted_at"]
    assert body["verifier_position"]["id"] == world.head_k1.pk
    assert [(step["order"], step["aspect"], step["position"]["id"], step["initialled_by"]) for step in body["paraf_steps"]] == [
        (1, "substansi", world.sekwan_position.pk, None), (2, "redaksi", world.kabag_position.pk, None),
    ]
    twice = client.post(body["links"]["submit"])
    assert twice.status_code == 403
    assert twice.json()["detail"] == "Naskah ini berstatus “Menunggu verifikasi” dan tidak dapat diubah lagi."
    [row] = token_client(world.komisi1).get("/api/v1/tasks/inbox/").json()["results"]
    assert row["process"]["name"] == "outgoing" and row["subject"]["api_url"] == body["links"]["self"]


def test_a_nota_dinas_goes_with_its_recipient_units_and_attachments_in_one_multipart_request(world):
    client = token_client(world.staf_komisi1)
    data = draft_data(world, kind=Kind.NOTA_DINAS, addressees="", signer_position=world.head_k1.pk,
                      recipient_units=[world.unit_k2.pk, Unit.objects.get(code="bag-umum").pk],
                      attachments=[pdf_upload("jadwal.pdf"), pdf_upload("daftar-hadir.pdf")])
    created = client.post("/api/v1/outgoing/", data, format="multipart")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {unit["code"] for unit in body["recipient_units"]} == {"komisi-2", "bag-umum"}
    assert sorted(document["versions"][0]["original_name"] for document in body["documents"]) == [
        "daftar-hadir.pdf", "jadwal.pdf"]
    assert {document["role"] for document in body["documents"]} == {"attachment"}
    assert client.post(body["links"]["submit"]).json()["status"] == "verifying", "units are its addressees"


def test_a_draft_is_refused_with_the_pages_messages(world):
    client = token_client(world.staf_komisi1)
    refused = client.post("/api/v1/outgoing/", draft_data(world, email_recipients="dpu@balikpapan.go.id\nbukan-email",
                                                          unit=world.unit_k2.pk), format="json")
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert errors["email_recipients"] == ["“bukan-email” bukan alamat e-mail."]
    assert set(errors) == {"unit", "email_recipients"}, "Komisi II is not the drafter's unit"
    assert not OutgoingLetter.objects.exists()

    # an invitation without its event is accepted as a draft, and refused when it is submitted
    invitation = client.post("/api/v1/outgoing/", draft_data(world, kind=Kind.UNDANGAN), format="json").json()
    not_yet = client.post(invitation["links"]["submit"])
    assert not_yet.status_code == 400
    assert not_yet.json()["errors"] == {"event_day": ["Undangan harus menyebut hari/tanggal, waktu dan tempat acara."]}
    assert client.get(invitation["links"]["self"]).json()["status"] == "draft"

    for outsider in (world.auditor, world.chair):
        other = token_client(outsider)
        assert other.get("/api/v1/outgoing/form/").status_code == (403 if outsider == world.auditor else 200)
    assert token_client(world.auditor).post("/api/v1/outgoing/", draft_data(world), format="json").status_code == 403


def test_a_user_of_another_unit_reaches_the_draft_by_no_endpoint(world):
    letter = draft(world)
    other = token_client(world.staf_komisi2)
    for url in (url_of(letter), f"{url_of(letter)}trail/"):
        response = other.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url
    assert other.post(f"{url_of(letter)}submit/").status_code == 404
    assert other.get("/api/v1/outgoing/").json()["count"] == 0
    assert OutgoingLetter.objects.get(pk=letter.pk).status == OutgoingLetter.Status.DRAFT
    mine = token_client(world.staf_komisi1)
    assert [row["id"] for row in mine.get("/api/v1/outgoing/").json()["results"]] == [letter.pk]
    assert mine.get(f"{url_of(letter)}trail/").json()["results"][0]["action"] == "outgoing.created"
    assert APIClient().get(url_of(letter)).status_code == 401


def test_the_auditor_sees_signed_letters_that_are_not_rahasia(world):
    a_draft = draft(world, subject="Masih draf")
    public = signed(world, subject="Permintaan data terbuka")
    secret = signed(world, subject="Permintaan data pemeriksaan", nature=Nature.RAHASIA)
    auditor = token_client(world.auditor)
    listing = auditor.get("/api/v1/outgoing/").json()
    assert [row["id"] for row in listing["results"]] == [public.pk]
    assert auditor.get(url_of(a_draft)).status_code == 404
    assert auditor.get(url_of(secret)).status_code == 404
    body = auditor.get(url_of(public)).json()
    assert body["number"] == public.number and body["status"] == "signed" and body["letter_date"] == str(public.letter_date)
    assert body["signed_by"] == world.komisi1.get_full_name() and body["signed_as"] == ""
    assert body["verification_url"].endswith(reverse("outgoing:verification", args=[public.verification_token]))
    assert [(document["role"], document["title"]) for document in body["documents"]] == [("final", public.number)]
    assert [review["decision"] for review in body["reviews"]] == ["verified"]
    assert auditor.post(f"{url_of(public)}submit/").status_code == 403

    drafter = token_client(world.staf_komisi1)
    assert drafter.get("/api/v1/outgoing/").json()["count"] == 3
    counts = {
        "status=draft": 1, "status=signed": 2, "nature=rahasia": 1, f"year={timezone.localdate().year}": 2,
        "unit=komisi-1": 3, "unit=komisi-2": 0, "kind=undangan": 0, "q=pemeriksaan": 1, f"q={public.number}": 1,
    }
    for query, count in counts.items():
        assert drafter.get(f"/api/v1/outgoing/?{query}").json()["count"] == count, query
    ordered = drafter.get("/api/v1/outgoing/", {"ordering": "signed_at", "status": "signed"}).json()["results"]
    assert [row["id"] for row in ordered] == [public.pk, secret.pk]
    wrong = drafter.get("/api/v1/outgoing/", {"status": "terbang"})
    assert wrong.status_code == 400 and "status" in wrong.json()["errors"]


@pytest.fixture
def verified(world):
    """A letter for the chair's signature, submitted by Komisi I's staff and verified through the task API."""
    letter = services.submit(draft(world), user=world.staf_komisi1)
    head = token_client(world.komisi1)
    [row] = head.get("/api/v1/tasks/inbox/").json()["results"]
    done = head.post(f"/api/v1/tasks/{row['id']}/actions/verify/", {"note": "Sudah sesuai"}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["detail"] == "Draf diverifikasi dan diteruskan."
    return OutgoingLetter.objects.get(pk=letter.pk)


def test_the_paraf_official_initials_through_the_task_api_and_no_one_else_can(world, verified):
    task = inbox.open_task(verified, OutgoingLetterFlow.paraf)
    assert task.owner == world.sekwan
    for outsider in (world.komisi2, world.kabag_umum, world.chair, world.staf_komisi1, world.auditor):
        client = token_client(outsider)
        refused = client.post(f"/api/v1/tasks/{task.pk}/actions/initial/", {"note": ""}, format="json")
        assert refused.status_code == 404, outsider
        assert client.get(f"/api/v1/tasks/{task.pk}/actions/").status_code == 404, outsider
    assert inbox.open_task(verified, OutgoingLetterFlow.paraf).pk == task.pk, "nothing happened to it"

    sekwan = token_client(world.sekwan, "ponsel sekwan")
    actions = {action["name"] for action in sekwan.get(f"/api/v1/tasks/{task.pk}/actions/").json()}
    assert actions == {"initial", "return"}
    done = sekwan.post(f"/api/v1/tasks/{task.pk}/actions/initial/", {"note": "Substansi sesuai"}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["detail"] == "Naskah diparaf dan diteruskan."
    body = sekwan.get(url_of(verified)).json()
    assert body["status"] == "paraf"
    first, second = body["paraf_steps"]
    assert first["initialled_by"] == world.sekwan.get_full_name() and first["initialled_at"]
    assert second["initialled_by"] is None
    assert [(review["step"], review["decision"]) for review in body["reviews"]] == [("verify", "verified"), ("paraf", "initialled")]
    event = AuditEvent.objects.for_object(verified).get(action="outgoing.initialled")
    assert event.user == world.sekwan and event.detail["api_token"] == "ponsel sekwan"

    kabag = token_client(world.kabag_umum)
    [row] = kabag.get("/api/v1/tasks/inbox/").json()["results"]
    assert kabag.post(f"/api/v1/tasks/{row['id']}/actions/initial/", {}, format="json").status_code == 200
    assert kabag.get(url_of(verified)).json()["status"] == "signing"


def test_the_signature_through_the_task_api_takes_the_number_only_with_the_right_passphrase(world, verified):
    for official in (world.sekwan, world.kabag_umum):
        services.initial(inbox.open_task(verified, OutgoingLetterFlow.paraf), user=official)
    chair = token_client(world.chair, "ponsel ketua")
    [row] = chair.get("/api/v1/tasks/inbox/").json()["results"]
    sign = {action["name"]: action for action in chair.get(f"/api/v1/tasks/{row['id']}/actions/").json()}["sign"]
    assert [field["name"] for field in sign["fields"]] == ["passphrase"]

    wrong = chair.post(sign["url"], {"passphrase": WRONG_PASSPHRASE}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {"detail": ["Frasa sandi salah."]}
    letter = OutgoingLetter.objects.get(pk=verified.pk)
    assert (letter.status, letter.number, letter.serial, letter.signed_by) == (OutgoingLetter.Status.SIGNING, "", None, None)
    assert not NumberCounter.objects.filter(last_number__gt=0).exists(), "the number went back with the refusal"
    assert chair.get(url_of(letter)).json()["number"] is None
    assert not letter.documents("final").exists()

    done = chair.post(sign["url"], {"passphrase": demo.DEMO_PASSPHRASE}, format="json")
    assert done.status_code == 200, done.json()
    letter.refresh_from_db()
    assert letter.serial == 1 and letter.number == f"100.2/1/{world.unit_k1.number_code}"
    assert done.json()["detail"] == f"Naskah ditandatangani secara elektronik dengan nomor {letter.number}."
    body = chair.get(url_of(letter)).json()
    assert (body["number"], body["status"], body["signed_by"]) == (letter.number, "signed", world.chair.get_full_name())
    assert body["verification_url"].endswith(f"/verifikasi/{letter.verification_token}/")
    [final] = body["documents"]
    assert final["role"] == "final" and final["versions"][0]["media_type"] == "application/pdf"
    event = AuditEvent.objects.for_object(letter).get(action="outgoing.signed")
    assert event.detail["number"] == letter.number and event.detail["api_token"] == "ponsel ketua"
