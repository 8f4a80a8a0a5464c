"""Who sees which outgoing letter, by every page, file, search hit and task; the drafting pages; the public check."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pyhanko.sign import signers
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from search.indexing import apply_pending
from search.port import SearchQuery
from search.registry import principals_of
from tests.support import PASSWORD
from workflows.letters.models import Nature
from workflows.outgoing.flows import OutgoingLetterFlow
from workflows.outgoing.kinds import Kind
from workflows.outgoing.models import OutgoingLetter


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def final_bytes(letter):
    with letter.final_document.current.blob.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def letters(epiper, draft, walk):
    """A draft of Komisi I, a signed letter sent by courier, and a signed rahasia one."""
    plain = walk.sign(walk.to_signature(draft(subject="Undangan rapat kerja anggaran")))
    walk.dispatch(plain, courier=True)
    secret = walk.sign(walk.to_signature(draft(subject="Permintaan data rahasia pemeriksaan", nature=Nature.RAHASIA)))
    return {"draft": draft(subject="Draf yang belum diajukan"), "plain": plain, "secret": secret}


def test_each_person_sees_what_the_rule_says(epiper, letters):
    org = epiper.org
    everything = set(letters)
    expected = {
        org.k1_staff: everything, org.k1: everything,  # the drafting unit
        org.chair: everything,  # the signer's position: in the chain of each, the draft too
        epiper.sekwan: {"plain", "secret"}, epiper.kabag: {"plain", "secret"},  # the paraf chain, once submitted
        org.auditor: {"plain"}, org.registrar: {"plain"},  # signed and not rahasia
        org.k2: set(), epiper.outsider: set(), org.deputy: set(), org.member: set(),
    }
    for person, names in expected.items():
        visible = set(OutgoingLetter.objects.visible_to(person).values_list("pk", flat=True))
        assert visible == {letters[name].pk for name in names}, person
        client = client_for(person)
        listed = client.get(reverse("outgoing:list")).content.decode()
        for name, letter in letters.items():
            urls = [reverse("outgoing:detail", args=[letter.pk]), reverse("outgoing:pdf", args=[letter.pk]),
                    reverse("outgoing:trail_csv", args=[letter.pk])]
            if letter.is_signed:
                document = letter.final_document
                urls.append(reverse("documents:download", args=[document.pk, document.current.number]))
            for url in urls:
                status = client.get(url).status_code
                assert status in ((200, 302) if name in names else (404,)), (person, name, url, status)
            assert (letter.get_absolute_url() in listed) == (name in names), (person, name)


def test_a_delegate_sees_the_chair_s_letters_while_acting(epiper, letters):
    from project.org.services import create_delegation

    now = timezone.now()
    create_delegation(position=epiper.org.chair_position, delegate=epiper.org.deputy, starts_at=now,
                      ends_at=now + timezone.timedelta(days=1))
    assert OutgoingLetter.objects.visible_to(epiper.org.deputy).filter(pk=letters["secret"].pk).exists()


def test_search_finds_signed_letters_for_those_who_see_them_on_both_engines(epiper, letters, search_engine):
    apply_pending()
    query = "rapat kerja anggaran"
    for person, found in ((epiper.org.auditor, True), (epiper.org.k1, True), (epiper.org.chair, True),
                          (epiper.org.k2, False), (epiper.outsider, False)):
        result = search_engine.search(SearchQuery(text=query, principals=principals_of(person)))
        assert ({hit.id for hit in result.hits} == {f"outgoing:{letters['plain'].pk}"}) == found, person
    secret = "rahasia pemeriksaan"
    assert search_engine.search(SearchQuery(text=secret, principals=principals_of(epiper.org.auditor))).total == 0
    assert search_engine.search(SearchQuery(text=secret, principals=principals_of(epiper.sekwan))).total == 1
    drafts = search_engine.search(SearchQuery(text="belum diajukan", principals=principals_of(epiper.org.k1)))
    assert drafts.total == 0, "drafts are not searchable"
    result = search_engine.search(SearchQuery(text=query, principals=principals_of(epiper.org.auditor),
                                              filters={"kind": ["outgoing"]}))
    assert dict(result.facets["outgoing_kind"]) == {Kind.UNDANGAN: 1}
    assert dict(result.facets["classification"]) == {"000.8.3.3": 1}
    assert dict(result.facets["unit"]) == {"Komisi I": 1}
    assert dict(result.facets["year"]) == {str(timezone.localdate().year): 1}
    assert dict(result.facets["signer"]) == {epiper.org.chair.get_full_name(): 1}


def test_only_the_officials_task_pages_open_for_them(epiper, draft, walk):
    letter = walk.to_signature(draft())
    task = walk.task(letter, OutgoingLetterFlow.sign)
    url = reverse("tasks:task", args=[task.pk])
    assert client_for(epiper.org.chair).get(url).status_code == 200
    for intruder in (epiper.sekwan, epiper.org.k1_staff, epiper.org.auditor, epiper.org.deputy):
        assert client_for(intruder).get(url).status_code in (403, 404), intruder
        response = client_for(intruder).post(url, {"sign-passphrase": "frasa-sandi-ttd"})
        assert response.status_code in (403, 404), intruder
    letter.refresh_from_db()
    assert letter.number == ""


def test_the_chair_signs_on_the_task_page_and_a_wrong_passphrase_is_told(epiper, draft, walk):
    from workflows.outgoing.tests.support import PASSPHRASE

    letter = walk.to_signature(draft())
    task = walk.task(letter, OutgoingLetterFlow.sign)
    url = reverse("tasks:task", args=[task.pk])
    client = client_for(epiper.org.chair)
    page = client.get(url).content.decode()
    token = _token(page, "sign")
    response = client.post(url, {"sign-submission_token": token, "sign-passphrase": "salah-sekali"}, follow=True)
    assert "Frasa sandi salah" in response.content.decode()
    letter.refresh_from_db()
    assert letter.number == ""
    token = _token(client.get(url).content.decode(), "sign")
    client.post(url, {"sign-submission_token": token, "sign-passphrase": PASSPHRASE})
    letter.refresh_from_db()
    assert letter.number == "000.8.3.3/1/KOM-I"


def _token(page, prefix):
    import re

    return re.search(rf'name="{prefix}-submission_token" value="([^"]+)"', page).group(1)


# --- drafting pages ------------------------------------------------------------------------------------------------


def test_a_staff_member_drafts_a_reply_from_the_incoming_letter(epiper, register, dispose):
    incoming = register(subject="Permohonan audiensi warga")
    outsiders_try = client_for(epiper.org.k1_staff).get(reverse("outgoing:new"), {"balas": incoming.pk})
    assert outsiders_try.status_code == 404, "a reply only to an incoming letter one may see"
    dispose(incoming, [epiper.org.komisi1])
    client = client_for(epiper.org.k1_staff)
    page = client.get(reverse("outgoing:new"), {"balas": incoming.pk}).content.decode()
    assert "Balasan: Permohonan audiensi warga" in page
    token = _token_plain(page)
    response = client.post(reverse("outgoing:new") + f"?balas={incoming.pk}", {
        "submission_token": token, "unit": epiper.org.komisi1.pk, "kind": Kind.SURAT_DINAS, "nature": Nature.BIASA,
        "classification": epiper.code.pk, "subject": "Balasan permohonan audiensi", "addressees": "Ketua RT 05",
        "addressee_place": "Tempat", "body": "Permohonan Saudara kami terima <script>alert(1)</script>.",
        "reply_to": incoming.pk, "signer_position": epiper.org.chair_position.pk,
        "attachments": [SimpleUploadedFile("jadwal.pdf", _pdf(), "application/pdf")],
        "archive_documents": [incoming.scan.pk],
    })
    letter = OutgoingLetter.objects.get()
    assert response.status_code == 302 and response["Location"] == letter.get_absolute_url()
    assert letter.reply_to == incoming and letter.created_by == epiper.org.k1_staff
    attached = {document.current.sha256 for document in letter.documents("attachment")}
    assert len(attached) == 2 and incoming.scan.current.sha256 in attached, "the upload and the incoming scan"
    detail = client.get(letter.get_absolute_url()).content.decode()
    assert 'id="reply-to"' in detail and "&lt;script&gt;" in detail and "<script>alert" not in detail
    incoming_page = client_for(epiper.org.k1_staff).get(incoming.get_absolute_url()).content.decode()
    assert letter.get_absolute_url() in incoming_page, "the incoming letter's page shows its reply"
    registrar_page = client_for(epiper.org.registrar).get(incoming.get_absolute_url()).content.decode()
    assert letter.get_absolute_url() not in registrar_page, "the registrar may not see a draft of Komisi I"
    preview = client.get(reverse("outgoing:pdf", args=[letter.pk]))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"


def _token_plain(page):
    import re

    return re.search(r'name="submission_token" value="([^"]+)"', page).group(1)


def _pdf(text="Lampiran"):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.save()
    return buffer.getvalue()


def test_archive_attachments_come_only_from_the_letter_answered(epiper, register, dispose, draft):
    from documents.models import Document
    from workflows.outgoing import services

    answered, other = register(subject="Surat yang dibalas"), register(subject="Surat lain")
    dispose(answered, [epiper.org.komisi1])
    letter = draft(reply_to=answered)
    with pytest.raises(PermissionDenied):
        services.update_draft(letter, user=epiper.org.k1_staff, data={}, archive_documents=[other.scan])
    assert not letter.documents("attachment").exists()
    services.update_draft(letter, user=epiper.org.k1_staff, data={}, archive_documents=[answered.scan])
    assert Document.objects.filter(role="attachment").count() == 1


def test_a_user_outside_any_drafting_unit_cannot_draft(epiper):
    assert client_for(epiper.org.auditor).get(reverse("outgoing:new")).status_code == 403
    assert client_for(epiper.org.k2).post(reverse("outgoing:new"), {"unit": epiper.org.komisi1.pk}).status_code == 200
    assert not OutgoingLetter.objects.exists()


def test_a_wrong_file_type_is_refused_with_a_clear_message(epiper):
    client = client_for(epiper.org.k1_staff)
    page = client.get(reverse("outgoing:new")).content.decode()
    response = client.post(reverse("outgoing:new"), {
        "submission_token": _token_plain(page), "unit": epiper.org.komisi1.pk, "kind": Kind.SURAT_DINAS,
        "nature": Nature.BIASA, "classification": epiper.code.pk, "subject": "Surat", "addressees": "Lurah",
        "body": "Isi", "signer_position": epiper.org.chair_position.pk,
        "attachments": [SimpleUploadedFile("virus.exe", b"MZ\x90\x00not a pdf", "application/pdf")],
    })
    assert response.status_code == 200 and "PDF, PNG atau JPEG" in response.content.decode()
    assert not OutgoingLetter.objects.exists()


def test_the_register_lists_signed_letters_as_csv(epiper, letters):
    response = client_for(epiper.org.auditor).get(reverse("outgoing:register"), {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert letters["plain"].number in body and "Dicetak, dikirim melalui kurir" in body
    assert letters["secret"].number not in body, "rahasia letters stay with the unit and the chain"
    own = client_for(epiper.org.k1).get(reverse("outgoing:register"), {"format": "csv"}).content.decode("utf-8-sig")
    assert letters["secret"].number in own
    assert client_for(epiper.org.k2).get(reverse("outgoing:register"), {"format": "csv"}).content.decode(
        "utf-8-sig").count("\n") == 1, "only the header for someone who sees none"


# --- the public verification page ------------------------------------------------------------------------------------


def _check(letter, data, client=None):
    client = client or Client()
    url = reverse("outgoing:verification", args=[letter.verification_token])
    return client.post(url, {"pdf": SimpleUploadedFile("surat.pdf", data, "application/pdf")}).content.decode()


def test_the_verification_page_accepts_the_signed_file_and_rejects_a_changed_one(epiper, letters):
    letter = letters["plain"]
    page = Client().get(reverse("outgoing:verification", args=[letter.verification_token])).content.decode()
    assert letter.number in page and "Ketua DPRD Kota Balikpapan" in page and "bukan sertifikat tersertifikasi BSrE" in page
    data = final_bytes(letter)
    assert 'data-status="valid" data-same="1"' in _check(letter, data)
    start = data.index(b"stream", data.index(b"/Contents")) + 20  # inside the first page's content stream
    changed = data[:start] + bytes([data[start] ^ 0x01]) + data[start + 1:]
    assert 'data-status="modified"' in _check(letter, changed)
    assert 'data-status="unsigned"' in _check(letter, _pdf())
    assert 'data-status="unreadable"' in _check(letter, b"this is not a pdf at all")
    other = final_bytes(letters["secret"])
    assert 'data-status="valid" data-same="0"' in _check(letter, other)


def test_a_pdf_signed_by_an_outside_certificate_is_not_siap(epiper, letters):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SIAP DPRD Kota Balikpapan")])  # a look-alike name
    now = timezone.now()
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timezone.timedelta(days=1))
                   .not_valid_after(now + timezone.timedelta(days=30))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(key, hashes.SHA256()))
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=None,
    )
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(_pdf("Surat palsu"))),
                     signers.PdfSignatureMetadata(field_name="Sig"), signer=signer, output=out)
    assert 'data-status="not_siap"' in _check(letters["plain"], out.getvalue())


def test_the_verification_page_refuses_big_files_and_counts_checks_per_address(epiper, letters, settings):
    letter = letters["plain"]
    settings.SIAP_VERIFY_MAX_BYTES = 1000
    assert "terlalu besar" in _check(letter, final_bytes(letter))
    settings.SIAP_VERIFY_MAX_BYTES = 20 * 1024 * 1024
    settings.SIAP_VERIFY_RATE = "2/h"
    client = Client()
    _check(letter, b"x", client)
    _check(letter, b"x", client)
    assert "Terlalu banyak pemeriksaan" in _check(letter, final_bytes(letter), client)


def test_unknown_and_unsigned_tokens_are_not_found(epiper, letters):
    assert Client().get(reverse("outgoing:verification", args=["tidak-ada"])).status_code == 404
    draft = letters["draft"]
    assert Client().get(reverse("outgoing:verification", args=[draft.verification_token])).status_code == 404


def test_the_rahasia_letters_subject_is_not_shown_publicly(epiper, letters):
    letter = letters["secret"]
    page = Client().get(reverse("outgoing:verification", args=[letter.verification_token])).content.decode()
    assert letter.number in page and letter.subject not in page


def test_odd_query_values_are_not_found_or_ignored(epiper, letters):
    client = client_for(epiper.org.k1_staff)
    assert client.get(reverse("outgoing:new"), {"balas": "x"}).status_code == 404
    assert client.get(reverse("outgoing:register"), {"year": "²"}).status_code == 200
    letter = letters["draft"]
    assert client.get(reverse("outgoing:submit", args=[letter.pk])).status_code == 302, "GET leads to the letter"
    assert client_for(epiper.org.k2).get(reverse("outgoing:submit", args=[letter.pk])).status_code == 404


def test_an_edit_sent_twice_saves_once_and_overlong_lines_are_refused(epiper, draft):
    letter = draft()
    client = client_for(epiper.org.k1_staff)
    url = reverse("outgoing:edit", args=[letter.pk])
    token = _token_plain(client.get(url).content.decode())
    data = {
        "submission_token": token, "kind": Kind.SURAT_DINAS, "nature": Nature.BIASA, "classification": epiper.code.pk,
        "subject": "Surat", "addressees": "Lurah Manggar", "body": "Isi", "signer_position": epiper.org.chair_position.pk,
    }
    for _twice in range(2):
        client.post(url, {**data, "attachments": [SimpleUploadedFile("a.pdf", _pdf(), "application/pdf")]})
    assert letter.documents("attachment").count() == 1
    token = _token_plain(client.get(url).content.decode())
    response = client.post(url, {**data, "submission_token": token, "addressees": "x" * 10_000})
    assert response.status_code == 200 and "paling panjang" in response.content.decode()
